/// The index terms a prefix search term stands for, from `search_terms`
/// (StoreSchema.searchTermsV4): `inv` → `invoice`, `invoices`. FTS5 answers a prefix query by
/// merging the whole doclist of every matching term before the LIMIT; an OR of the same terms
/// is walked from the newest rowid and stops at the LIMIT (q=pre* at 1 000 000 messages: see
/// docs/PERFORMANCE.md).
enum PrefixTerms {
    /// Past this many terms the OR costs more than it saves: FTS5 expands the prefix itself.
    static let maxTerms = 64

    /// The terms starting with `prefix` as the index folds it, or nil to leave the prefix to
    /// FTS5: a prefix that folds to more than one token (`e-ma`), none, too many terms, or
    /// any error (the native prefix query is always right, only slower).
    static func expand(_ prefix: Substring, in database: Database) -> [String]? {
        guard let tokenizer = try? FTSTokenizer(database: database) else { return nil }
        let folded = tokenizer.terms(of: String(prefix))
        guard folded.count == 1, let start = folded.first else { return nil }
        guard let statement = try? database.cached("""
            SELECT term FROM search_terms WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3
            """) else { return nil }
        defer { statement.reset() }
        // Every term with the prefix sorts below the prefix followed by the last code point.
        guard (try? statement.bind([.text(start), .text(start + "\u{10FFFF}"), .int(Int64(maxTerms + 1))])) != nil
        else { return nil }
        var terms: [String] = []
        while (try? statement.step()) == true { if let term = statement.text(0) { terms.append(term) } }
        return terms.isEmpty || terms.count > maxTerms ? nil : terms
    }
}
