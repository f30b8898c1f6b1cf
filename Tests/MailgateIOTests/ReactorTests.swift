import Testing

/// Root of every MailgateIO suite. Serialized (recursively): the tests open thousands of real
/// sockets and one lowers RLIMIT_NOFILE for a moment, which must not overlap other tests.
@Suite(.serialized) struct ReactorTests {}
