import Glibc
import MailgateCore

public enum LogLevel: String, Sendable, Comparable {
    case debug, info, warn, error
    var rank: Int { switch self { case .debug: 0; case .info: 1; case .warn: 2; case .error: 3 } }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}

public enum LogFormat: Sendable { case text, json }

/// Structured logging to stderr: one event per line, as `key=value` text or as a JSON object
/// (time, level, msg, then the fields). Each line is written with a single write(2), so lines
/// from different threads never interleave.
public struct Logger: Sendable {
    public let level: LogLevel
    public let format: LogFormat

    public init(level: LogLevel = .info, format: LogFormat = .text) {
        self.level = level
        self.format = format
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, message, fields) }
    public func warn(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warn, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, message, fields) }

    public func log(_ eventLevel: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String>) {
        guard eventLevel >= level else { return }
        var line = render(eventLevel, message, fields, time: Timestamp.rfc3339(milliseconds: Clock.nowMilliseconds()))
        line.append(0x0A)
        line.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let n = write(2, base + offset, buffer.count - offset)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    func render(_ eventLevel: LogLevel, _ message: String, _ fields: KeyValuePairs<String, String>, time: String) -> [UInt8] {
        switch format {
        case .json:
            var w = JSONWriter(capacity: 128)
            w.beginObject()
            w.field("time", time)
            w.field("level", eventLevel.rawValue)
            w.field("msg", message)
            for (k, v) in fields { w.field(k, v) }
            w.endObject()
            return w.bytes
        case .text:
            var s = "\(time) \(eventLevel.rawValue.uppercased()) \(message)"
            for (k, v) in fields {
                let quoted = v.isEmpty || v.contains(" ") || v.contains("\"")
                s += " \(k)=" + (quoted ? "\"" + v.replacingOccurrences("\"", "'") + "\"" : v)
            }
            return Array(s.utf8)
        }
    }
}
