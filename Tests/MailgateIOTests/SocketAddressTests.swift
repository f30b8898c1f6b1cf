import Testing
@testable import MailgateIO

extension ReactorTests {
@Suite struct SocketAddressTests {
    @Test func parsesIPv4AndIPv6Literals() throws {
        let v4 = try SocketAddress(parsing: "127.0.0.1:2525")
        #expect(v4.ip.family == .v4)
        #expect(v4.port == 2525)
        #expect(v4.description == "127.0.0.1:2525")
        let v6 = try SocketAddress(parsing: "[::1]:0")
        #expect(v6.ip.family == .v6)
        #expect(v6.port == 0)
        #expect(v6.description == "[::1]:0")
        #expect(try SocketAddress(parsing: "*:25").description == "0.0.0.0:25")
        #expect(try SocketAddress(parsing: "localhost:8025").description == "127.0.0.1:8025")
    }

    @Test(arguments: ["127.0.0.1", "::1:25", "[127.0.0.1]:25", "1.2.3.4:65536", "host:25", "[::1]:x", ""])
    func rejectsMalformed(_ text: String) {
        #expect(throws: AddressError.self) { try SocketAddress(parsing: text) }
    }

    @Test func mapsIPv4MappedIPv6ToIPv4() throws {
        let mapped = try #require(IPAddress("::ffff:10.1.2.3"))
        #expect(mapped.family == .v4)
        #expect(mapped == IPAddress("10.1.2.3"))
        #expect(mapped.description == "10.1.2.3")
    }
}
}
