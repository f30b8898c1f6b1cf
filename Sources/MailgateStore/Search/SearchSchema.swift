/// The search file: a second SQLite database next to the store (`<store>-search`) holding only
/// what is derived from the messages, written by the search index's threads (SearchIndex), so
/// that indexing never holds the store's write lock: a COMMIT that acknowledges mail never
/// waits behind an indexing pass, and the passes run at SCHED_IDLE on CPU nothing else wants.
///
/// Derived data has no migrations: a file of another `version`, or one that does not follow
/// the store (SearchFile.follows), is deleted and rebuilt from the store. Every table is keyed
/// by the store's `messages.seq`, so `since`/`until` and cursors are rowid ranges here as there.
/// Readers attach it as `search`; the store has no tables of these names, so the queries name
/// them unqualified.
enum SearchSchema {
    /// PRAGMA user_version of this layout; a new one rebuilds the index on upgrade (as does a
    /// change of what SearchText.of returns for a stored message).
    static let version: Int64 = 1

    /// The schema name the search file is attached under.
    static let attachedName = "search"

    /// The search file of the store at `storePath`.
    static func path(forStore storePath: String) -> String { storePath + "-search" }

    static let sql = """
        -- applied: the last store search_queue row applied. rebuild_after: while the file is
        -- being filled from the store's messages (SearchApplier), the seq it reached; NULL once
        -- done. A new file starts with a rebuild; the queue rows it then applies again are
        -- harmless (`indexed` says what is there).
        CREATE TABLE state (
            id            INTEGER PRIMARY KEY CHECK (id = 1),
            applied       INTEGER NOT NULL,
            rebuild_after INTEGER
        );
        INSERT INTO state(id, applied, rebuild_after) VALUES (1, 0, -9223372036854775808);

        -- Which message each seq is indexed for: a removal takes entries out only when they are
        -- there (a contentless FTS5 table is corrupted by removing tokens it does not hold).
        CREATE TABLE indexed (
            seq INTEGER PRIMARY KEY,
            id  TEXT NOT NULL
        );

        -- Full text (q): subject, addresses, names and the start of the text body (SearchText).
        -- No copy of the text: a removal brings it (the store's search_queue row).
        CREATE VIRTUAL TABLE message_fts USING fts5(
            text, content = '', tokenize = 'unicode61 remove_diacritics 2'
        );

        -- Subject substrings, case-insensitive: trigrams (the subject comes with a removal too).
        CREATE VIRTUAL TABLE subject_fts USING fts5(subject, content = '', tokenize = 'trigram');

        -- The `to` and `from` list filters: one row per (field, key, message), key being a
        -- lower-cased address or "@domain" (AddressKey); field 1 = to (RCPT TO, To, Cc), 2 =
        -- from (MAIL FROM, From). Ordered by seq within a key: a filtered page is a range scan.
        CREATE TABLE address_index (
            field INTEGER NOT NULL,
            key   TEXT NOT NULL,
            seq   INTEGER NOT NULL,
            PRIMARY KEY (field, key, seq)
        ) WITHOUT ROWID;

        -- Every term message_fts has indexed, for prefix searches (PrefixTerms), dated with the
        -- receive day of the newest message indexed with it so retention can drop the terms of
        -- mail it deleted (SearchTerms).
        CREATE TABLE search_terms (
            term     TEXT PRIMARY KEY,
            last_day INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX search_terms_by_day ON search_terms(last_day);
        """
}
