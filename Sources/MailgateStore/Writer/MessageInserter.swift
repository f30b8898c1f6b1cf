import MailgateCore

/// Writes one `NewMessage` into every table of the schema (on the writer thread, inside the
/// job's savepoint). Statements are prepared once per connection and reused.
struct MessageInserter {
    let database: Database

    /// Inserts the message and returns its seq.
    @discardableResult
    func insert(_ message: NewMessage) throws -> Int64 {
        let seq = try MessageSequence.next(receivedAt: message.receivedAt, in: database)
        try insertRow(message, seq: seq)
        try insertBlobs(message, seq: seq)
        try insertRecipients(message, seq: seq)
        for attachment in message.attachments { try insert(attachment, seq: seq) }
        // Indexed by the search index's threads, in commit order (StoreSchema.searchQueueV6).
        let queued = try database.cached("INSERT INTO search_queue(kind, seq, message_id) VALUES (1, ?, ?)")
        try queued.bind(seq, at: 1)
        try queued.bind(message.id, at: 2)
        try queued.step()
        queued.reset()
        return seq
    }

    private func insertRow(_ m: NewMessage, seq: Int64) throws {
        let s = try database.cached("""
            INSERT INTO messages(seq, id, received_at, size, mail_from, helo, remote_addr, remote_port,
                transport, tls, body, smtputf8, from_address, from_name, subject, date, message_id,
                attachment_count, summary_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let e = m.envelope
        try s.bind(seq, at: 1)
        try s.bind(m.id, at: 2)
        try s.bind(m.receivedAt, at: 3)
        try s.bind(m.raw.count, at: 4)
        try s.bind(e.mailFrom, at: 5)
        try s.bind(e.helo, at: 6)
        try s.bind(e.remoteAddress, at: 7)
        try s.bind(e.remotePort, at: 8)
        try s.bind(e.transport, at: 9)
        try s.bind(e.tls, at: 10)
        try s.bind(e.body, at: 11)
        try s.bind(e.smtpUTF8 ? 1 : 0, at: 12)
        try s.bind(m.fromAddress, at: 13)
        try s.bind(m.fromName, at: 14)
        try s.bind(m.subject, at: 15)
        try s.bind(m.date, at: 16)
        try s.bind(m.messageID, at: 17)
        try s.bind(m.attachmentCount, at: 18)
        try s.bind(bytes: m.summaryJSON, at: 19)
        try s.step()
    }

    private func insertBlobs(_ m: NewMessage, seq: Int64) throws {
        let data = try database.cached("INSERT INTO message_data(seq, message_json) VALUES (?, ?)")
        try data.bind(seq, at: 1)
        try m.messageJSON.withUnsafeBytes { try data.bindNoCopy($0, at: 2); try data.step() }
        data.reset()
        let raw = try database.cached("INSERT INTO message_raw(seq, raw) VALUES (?, ?)")
        try raw.bind(seq, at: 1)
        // The raw bytes can be 25 MiB: bound in place, and unbound before the buffer is released.
        try m.raw.withUnsafeBytes { try raw.bindNoCopy($0, at: 2); try raw.step() }
        raw.reset()
    }

    /// The recipients (their address_index keys are written by the search index's threads).
    private func insertRecipients(_ m: NewMessage, seq: Int64) throws {
        let recipients = RecipientList(envelope: m.envelope.rcptTo, header: m.headerRecipients)
        let row = try database.cached("""
            INSERT INTO recipients(seq, position, address, in_envelope, in_header) VALUES (?, ?, ?, ?, ?)
            """)
        for (position, r) in recipients.entries.enumerated() {
            row.reset()
            try row.bind(seq, at: 1)
            try row.bind(position, at: 2)
            try row.bind(r.address, at: 3)
            try row.bind(r.inEnvelope ? 1 : 0, at: 4)
            try row.bind(r.inHeader ? 1 : 0, at: 5)
            try row.step()
        }
    }

    private func insert(_ a: AttachmentLocation, seq: Int64) throws {
        let s = try database.cached("""
            INSERT OR REPLACE INTO attachments(seq, part_id, filename, content_type, disposition, size,
                offset, length, transfer_encoding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try s.bind(seq, at: 1)
        try s.bind(a.id, at: 2)
        try s.bind(a.filename, at: 3)
        try s.bind(a.contentType, at: 4)
        try s.bind(a.disposition, at: 5)
        try s.bind(a.size, at: 6)
        try s.bind(a.offset, at: 7)
        try s.bind(a.length, at: 8)
        try s.bind(a.transferEncoding, at: 9)
        try s.step()
    }
}
