/// Address lists (RFC 5322 §3.4 with the obsolete forms of §4.4): mailboxes with or without
/// display names, quoted strings, comments, groups (flattened: their members are listed), and
/// source routes (`<@a,@b:user@host>`, the route is dropped).
enum AddressList {
    /// Parses an unfolded header value (valid UTF-8) into its mailboxes, at most `limit`.
    static func parse(_ bytes: [UInt8], limit: Int = 1000) -> [MailAddress] {
        bytes.withBytes { parse($0, limit: limit) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, limit: Int = 1000) -> [MailAddress] {
        let tokens = StructuredTokens.tokenize(b)
        var result = [MailAddress]()
        var phrase = [StructuredToken]()
        var comment: Range<Int>? = nil  // the first comment of the current mailbox
        var done = false  // the current mailbox was an angle-addr; skip junk up to the next ","
        var inGroup = false
        var i = 0

        func finish() {
            defer { phrase.removeAll(keepingCapacity: true); comment = nil; done = false }
            guard !done, !phrase.isEmpty, result.count < limit else { return }
            // A bare addr-spec; an old "addr (Name)" comment serves as the display name.
            let address = addrSpec(b, phrase[...])
            guard !address.isEmpty else { return }
            result.append(MailAddress(name: comment.map { displayName(b, comment: $0) } ?? "", address: address))
        }

        while i < tokens.count {
            let t = tokens[i]
            switch t.kind {
            case .special(ASCII.lt):
                var j = i + 1
                while j < tokens.count, tokens[j].kind != .special(ASCII.gt) { j += 1 }
                var inner = tokens[(i + 1)..<j]
                // obs-route (§4.4): "@a,@b:" before the addr-spec.
                if inner.first?.kind == .special(ASCII.at), let colon = inner.lastIndex(where: { $0.kind == .special(ASCII.colon) }) {
                    inner = inner[(colon + 1)...]
                }
                let address = addrSpec(b, inner.filter { $0.kind != .comment }[...])
                if !done, !address.isEmpty, result.count < limit {
                    let name = phrase.isEmpty ? (comment.map { displayName(b, comment: $0) } ?? "") : displayName(b, phrase)
                    result.append(MailAddress(name: name, address: address))
                }
                done = true
                i = j + 1
            case .special(ASCII.colon) where !inGroup && !done:
                // group = display-name ":" [group-list] ";" (§3.4): the name is not an address.
                inGroup = true
                phrase.removeAll(keepingCapacity: true)
                comment = nil
                i += 1
            case .special(ASCII.semicolon):
                finish()
                inGroup = false
                i += 1
            case .special(ASCII.comma):
                finish()
                i += 1
            case .comment:
                if comment == nil { comment = t.range }
                i += 1
            default:
                if !done { phrase.append(t) }
                i += 1
            }
        }
        finish()
        return result
    }

    /// An addr-spec from its tokens, with CFWS dropped (obs-local-part allows it around dots).
    /// A quoted local part is unquoted when it does not need the quotes (like Python's email).
    static func addrSpec(_ b: UnsafeBufferPointer<UInt8>, _ tokens: ArraySlice<StructuredToken>) -> String {
        let at = tokens.lastIndex { $0.kind == .special(ASCII.at) }
        var local = [UInt8]()
        var domain = [UInt8]()
        var quoted = false
        for index in tokens.indices {
            let t = tokens[index]
            let isDomain = at.map { index > $0 } ?? false
            if index == at { continue }
            switch t.kind {
            case .comment: continue
            case .quoted:
                if isDomain { StructuredTokens.unescaped(b, t.range, into: &domain) } else {
                    quoted = true
                    StructuredTokens.unescaped(b, t.range, into: &local)
                }
            default:
                if isDomain { domain.append(contentsOf: UnsafeBufferPointer(rebasing: b[t.range])) } else {
                    local.append(contentsOf: UnsafeBufferPointer(rebasing: b[t.range]))
                }
            }
        }
        if quoted && local.contains(where: { ASCII.isSpace($0) || StructuredTokens.isSpecial($0) }) {
            var q: [UInt8] = [ASCII.quote]
            for c in local {
                if c == ASCII.quote || c == ASCII.backslash { q.append(ASCII.backslash) }
                q.append(c)
            }
            q.append(ASCII.quote)
            local = q
        }
        if at == nil { return String(decoding: local, as: UTF8.self) }
        return String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain, as: UTF8.self)
    }

    /// A display name: the phrase's words joined by single spaces where the source had space,
    /// quoted strings unquoted, then RFC 2047 decoded (also inside quoted strings, as readers do).
    static func displayName(_ b: UnsafeBufferPointer<UInt8>, _ phrase: [StructuredToken]) -> String {
        var out = [UInt8]()
        for (k, t) in phrase.enumerated() {
            if k > 0 && t.spaceBefore { out.append(ASCII.sp) }
            if t.kind == .quoted { StructuredTokens.unescaped(b, t.range, into: &out) } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[t.range]))
            }
        }
        return EncodedWords.decode(out)
    }

    static func displayName(_ b: UnsafeBufferPointer<UInt8>, comment: Range<Int>) -> String {
        var out = [UInt8]()
        StructuredTokens.unescaped(b, comment, into: &out)
        let r = out.withBytes { ASCII.trimmed($0, 0..<$0.count) }
        return EncodedWords.decode(Array(out[r]))
    }
}
