import MailgateCore
import MailgateHTTP
import MailgateIO
import Synchronization

/// Server-Sent Events fan-out for `GET /api/v1/events`. Subscribers live on their loops; a
/// publication is handed to each loop that has subscribers with one `execute`.
final class EventHub: Sendable {
    private let subscribers = Mutex<[UInt64: (loop: EventLoop, stream: LoopBound<EventStream>)]>([:])
    static let heartbeatMilliseconds = 15_000
    /// A subscriber that stops reading is dropped rather than buffered without bound.
    static let maxPendingBytes = 1 << 20
    /// One stream replays at most this many events, or this many bytes of them, after its
    /// `Last-Event-ID`, then ends: the client reconnects with the last one and gets the next.
    static let replayLimit = 500
    static let replayBytes = 256 << 10

    /// One subscriber, confined to its connection's loop.
    final class EventStream {
        let connection: Connection
        /// The ids replayed from the store: a live event for one of them (a message committed
        /// around the subscription) is not sent twice. Events arrive in commit order, so the
        /// first live event not among them ends the overlap.
        var replayed: Set<String> = []

        init(_ connection: Connection) { self.connection = connection }
    }

    @discardableResult
    func subscribe(_ connection: Connection) -> EventStream {
        let stream = EventStream(connection)
        subscribers.withLock { $0[connection.id] = (connection.loop, LoopBound(stream)) }
        return stream
    }

    func unsubscribe(_ connection: Connection) {
        _ = subscribers.withLock { $0.removeValue(forKey: connection.id) }
    }

    var count: Int { subscribers.withLock { $0.count } }

    /// `event: <name>`, `id: <message id>`, `data: <json>` (WHATWG HTML, "Server-sent events";
    /// JSON has no raw newlines, so one data line suffices).
    func publish(event: String, data: [UInt8]) {
        // Called for every stored message: with nobody listening, build nothing.
        guard count > 0 else { return }
        let id = Self.eventID(data)
        broadcast(Self.frame(event: event, id: id, data: data), id: id)
    }

    static func frame(event: String, id: String?, data: [UInt8]) -> [UInt8] {
        var frame = Array("event: \(event)\n".utf8)
        if let id { frame.append(contentsOf: "id: \(id)\n".utf8) }
        frame.append(contentsOf: "data: ".utf8)
        frame.append(contentsOf: data)
        frame.append(contentsOf: [0x0A, 0x0A])
        return frame
    }

    /// The id of a summary, which the renderer writes first (`{"id":"01J...",...}`), so the
    /// stream's `id:` (EventSource.lastEventId) is the message id without parsing the JSON.
    static func eventID(_ data: [UInt8]) -> String? {
        let prefix = Array(#"{"id":""#.utf8)
        guard data.count > prefix.count + 26, data.starts(with: prefix) else { return nil }
        let id = String(decoding: data[prefix.count..<(prefix.count + 26)], as: UTF8.self)
        guard data[prefix.count + 26] == UInt8(ascii: "\""), ULID.isValid(id) else { return nil }
        return id
    }

    private func broadcast(_ frame: [UInt8], id: String?) {
        let byLoop = subscribers.withLock { map -> [Int: (EventLoop, [EventStream])] in
            var groups: [Int: (EventLoop, [EventStream])] = [:]
            for (_, entry) in map { groups[entry.loop.index, default: (entry.loop, [])].1.append(entry.stream.value) }
            return groups
        }
        for (_, (loop, streams)) in byLoop {
            let streams = LoopBound(streams)
            _ = loop.execute {
                for stream in streams.value {
                    let c = stream.connection
                    guard c.isOpen else { continue }
                    if !stream.replayed.isEmpty {
                        if let id, stream.replayed.contains(id) { continue }
                        stream.replayed = []
                    }
                    if c.pendingWriteCount > Self.maxPendingBytes { c.abort(); continue }
                    c.write(frame)
                }
            }
        }
    }

    /// Shutdown: end every stream cleanly (FIN after what was written).
    func closeAll() {
        let all = subscribers.withLock { map in map.values.map { ($0.loop, $0.stream) } }
        for (loop, stream) in all {
            _ = loop.execute { stream.value.connection.close() }
        }
    }
}

extension HTTPConnectionHandler {
    /// Answers `GET /api/v1/events`: a close-delimited `text/event-stream` body, a first comment
    /// (`: connected`) so clients see the stream is open, and a heartbeat comment every 15 s (API.md).
    func startEvents(_ request: HTTPRequest, on connection: Connection) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        headers.add(name: "Cache-Control", value: "no-store")
        // nginx buffers proxied responses unless told not to; events must arrive as they happen.
        headers.add(name: "X-Accel-Buffering", value: "no")
        connection.write(HTTPResponseWriter.head(status: 200, headers: headers, framing: .closeDelimited,
                                                 keepAlive: false, date: context.dateCache.current(),
                                                 isHTTP10: request.version == .http1_0))
        // RFC 9110 §9.3.2: HEAD gets the header section only.
        if request.isHEAD { connection.close(); return }
        connection.write(Array(": connected\n\n".utf8))
        enterEventState()
        // Subscribed before the store is read, so nothing committed in between is missed.
        let stream = services.events.subscribe(connection)
        if let lastID = request.headers["Last-Event-ID"], !lastID.isEmpty {
            guard replay(after: lastID, into: stream) else { return }
        }
        scheduleHeartbeat(connection)
    }

    /// Sends the events of the messages stored after `lastID` (HTML, "Server-sent events":
    /// an EventSource reconnects with the last id it saw). Returns false when the replay filled
    /// a whole stream: it ends, so the client comes back with the last replayed id for the rest.
    /// An id that is not a ULID replays nothing.
    private func replay(after lastID: String, into stream: EventHub.EventStream) -> Bool {
        let rows: [(id: String, summary: [UInt8])]
        do {
            guard let found = try context.reader().summaries(after: lastID, limit: EventHub.replayLimit + 1) else {
                return true
            }
            rows = found
        } catch {
            // The live stream still works; the client can list with `since` to catch up.
            services.logger.warn("event replay failed", ["error": "\(error)"])
            return true
        }
        var bytes = 0
        for row in rows.prefix(EventHub.replayLimit) {
            let frame = EventHub.frame(event: "message.received", id: row.id, data: row.summary)
            stream.connection.write(frame)
            stream.replayed.insert(row.id)
            bytes += frame.count
            if bytes >= EventHub.replayBytes { return endReplay(stream) }
        }
        return rows.count > EventHub.replayLimit ? endReplay(stream) : true
    }

    /// Ends a stream whose replay is not finished, asking for a prompt reconnection.
    private func endReplay(_ stream: EventHub.EventStream) -> Bool {
        stream.connection.write(Array("retry: 200\n\n".utf8))
        stream.connection.close()
        return false
    }

    private func scheduleHeartbeat(_ connection: Connection) {
        heartbeat = connection.loop.schedule(after: EventHub.heartbeatMilliseconds) { [unowned self, unowned connection] in
            guard connection.isOpen else { return }
            connection.write(Array(": heartbeat\n\n".utf8))
            scheduleHeartbeat(connection)
        }
    }
}
