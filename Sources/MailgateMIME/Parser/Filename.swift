/// Filenames made safe to hand to a browser or a file system.
enum Filename {
    /// The last path component (after "/" or "\"), without control characters (Unicode Cc) and
    /// without the bidirectional controls that can disguise an extension (U+200E, U+200F,
    /// U+202A-U+202E, U+2066-U+2069), trimmed, at most 255 UTF-8 octets; nil when nothing is left
    /// or only "." or "..".
    static func sanitised(_ name: String) -> String? {
        var scalars = String.UnicodeScalarView()
        var utf8Count = 0
        for s in name.unicodeScalars {
            let v = s.value
            if v == 0x2F || v == 0x5C {
                scalars.removeAll()
                utf8Count = 0
                continue
            }
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x200E || v == 0x200F
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { continue }
            scalars.append(s)
            utf8Count += UTF8.width(s)
        }
        var result = String(scalars)
        while let f = result.unicodeScalars.first, f.properties.isWhitespace { result.unicodeScalars.removeFirst() }
        while let l = result.unicodeScalars.last, l.properties.isWhitespace { result.unicodeScalars.removeLast() }
        if utf8Count > 255 {
            while result.utf8.count > 255 { result.removeLast() }
        }
        if result.isEmpty || result == "." || result == ".." { return nil }
        return result
    }
}
