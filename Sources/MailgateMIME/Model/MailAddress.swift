/// One mailbox of an address header (RFC 5322 §3.4): the decoded display name ("" when there is
/// none) and the addr-spec without angle brackets.
public struct MailAddress: Sendable, Equatable {
    public var name: String
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}
