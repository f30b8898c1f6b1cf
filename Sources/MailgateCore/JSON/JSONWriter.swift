/// A small, fast JSON writer that appends UTF-8 to a byte buffer (RFC 8259).
/// It does no reflection and allocates only as the buffer grows; the API, the webhook
/// payloads and the ingest-time renderings all use it.
public struct JSONWriter {
    public var bytes: [UInt8]
    /// Whether the next value in the current container needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// Writes `"key":`; the value call that follows must not add a comma.
    public mutating func key(_ k: String) {
        separate()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ s: String) { separate(); writeString(s) }
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func int<I: BinaryInteger>(_ v: I) { separate(); bytes.append(contentsOf: String(v).utf8) }
    public mutating func bool(_ v: Bool) { separate(); bytes.append(contentsOf: (v ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
    public mutating func double(_ v: Double) {
        separate()
        if v.isFinite { bytes.append(contentsOf: String(v).utf8) } else { bytes.append(contentsOf: "null".utf8) }
    }
    /// Appends an already-rendered JSON value verbatim (for blobs rendered at ingest).
    public mutating func raw<C: Collection>(_ json: C) where C.Element == UInt8 {
        separate()
        bytes.append(contentsOf: json)
    }

    // Convenience members: `"key": value`.
    public mutating func field(_ k: String, _ v: String?) { key(k); string(v) }
    public mutating func field<I: BinaryInteger>(_ k: String, _ v: I) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }
    public mutating func field(_ k: String, strings: [String]) {
        key(k); beginArray(); for s in strings { string(s) }; endArray()
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Escapes per RFC 8259 §7: quote, backslash and control characters; everything else is
    /// copied as UTF-8 (Swift strings are valid Unicode, so the output is valid UTF-8).
    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                start = i + 1
                // Byte by byte: an array literal here was an allocation per escape (a line
                // break in a body is one).
                bytes.append(0x5C)
                switch c {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(c)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    bytes.append(UInt8(ascii: "u")); bytes.append(0x30); bytes.append(0x30)
                    bytes.append(Self.hex[Int(c >> 4)]); bytes.append(Self.hex[Int(c & 15)])
                }
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
