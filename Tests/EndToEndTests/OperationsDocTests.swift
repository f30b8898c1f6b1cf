import Foundation
import Mailgate
import Testing

/// docs/OPERATIONS.md against the running program: the settings table is the binary's own
/// output, every MAILGATE_* name anywhere in the docs, deploy files and sources is a real
/// setting, and the metrics table lists exactly what /metrics serves.
@Suite("docs/OPERATIONS.md")
struct OperationsDocTests {
    static func operations() throws -> String {
        try String(contentsOfFile: Deploy.path("docs/OPERATIONS.md"), encoding: .utf8)
    }

    /// MAILGATE_* names in a text; `MAILGATE_WEBHOOK_*`-style prefixes (ending in _) are skipped.
    static func variables(in text: String) -> Set<String> {
        let regex = try? NSRegularExpression(pattern: "MAILGATE_[A-Z0-9_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set((regex?.matches(in: text, range: range) ?? []).compactMap { match in
            Range(match.range, in: text).map { String(text[$0]) }
        }.filter { !$0.hasSuffix("_") })
    }

    static var settingNames: Set<String> { Set(Settings.all.map(\.env)) }

    @Test("the settings table is exactly `mailgate settings --markdown`")
    func settingsTable() throws {
        let result = try run(GatewayProcess.binary, ["settings", "--markdown"])
        #expect(result.status == 0)
        let table = result.output.trimmingCharacters(in: .newlines)
        #expect(table.split(separator: "\n").count == Settings.all.count + 2)
        #expect(try Self.operations().contains("\n" + table + "\n"))
    }

    @Test("every MAILGATE_* variable in OPERATIONS.md exists, and every setting is documented")
    func variablesDocumented() throws {
        let documented = Self.variables(in: try Self.operations())
        #expect(documented.subtracting(Self.settingNames).isEmpty, "unknown: \(documented.subtracting(Self.settingNames).sorted())")
        #expect(Self.settingNames.subtracting(documented).isEmpty, "undocumented: \(Self.settingNames.subtracting(documented).sorted())")
        // The plain listing names the same set.
        let listing = try run(GatewayProcess.binary, ["settings"])
        #expect(Self.variables(in: listing.output) == Self.settingNames)
    }

    @Test("no MAILGATE_* string literal in Sources/ and no name in deploy/ is outside Settings.all")
    func noHiddenVariables() throws {
        var literals: [String: Set<String>] = [:]
        var mentions: [String: Set<String>] = [:]
        let regex = try NSRegularExpression(pattern: "\"(MAILGATE_[A-Z0-9_]+)\"")
        for (folder, isSource) in [("Sources", true), ("deploy", false), ("docs", false)] {
            let enumerator = FileManager.default.enumerator(atPath: Deploy.path(folder))
            while let file = enumerator?.nextObject() as? String {
                let path = Deploy.path("\(folder)/\(file)")
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                if isSource, file.hasSuffix(".swift") {
                    let found = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                        Range($0.range(at: 1), in: text).map { String(text[$0]) }
                    }
                    literals["\(folder)/\(file)"] = Set(found)
                } else if !isSource {
                    mentions["\(folder)/\(file)"] = Self.variables(in: text)
                }
            }
        }
        let read = literals.values.reduce(Set<String>()) { $0.union($1) }
        #expect(read.count >= 3, "the scan found no literals: \(read)")
        for (file, names) in literals.merging(mentions, uniquingKeysWith: { $0.union($1) }) {
            let unknown = names.subtracting(Self.settingNames)
            #expect(unknown.isEmpty, "\(file): \(unknown.sorted())")
        }
    }

    @Test("the metrics table lists exactly the metrics a running gateway serves, with their types")
    func metricsDocumented() throws {
        let gateway = try GatewayProcess(["MAILGATE_METRICS_AUTH": "open"])
        let metrics = try Deploy.get(gateway.httpPort, "/metrics")
        gateway.terminate()
        #expect(metrics.status == 200)
        var served: [String: String] = [:]
        for line in metrics.body.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let words = line.split(separator: " ")
            if words.count == 4 { served[String(words[2])] = String(words[3]) }
        }
        #expect(served.count >= 20)
        #expect(served.keys.allSatisfy { $0.hasPrefix("mailgate_") })

        let doc = try Self.operations()
        var documented: [String: String] = [:]
        for line in doc.split(separator: "\n") where line.hasPrefix("| `mailgate_") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            documented[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[1]
        }
        #expect(documented == served)
        // Names used elsewhere on the page (alert rules) are served metrics or their series.
        let regex = try NSRegularExpression(pattern: "mailgate_[a-z0-9_]+")
        let names = regex.matches(in: doc, range: NSRange(doc.startIndex..., in: doc)).compactMap {
            Range($0.range, in: doc).map { String(doc[$0]) }
        }
        for name in Set(names) {
            let base = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) }
            #expect(served[name] != nil || (base.flatMap { served[$0] } == "histogram"), "\(name)")
        }
    }

    @Test("every SMTP rejection reason the session logs is listed in the metrics table")
    func rejectionReasonsDocumented() throws {
        let regex = try NSRegularExpression(pattern: "\\blog\\(\"([a-z_0-9]+)\"")
        var reasons = Set<String>()
        let enumerator = FileManager.default.enumerator(atPath: Deploy.path("Sources/MailgateSMTP"))
        while let file = enumerator?.nextObject() as? String {
            guard file.hasSuffix(".swift"),
                  let text = try? String(contentsOfFile: Deploy.path("Sources/MailgateSMTP/\(file)"), encoding: .utf8) else { continue }
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let r = Range(match.range(at: 1), in: text) { reasons.insert(String(text[r])) }
            }
        }
        #expect(reasons.count >= 10)
        let row = try #require(try Self.operations().split(separator: "\n").first { $0.hasPrefix("| `mailgate_smtp_rejections_total`") })
        for reason in reasons.union(["store_error", "store_disk_full"]) {
            #expect(row.contains("`\(reason)`"), "\(reason)")
        }
    }
}
