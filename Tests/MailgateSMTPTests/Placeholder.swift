import Testing
@testable import MailgateSMTP
