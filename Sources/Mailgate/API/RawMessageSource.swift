import MailgateStore

/// Streams a stored raw message from its blob in pieces (sqlite3_blob_read), on the loop thread.
final class RawMessageSource: BodySource {
    private let reader: MessageReader
    private let id: String
    private let size: Int
    private var offset = 0

    init(reader: MessageReader, id: String, size: Int) {
        self.reader = reader
        self.id = id
        self.size = size
    }

    func next(maxBytes: Int) -> [UInt8]? {
        guard offset < size else { return nil }
        guard let piece = try? reader.readRaw(id: id, offset: offset, count: min(maxBytes, size - offset)), !piece.isEmpty else {
            return nil
        }
        offset += piece.count
        return piece
    }
}

/// The body of a HEAD answer: its length is announced, nothing is read.
final class EmptySource: BodySource {
    func next(maxBytes: Int) -> [UInt8]? { nil }
}
