import Testing
import MailgateCore
@testable import MailgateSMTP

/// The start of a transaction up to the accepted recipient, as transcript lines.
let openTransaction = """
    S: 220 localhost ESMTP Mailgate
    C: EHLO client.test
    \(ehloReply)
    C: MAIL FROM:<a@example.org> BODY=BINARYMIME
    C: RCPT TO:<b@example.com>
    S: 250 2.1.0 Ok
    S: 250 2.1.5 Ok
    """

@Suite("BDAT (RFC 3030)")
struct BdatTests {
    @Test func chunksAreTakenVerbatimAcrossReads() {
        let messages = expectTranscript("""
            \(openTransaction)
            C: BDAT 14
            c: Subject: b<CR><LF><CR><LF>
            C: BDAT 11 LAST
            c: bin<NUL><LF>.<CR><LF>..x
            S: 250 2.0.0 14 octets received
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            C: QUIT
            S: 221 2.0.0 Bye
            -- close
            """)
        #expect(messages.first?.data == bytes(trace() + "Subject: b\r\n\r\nbin\0\n.\r\n..x"))
        #expect(messages.first?.envelope.body == "BINARYMIME")
    }

    @Test func emptyLastChunkEndsTheMessage() {
        let messages = expectTranscript("""
            \(openTransaction)
            C: BDAT 3
            c: abc
            C: BDAT 0
            C: bdat 0 last
            S: 250 2.0.0 3 octets received
            S: 250 2.0.0 0 octets received
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.data == bytes(trace() + "abc"))
    }

    @Test func badSizeSyntax() {
        expectTranscript("""
            \(openTransaction)
            C: BDAT
            C: BDAT x
            C: BDAT -1
            C: BDAT 5 NOTLAST
            C: BDAT 99999999999999999999999
            C: BDAT 5LAST
            S: 501 5.5.4 Syntax: BDAT count [LAST]
            S: 501 5.5.4 Syntax: BDAT count [LAST]
            S: 501 5.5.4 Syntax: BDAT count [LAST]
            S: 501 5.5.4 Syntax: BDAT count [LAST]
            S: 501 5.5.4 Syntax: BDAT count [LAST]
            S: 501 5.5.4 Syntax: BDAT count [LAST]
            """)
    }

    @Test func refusedChunksAreStillReadSoTheyAreNeverCommands() {
        expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            \(ehloReply)
            C: BDAT 6 LAST
            c: QUIT<CR><LF>
            S: 503 5.5.1 Error: need RCPT command
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<nobody@example.net>
            C: BDAT 6 LAST
            c: QUIT<CR><LF>
            S: 250 2.1.0 Ok
            S: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown
            S: 554 5.5.1 Error: no valid recipients
            -- log recipient_rejected
            C: NOOP
            S: 250 2.0.0 Ok
            """, configuration { $0.acceptList = ["example.com"] })
    }

    @Test func dataRcptAndMailAfterBdatAreOutOfSequence() {
        let messages = expectTranscript("""
            \(openTransaction)
            C: BDAT 2
            c: hi
            C: RCPT TO:<c@example.com>
            C: MAIL FROM:<a@example.org>
            C: DATA
            S: 250 2.0.0 2 octets received
            S: 503 5.5.1 Error: RCPT after BDAT
            S: 503 5.5.1 Error: MAIL after BDAT
            S: 503 5.5.1 Error: DATA after BDAT
            C: BDAT 1 LAST
            c: !
            S: 250 2.0.0 Ok: queued as ID1
            -- deliver ID1
            """)
        #expect(messages.first?.data == bytes(trace() + "hi!"))
        #expect(messages.first?.envelope.rcptTo == ["b@example.com"])
    }

    @Test func oversizedChunkFailsTheTransactionAfterItIsRead() {
        let t = configuration { $0.maxMessageSize = 10 }
        let messages = expectTranscript("""
            S: 220 localhost ESMTP Mailgate
            C: EHLO client.test
            S: 250-localhost
            S: 250-PIPELINING
            S: 250-SIZE 10
            S: 250-ENHANCEDSTATUSCODES
            S: 250-8BITMIME
            S: 250-SMTPUTF8
            S: 250 CHUNKING
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: BDAT 6
            c: abcdef
            C: BDAT 6
            c: ghijkl
            C: BDAT 3 LAST
            c: xyz
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.0.0 6 octets received
            S: 552 5.3.4 Error: message file too big
            S: 503 5.5.1 Error: need RCPT command
            -- log message_too_big
            C: MAIL FROM:<a@example.org>
            C: RCPT TO:<b@example.com>
            C: BDAT 10 LAST
            c: 0123456789
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 250 2.0.0 Ok: queued as ID2
            -- deliver ID2
            """, t)
        #expect(messages.first?.data == bytes(trace(id: "ID2") + "0123456789"))
    }

    @Test func largestChunkSizeDoesNotOverflow() {
        let s = SMTPSession(configuration: SMTPConfiguration(), peer: SMTPPeer(address: "192.0.2.1", port: 1),
                            now: { Transcript.now }, makeID: { "Q1" })
        _ = s.start()
        _ = s.receive(bytes("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 1\r\nx"))
        #expect(s.receive(bytes("BDAT \(Int.max)\r\nabc")).isEmpty)
        #expect(s.mode == .chunk)
        #expect(s.chunk.remaining == Int.max - 3)
        #expect(s.message.rejection == .tooBig)
    }

    @Test func mailLoopIsRefusedAtTheLastChunk() {
        let t = configuration { $0.maxReceivedHeaders = 1 }
        expectTranscript("""
            \(openTransaction)
            C: BDAT 11
            c: Received: x
            C: BDAT 14 LAST
            c: <LF>Received: y<LF><LF>
            S: 250 2.0.0 11 octets received
            S: 554 5.4.6 Too many hops
            -- log mail_loop
            """, t)
    }

    @Test func hugeChunkIsDiscardedWithBoundedMemory() {
        var config = SMTPConfiguration()
        config.maxMessageSize = 1000
        let session = SMTPSession(configuration: config, peer: SMTPPeer(address: "192.0.2.1", port: 1),
                                  now: { Transcript.now }, makeID: { "ID1" })
        _ = session.start()
        _ = session.receive(bytes("EHLO c\r\n"))
        _ = session.receive(bytes("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 5000000 LAST\r\n"))
        let block = [UInt8](repeating: 0, count: 100_000)
        for _ in 0..<49 {
            #expect(session.receive(block).isEmpty)
            #expect(session.message.bytes.capacity < 10_000)
        }
        #expect(session.receive(block + bytes("NOOP\r\n")) == [
            .send(bytes("552 5.3.4 Error: message file too big\r\n250 2.0.0 Ok\r\n")),
            .log(SMTPLogEvent(reason: "message_too_big", detail: "id ID1, 5000000 octets")),
        ])
    }
}
