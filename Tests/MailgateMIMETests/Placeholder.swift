import Testing
@testable import MailgateMIME
