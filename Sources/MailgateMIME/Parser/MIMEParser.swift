/// The ingest-time MIME parser: pure, no I/O, no Foundation. It never fails: whatever cannot be
/// parsed is still reported as well as it can be (the message itself is never lost).
public enum MIMEParser {
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: MIMELimits = .init()) -> ParsedMessage {
        bytes.withMemoryRebound(to: UInt8.self) { parse($0, limits: limits) }
    }

    public static func parse(_ bytes: [UInt8], limits: MIMELimits = .init()) -> ParsedMessage {
        bytes.withBytes { parse($0, limits: limits) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, limits: MIMELimits) -> ParsedMessage {
        var fields = [HeaderField]()
        fields.reserveCapacity(32)
        let bodyStart = HeaderBlock.scan(b, 0..<b.count, maxFields: limits.maxHeaderCount, into: &fields)
        var message = ParsedMessage()
        HeaderSummary.fill(&message, b, fields[...], limits: limits, keepHeaders: true)
        var walker = PartWalker(b, limits: limits)
        walker.body(PartHeaders(b, fields[...]), bodyStart..<b.count, path: [], depth: 0, defaultType: "text/plain")
        message.text = walker.text
        message.html = walker.html
        message.attachments = walker.attachments
        return message
    }
}
