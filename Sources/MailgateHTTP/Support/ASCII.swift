/// Number formatting straight into a byte buffer, without an intermediate String.
enum ASCII {
    private static let hexDigits: StaticString = "0123456789abcdef"

    static func decimalCount(_ value: Int) -> Int {
        var v = value.magnitude, n = value < 0 ? 2 : 1
        while v >= 10 { v /= 10; n += 1 }
        return n
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var divisor: UInt = 1
        while v / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / divisor))
            v %= divisor
            divisor /= 10
        }
    }

    /// Lower-case hex without leading zeros (chunk sizes).
    static func appendHex(_ value: Int, to out: inout [UInt8]) {
        let v = UInt(bitPattern: value)
        var shift = (UInt.bitWidth - 4)
        while shift > 0, (v >> UInt(shift)) & 0xF == 0 { shift -= 4 }
        while shift >= 0 {
            out.append(hexDigits.utf8Start[Int((v >> UInt(shift)) & 0xF)])
            shift -= 4
        }
    }
}
