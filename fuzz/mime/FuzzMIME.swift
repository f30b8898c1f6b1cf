import MailgateCore
import MailgateMIME

/// libFuzzer entry point: parse any bytes, render both JSON forms and decode every attachment
/// range back, the whole ingest and serving path of MailgateMIME. Any trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let parsed = MIMEParser.parse(input, limits: MIMELimits(maxDepth: 32, maxParts: 200))
    let envelope = Envelope(mailFrom: "a@x.test", rcptTo: ["b@y.test"])
    _ = MessageRendering.messageJSON(parsed, id: "fuzz", receivedAt: 0, envelope: envelope, size: size, baseURL: "")
    _ = MessageRendering.summaryJSON(parsed, id: "fuzz", receivedAt: 0, envelope: envelope, size: size)
    _ = MessageRendering.searchText(parsed)
    for a in parsed.attachments {
        precondition(a.offset >= 0 && a.length >= 0 && a.offset + a.length <= size, "attachment range outside the input")
        let decoded = TransferDecoding.decode(UnsafeRawBufferPointer(rebasing: input[a.offset..<a.offset + a.length]),
                                              transferEncoding: a.transferEncoding)
        precondition(decoded.count == a.size, "served size differs from the listed size")
    }
    return 0
}
