import Dispatch
import Synchronization
import Testing
@testable import MailgateMIME

@Suite struct RobustnessTests {
    static let sample = crlf("""
        From: =?utf-8?Q?J=C3=B6rg?= <j@x.test>
        Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=
        Content-Type: multipart/mixed; boundary="b"

        --b
        Content-Type: multipart/alternative; boundary=a

        --a
        Content-Type: text/plain; charset=shift_jis
        Content-Transfer-Encoding: base64

        grGC8YLJgr+CzZCiikU=
        --a
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        <p>caf=C3=A9</p>
        --a--
        --b
        Content-Type: application/octet-stream
        Content-Disposition: attachment; filename*0*=utf-8''r%C3%A9; filename*1=sum.pdf
        Content-Transfer-Encoding: base64

        aGVsbG8=
        --b--
        """)

    @Test func sampleParses() {
        let m = MIMEParser.parse(Self.sample)
        #expect(m.subject == "こんにちは")
        #expect(m.text == "こんにちは世界")
        #expect(m.html == "<p>café</p>")
        #expect(m.attachments.map(\.filename) == ["résum.pdf"])
    }

    /// Every prefix of a message is a plausible truncated delivery: it must parse, keep its ranges
    /// inside the input, and list sizes that the serving decoder reproduces.
    @Test func everyTruncationParses() {
        for cut in 0...Self.sample.count {
            let input = Array(Self.sample[0..<cut])
            let m = MIMEParser.parse(input)
            for a in m.attachments {
                #expect(a.offset >= 0 && a.offset + a.length <= input.count)
                let decoded = input.withUnsafeBytes {
                    TransferDecoding.decode(UnsafeRawBufferPointer(rebasing: $0[a.offset..<a.offset + a.length]),
                                            transferEncoding: a.transferEncoding)
                }
                #expect(decoded.count == a.size)
            }
        }
    }

    /// Flipping single bytes never traps either.
    @Test func byteFlipsParse() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var input = Self.sample
            for _ in 0..<4 { input[Int.random(in: 0..<input.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = MIMEParser.parse(input)
        }
    }

    /// Converters are shared through the pool; parallel use must not mix their states.
    @Test func parallelCharsetConversion() {
        let results = FailureCounter()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            for _ in 0..<50 {
                let m = MIMEParser.parse(Self.sample)
                if m.text != "こんにちは世界" || m.subject != "こんにちは" { results.fail() }
            }
        }
        #expect(results.failures == 0)
    }
}

final class FailureCounter: Sendable {
    private let count = Mutex(0)
    func fail() { count.withLock { $0 += 1 } }
    var failures: Int { count.withLock { $0 } }
}
