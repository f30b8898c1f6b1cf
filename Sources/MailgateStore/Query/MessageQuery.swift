/// The filters of `GET /api/v1/messages` (and of `latest`, and of the filtered delete).
/// nil or empty means "no filter".
public struct MessageQuery: Sendable, Equatable {
    /// An address or `*@domain`, case-insensitive; matches envelope recipients and header To/Cc.
    public var to: String?
    /// An address or `*@domain`, case-insensitive; matches MAIL FROM and the header From.
    public var from: String?
    /// A case-insensitive substring of the subject.
    public var subject: String?
    /// Full-text terms over subject, addresses, names and text body; all must match. A term
    /// ending in `*` matches as a prefix. No FTS5 syntax is interpreted.
    public var q: String?
    /// received_at bounds in milliseconds since the epoch, inclusive.
    public var since: Int64?
    public var until: Int64?
    /// Page size, 1...500.
    public var limit: Int
    /// The `nextCursor` of the previous page.
    public var cursor: String?

    public static let maxLimit = 500

    public init(to: String? = nil, from: String? = nil, subject: String? = nil, q: String? = nil,
                since: Int64? = nil, until: Int64? = nil, limit: Int = 50, cursor: String? = nil) {
        self.to = to
        self.from = from
        self.subject = subject
        self.q = q
        self.since = since
        self.until = until
        self.limit = limit
        self.cursor = cursor
    }

    /// The filters answered from the search indexes, which are filled in batches after the
    /// acknowledging commit (SearchIndex, in a file of their own): `Store.flushSearchIndex` first, to see every
    /// acknowledged message. Also the names of their query parameters (API.md).
    public static let indexedFilterNames = ["q", "subject", "to", "from"]

    /// Whether any filter reads the search indexes.
    public var usesSearchIndex: Bool { [q, subject, to, from].contains { !($0?.isEmpty ?? true) } }

    /// Whether no filter is set (cursor and limit aside).
    public var hasNoFilter: Bool {
        [to, from, subject, q].allSatisfy { $0?.isEmpty ?? true } && since == nil && until == nil
    }
}

/// One page of summaries, newest first.
public struct MessagePage: Sendable, Equatable {
    /// The summary JSON objects as rendered at ingest.
    public var items: [[UInt8]]
    /// The cursor of the next page, nil on the last page.
    public var nextCursor: String?

    public init(items: [[UInt8]], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
