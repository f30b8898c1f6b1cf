import CSQLite

/// The terms a text is indexed under in message_fts: FTS5's own unicode61 tokenizer with
/// `remove_diacritics 2`, the table's configuration, so the terms are exactly the index's
/// (lower-cased, diacritics removed). Prefix searches fold the typed prefix with it (the indexer
/// records its terms from FTS5's own tokenization instead: FTSTermRecorder).
final class FTSTokenizer {
    private let handle: UnsafeMutablePointer<csqlite_tokenizer>

    /// Opens the tokenizer through `database` (any connection: FTS5 is built into SQLite).
    init(database: Database) throws {
        guard let handle = csqlite_tokenizer_open(database.handle) else {
            throw DatabaseError(code: SQLITE_ERROR, message: "FTS5 unicode61 tokenizer unavailable")
        }
        self.handle = handle
    }

    deinit { csqlite_tokenizer_close(handle) }

    /// The terms of `text`, in no particular order.
    func terms(of text: String) -> Set<String> {
        var terms: Set<String> = []
        var text = text
        withUnsafeMutablePointer(to: &terms) { terms in
            text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { chars in
                    _ = csqlite_tokenizer_run(handle, chars.baseAddress, Int32(chars.count), terms) { context, token, length in
                        guard let context, let token else { return }
                        let bytes = UnsafeRawBufferPointer(start: token, count: Int(length))
                        context.assumingMemoryBound(to: Set<String>.self).pointee
                            .insert(String(decoding: bytes, as: UTF8.self))
                    }
                }
            }
        }
        return terms
    }
}
