/// Copies the search indexes a store file already has into a new search file, just before
/// store migration 6 drops them (StoreSchema.searchQueueV6), so that the first start after the
/// upgrade need not build them again from the messages: that derives every text from the raw
/// bytes (84 s at 1 000 000 messages, with the searches waiting).
///
/// The copy is of FTS5's own tables (`_data`, `_idx`, `_docsize`, `_config`): message_fts is
/// declared alike on both sides (contentless, the same tokenizer), and subject_fts differs only
/// in where its content lives, which its index does not record. Anything that goes wrong
/// leaves no search file, and the applier builds one from the messages instead.
enum SearchCarryOver {
    static func run(from database: Database, to searchPath: String, busyTimeoutMilliseconds: Int) {
        guard (try? hasIndexes(database)) == true else { return }
        SearchFile.removeFiles(searchPath)
        do {
            // Creates the file and its tables, on a connection of its own that closes here.
            _ = try SearchFile.openWriter(path: searchPath, busyTimeoutMilliseconds: busyTimeoutMilliseconds) { _ in }
            try SearchFile.attach(searchPath, to: database)
            defer { try? database.execute("DETACH DATABASE \(SearchSchema.attachedName)") }
            try database.execute("BEGIN IMMEDIATE")
            do {
                try database.execute(copySQL)
                try database.execute("COMMIT")
            } catch {
                _ = try? database.execute("ROLLBACK")
                throw error
            }
        } catch {
            SearchFile.removeFiles(searchPath)
        }
    }

    /// message_fts contentless (migration 3), search_terms (4), and the pending list.
    private static func hasIndexes(_ database: Database) throws -> Bool {
        let names = "('message_fts', 'subject_fts', 'address_index', 'search_terms', 'search_pending')"
        let found = try database.scalarInt("SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name IN \(names)")
        let contentless = try database.scalarInt("""
            SELECT count(*) FROM main.sqlite_schema WHERE name = 'message_fts' AND sql LIKE '%content%=%''''%'
            """)
        return found == 5 && contentless == 1
    }

    private static var copySQL: String {
        var sql = ""
        for table in ["message_fts", "subject_fts"] {
            for shadow in ["data", "idx", "docsize", "config"] {
                sql += "DELETE FROM search.\(table)_\(shadow); "
                sql += "INSERT INTO search.\(table)_\(shadow) SELECT * FROM main.\(table)_\(shadow);\n"
            }
        }
        return sql + """
            INSERT INTO search.address_index(field, key, seq) SELECT field, key, seq FROM main.address_index;
            INSERT INTO search.search_terms(term, last_day) SELECT term, last_day FROM main.search_terms;
            INSERT INTO search.indexed(seq, id)
                SELECT seq, id FROM main.messages WHERE seq NOT IN (SELECT seq FROM main.search_pending);
            UPDATE search.state SET applied = 0, rebuild_after = NULL;
            """
    }
}
