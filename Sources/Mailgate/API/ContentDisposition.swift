/// `Content-Disposition` for a download (RFC 6266 §4.1): an ASCII `filename` fallback with
/// anything risky replaced, plus `filename*` (RFC 8187) carrying the exact UTF-8 name.
enum ContentDisposition {
    static func value(_ disposition: String, filename: String?) -> String {
        let type = disposition == "inline" ? "inline" : "attachment"
        guard let name = filename, !name.isEmpty else { return type }
        var fallback = ""
        for scalar in name.unicodeScalars {
            let v = scalar.value
            // Printable ASCII except the quote, backslash, percent and path separators.
            if v >= 0x20 && v < 0x7F && !"\"\\%/;".unicodeScalars.contains(scalar) {
                fallback.unicodeScalars.append(scalar)
            } else {
                fallback += "_"
            }
        }
        return "\(type); filename=\"\(fallback)\"; filename*=UTF-8''\(percentEncoded(name))"
    }

    /// RFC 8187 §3.2.1 value-chars: attr-char stays, every other octet is %XX.
    static func percentEncoded(_ s: String) -> String {
        let attrChars = Set("!#$&+-.^_`|~".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            let alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if alnum || attrChars.contains(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
