import Glibc
import Synchronization

/// glibc iconv converters to UTF-8, opened once per charset and reused. An `iconv_t` carries
/// conversion state and is not thread-safe, so a converter is taken out of the pool for one
/// conversion and put back afterwards; parallel loop threads simply get different converters.
final class IconvPool: Sendable {
    static let shared = IconvPool()

    /// An open converter (owned by whoever took it from the pool).
    private struct Handle: @unchecked Sendable { let cd: iconv_t }

    private struct State {
        var idle: [String: [Handle]] = [:]
        /// Names iconv_open rejected, so a bad label costs one failed open, not one per message.
        var unknown: Set<String> = []
    }

    private let state = Mutex(State())
    /// Bounds that keep attacker-chosen labels from growing the pool without limit.
    private let maxNames = 64, maxIdlePerName = 8, maxUnknown = 256

    /// Appends the UTF-8 conversion of `bytes` from charset `name`; false when the charset is
    /// unknown to iconv (nothing appended). Invalid sequences become U+FFFD, one per skipped byte;
    /// a truncated final sequence becomes one U+FFFD.
    func convert(_ bytes: UnsafeBufferPointer<UInt8>, from name: String, to out: inout [UInt8]) -> Bool {
        guard let handle = take(name) else { return false }
        defer { give(handle, name) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: base).assumingMemoryBound(to: CChar.self)
        var inLeft = bytes.count
        var chunk = [UInt8](repeating: 0, count: max(64, min(bytes.count * 3 + 16, 65536)))
        chunk.withUnsafeMutableBufferPointer { chunkBuf in
            guard let chunkBase = chunkBuf.baseAddress else { return }
            let chunkStart = UnsafeMutableRawPointer(chunkBase).assumingMemoryBound(to: CChar.self)
            while true {
                var outPtr: UnsafeMutablePointer<CChar>? = chunkStart
                var outLeft = chunkBuf.count
                let done = inLeft == 0
                // A final call with a nil input flushes the state (e.g. ISO-2022 back to ASCII).
                let rc = done ? iconv(handle.cd, nil, nil, &outPtr, &outLeft) : iconv(handle.cd, &inPtr, &inLeft, &outPtr, &outLeft)
                let produced = chunkBuf.count - outLeft
                out.append(contentsOf: UnsafeBufferPointer(start: chunkBase, count: produced))
                if rc != -1 {
                    if done { return }
                    continue
                }
                switch errno {
                case E2BIG:
                    continue
                case EILSEQ:
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                default:  // EINVAL: an incomplete sequence at the end of the input
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inLeft = 0
                    if done { return }
                }
            }
        }
        return true
    }

    private func take(_ name: String) -> Handle? {
        let cached: Handle?? = state.withLock { s in
            if s.unknown.contains(name) { return .some(nil) }
            if var list = s.idle[name], let h = list.popLast() {
                s.idle[name] = list
                return .some(h)
            }
            return nil
        }
        if let cached {
            guard let h = cached else { return nil }
            // Back to the initial shift state before reuse.
            _ = iconv(h.cd, nil, nil, nil, nil)
            return h
        }
        let cd = iconv_open("UTF-8", name)
        if let cd, Int(bitPattern: cd) != -1 { return Handle(cd: cd) }
        state.withLock { s in if s.unknown.count < maxUnknown { s.unknown.insert(name) } }
        return nil
    }

    private func give(_ handle: Handle, _ name: String) {
        let kept = state.withLock { s -> Bool in
            if s.idle[name] == nil && s.idle.count >= maxNames { return false }
            var list = s.idle[name] ?? []
            guard list.count < maxIdlePerName else { return false }
            list.append(handle)
            s.idle[name] = list
            return true
        }
        if !kept { iconv_close(handle.cd) }
    }
}
