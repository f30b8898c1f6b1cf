/// The recipients of one message as stored: envelope RCPT TO in order, then the header To/Cc
/// addresses that are not among them, each lower-cased address once with where it appeared.
struct RecipientList {
    struct Entry: Equatable {
        var address: String
        var inEnvelope: Bool
        var inHeader: Bool
    }

    private(set) var entries: [Entry] = []

    init(envelope: [String], header: [String]) {
        for address in envelope { add(address.lowercased(), envelope: true) }
        for address in header { add(address.lowercased(), envelope: false) }
    }

    private mutating func add(_ address: String, envelope: Bool) {
        guard !address.isEmpty else { return }
        if let i = entries.firstIndex(where: { $0.address == address }) {
            if envelope { entries[i].inEnvelope = true } else { entries[i].inHeader = true }
        } else {
            entries.append(Entry(address: address, inEnvelope: envelope, inHeader: !envelope))
        }
    }
}
