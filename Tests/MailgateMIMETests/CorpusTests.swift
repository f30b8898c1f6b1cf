import Foundation
import Testing
@testable import MailgateMIME

/// Runs Tests/MIMECorpus/generate.py (messages written with Python's `email` package, and the
/// values `email` itself parses back from the same bytes) and compares MIMEParser field by field.
///
/// Documented divergences, declared next to each hand-broken message in generate.py (its
/// "divergences": the value Mailgate gives and why), where this parser follows the RFCs or
/// keeps more of the message than Python's email package does:
/// - unknown charset: UTF-8 if the octets are UTF-8, else Windows-1252 (Python raises LookupError);
/// - raw UTF-8 in address headers is RFC 6532 text (Python's address parser yields U+FFFD);
/// - 8-bit header octets that are not UTF-8 read as Windows-1252 (Python: U+FFFD);
/// - nesting deeper than MIMELimits.maxDepth (32) is one opaque part (Python has no limit);
/// - a multipart without a boundary parameter is shown as text/plain (Python: a bodiless leaf);
/// - an RFC 822 comment stands in for a missing display name ("a@x (Alice)");
/// - header values are trimmed of surrounding whitespace after unfolding.
@Suite struct CorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func generate() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mime-corpus-\(UUID().uuidString)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.root.appendingPathComponent("Tests/MIMECorpus/generate.py").path, "--out", dir.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return dir
    }

    static func addressList(_ list: [MailAddress]) -> [[String]] { list.map { [$0.name, $0.address] } }

    /// The parser's answer in expected.json's shape.
    static func actual(_ m: ParsedMessage) -> [String: Any] {
        [
            "subject": m.subject as Any? ?? NSNull(),
            "from": addressList(m.from), "to": addressList(m.to), "cc": addressList(m.cc),
            "date": m.date as Any? ?? NSNull(),
            "text": m.text as Any? ?? NSNull(), "html": m.html as Any? ?? NSNull(),
            "attachments": m.attachments.map {
                ["filename": $0.filename as Any? ?? NSNull(), "content_type": $0.contentType, "size": $0.size, "sha256": $0.sha256] as [String: Any]
            },
        ]
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case (let x as String, let y as String): return x == y
        case (let x as Int, let y as Int): return x == y
        case (let x as NSNumber, let y as Int): return x.intValue == y
        case (let x as Int, let y as NSNumber): return x == y.intValue
        case (let x as [Any], let y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { same(v, $0) } ?? false }
        default: return false
        }
    }

    @Test func corpusMatchesPythonEmail() throws {
        let dir = try generate()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try Data(contentsOf: dir.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let messages = try #require(root["messages"] as? [[String: Any]])
        #expect(messages.count >= 200)
        let fields = ["subject", "from", "to", "cc", "date", "text", "html", "attachments"]
        var compared = 0, divergent = 0
        var mismatches = [String]()
        for e in messages {
            let file = try #require(e["file"] as? String)
            let raw = try [UInt8](Data(contentsOf: dir.appendingPathComponent(file)))
            let got = Self.actual(MIMEParser.parse(raw))
            let divergences = e["divergences"] as? [String: [String: Any]] ?? [:]
            for f in fields {
                var want = e[f] ?? NSNull()
                if let d = divergences[f] { want = d["mailgate"] ?? NSNull(); divergent += 1 }
                compared += 1
                if let a = got[f] as? [[String: Any]], let w = want as? [Any] { compared += a.count * 4 + max(0, w.count - a.count) * 4 }
                if !Self.same(got[f] ?? NSNull(), want) {
                    mismatches.append("\(file) \(f): got \(got[f] ?? "nil") want \(want)")
                }
            }
        }
        // The comparison itself must be able to fail.
        #expect(!Self.same(["size": 1, "sha256": "a"] as [String: Any], ["size": NSNumber(value: 2), "sha256": "a"] as [String: Any]))
        #expect(!Self.same([["a", "b"]], [["a", "c"]]))
        #expect(!Self.same(NSNull(), "x"))
        #expect(Self.same(["size": 1] as [String: Any], ["size": NSNumber(value: 1)] as [String: Any]))
        print("MIME corpus: \(messages.count) messages, \(compared) values compared, \(divergent) documented divergences")
        #expect(mismatches.isEmpty, Comment(rawValue: "\(mismatches.count) mismatches:\n" + mismatches.prefix(40).joined(separator: "\n")))
    }
}
