/// The opaque keyset cursor: the seq of the last message of a page, as "m" + 16 hex digits.
/// The next page is everything with a smaller seq (no OFFSET, so every page costs the same).
enum MessageCursor {
    static func encode(seq: Int64) -> String {
        let hex = String(UInt64(bitPattern: seq), radix: 16)
        return "m" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The seq in `cursor`; throws `.badCursor` for anything `encode` cannot have produced.
    static func decode(_ cursor: String) throws(StoreError) -> Int64 {
        let utf8 = Array(cursor.utf8)
        guard utf8.count == 17, utf8[0] == UInt8(ascii: "m") else { throw .badCursor }
        var value: UInt64 = 0
        for c in utf8.dropFirst() {
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c - UInt8(ascii: "a") + 10)
            default: throw .badCursor
            }
            value = value << 4 | digit
        }
        guard value > 0, value <= UInt64(Int64.max) else { throw .badCursor }
        return Int64(value)
    }
}
