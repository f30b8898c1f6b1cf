import CSQLite

extension MessageReader {
    /// Up to `count` raw bytes of message `id` from `offset` (fewer at the end, none past it),
    /// read with SQLite's incremental blob I/O: a 25 MiB message is streamed chunk by chunk,
    /// never loaded whole. Throws `.notFound` when the message does not exist (any more).
    public func readRaw(id: String, offset: Int, count: Int) throws -> [UInt8] {
        guard let seq = try seq(ofID: id) else { throw StoreError.notFound }
        var blob: OpaquePointer?
        let rc = sqlite3_blob_open(database.handle, "main", "message_raw", "raw", seq, 0, &blob)
        guard rc == SQLITE_OK, let blob else {
            if let blob { sqlite3_blob_close(blob) }
            // SQLITE_ERROR here means the row is gone (deleted since the lookup).
            if rc == SQLITE_ERROR { throw StoreError.notFound }
            throw StoreError(database.error(rc))
        }
        defer { sqlite3_blob_close(blob) }
        let size = Int(sqlite3_blob_bytes(blob))
        let start = min(max(0, offset), size)
        let n = min(max(0, count), size - start)
        guard n > 0 else { return [] }
        var failure: Int32 = SQLITE_OK
        let bytes = [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            failure = sqlite3_blob_read(blob, buffer.baseAddress, Int32(n), Int32(start))
            initialized = failure == SQLITE_OK ? n : 0
        }
        guard failure == SQLITE_OK else { throw StoreError(database.error(failure)) }
        return bytes
    }
}
