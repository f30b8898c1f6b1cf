/// Parses delays such as `5s`, `250ms`, `30m`, `2h`, `1d` (for MAILGATE_WEBHOOK_RETRY_SCHEDULE
/// and MAILGATE_WEBHOOK_TIMEOUT) into milliseconds.
public enum DelayParser {
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The longest delay accepted: 30 days.
    public static let maximumMilliseconds: Int64 = 30 * 86_400_000

    static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// `5s` → 5000. A number needs a unit.
    public static func milliseconds(_ text: String) throws(Error) -> Int64 {
        let t = text.trimmingSpaces
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        let unit = t.dropFirst(digits.count)
        guard !digits.isEmpty else {
            throw Error(message: t.isEmpty ? "empty delay" : "'\(t)' does not start with a number")
        }
        guard !unit.isEmpty else { throw Error(message: "'\(t)' needs a unit (ms, s, m, h or d)") }
        guard let scale = units.first(where: { $0.suffix == unit })?.milliseconds else {
            throw Error(message: "'\(t)' has an unknown unit '\(unit)' (use ms, s, m, h or d)")
        }
        guard digits.count <= 10, let n = Int64(digits), n * scale <= maximumMilliseconds else {
            throw Error(message: "'\(t)' is longer than 30 days")
        }
        return n * scale
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
