import CSQLite

/// The distinct terms message_fts indexed while recording (the indexer's pass), for
/// search_terms: taken from the tokenizer as FTS5 runs it, so a text is tokenized once for both
/// (tokenizing it a second time for the terms was a quarter of a pass). The C side
/// (`csqlite_term_recorder_install`) puts a forwarding "unicode61" tokenizer on the connection;
/// the terms are exactly those FTS5 stores, because FTS5's own tokenizer produced them.
///
/// Installed on the write connection when it opens, before anything touches message_fts there.
/// The recorder's memory belongs to that connection; this is a handle to it, used on the
/// connection's thread only.
struct FTSTermRecorder {
    private let handle: UnsafeMutablePointer<csqlite_term_recorder>

    /// Installs the recording tokenizer on `database`.
    static func install(on database: Database) throws -> FTSTermRecorder {
        guard let handle = csqlite_term_recorder_install(database.handle) else {
            throw DatabaseError(code: SQLITE_ERROR, message: "cannot install the FTS5 term recorder")
        }
        return FTSTermRecorder(handle: handle)
    }

    /// Runs `body` with recording on: every term FTS5 indexes meanwhile (a DOCUMENT
    /// tokenization: inserts, not queries or deletes) is added to the set.
    func recording<T>(_ body: () throws -> T) rethrows -> T {
        handle.pointee.recording = 1
        defer { handle.pointee.recording = 0 }
        return try body()
    }

    /// Forgets the terms recorded so far (those of a pass that was rolled back).
    func clear() { csqlite_term_recorder_clear(handle) }

    /// The terms recorded since the last call, each once, and an empty set for the next ones.
    /// Throws if the set could not hold them all (out of memory): a partial list would leave
    /// terms out of search_terms.
    func take() throws -> [String] {
        defer { csqlite_term_recorder_clear(handle) }
        guard handle.pointee.failed == 0 else {
            throw DatabaseError(code: SQLITE_NOMEM, message: "out of memory recording search terms")
        }
        var terms: [String] = []
        terms.reserveCapacity(Int(handle.pointee.count))
        var cursor = 0
        var token: UnsafePointer<CChar>?
        var length: Int32 = 0
        while csqlite_term_recorder_next(handle, &cursor, &token, &length) != 0, let token {
            terms.append(String(decoding: UnsafeRawBufferPointer(start: token, count: Int(length)), as: UTF8.self))
        }
        return terms
    }
}
