import Testing
@testable import MailgateMIME

@Suite struct SearchTextLimitTests {
    @Test func indexesOnlyTheStartOfAHugeBody() {
        var parsed = ParsedMessage()
        parsed.subject = "big"
        parsed.text = String(repeating: "é", count: 100_000) + "TAIL"  // 200 000 octets
        let text = MessageRendering.searchText(parsed)
        #expect(text.utf8.count <= "big\n".utf8.count + MessageRendering.maxIndexedBodyBytes)
        #expect(!text.contains("TAIL"))
        // Cut at a character boundary: only whole "é" (2 octets each) remain.
        #expect(text.dropFirst(4).allSatisfy { $0 == "é" })
    }

    @Test func keepsASmallBodyWhole() {
        var parsed = ParsedMessage()
        parsed.text = "hello world"
        #expect(MessageRendering.searchText(parsed) == "\nhello world")
    }
}
