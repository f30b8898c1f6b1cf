/// What one message contributes to the search indexes.
struct SearchDocument {
    let seq: Int64
    let id: String
    let text: String
    let subject: String?
    /// MAIL FROM and the header From: the `from` filter's addresses (empty ones skipped).
    let senders: [String]
    /// Envelope and header To/Cc recipients: the `to` filter's addresses.
    let recipients: [String]

    /// Its address_index rows: recipients under `to`, senders under `from`, each as the
    /// address and as its "@domain" (AddressKey).
    var addressRows: [AddressRow] {
        var rows: [AddressRow] = []
        for (field, addresses) in [(AddressRow.to, recipients), (AddressRow.from, senders)] {
            for address in addresses where !address.isEmpty {
                for key in AddressKey.keys(forStored: address) { rows.append(AddressRow(field: field, key: key, seq: seq)) }
            }
        }
        return rows
    }
}

/// One address_index row.
struct AddressRow: Comparable {
    /// The address_index fields.
    static let to: Int64 = 1
    static let from: Int64 = 2

    let field: Int64
    let key: String
    let seq: Int64

    static func < (a: AddressRow, b: AddressRow) -> Bool { (a.field, a.key, a.seq) < (b.field, b.key, b.seq) }
}

/// One row of the store's search_queue (StoreSchema.searchQueueV6), read for a pass.
struct SearchChange {
    enum Kind {
        /// A stored message; nil when it was deleted since (its removal follows in the queue).
        case add(SearchDocument?)
        /// A deleted message, with what its entries were made of.
        case remove(SearchDocument)
    }

    /// The queue row's id (commit order).
    let id: Int64
    let kind: Kind
}
