/// The address keys of the `to` and `from` filters: a lower-cased address, and "@domain" for
/// `*@domain` filters. Writer and reader both go through here, so the case folding is the same
/// on both sides.
///
/// A message's keys are stored with it (`messages.to_keys`, `from_keys`: distinct keys,
/// space-separated) and indexed in `address_fts`, whose tokenizer keeps an address or
/// "@domain" whole (StoreSchema.addressSearchV4).
enum AddressKey {
    /// The SQL function over one address (for migrations): `text(of: [address])`.
    static let sqlFunction = "mg_address_keys"

    /// The keys under which a stored address is found.
    static func keys(forStored address: String) -> [String] {
        let lower = address.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return [lower] }
        let domain = lower[at...]
        return domain.count > 1 ? [lower, String(domain)] : [lower]
    }

    /// The distinct keys of `addresses` in first-seen order, space-separated: what a message
    /// stores and indexes for one field. Empty addresses have none.
    static func text(of addresses: [String]) -> String {
        var seen = Set<String>()
        var out: [String] = []
        for address in addresses where !address.isEmpty {
            for key in keys(forStored: address) where seen.insert(key).inserted { out.append(key) }
        }
        return out.joined(separator: " ")
    }

    /// The key a filter value looks up: "a@b.test" as is, "*@b.test" or "@b.test" as "@b.test";
    /// nil when the value is empty.
    static func key(forFilter value: String) -> String? {
        var v = Substring(value.lowercased())
        while v.first == " " { v = v.dropFirst() }
        while v.last == " " { v = v.dropLast() }
        if v.hasPrefix("*@") { v = v.dropFirst() }
        return v.isEmpty ? nil : String(v)
    }
}
