import MailgateCore
import MailgateHTTP
import MailgateMIME
import MailgateStore

/// `/api/v1/messages...`: list, get (also `latest`), raw, attachments, delete (API.md).
struct MessagesAPI: Sendable {
    let store: Store
    let events: EventHub
    /// Bodies up to this size are answered in one piece; larger raw messages are streamed.
    static let streamThreshold = 256 * 1024

    var routes: [(method: String, pattern: String, handler: APIHandler)] {
        [("GET", "/api/v1/messages", list),
         ("DELETE", "/api/v1/messages", deleteAll),
         ("GET", "/api/v1/messages/{id}", get),
         ("DELETE", "/api/v1/messages/{id}", deleteOne),
         ("GET", "/api/v1/messages/{id}/raw", raw),
         ("GET", "/api/v1/messages/{id}/attachments/{attachment_id}", attachment),
         ("GET", "/api/v1/events", { _ in .events })]
    }

    func list(_ request: APIRequest) -> APIResult {
        let query: MessageQuery
        switch MessageQuery.from(request.http) {
        case .success(let q): query = q
        case .failure(let f): return .response(f.response)
        }
        do {
            let page = try request.context.reader().list(query)
            var body: [UInt8] = []
            body.reserveCapacity(page.items.reduce(64) { $0 + $1.count + 1 })
            body.append(contentsOf: #"{"items":["#.utf8)
            for (i, item) in page.items.enumerated() {
                if i > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: item)
            }
            body.append(contentsOf: #"],"next_cursor":"#.utf8)
            if let cursor = page.nextCursor {
                var w = JSONWriter(capacity: cursor.utf8.count + 2)
                w.string(cursor)
                body.append(contentsOf: w.bytes)
            } else {
                body.append(contentsOf: "null".utf8)
            }
            body.append(UInt8(ascii: "}"))
            return .response(.json(body))
        } catch {
            return .response(APIFailure.store(error).response)
        }
    }

    /// Resolves `{id}`, including `latest` (the newest message matching the list filters).
    private func resolveID(_ request: APIRequest) -> Result<String, APIFailure> {
        let id = request.parameters["id"] ?? ""
        if id == "latest" {
            let query: MessageQuery
            switch MessageQuery.from(request.http, allowPaging: false) {
            case .success(let q): query = q
            case .failure(let f): return .failure(f)
            }
            do {
                guard let latest = try request.context.reader().latestID(matching: query) else {
                    return .failure(APIFailure(404, "no message matches"))
                }
                return .success(latest)
            } catch {
                return .failure(APIFailure.store(error))
            }
        }
        guard ULID.isValid(id) else { return .failure(APIFailure(404, "message \(id) does not exist")) }
        return .success(id)
    }

    func get(_ request: APIRequest) -> APIResult {
        switch resolveID(request) {
        case .failure(let f): return .response(f.response)
        case .success(let id):
            // A stored message never changes: its id is a strong validator (RFC 9110 §8.8.3).
            let etag = ETag.strong(id)
            var headers = HTTPHeaders()
            headers.add(name: "ETag", value: etag)
            do {
                guard let json = try request.context.reader().messageJSON(id: id) else {
                    return .response(APIFailure(404, "message \(id) does not exist").response)
                }
                if let notModified = ETag.notModified(request.http, etag: etag) { return .response(notModified) }
                return .response(.json(json, headers: headers))
            } catch {
                return .response(APIFailure.store(error).response)
            }
        }
    }

    func raw(_ request: APIRequest) -> APIResult {
        switch resolveID(request) {
        case .failure(let f): return .response(f.response)
        case .success(let id):
            let etag = ETag.strong(id + "-raw")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "message/rfc822")
            headers.add(name: "ETag", value: etag)
            do {
                let reader = try request.context.reader()
                guard let size = try reader.rawSize(id: id) else {
                    return .response(APIFailure(404, "message \(id) does not exist").response)
                }
                if let notModified = ETag.notModified(request.http, etag: etag) { return .response(notModified) }
                if size <= Self.streamThreshold {
                    return .response(HTTPResponse(status: 200, headers: headers, body: try reader.readRaw(id: id, offset: 0, count: size)))
                }
                return .stream(head: HTTPResponse(status: 200, headers: headers), length: size,
                               source: RawMessageSource(reader: reader, id: id, size: size))
            } catch {
                return .response(APIFailure.store(error).response)
            }
        }
    }

    func attachment(_ request: APIRequest) -> APIResult {
        switch resolveID(request) {
        case .failure(let f): return .response(f.response)
        case .success(let id):
            let partID = request.parameters["attachment_id"] ?? ""
            do {
                let reader = try request.context.reader()
                guard let part = try reader.attachment(messageID: id, attachmentID: partID) else {
                    return .response(APIFailure(404, "message \(id) has no attachment \(partID)").response)
                }
                let etag = ETag.strong(id + "-" + partID)
                if let notModified = ETag.notModified(request.http, etag: etag) { return .response(notModified) }
                let encoded = try reader.readRaw(id: id, offset: part.offset, count: part.length)
                let decoded = encoded.withUnsafeBytes { TransferDecoding.decode($0, transferEncoding: part.transferEncoding) }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: part.contentType)
                headers.add(name: "Content-Disposition", value: ContentDisposition.value(part.disposition, filename: part.filename))
                headers.add(name: "ETag", value: etag)
                headers.add(name: "X-Content-Type-Options", value: "nosniff")
                return .response(HTTPResponse(status: 200, headers: headers, body: decoded))
            } catch {
                return .response(APIFailure.store(error).response)
            }
        }
    }

    func deleteOne(_ request: APIRequest) -> APIResult {
        let id = request.parameters["id"] ?? ""
        guard ULID.isValid(id) else { return .response(APIFailure(404, "message \(id) does not exist").response) }
        let respond = request.respond
        store.deleteMessage(id: id) { result in
            switch result {
            case .success(true): respond(HTTPResponse(status: 204))
            case .success(false): respond(APIFailure(404, "message \(id) does not exist").response)
            case .failure(let e): respond(APIFailure(e == .diskFull ? 503 : 500, "delete failed: \(e)").response)
            }
        }
        return .pending
    }

    func deleteAll(_ request: APIRequest) -> APIResult {
        let query: MessageQuery
        switch MessageQuery.from(request.http, allowPaging: false) {
        case .success(let q): query = q
        case .failure(let f): return .response(f.response)
        }
        let respond = request.respond
        store.deleteMessages(matching: query) { result in
            switch result {
            case .success: respond(HTTPResponse(status: 204))
            case .failure(let e): respond(APIFailure(e == .diskFull ? 503 : 500, "delete failed: \(e)").response)
            }
        }
        return .pending
    }
}

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
