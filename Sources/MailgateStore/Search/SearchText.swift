import CSQLite
import MailgateMIME

/// What `message_fts` indexes for a message, derived from its stored raw bytes alone.
///
/// message_fts is contentless (SearchSchema): it keeps no copy of the text, so removing a
/// message's entries means deriving the same text again (the delete trigger puts it in the
/// removal's search_queue row). This function is the one definition used both ways. Changing
/// what it returns for a stored message needs a new SearchSchema.version, which rebuilds the
/// search file.
enum SearchText {
    /// The subject, names and addresses, and the start of the body text (MessageRendering).
    static func of(raw: [UInt8]) -> String {
        MessageRendering.searchText(MIMEParser.parse(raw))
    }

    /// The SQL name of `of(raw:)`, for the delete trigger.
    static let sqlFunction = "mg_search_text"

    /// Makes `mg_search_text(raw)` callable on `database` (the write connection: the only
    /// one that deletes messages). A connection without it cannot delete a message: the
    /// trigger fails, and nothing is removed.
    static func register(on database: Database) throws {
        let rc = sqlite3_create_function_v2(
            database.handle, sqlFunction, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, values in
                guard count == 1, let value = values?[0] else { return sqlite3_result_null(context) }
                let length = Int(sqlite3_value_bytes(value))
                let raw: [UInt8] = sqlite3_value_blob(value).map {
                    Array(UnsafeRawBufferPointer(start: $0, count: length))
                } ?? []
                var text = SearchText.of(raw: raw)
                text.withUTF8 { utf8 in
                    sqlite3_result_text64(context, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                          sqlite3_uint64(utf8.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }, nil, nil, nil)
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }
}
