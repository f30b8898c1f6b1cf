/// The store's own migrations (versions 1...99). Never edit a shipped migration: add one.
///
/// `messages.seq` is the INTEGER PRIMARY KEY (the rowid) and is `received_at << 12 | n`
/// (see `MessageSequence`): rowid order is receive-time order, so "newest first" is a rowid
/// scan, keyset cursors are rowids and `since`/`until` are rowid ranges on every index that
/// ends in seq (the FTS tables, `address_index`). Big blobs live in side tables so list scans
/// read only small rows.
enum StoreSchema {
    static let migrations: [Migration] = [
        Migration(version: 1, name: "messages", sql: messagesV1),
        Migration(version: 2, name: "deferred search index", sql: deferredSearchV2),
        Migration(version: 3, name: "contentless full-text index", sql: contentlessSearchV3),
        Migration(version: 4, name: "search terms", sql: searchTermsV4),
        Migration(version: 5, name: "address index without its seq index", sql: addressIndexV5),
        Migration(version: searchFileVersion, name: "search index in its own file", sql: searchQueueV6),
    ]

    /// The migration that moves the search indexes to the search file (SearchCarryOver runs
    /// before it).
    static let searchFileVersion = 6

    /// The search indexes move to a file of their own (SearchSchema), filled by threads of
    /// their own (SearchIndex): an indexing pass held the store's write lock ~9 ms while every
    /// client waited, W2 -14 % (docs/PERFORMANCE.md). What they must follow is this queue, in
    /// commit order: an append adds a row (kind 1) in the acknowledging transaction, and
    /// deleting a message adds a removal (kind 2) carrying what the index needs to take it out
    /// again, which the store will no longer have: the search text (the full-text index keeps
    /// no copy), the subject and the addresses its keys were made of. The search file records
    /// the last row it applied in the same transaction as the entries, so no crash loses or
    /// repeats one; the writer deletes the applied rows (AUTOINCREMENT: an id is never reused,
    /// and `sqlite_sequence` tells a search file from a later state of the store, StoreChanges).
    /// Before it, SearchCarryOver copies the indexes into the search file; the messages that
    /// were still pending are queued here. (Without the copy, the file is built from the
    /// messages.)
    static let searchQueueV6 = """
        CREATE TABLE search_queue (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            kind       INTEGER NOT NULL,
            seq        INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            text       TEXT,
            subject    TEXT,
            senders    TEXT,
            recipients TEXT
        );
        INSERT INTO search_queue(kind, seq, message_id)
            SELECT 1, p.seq, m.id FROM search_pending p CROSS JOIN messages m ON m.seq = p.seq ORDER BY p.seq;
        DROP TRIGGER messages_search_delete;
        DROP TRIGGER messages_address_delete;
        DROP TABLE message_fts;
        DROP TABLE subject_fts;
        DROP TABLE address_index;
        DROP TABLE search_terms;
        DROP TABLE search_pending;
        -- BEFORE: the raw bytes and the recipients are still there (they go by cascade).
        CREATE TRIGGER messages_search_remove BEFORE DELETE ON messages BEGIN
            INSERT INTO search_queue(kind, seq, message_id, text, subject, senders, recipients)
                VALUES (2, old.seq, old.id,
                        coalesce((SELECT mg_search_text(raw) FROM message_raw WHERE seq = old.seq), ''), old.subject,
                        old.mail_from || char(10) || coalesce(old.from_address, ''),
                        coalesce((SELECT group_concat(address, char(10)) FROM recipients WHERE seq = old.seq), ''));
        END;
        """

    /// address_index loses its foreign key and the `seq` index that only served its cascade:
    /// every indexing pass wrote each key twice (the key's b-tree and the seq index) and checked
    /// the parent row, 2.9 of the pass's 8.9 µs of address work per W2 message. A deleted
    /// message's keys are found again from what they were made of, as the indexer made them
    /// (`mg_address_key`, AddressKey): its recipients (BEFORE DELETE: they go by cascade after)
    /// under `to`, its MAIL FROM and From under `from`. Keys of a message not indexed yet are
    /// simply not there. The rows are copied in key order, so the copy is an append.
    /// (Migration 6 moves the index to the search file and drops this table and trigger;
    /// `mg_address_key` is no longer registered.)
    static let addressIndexV5 = """
        CREATE TABLE address_index_v5 (
            field INTEGER NOT NULL,
            key   TEXT NOT NULL,
            seq   INTEGER NOT NULL,
            PRIMARY KEY (field, key, seq)
        ) WITHOUT ROWID;
        INSERT INTO address_index_v5(field, key, seq) SELECT field, key, seq FROM address_index ORDER BY field, key, seq;
        DROP TABLE address_index;
        ALTER TABLE address_index_v5 RENAME TO address_index;
        CREATE TRIGGER messages_address_delete BEFORE DELETE ON messages BEGIN
            DELETE FROM address_index WHERE field = 1 AND seq = old.seq AND key IN (
                SELECT mg_address_key(address, 0) FROM recipients WHERE seq = old.seq
                UNION ALL
                SELECT mg_address_key(address, 1) FROM recipients WHERE seq = old.seq);
            DELETE FROM address_index WHERE field = 2 AND seq = old.seq AND key IN (
                mg_address_key(old.mail_from, 0), mg_address_key(old.mail_from, 1),
                mg_address_key(old.from_address, 0), mg_address_key(old.from_address, 1));
        END;
        """

    /// Every term message_fts has indexed (FTSTokenizer's terms, recorded by each indexing
    /// pass), so a prefix search (`q=inv*`) can name the matching terms: FTS5 answers `"inv"*`
    /// by merging the whole doclist of every matching term before the LIMIT (110 ms p99 at
    /// 1 000 000 messages), and `"invoice" OR "invoices"` by walking the doclists from the
    /// newest rowid and stopping at the LIMIT. A term left by deleted messages matches
    /// nothing; `last_day` (the receive day, in days since the epoch, of the newest message
    /// indexed with it, or later) lets retention drop the terms of messages it deleted
    /// (SearchTerms.prune), so unique tokens (ids, numbers) do not pile up forever. Filled here
    /// from the existing index, dated with the newest stored message.
    static let searchTermsV4 = """
        CREATE TABLE search_terms (
            term     TEXT PRIMARY KEY,
            last_day INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX search_terms_by_day ON search_terms(last_day);
        CREATE VIRTUAL TABLE temp.message_fts_terms USING fts5vocab(main, message_fts, 'row');
        INSERT INTO search_terms(term, last_day)
            SELECT term, coalesce((SELECT max(seq) FROM messages), 0) / 4096 / 86400000 FROM temp.message_fts_terms;
        DROP TABLE temp.message_fts_terms;
        """

    /// message_fts keeps no copy of the text it indexes (`content=''`), and `search_pending`
    /// holds only the seq: the text was written twice per message (pending, then FTS content),
    /// about a third of the writer's pages. The indexer takes the text from the writer's memory
    /// or derives it from the raw bytes (SearchText); removing a message's entries derives it
    /// again, in the trigger, through `mg_search_text` (registered on the write
    /// connection). The entries indexed so far are carried over as they are.
    static let contentlessSearchV3 = """
        DROP TRIGGER messages_fts_delete;
        CREATE VIRTUAL TABLE message_fts_v3 USING fts5(
            text, content = '', tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO message_fts_v3(rowid, text) SELECT rowid, text FROM message_fts;
        DROP TABLE message_fts;
        ALTER TABLE message_fts_v3 RENAME TO message_fts;

        CREATE TABLE search_pending_v3 (seq INTEGER PRIMARY KEY);
        INSERT INTO search_pending_v3(seq) SELECT seq FROM search_pending;
        DROP TABLE search_pending;
        ALTER TABLE search_pending_v3 RENAME TO search_pending;

        -- BEFORE: the raw bytes the text is derived from are still there (they go by cascade).
        -- A message not indexed yet has no entries: the 'delete' commands must not run for it.
        CREATE TRIGGER messages_search_delete BEFORE DELETE ON messages BEGIN
            INSERT INTO message_fts(message_fts, rowid, text)
                SELECT 'delete', old.seq, mg_search_text(r.raw) FROM message_raw r
                WHERE r.seq = old.seq AND NOT EXISTS (SELECT 1 FROM search_pending WHERE seq = old.seq);
            INSERT INTO subject_fts(subject_fts, rowid, subject)
                SELECT 'delete', old.seq, old.subject
                WHERE old.subject IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM search_pending WHERE seq = old.seq);
            DELETE FROM search_pending WHERE seq = old.seq;
        END;
        """

    /// The search tables (message_fts, subject_fts) are filled off the commit that acknowledges a
    /// message: tokenizing and writing an FTS segment per transaction was over a third of the
    /// writer's work per message. An append puts its search text in `search_pending`; the writer
    /// moves pending rows into both FTS tables in large batches when it is idle (or the backlog
    /// grows), and a search first flushes what is pending (`Store.flushSearchIndex`), so a search
    /// always sees every acknowledged message.
    static let deferredSearchV2 = """
        CREATE TABLE search_pending (
            seq  INTEGER PRIMARY KEY,
            text TEXT NOT NULL
        );
        DROP TRIGGER messages_subject_insert;
        DROP TRIGGER messages_fts_delete;
        -- A message not indexed yet has no FTS entries: the external-content 'delete' command
        -- must not run for it (it would corrupt subject_fts).
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            DELETE FROM message_fts WHERE rowid = old.seq;
            INSERT INTO subject_fts(subject_fts, rowid, subject)
                SELECT 'delete', old.seq, old.subject
                WHERE old.subject IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM search_pending WHERE seq = old.seq);
            DELETE FROM search_pending WHERE seq = old.seq;
        END;
        """

    static let messagesV1 = """
        CREATE TABLE messages (
            seq              INTEGER PRIMARY KEY,
            id               TEXT NOT NULL UNIQUE,
            received_at      INTEGER NOT NULL,
            size             INTEGER NOT NULL,
            mail_from        TEXT NOT NULL,
            helo             TEXT NOT NULL,
            remote_addr      TEXT NOT NULL,
            remote_port      INTEGER NOT NULL,
            transport        TEXT NOT NULL,
            tls              TEXT,
            body             TEXT,
            smtputf8         INTEGER NOT NULL,
            from_address     TEXT,
            from_name        TEXT,
            subject          TEXT,
            date             TEXT,
            message_id       TEXT,
            attachment_count INTEGER NOT NULL,
            summary_json     BLOB NOT NULL
        );

        -- The full message JSON and the raw bytes, one row per message, out of the list path.
        CREATE TABLE message_data (
            seq          INTEGER PRIMARY KEY REFERENCES messages(seq) ON DELETE CASCADE,
            message_json BLOB NOT NULL
        );
        CREATE TABLE message_raw (
            seq INTEGER PRIMARY KEY REFERENCES messages(seq) ON DELETE CASCADE,
            raw BLOB NOT NULL
        );

        -- Envelope RCPT TO in order (position 0...), then header To/Cc addresses not already
        -- among them; each distinct lower-cased address once per message, with where it came from.
        CREATE TABLE recipients (
            seq         INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
            position    INTEGER NOT NULL,
            address     TEXT NOT NULL,
            in_envelope INTEGER NOT NULL,
            in_header   INTEGER NOT NULL,
            PRIMARY KEY (seq, position)
        ) WITHOUT ROWID;

        -- The `to` and `from` list filters: one row per (field, key, message), key being a
        -- lower-cased address or "@domain". field 1 = to (RCPT TO, To, Cc), 2 = from (MAIL FROM,
        -- From). Ordered by seq within a key, so a filtered page is an index range scan.
        CREATE TABLE address_index (
            field INTEGER NOT NULL,
            key   TEXT NOT NULL,
            seq   INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
            PRIMARY KEY (field, key, seq)
        ) WITHOUT ROWID;
        CREATE INDEX address_index_seq ON address_index(seq);

        CREATE TABLE attachments (
            seq                INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
            part_id            TEXT NOT NULL,
            filename           TEXT,
            content_type       TEXT NOT NULL,
            disposition        TEXT NOT NULL,
            size               INTEGER NOT NULL,
            offset             INTEGER NOT NULL,
            length             INTEGER NOT NULL,
            transfer_encoding  TEXT NOT NULL,
            PRIMARY KEY (seq, part_id)
        ) WITHOUT ROWID;

        -- Full text (q): subject, addresses, names and text body, rowid = messages.seq.
        CREATE VIRTUAL TABLE message_fts USING fts5(
            text, tokenize = 'unicode61 remove_diacritics 2'
        );

        -- Subject substrings: trigrams over messages.subject (external content, case-insensitive).
        CREATE VIRTUAL TABLE subject_fts USING fts5(
            subject, content = 'messages', content_rowid = 'seq', tokenize = 'trigram'
        );
        CREATE TRIGGER messages_subject_insert AFTER INSERT ON messages
        WHEN new.subject IS NOT NULL BEGIN
            INSERT INTO subject_fts(rowid, subject) VALUES (new.seq, new.subject);
        END;

        -- count(*) walks a whole index; this one row is kept exact by triggers instead.
        CREATE TABLE message_count (
            id    INTEGER PRIMARY KEY CHECK (id = 1),
            count INTEGER NOT NULL
        );
        INSERT INTO message_count(id, count) VALUES (1, 0);
        CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
            UPDATE message_count SET count = count + 1 WHERE id = 1;
        END;
        CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
            UPDATE message_count SET count = count - 1 WHERE id = 1;
        END;

        -- The FTS tables cannot carry foreign keys: deleting a message removes its entries here.
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            DELETE FROM message_fts WHERE rowid = old.seq;
            INSERT INTO subject_fts(subject_fts, rowid, subject)
                SELECT 'delete', old.seq, old.subject WHERE old.subject IS NOT NULL;
        END;
        """
}
