/// The keys of `address_index`: a lower-cased address, and "@domain" for `*@domain` filters.
/// Writer and reader both go through here, so the case folding is the same on both sides.
enum AddressKey {
    /// The keys under which a stored address is found.
    static func keys(forStored address: String) -> [String] {
        let lower = address.lowercased()
        guard let at = lower.lastIndex(of: "@") else { return [lower] }
        let domain = lower[at...]
        return domain.count > 1 ? [lower, String(domain)] : [lower]
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
