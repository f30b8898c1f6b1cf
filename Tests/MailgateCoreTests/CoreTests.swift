import Testing
@testable import MailgateCore

@Suite struct JSONWriterTests {
    @Test func escapesPerRFC8259() {
        var w = JSONWriter()
        w.beginObject()
        w.field("a", "q\"b\\\n\u{1}é\r\t\u{1f}/")
        w.field("n", 42)
        w.key("x"); w.beginArray(); w.string("1"); w.null(); w.bool(true); w.endArray()
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"a":"q\"b\\\n\u0001é\r\t\u001f/","n":42,"x":["1",null,true]}"#)
    }
}

@Suite struct DigestTests {
    @Test func sha256KnownAnswer() {
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hmacRFC4231Case2() {
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Digest.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func base64RoundTrip() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm8=") == Array("fo".utf8))
        #expect(Base64.decode("Z!") == nil)
    }
}

@Suite struct TimeTests {
    @Test func rfc3339AndRFC5322() {
        #expect(Timestamp.rfc3339(milliseconds: 1_795_867_200_123) == "2026-11-28T12:00:00.123Z")
        #expect(Timestamp.rfc5322(seconds: 1_795_867_200) == "Sat, 28 Nov 2026 12:00:00 +0000")
        #expect(Timestamp.httpDate(seconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(Timestamp.epochSeconds(year: 2026, month: 11, day: 28, hour: 12, minute: 0, second: 0) == 1_795_867_200)
    }

    @Test func ulidIsSortableAndWellFormed() {
        let a = ULID.encode(milliseconds: 1000, random: [UInt8](repeating: 0xFF, count: 10))
        let b = ULID.encode(milliseconds: 1001, random: [UInt8](repeating: 0, count: 10))
        #expect(a < b)
        #expect(ULID.isValid(ULID.make()))
        #expect(ULID.encode(milliseconds: 0, random: [UInt8](repeating: 0, count: 10)) == String(repeating: "0", count: 26))
    }

    @Test func ulidTimeDecodes() {
        for ms: Int64 in [0, 1, 1_795_867_200_123, 0xFFFF_FFFF_FFFF] {
            #expect(ULID.milliseconds(of: ULID.encode(milliseconds: ms, random: Digest.randomBytes(10))) == ms)
        }
        #expect(ULID.milliseconds(of: "8" + String(repeating: "0", count: 25)) == nil)   // past 48 bits
        #expect(ULID.milliseconds(of: "not-a-ulid") == nil)
        #expect(ULID.milliseconds(of: String(repeating: "I", count: 26)) == nil)   // I is not Crockford
    }
}

@Suite struct JSONParserTests {
    @Test func parsesEveryKind() {
        let v = JSONValue.parse(Array(#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\u00e9\ud83d\ude00\n", "o": {}} "#.utf8))
        #expect(v == .object(["a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
                              "s": .string("x\"é😀\n"), "o": .object([:])]))
    }

    @Test func rejectsWhatRFC8259Forbids() {
        for bad in ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\u{01}\"", "\"\\ud800\"", "{'a':1}",
                    "[1] x", "tru", "\"\\x\"", String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            #expect(JSONValue.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
        #expect(JSONValue.parse([0x22, 0xFF, 0x22]) == nil)  // invalid UTF-8 inside a string
    }
}
