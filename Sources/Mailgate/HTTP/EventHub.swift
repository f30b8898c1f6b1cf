import MailgateCore
import MailgateHTTP
import MailgateIO
import Synchronization

/// Server-Sent Events fan-out for `GET /api/v1/events`. Subscribers live on their loops; a
/// publication is handed to each loop that has subscribers with one `execute`.
final class EventHub: Sendable {
    private let subscribers = Mutex<[UInt64: (loop: EventLoop, connection: LoopBound<Connection>)]>([:])
    static let heartbeatMilliseconds = 15_000
    /// A subscriber that stops reading is dropped rather than buffered without bound.
    static let maxPendingBytes = 1 << 20

    func subscribe(_ connection: Connection) {
        subscribers.withLock { $0[connection.id] = (connection.loop, LoopBound(connection)) }
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
        broadcast(Self.frame(event: event, data: data))
    }

    static func frame(event: String, data: [UInt8]) -> [UInt8] {
        var frame = Array("event: \(event)\n".utf8)
        if let id = eventID(data) { frame.append(contentsOf: "id: \(id)\n".utf8) }
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

    private func broadcast(_ frame: [UInt8]) {
        let byLoop = subscribers.withLock { map -> [Int: (EventLoop, [Connection])] in
            var groups: [Int: (EventLoop, [Connection])] = [:]
            for (_, entry) in map { groups[entry.loop.index, default: (entry.loop, [])].1.append(entry.connection.value) }
            return groups
        }
        for (_, (loop, connections)) in byLoop {
            let connections = LoopBound(connections)
            _ = loop.execute {
                for c in connections.value {
                    guard c.isOpen else { continue }
                    if c.pendingWriteCount > Self.maxPendingBytes { c.abort(); continue }
                    c.write(frame)
                }
            }
        }
    }

    /// Shutdown: end every stream cleanly (FIN after what was written).
    func closeAll() {
        let all = subscribers.withLock { map in map.values.map { ($0.loop, $0.connection) } }
        for (loop, connection) in all {
            _ = loop.execute { connection.value.close() }
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
        services.events.subscribe(connection)
        scheduleHeartbeat(connection)
    }

    private func scheduleHeartbeat(_ connection: Connection) {
        heartbeat = connection.loop.schedule(after: EventHub.heartbeatMilliseconds) { [unowned self, unowned connection] in
            guard connection.isOpen else { return }
            connection.write(Array(": heartbeat\n\n".utf8))
            scheduleHeartbeat(connection)
        }
    }
}
