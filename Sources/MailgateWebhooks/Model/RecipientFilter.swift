/// Which messages a subscriber wants, by envelope recipient: exact addresses or `*@domain`,
/// compared case-insensitively. A subscriber without a filter receives every message.
public struct RecipientFilter: Sendable, Equatable {
    /// The patterns as stored: trimmed and lower-cased.
    public let patterns: [String]
    private let addresses: Set<String>
    private let domains: Set<String>

    public static let maxPatterns = 1000
    public static let maxPatternLength = 320

    /// Validates and normalizes patterns from a request; errors name `filter.recipients[i]`.
    public init(validating raw: [String]) throws(WebhookError) {
        guard raw.count <= Self.maxPatterns else {
            throw .field("filter.recipients", "at most \(Self.maxPatterns) patterns")
        }
        var errors: [FieldError] = []
        var normalized: [String] = []
        for (i, pattern) in raw.enumerated() {
            let p = Self.trim(pattern).lowercased()
            if let problem = Self.problem(p) {
                errors.append(FieldError(field: "filter.recipients[\(i)]", message: problem))
            } else if !normalized.contains(p) {
                normalized.append(p)
            }
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        self.init(normalized: normalized)
    }

    /// Rebuilds a filter from its stored, already-validated form (one pattern per line).
    init(stored: String) {
        self.init(normalized: stored.split(separator: "\n").map(String.init))
    }

    private init(normalized: [String]) {
        patterns = normalized
        var addresses = Set<String>(), domains = Set<String>()
        for p in normalized {
            if p.hasPrefix("*@") { domains.insert(String(p.dropFirst(2))) } else { addresses.insert(p) }
        }
        self.addresses = addresses
        self.domains = domains
    }

    /// The stored form: one pattern per line (patterns cannot contain line breaks).
    var stored: String { patterns.joined(separator: "\n") }

    /// Whether `recipient`, already lower-cased, matches a pattern.
    public func matches(lowercased recipient: String) -> Bool {
        if addresses.contains(recipient) { return true }
        guard !domains.isEmpty, let at = recipient.lastIndex(of: "@") else { return false }
        return domains.contains(String(recipient[recipient.index(after: at)...]))
    }

    /// Whether any of `recipients` (any case) matches.
    public func matches(any recipients: [String]) -> Bool {
        recipients.contains { matches(lowercased: $0.lowercased()) }
    }

    private static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub.removeFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub.removeLast() }
        return String(sub)
    }

    /// Why a (trimmed, lower-cased) pattern is unacceptable, or nil.
    private static func problem(_ p: String) -> String? {
        guard !p.isEmpty else { return "must not be empty" }
        guard p.utf8.count <= maxPatternLength else { return "must be at most \(maxPatternLength) bytes" }
        if p.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return "must not contain spaces or control characters" }
        guard let at = p.lastIndex(of: "@") else { return "must be an address or *@domain" }
        let local = p[..<at], domain = p[p.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return "must be an address or *@domain" }
        if domain.contains("*") || (local.contains("*") && local != "*") {
            return "a wildcard is only allowed as the whole local part (*@domain)"
        }
        return nil
    }
}
