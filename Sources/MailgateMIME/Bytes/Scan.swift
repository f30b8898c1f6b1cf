import Glibc

/// Byte searches over the input, with memchr doing the per-byte work.
enum Scan {
    /// The index of the first `byte` in `b[from..<to]`, or nil.
    @inline(__always)
    static func index(of byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = b.baseAddress else { return nil }
        guard let p = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(p) - UnsafeRawPointer(base)
    }

    /// The end of the line starting at `from` (index of its LF, or `to`) and where the next line starts.
    @inline(__always)
    static func line(in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> (contentEnd: Int, next: Int) {
        guard let lf = index(of: ASCII.lf, in: b, from: from, to: to) else { return (to, to) }
        let contentEnd = lf > from && b[lf - 1] == ASCII.cr ? lf - 1 : lf
        return (contentEnd, lf + 1)
    }
}
