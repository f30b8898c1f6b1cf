import Testing
@testable import Mailgate
