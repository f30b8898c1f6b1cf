import Foundation
import Testing

/// The MIME corpus (Tests/MIMECorpus) through SMTP and the HTTP API of the real binary: every
/// message is sent with smtplib, its API JSON is compared field by field with what Python's
/// `email` package makes of the same bytes, and every attachment is downloaded and its sha256
/// compared (compare_api.py).
@Suite("MIME corpus through SMTP and the API")
struct MIMECorpusEndToEndTests {
    static let corpusTools = GatewayProcess.packageRoot.appendingPathComponent("Tests/MIMECorpus").path

    @Test func everyMessageIsFaithfulDecodedJSON() throws {
        let gateway = try GatewayProcess()
        let corpus = gateway.directory.appendingPathComponent("corpus").path
        let generated = try run("python3", [Self.corpusTools + "/generate.py", "--out", corpus])
        try #require(generated.status == 0, "generate.py: \(generated.output)")
        let expected = try #require(hookJSONObject(
            FileManager.default.contents(atPath: corpus + "/expected.json") ?? Data())?["messages"] as? [[String: Any]])
        #expect(expected.count > 200)

        let compared = try run("python3", [Self.corpusTools + "/compare_api.py",
                                           "--smtp", "127.0.0.1:\(gateway.smtpPort)",
                                           "--api", "http://127.0.0.1:\(gateway.httpPort)", corpus], timeout: 300)
        #expect(compared.status == 0, "\(compared.output)")
        #expect(compared.output.contains("\(expected.count) messages, \(expected.count * 8) fields compared"), "\(compared.output)")
        #expect(compared.output.contains("all match"), "\(compared.output)")
    }
}
