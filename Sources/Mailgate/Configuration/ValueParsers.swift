/// Parsers for the value forms settings take. Each returns nil on bad input; the caller turns
/// that into a ConfigurationError naming the setting.
enum ValueParsers {
    /// `30d`, `12h`, `5m`, `10s`, `250ms`, or `0`, to milliseconds. A bare number means seconds.
    static func duration(_ text: String) -> Int64? {
        let s = text.trimmingSpaces().lowercased()
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            // "ms" must win over "s": it is tried first; "5m" does not end in "ms".
            guard let n = Int64(s.dropLast(suffix.count)), n >= 0 else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        guard let n = Int64(s), n >= 0 else { return nil }
        return n * 1000
    }

    /// Octets: `26214400`, `25M`, `25MiB`, `512K`, `1G`.
    static func size(_ text: String) -> Int? {
        var s = text.trimmingSpaces().uppercased()
        if s.hasSuffix("IB") { s.removeLast(2) } else if s.hasSuffix("B") { s.removeLast() }
        var factor = 1
        if let last = s.last, let f = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][String(last)] {
            factor = f
            s.removeLast()
        }
        guard let n = Int(s), n >= 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    static func count(_ text: String, min: Int = 0, max: Int = Int.max) -> Int? {
        guard let n = Int(text.trimmingSpaces()), n >= min, n <= max else { return nil }
        return n
    }

    /// `host:port`, `[v6]:port` or `:port` (all interfaces); the port 0...65535.
    static func address(_ text: String) -> (host: String, port: Int)? {
        let s = text.trimmingSpaces()
        guard let colon = s.lastIndex(of: ":") else { return nil }
        var host = String(s[..<colon])
        guard let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            return nil
        }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Comma-separated, trimmed, empty items dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[start...end])
    }
}
