import Testing
@testable import MailgateStore
