import CSQLite
import MailgateMIME

/// What `message_fts` indexes for a message, derived from its stored raw bytes alone.
///
/// message_fts is contentless (StoreSchema.contentlessSearchV3): it keeps no copy of the text,
/// so removing a message's entries means deriving the same text again. This function is the
/// one definition used both ways. Changing what it returns for a stored message needs a
/// migration that rebuilds message_fts ('delete-all', then every message pending again).
enum SearchText {
    /// The subject, names and addresses, and the start of the body text (MessageRendering).
    static func of(raw: [UInt8]) -> String {
        MessageRendering.searchText(MIMEParser.parse(raw))
    }

    /// The SQL name of `of(raw:)`, for the delete trigger.
    static let sqlFunction = "mg_search_text"

    /// Makes `mg_search_text(raw)` callable on `database` (the write connection: the only
    /// one that deletes messages). A connection without it cannot delete a message that is
    /// indexed: the trigger fails, and nothing is removed.
    static func register(on database: Database) throws {
        try database.createTextFunction(sqlFunction, argumentCount: 1) { SearchText.of(raw: $0.blob(0)) }
    }
}
