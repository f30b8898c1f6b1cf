import Foundation
import Testing

/// Postfix's load generator, smtp-source, with several parallel sessions: every message it sent
/// is stored exactly once and complete.
@Suite struct SMTPSourceTests {
    /// `-d`: send every message of a session over the same connection (no disconnect between).
    @Test(arguments: [false, true])
    func twoHundredMessagesFromFiveSessionsAreAllStored(reuseConnections: Bool) throws {
        let gateway = try GatewayProcess()
        let arguments = ["-s", "5", "-m", "200", "-l", "2048", "-f", "a@x.test", "-t", "b@y.test"]
            + (reuseConnections ? ["-d"] : []) + ["127.0.0.1:\(gateway.smtpPort)"]
        let result = try run("smtp-source", arguments, timeout: 120)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "", "smtp-source reports problems on its output: \(result.output)")

        // Exactly 200, each with smtp-source's headers (distinct Message-Ids) and its whole
        // 2048-octet body; the database agrees with the API.
        let report = try SMTPClients.checkStore(gateway, smtpSource: 2048, sqlite: true)
        #expect(report.stored == 200)
        #expect(report.problems == [])
        gateway.removeFiles()
    }
}
