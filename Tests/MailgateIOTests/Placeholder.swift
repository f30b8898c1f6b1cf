import Testing
@testable import MailgateIO
