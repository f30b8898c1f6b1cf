import Testing
@testable import MailgateHTTP
