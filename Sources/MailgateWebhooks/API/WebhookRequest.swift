import MailgateCore
/// Parses the bodies of POST and PATCH /api/v1/webhooks into typed values, collecting every
/// field problem (422) rather than stopping at the first; a body that is not a JSON object is 400.
public enum WebhookRequest {
    static let createFields: Set<String> = ["url", "description", "secret", "filter", "enabled", "inline"]
    static let patchFields: Set<String> = ["url", "description", "secret", "rotate_secret", "filter", "enabled", "inline"]
    public static let maxDescriptionLength = 1024

    /// `{url, description?, secret?, filter?: {recipients: [...]}, enabled?}`.
    public static func parseCreate(_ body: [UInt8]) throws(WebhookError) -> NewSubscriber {
        let fields = try JSONValue.object(body)
        var errors = unknownFields(fields, allowed: createFields)
        var new = NewSubscriber(url: "")
        switch fields["url"] {
        case nil, .null?: errors.append(FieldError(field: "url", message: "is required"))
        case let value?: if let url = url(value, &errors) { new.url = url }
        }
        if let value = fields["description"] { new.description = description(value, &errors) ?? "" }
        if let value = fields["secret"], value != .null { new.secret = secret(value, &errors) }
        if let value = fields["filter"] { new.filter = filter(value, &errors) }
        if let value = fields["enabled"] { new.enabled = bool("enabled", value, &errors) ?? true }
        if let value = fields["inline"] { new.inline = inline(value, &errors) ?? .linksOnly }
        guard errors.isEmpty else { throw .invalid(errors) }
        return new
    }

    /// Any of `{url, description, filter (null removes it), enabled, secret, rotate_secret: true}`.
    public static func parsePatch(_ body: [UInt8]) throws(WebhookError) -> SubscriberPatch {
        let fields = try JSONValue.object(body)
        var errors = unknownFields(fields, allowed: patchFields)
        var patch = SubscriberPatch()
        if let value = fields["url"] { patch.url = url(value, &errors) }
        if let value = fields["description"] { patch.description = description(value, &errors) }
        if let value = fields["filter"] { patch.filter = .some(filter(value, &errors)) }
        if let value = fields["enabled"] { patch.enabled = bool("enabled", value, &errors) }
        if let value = fields["inline"] { patch.inline = inline(value, &errors) }
        if let value = fields["secret"] { patch.secret = secret(value, &errors).map { .set($0) } }
        if let value = fields["rotate_secret"], bool("rotate_secret", value, &errors) == true {
            if patch.secret != nil {
                errors.append(FieldError(field: "rotate_secret", message: "cannot be combined with secret"))
            } else {
                patch.secret = .generate
            }
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        return patch
    }

    private static func unknownFields(_ fields: [String: JSONValue], allowed: Set<String>) -> [FieldError] {
        fields.keys.filter { !allowed.contains($0) }.sorted().map { FieldError(field: $0, message: "is not a known field") }
    }

    private static func url(_ value: JSONValue, _ errors: inout [FieldError]) -> String? {
        guard case .string(let s) = value else {
            errors.append(FieldError(field: "url", message: "must be a string, not \(value.typeName)"))
            return nil
        }
        if let problem = WebhookURL.problem(s) {
            errors.append(FieldError(field: "url", message: problem))
            return nil
        }
        return s
    }

    private static func description(_ value: JSONValue, _ errors: inout [FieldError]) -> String? {
        guard case .string(let s) = value else {
            errors.append(FieldError(field: "description", message: "must be a string, not \(value.typeName)"))
            return nil
        }
        guard s.utf8.count <= maxDescriptionLength else {
            errors.append(FieldError(field: "description", message: "must be at most \(maxDescriptionLength) bytes"))
            return nil
        }
        return s
    }

    private static func secret(_ value: JSONValue, _ errors: inout [FieldError]) -> String? {
        guard case .string(let s) = value else {
            errors.append(FieldError(field: "secret", message: "must be a string, not \(value.typeName)"))
            return nil
        }
        do { return try WebhookSecret.normalize(s) } catch {
            if case .invalid(let e) = error { errors.append(contentsOf: e) }
            return nil
        }
    }

    /// `{"recipients": [...]}`, or null for every message.
    private static func filter(_ value: JSONValue, _ errors: inout [FieldError]) -> RecipientFilter? {
        if value == .null { return nil }
        guard case .object(let fields) = value else {
            errors.append(FieldError(field: "filter", message: "must be an object or null, not \(value.typeName)"))
            return nil
        }
        for key in fields.keys.sorted() where key != "recipients" {
            errors.append(FieldError(field: "filter.\(key)", message: "is not a known field"))
        }
        guard case .array(let items)? = fields["recipients"] else {
            errors.append(FieldError(field: "filter.recipients", message: "must be an array of strings"))
            return nil
        }
        var patterns: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                errors.append(FieldError(field: "filter.recipients[\(i)]", message: "must be a string, not \(item.typeName)"))
                continue
            }
            patterns.append(s)
        }
        do {
            let filter = try RecipientFilter(validating: patterns)
            return filter.patterns.isEmpty ? nil : filter
        } catch {
            if case .invalid(let e) = error { errors.append(contentsOf: e) }
            return nil
        }
    }

    /// `{"raw": bool, "attachments": bool, "max_bytes": 1...10 MiB}`, each optional (missing:
    /// the default); null means links only. It replaces the subscriber's whole setting.
    private static func inline(_ value: JSONValue, _ errors: inout [FieldError]) -> InlineContent? {
        if value == .null { return .linksOnly }
        guard case .object(let fields) = value else {
            errors.append(FieldError(field: "inline", message: "must be an object or null, not \(value.typeName)"))
            return nil
        }
        for key in fields.keys.sorted() where !["raw", "attachments", "max_bytes"].contains(key) {
            errors.append(FieldError(field: "inline.\(key)", message: "is not a known field"))
        }
        var inline = InlineContent()
        if let v = fields["raw"] { inline.raw = bool("inline.raw", v, &errors) ?? false }
        if let v = fields["attachments"] { inline.attachments = bool("inline.attachments", v, &errors) ?? false }
        if let v = fields["max_bytes"] {
            guard case .number(let n) = v, n == n.rounded(), n >= 1, n <= Double(InlineContent.maxMaxBytes) else {
                errors.append(FieldError(field: "inline.max_bytes",
                                         message: "must be a whole number from 1 to \(InlineContent.maxMaxBytes)"))
                return nil
            }
            inline.maxBytes = Int(n)
        }
        return inline
    }

    private static func bool(_ name: String, _ value: JSONValue, _ errors: inout [FieldError]) -> Bool? {
        guard case .bool(let b) = value else {
            errors.append(FieldError(field: name, message: "must be true or false, not \(value.typeName)"))
            return nil
        }
        return b
    }
}
