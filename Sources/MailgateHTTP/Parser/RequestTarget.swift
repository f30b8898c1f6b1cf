/// Splits a request-target (RFC 9112 §3.2) into a decoded path and query parameters.
enum RequestTarget {
    struct Parts {
        var path: String
        var query: [(name: String, value: String)]
    }

    /// `range` holds the target bytes, already checked to be VCHAR. Returns nil for a target form
    /// we do not serve, an invalid percent-escape, `%00`, or a decoding that is not UTF-8 (→ 400).
    static func parse(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>, method: String) -> Parts? {
        guard !range.isEmpty else { return nil }
        var start = range.lowerBound
        let end = range.upperBound
        if buffer[start] != UInt8(ascii: "/") {
            // asterisk-form, only for OPTIONS (RFC 9112 §3.2.4).
            if range.count == 1, buffer[start] == UInt8(ascii: "*") {
                return method == "OPTIONS" ? Parts(path: "*", query: []) : nil
            }
            // absolute-form: a server MUST accept it (RFC 9112 §3.2.2); the authority is ignored
            // in favour of Host (we serve a single origin).
            guard let afterAuthority = absoluteFormPathStart(buffer, range) else { return nil }
            start = afterAuthority
        }
        var queryStart = end
        var i = start
        while i < end {
            let c = buffer[i]
            if c == UInt8(ascii: "?") { queryStart = i; break }
            if c == UInt8(ascii: "#") { return nil }  // a fragment is not part of a request-target
            i += 1
        }
        let path: String
        if start == queryStart {
            path = "/"  // absolute-form with an empty path (RFC 9112 §3.2.2)
        } else {
            guard let decoded = PercentDecoding.decode(buffer, start..<queryStart, plusAsSpace: false) else { return nil }
            path = decoded
        }
        var query: [(name: String, value: String)] = []
        if queryStart < end {
            guard let items = parseQuery(buffer, (queryStart + 1)..<end) else { return nil }
            query = items
        }
        return Parts(path: path, query: query)
    }

    /// `http://authority/path` or `https://...`: returns the offset of the path (or of `?`, or end).
    private static func absoluteFormPathStart(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        let view = UnsafeRawBufferPointer(rebasing: buffer[range])
        let prefix: Int
        if view.count >= 7, HTTPSyntax.equalsLowercase(UnsafeRawBufferPointer(rebasing: view[0..<7]), "http://") {
            prefix = 7
        } else if view.count >= 8, HTTPSyntax.equalsLowercase(UnsafeRawBufferPointer(rebasing: view[0..<8]), "https://") {
            prefix = 8
        } else {
            return nil
        }
        var i = range.lowerBound + prefix
        guard i < range.upperBound else { return nil }  // empty authority
        while i < range.upperBound {
            let c = buffer[i]
            if c == UInt8(ascii: "/") || c == UInt8(ascii: "?") { break }
            if c == UInt8(ascii: "#") { return nil }
            i += 1
        }
        return i == range.lowerBound + prefix ? nil : i
    }

    /// `application/x-www-form-urlencoded`-style query: `&`-separated `name=value` pairs, `+` as
    /// space; empty pairs are skipped and a pair without `=` has the empty value.
    private static func parseQuery(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> [(name: String, value: String)]? {
        var items: [(name: String, value: String)] = []
        var pairStart = range.lowerBound
        var i = range.lowerBound
        while i <= range.upperBound {
            if i == range.upperBound || buffer[i] == UInt8(ascii: "&") {
                if pairStart < i {
                    var equals = i
                    for j in pairStart..<i where buffer[j] == UInt8(ascii: "=") { equals = j; break }
                    guard let name = PercentDecoding.decode(buffer, pairStart..<equals, plusAsSpace: true) else { return nil }
                    var value = ""
                    if equals < i {
                        guard let v = PercentDecoding.decode(buffer, (equals + 1)..<i, plusAsSpace: true) else { return nil }
                        value = v
                    }
                    items.append((name: name, value: value))
                }
                pairStart = i + 1
            }
            i += 1
        }
        return items
    }
}
