import MailgateCore

/// Walks the entity tree of a message (RFC 2045-2049): multiparts are split and descended into
/// up to `maxDepth`; every leaf either becomes the text or html body or is listed as an
/// attachment. Attached messages (message/rfc822) are leaves whose headers are summarised.
struct PartWalker {
    let b: UnsafeBufferPointer<UInt8>
    let limits: MIMELimits
    var text: String? = nil
    var html: String? = nil
    var attachments: [ParsedAttachment] = []
    private var partCount = 0
    private var fields: [HeaderField] = []

    init(_ b: UnsafeBufferPointer<UInt8>, limits: MIMELimits) {
        self.b = b
        self.limits = limits
    }

    /// A body part: its own header section, then its body.
    mutating func entity(_ range: Range<Int>, path: [Int], depth: Int, defaultType: String) {
        fields.removeAll(keepingCapacity: true)
        let bodyStart = HeaderBlock.scan(b, range, maxFields: 100, into: &fields)
        body(PartHeaders(b, fields[...]), bodyStart..<range.upperBound, path: path, depth: depth, defaultType: defaultType)
    }

    mutating func body(_ headers: PartHeaders, _ range: Range<Int>, path: [Int], depth: Int, defaultType: String) {
        partCount += 1
        guard partCount <= limits.maxParts else { return }
        let type = headers.mediaType(default: defaultType)
        guard type.hasPrefix("multipart/") else { return leaf(headers, range, path: path, type: type) }
        if depth >= limits.maxDepth {
            // Too deep: kept whole as one opaque part, never descended into.
            return attach(headers, range, path: path, type: type, encoding: .identity, transferEncoding: "7bit")
        }
        let boundary = headers.contentType?.rawParameter("boundary") ?? []
        let parts = Multipart.parts(b, range, boundary: boundary, limit: limits.maxParts)
        if parts.isEmpty {
            // No boundary or no delimiter: the body is shown as plain text rather than lost.
            return leaf(headers, range, path: path, type: "text/plain")
        }
        let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
        for (k, part) in parts.enumerated() {
            guard partCount < limits.maxParts else { break }
            entity(part, path: path + [k + 1], depth: depth + 1, defaultType: childDefault)
        }
    }

    private mutating func leaf(_ headers: PartHeaders, _ range: Range<Int>, path: [Int], type: String) {
        let isAttachment = headers.dispositionType.map { $0 != "inline" } ?? false
        let encoding = TransferDecoding.Encoding(headers.transferEncoding)
        if !isAttachment, type == "text/plain" || type == "text/html" {
            if type == "text/plain", text == nil { text = bodyText(headers, range, encoding); return }
            if type == "text/html", html == nil { html = bodyText(headers, range, encoding); return }
        }
        attach(headers, range, path: path, type: type, encoding: encoding, transferEncoding: headers.transferEncoding)
    }

    private mutating func attach(_ headers: PartHeaders, _ range: Range<Int>, path: [Int], type: String,
                                 encoding: TransferDecoding.Encoding, transferEncoding: String) {
        let encoded = UnsafeBufferPointer(rebasing: b[range])
        var size = encoded.count
        var digest: [UInt8]
        var embedded: EmbeddedMessage? = nil
        let isMessage = type == "message/rfc822" || type == "message/global"
        if case .identity = encoding {
            digest = Digest.sha256(UnsafeRawBufferPointer(encoded))
            if isMessage { embedded = Self.summary(encoded, limits) }
        } else {
            let decoded = TransferDecoding.decode(encoded, encoding)
            size = decoded.count
            digest = Digest.sha256(decoded)
            if isMessage { embedded = decoded.withBytes { Self.summary($0, limits) } }
        }
        // RFC 2183: an explicit disposition wins; without one, a part with a Content-ID is
        // referenced from the HTML (inline) and anything else is an attachment.
        let disposition: String
        switch headers.dispositionType {
        case "inline"?: disposition = "inline"
        case .some: disposition = "attachment"
        case nil: disposition = headers.contentID == nil ? "attachment" : "inline"
        }
        attachments.append(ParsedAttachment(
            id: path.isEmpty ? "1" : path.map(String.init).joined(separator: "."),
            filename: headers.filename, contentType: type, size: size, disposition: disposition,
            contentID: headers.contentID, sha256: Digest.hex(digest), offset: range.lowerBound, length: range.count,
            transferEncoding: transferEncoding, embedded: embedded))
    }

    /// A text body: transfer-decoded, converted to UTF-8 from its charset, CRLF → LF.
    private func bodyText(_ headers: PartHeaders, _ range: Range<Int>, _ encoding: TransferDecoding.Encoding) -> String {
        let encoded = UnsafeBufferPointer(rebasing: b[range])
        var utf8 = [UInt8]()
        utf8.reserveCapacity(encoded.count)
        if case .identity = encoding {
            CharsetDecoding.append(encoded, charset: headers.charset, to: &utf8)
        } else {
            let decoded = TransferDecoding.decode(encoded, encoding)
            decoded.withBytes { CharsetDecoding.append($0, charset: headers.charset, to: &utf8) }
        }
        return LineBreaks.normalised(&utf8)
    }

    /// The header summary of an attached message.
    static func summary(_ inner: UnsafeBufferPointer<UInt8>, _ limits: MIMELimits) -> EmbeddedMessage {
        var fields = [HeaderField]()
        _ = HeaderBlock.scan(inner, 0..<inner.count, maxFields: limits.maxHeaderCount, into: &fields)
        var m = ParsedMessage()
        HeaderSummary.fill(&m, inner, fields[...], limits: limits, keepHeaders: false)
        return EmbeddedMessage(subject: m.subject, from: m.from, to: m.to, date: m.date, messageID: m.messageID)
    }
}

enum LineBreaks {
    /// The text with every CRLF turned into LF (in place), as a String.
    static func normalised(_ utf8: inout [UInt8]) -> String {
        let n = utf8.count
        let kept = utf8.withUnsafeMutableBufferPointer { u -> Int in
            guard let first = u.firstIndex(of: ASCII.cr) else { return n }
            var w = first
            for r in first..<n {
                let c = u[r]
                if c == ASCII.cr, r + 1 < n, u[r + 1] == ASCII.lf { continue }
                u[w] = c
                w += 1
            }
            return w
        }
        if kept < n { utf8.removeLast(n - kept) }
        return String(decoding: utf8, as: UTF8.self)
    }
}
