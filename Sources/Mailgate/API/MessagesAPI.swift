import MailgateCore
import MailgateHTTP
import MailgateMIME
import MailgateStore

/// `/api/v1/messages...`: list, get (also `latest`), raw, attachments, delete (API.md).
struct MessagesAPI: RoutedAPI {
    let store: Store
    /// Bodies up to this size are answered in one piece; larger raw messages are streamed.
    static let streamThreshold = 256 * 1024

    static let endpoints: [Endpoint<MessagesAPI>] = [
        Endpoint("GET", "/api/v1/messages") { api in { api.searchConsistent($0, api.list) } },
        Endpoint("DELETE", "/api/v1/messages") { api in { api.deleteAll($0) } },
        Endpoint("GET", "/api/v1/messages/{id}") { api in { api.searchConsistent($0, api.get) } },
        Endpoint("DELETE", "/api/v1/messages/{id}") { api in { api.deleteOne($0) } },
        Endpoint("GET", "/api/v1/messages/{id}/raw") { api in { api.searchConsistent($0, api.raw) } },
        Endpoint("GET", "/api/v1/messages/{id}/attachments/{attachment_id}") { api in
            { api.searchConsistent($0, api.attachment) }
        },
        Endpoint("GET", "/api/v1/events") { _ in { _ in .events } },
    ]

    /// The search index is filled in batches off the ingest path (docs/ARCHITECTURE.md, Store):
    /// a `q`, `subject`, `to` or `from` filter first has the writer index what is pending, then runs on this
    /// loop, so it sees every message that was acknowledged before the request.
    func searchConsistent(_ request: APIRequest, _ body: @escaping (APIRequest) -> APIResult) -> APIResult {
        let searches = MessageQuery.indexedFilterNames.contains { !(request.http.queryValue($0) ?? "").isEmpty }
        let resolvesLatest = request.parameters["id"].map { $0 == "latest" } ?? true
        guard searches && resolvesLatest else { return body(request) }
        let deferred = LoopBound((request, body))
        let resume = request.respond.resume
        store.flushSearchIndex { _ in
            // A failed flush still answers: the search then misses only the unindexed messages.
            resume { deferred.value.1(deferred.value.0) }
        }
        return .pending
    }

    func list(_ request: APIRequest) -> APIResult {
        let query: MessageQuery
        switch MessageQuery.from(request.http) {
        case .success(let q): query = q
        case .failure(let f): return .response(f.response)
        }
        do {
            let page = try request.context.reader().list(query)
            return .response(.json(Self.listBody(page.items, nextCursor: page.nextCursor)))
        } catch {
            return request.failure(error, while: "list messages")
        }
    }

    /// `{"items":[<stored summaries>],"next_cursor":...}`: the summaries are spliced in as stored.
    static func listBody(_ items: [[UInt8]], nextCursor: String?) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(items.reduce(64 + (nextCursor?.utf8.count ?? 0)) { $0 + $1.count + 1 })
        body.append(contentsOf: #"{"items":["#.utf8)
        for (i, item) in items.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: item)
        }
        body.append(contentsOf: #"],"next_cursor":"#.utf8)
        if let nextCursor {
            var w = JSONWriter(capacity: nextCursor.utf8.count + 2)
            w.string(nextCursor)
            body.append(contentsOf: w.bytes)
        } else {
            body.append(contentsOf: "null".utf8)
        }
        body.append(UInt8(ascii: "}"))
        return body
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
                    return .failure(.notFound("no message matches"))
                }
                return .success(latest)
            } catch {
                return .failure(APIFailure.store(error, while: "find the latest message", logger: request.logger))
            }
        }
        guard ULID.isValid(id) else { return .failure(.notFound("message \(id) does not exist")) }
        return .success(id)
    }

    func get(_ request: APIRequest) -> APIResult {
        let id: String
        switch resolveID(request) {
        case .failure(let f): return .response(f.response)
        case .success(let resolved): id = resolved
        }
        // A stored message never changes: its id is a strong validator (RFC 9110 §8.8.3).
        let etag = ETag.strong(id)
        do {
            guard let json = try request.context.reader().messageJSON(id: id) else {
                return .response(APIFailure.notFound("message \(id) does not exist").response)
            }
            if let notModified = ETag.notModified(request.http, etag: etag) { return .response(notModified) }
            return .response(.json(json, headers: ["ETag": etag]))
        } catch {
            return request.failure(error, while: "read a message")
        }
    }

    func raw(_ request: APIRequest) -> APIResult {
        let id: String
        switch resolveID(request) {
        case .failure(let f): return .response(f.response)
        case .success(let resolved): id = resolved
        }
        let etag = ETag.strong(id + "-raw")
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "message/rfc822")
        headers.add(name: "ETag", value: etag)
        do {
            let reader = try request.context.reader()
            guard let size = try reader.rawSize(id: id) else {
                return .response(APIFailure.notFound("message \(id) does not exist").response)
            }
            if let notModified = ETag.notModified(request.http, etag: etag) { return .response(notModified) }
            if request.http.isHEAD {
                return .stream(head: HTTPResponse(status: 200, headers: headers), length: size, source: EmptySource())
            }
            if size <= Self.streamThreshold {
                return .response(HTTPResponse(status: 200, headers: headers, body: try reader.readRaw(id: id, offset: 0, count: size)))
            }
            return .stream(head: HTTPResponse(status: 200, headers: headers), length: size,
                           source: RawMessageSource(reader: reader, id: id, size: size))
        } catch {
            return request.failure(error, while: "read a raw message")
        }
    }

    func attachment(_ request: APIRequest) -> APIResult {
        let id: String
        switch resolveID(request) {
        case .failure(let f): return .response(f.response)
        case .success(let resolved): id = resolved
        }
        let partID = request.parameters["attachment_id"] ?? ""
        do {
            let reader = try request.context.reader()
            guard let part = try reader.attachment(messageID: id, attachmentID: partID) else {
                return .response(APIFailure.notFound("message \(id) has no attachment \(partID)").response)
            }
            let etag = ETag.strong(id + "-" + partID)
            if let notModified = ETag.notModified(request.http, etag: etag) { return .response(notModified) }
            let encoded = try reader.readRaw(id: id, offset: part.offset, count: part.length)
            let decoded = encoded.withUnsafeBytes { TransferDecoding.decode($0, transferEncoding: part.transferEncoding) }
            return .response(HTTPResponse(status: 200, headers: Self.downloadHeaders(part, etag: etag), body: decoded))
        } catch {
            return request.failure(error, while: "read an attachment")
        }
    }

    /// Untrusted content served from the API's origin: always a download (even an inline part,
    /// whose HTML could otherwise run script here), never sniffed, sandboxed if opened anyway.
    static func downloadHeaders(_ part: AttachmentLocation, etag: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: part.contentType)
        headers.add(name: "Content-Disposition", value: ContentDisposition.value("attachment", filename: part.filename))
        headers.add(name: "ETag", value: etag)
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        return headers
    }

    func deleteOne(_ request: APIRequest) -> APIResult {
        let id = request.parameters["id"] ?? ""
        guard ULID.isValid(id) else { return .response(APIFailure.notFound("message \(id) does not exist").response) }
        let respond = request.respond, logger = request.logger
        store.deleteMessage(id: id) { result in
            switch result {
            case .success(true): respond(HTTPResponse(status: 204))
            case .success(false): respond(APIFailure.notFound("message \(id) does not exist").response)
            case .failure(let e): respond(APIFailure.store(e, while: "delete a message", logger: logger).response)
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
        let respond = request.respond, logger = request.logger
        store.deleteMessages(matching: query) { result in
            switch result {
            case .success: respond(HTTPResponse(status: 204))
            case .failure(let e): respond(APIFailure.store(e, while: "delete messages", logger: logger).response)
            }
        }
        return .pending
    }
}
