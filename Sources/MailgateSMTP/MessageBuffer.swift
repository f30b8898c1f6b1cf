/// The bytes of the message being received: trace headers first, then the content as it
/// arrives. It enforces the size limit while reading and drops everything once the message is
/// refused, so memory stays bounded whatever the client sends.
struct MessageBuffer {
    private(set) var bytes: [UInt8] = []
    /// Content octets seen so far, counted on even after a rejection (for the log).
    private(set) var contentSize = 0
    /// The first reason to refuse the message; later problems do not replace it.
    private(set) var rejection: ContentRejection?
    private var limit = 0

    // Header-section scan for the mail-loop check (RFC 5321 §6.3).
    private(set) var inHeaderSection = false
    private var lineStart = 0
    private var scanOffset = 0
    private(set) var receivedCount = 0
    private var maxReceived = 0

    /// Starts a message: reserves `capacity` octets and lets `writeTrace` put the trace headers
    /// first, so nothing is ever copied to prepend them.
    mutating func begin(capacity: Int, limit: Int, maxReceived: Int, writeTrace: (inout [UInt8]) -> Void) {
        bytes = []
        bytes.reserveCapacity(capacity)
        writeTrace(&bytes)
        contentSize = 0
        rejection = nil
        self.limit = limit
        self.maxReceived = maxReceived
        inHeaderSection = true
        lineStart = bytes.count
        scanOffset = bytes.count
        receivedCount = 0
    }

    /// Hands the finished bytes over without copying.
    mutating func take() -> [UInt8] {
        let out = bytes
        bytes = []
        return out
    }

    mutating func discard() {
        bytes = []
        inHeaderSection = false
    }

    mutating func reject(_ reason: ContentRejection) {
        if rejection == nil { rejection = reason }
        discard()
    }

    @inline(__always)
    mutating func append(_ start: UnsafePointer<UInt8>, count: Int) {
        contentSize += count
        guard rejection == nil else { return }
        guard contentSize <= limit else { return reject(.tooBig) }
        bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        contentSize += 1
        guard rejection == nil else { return }
        guard contentSize <= limit else { return reject(.tooBig) }
        bytes.append(byte)
    }

    @inline(__always)
    mutating func appendCRLF() {
        contentSize += 2
        guard rejection == nil else { return }
        guard contentSize <= limit else { return reject(.tooBig) }
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
    }

    /// Counts `Received:` fields among the complete header lines appended since the last call;
    /// the header section ends at the first empty line (RFC 5322 §2.1). Folded continuation
    /// lines start with white space, so they never match.
    mutating func scanHeaders() {
        guard inHeaderSection, rejection == nil else { return }
        var start = lineStart
        var offset = scanOffset
        var count = receivedCount
        var stillInHeaders = true
        bytes.withUnsafeBufferPointer { b in
            while offset < b.count {
                if b[offset] == ASCII.lf {
                    let length = offset - start
                    if length == 0 || (length == 1 && b[start] == ASCII.cr) {
                        stillInHeaders = false
                        offset += 1
                        break
                    }
                    if ASCII.hasPrefixIgnoringCase(UnsafeBufferPointer(rebasing: b[start..<offset]), "received:") {
                        count += 1
                    }
                    start = offset + 1
                }
                offset += 1
            }
        }
        lineStart = start
        scanOffset = offset
        receivedCount = count
        inHeaderSection = stillInHeaders
        if count > maxReceived { reject(.mailLoop) }
    }
}
