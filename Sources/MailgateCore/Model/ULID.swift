/// ULIDs: 48-bit millisecond time + 80 random bits, 26 characters of Crockford base32.
/// They sort by time as strings, which keyset pagination and the queue ids rely on.
public enum ULID {
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new ULID for the given time (milliseconds since the epoch).
    public static func make(milliseconds: Int64 = Clock.nowMilliseconds()) -> String {
        encode(milliseconds: milliseconds, random: Digest.randomBytes(10))
    }

    /// Encodes a time and 10 random bytes (all zero: the lowest ULID of that millisecond).
    public static func encode(milliseconds: Int64, random: [UInt8]) -> String {
        precondition(random.count == 10)
        var out = [UInt8](repeating: 0, count: 26)
        var time = UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF
        for i in stride(from: 9, through: 0, by: -1) {
            out[i] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 bits of randomness -> 16 characters of 5 bits.
        var bitBuffer: UInt32 = 0
        var bits = 0
        var index = 10
        for byte in random {
            bitBuffer = (bitBuffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out[index] = alphabet[Int((bitBuffer >> UInt32(bits)) & 31)]
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The time of a ULID (milliseconds since the epoch), nil when `s` is not a ULID.
    public static func milliseconds(of s: String) -> Int64? {
        guard isValid(s) else { return nil }
        var time: Int64 = 0
        for byte in s.utf8.prefix(10) {
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            time = time << 5 | Int64(digit)
        }
        // 10 characters hold 50 bits; a ULID's time is 48 (the first character is at most 7).
        return time <= 0xFFFF_FFFF_FFFF ? time : nil
    }

    /// Whether `s` has the shape of a ULID (26 Crockford base32 characters).
    public static func isValid(_ s: String) -> Bool {
        let u = s.utf8
        return u.count == 26 && u.allSatisfy { alphabet.contains($0) }
    }
}
