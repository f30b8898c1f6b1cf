/// A MIME charset (RFC 2046 §4.1.2) reduced to how it is decoded. Labels are matched the way the
/// WHATWG Encoding Standard does for the web: a common label maps to the superset real mailers
/// mean by it (Shift_JIS → CP932, EUC-KR → CP949, GB2312/GBK → GB18030, ISO-8859-1 and US-ASCII
/// with 8-bit bytes → Windows-1252), so text that is "mislabelled but usual" still decodes.
enum Charset: Equatable, Hashable {
    case utf8
    case ascii
    case windows1252
    /// Anything else, by the glibc iconv name to open.
    case iconv(String)

    /// Maps a charset label (any case, maybe quoted, maybe with an RFC 2231 language suffix) to a
    /// decoder; nil for a label that is empty or not a plausible charset name.
    static func named(_ label: UnsafeBufferPointer<UInt8>) -> Charset? {
        var name = [UInt8]()
        name.reserveCapacity(label.count)
        for c in label {
            if c == ASCII.quote || ASCII.isSpace(c) { continue }
            if c == UInt8(ascii: "*") { break }  // RFC 2231 §5: charset*language
            // Only letters, digits and . _ : - reach iconv_open (its names never need more).
            let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
            guard ok, name.count < 40 else { return nil }
            name.append(ASCII.lower(c))
        }
        guard !name.isEmpty else { return nil }
        let key = String(decoding: name, as: UTF8.self)
        if let known = aliases[key] { return known }
        return .iconv(key.uppercased())
    }

    static func named(_ label: String) -> Charset? {
        var label = label
        return label.withUTF8 { named($0) }
    }

    /// Whether ASCII bytes stand for themselves, so pure-ASCII input needs no conversion.
    var isASCIICompatible: Bool {
        switch self {
        case .utf8, .ascii, .windows1252: return true
        case .iconv(let name): return Charset.asciiCompatible.contains(name)
        }
    }

    /// The iconv names of the table below that are ASCII supersets (not the ISO-2022 family).
    private static let asciiCompatible: Set<String> = {
        var names = Set<String>()
        for case .iconv(let name) in aliases.values where !name.hasPrefix("ISO-2022") { names.insert(name) }
        return names
    }()

    private static let aliases: [String: Charset] = {
        var table: [String: Charset] = [:]
        for l in ["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"] { table[l] = .utf8 }
        for l in ["us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "iso-ir-6", "cp367", "csascii"] { table[l] = .ascii }
        for l in ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819", "ibm819", "iso-ir-100",
                  "windows-1252", "cp1252", "x-cp1252", "csisolatin1", "iso88591", "iso_8859-1:1987"] { table[l] = .windows1252 }
        for l in ["shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932", "ms932", "x-ms-cp932"] {
            table[l] = .iconv("CP932")
        }
        for l in ["euc-kr", "euckr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "cp949", "uhc", "windows-949", "csksc56011987", "korean"] {
            table[l] = .iconv("CP949")
        }
        for l in ["gb2312", "gbk", "cp936", "x-gbk", "euc-cn", "csgb2312", "gb_2312-80", "gb_2312", "chinese", "gb18030", "ms936", "windows-936"] {
            table[l] = .iconv("GB18030")
        }
        for l in ["big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "cp950"] { table[l] = .iconv("BIG5") }
        for l in ["big5-hkscs", "big5hkscs"] { table[l] = .iconv("BIG5-HKSCS") }
        // ISO-2022-JP-2 is a superset of ISO-2022-JP (RFC 1468, RFC 1554) and also accepts the
        // JIS X 0201 katakana escape that real mailers emit.
        for l in ["iso-2022-jp", "csiso2022jp", "iso2022jp", "iso-2022-jp-2", "iso-2022-jp-1"] { table[l] = .iconv("ISO-2022-JP-2") }
        for l in ["euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese"] { table[l] = .iconv("EUC-JP") }
        for l in ["koi8-r", "koi8r", "koi8", "cskoi8r"] { table[l] = .iconv("KOI8-R") }
        for l in ["koi8-u", "koi8u", "koi8-ru"] { table[l] = .iconv("KOI8-U") }
        for n in 2...16 where n != 12 {
            for l in ["iso-8859-\(n)", "iso8859-\(n)", "iso_8859-\(n)", "iso8859\(n)"] { table[l] = .iconv("ISO-8859-\(n)") }
        }
        for n in 0...8 {
            for l in ["windows-125\(n)", "cp125\(n)", "x-cp125\(n)"] where n != 2 { table[l] = .iconv("WINDOWS-125\(n)") }
        }
        return table
    }()
}
