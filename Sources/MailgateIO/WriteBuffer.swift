/// Output the kernel has not taken yet. Empty until a write comes up short, and released as
/// soon as it drains, so idle connections hold no output memory.
struct WriteBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var readIndex = 0

    var count: Int { bytes.count - readIndex }
    var isEmpty: Bool { readIndex == bytes.count }

    /// Keeps `array[offset...]` without copying it (a large body written whole).
    mutating func adopt(_ array: [UInt8], from offset: Int) {
        bytes = array
        readIndex = offset
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        compactIfUseful()
        bytes.append(contentsOf: chunk)
    }

    mutating func append(_ array: [UInt8]) {
        compactIfUseful()
        bytes.append(contentsOf: array)
    }

    mutating func consume(_ n: Int) {
        readIndex += n
        if readIndex >= bytes.count { self = WriteBuffer() }
    }

    func withReadableBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[readIndex...])) }
    }

    /// Drops the written prefix once it is at least half of the storage: each byte moves at most
    /// a constant number of times, however the writes and flushes interleave.
    private mutating func compactIfUseful() {
        if readIndex > 0 && readIndex * 2 >= bytes.count {
            bytes.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
