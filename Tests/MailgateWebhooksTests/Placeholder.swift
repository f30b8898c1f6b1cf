import Testing
@testable import MailgateWebhooks
