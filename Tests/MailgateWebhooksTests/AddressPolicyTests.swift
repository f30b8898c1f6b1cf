import MailgateIO
import Testing
@testable import MailgateWebhooks

/// CIDR lists and the allow/deny decision of the outbound address policy.
@Suite struct AddressPolicyTests {
    func address(_ text: String) -> IPAddress { IPAddress(text) ?? IPAddress(bytes: [0, 0, 0, 0])! }

    @Test func parsesNetworksAndHosts() throws {
        let list = try AddressPolicy.parseList(" 10.1.2.3/8, 192.0.2.7 ,fd00::/8,, ::1, ::ffff:192.0.2.0/120 ")
        #expect(list.map(\.description) == ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "::1/128", "192.0.2.0/24"])
        #expect(try AddressPolicy.parseList("").isEmpty)
        for bad in ["10.0.0.0/33", "10.0.0.0/-1", "::/129", "host.test", "10.0.0/8", "10.0.0.0/8/8", "1.2.3.4/ 8", "10.0.0.0/",
                    "::ffff:10.0.0.0/95"] {
            #expect(throws: CIDR.ParseError(entry: bad)) { try AddressPolicy.parseList(bad) }
        }
    }

    @Test func denyWinsAndAnEmptyAllowListAllowsAll() throws {
        let open = AddressPolicy()
        #expect(open.permitsAll && open.permits(address("169.254.169.254")))
        let deny = AddressPolicy(deny: try AddressPolicy.parseList("169.254.0.0/16, 10.0.0.0/8, fc00::/7"))
        #expect(!deny.permits(address("169.254.169.254")))
        #expect(!deny.permits(address("10.255.0.1")))
        #expect(!deny.permits(address("fd12::1")))
        #expect(deny.permits(address("11.0.0.1")))
        #expect(deny.permits(address("2001:db8::1")))
        // An IPv4-mapped IPv6 address is the IPv4 address it carries.
        #expect(!deny.permits(address("::ffff:10.0.0.1")))
        let both = AddressPolicy(allow: try AddressPolicy.parseList("10.0.0.0/8"), deny: try AddressPolicy.parseList("10.9.0.0/16"))
        #expect(both.permits(address("10.1.0.1")))
        #expect(!both.permits(address("10.9.0.1")))
        #expect(!both.permits(address("192.0.2.1")))
        #expect(!both.permits(address("::1")))
    }

    @Test func prefixesOfEveryLength() throws {
        for length in 0...32 {
            let net = try CIDR(parsing: "203.0.113.77/\(length)")
            #expect(net.contains(address("203.0.113.77")))
            #expect(net.contains(address("203.0.113.78")) == (length <= 30))
            #expect(!net.contains(address("::1")))
        }
        #expect(try CIDR(parsing: "::/0").contains(address("2001:db8::1")))
        #expect(try !CIDR(parsing: "2001:db8::/33").contains(address("2001:db8:8000::1")))
    }
}
