/// The recipient policy: a catch-all gateway accepts every recipient unless an accept list
/// names the domains and addresses it serves (SMTP.md "Recipient policy").
struct AcceptPolicy: Sendable {
    private var domains: Set<String> = []
    private var addresses: Set<String> = []

    init(_ entries: [String]) {
        for entry in entries {
            let lowered = ASCII.lowercased(entry)
            if lowered.isEmpty { continue }
            if lowered.utf8.contains(ASCII.at) {
                addresses.insert(lowered)
            } else {
                domains.insert(lowered)
            }
        }
    }

    var acceptsEverything: Bool { domains.isEmpty && addresses.isEmpty }

    /// Whether `mailbox` (local@domain as received) is one of ours.
    func accepts(mailbox: String) -> Bool {
        if acceptsEverything { return true }
        let lowered = ASCII.lowercased(mailbox)
        if addresses.contains(lowered) { return true }
        // The domain follows the last "@" (a quoted local part may contain "@").
        guard let at = lowered.utf8.lastIndex(of: ASCII.at) else { return false }
        let domain = String(lowered[lowered.utf8.index(after: at)...])
        return domains.contains(domain)
    }
}
