import Testing
import MailgateCore
@testable import MailgateSMTP

/// The EHLO reply with the default configuration, as transcript lines.
let ehloReply = """
    S: 250-localhost
    S: 250-PIPELINING
    S: 250-SIZE 26214400
    S: 250-ENHANCEDSTATUSCODES
    S: 250-8BITMIME
    S: 250-SMTPUTF8
    S: 250 CHUNKING
    """

/// Runs `script` fed whole, line by line and byte by byte; every run must reproduce the script
/// exactly and deliver the same messages. Returns the messages of the first run.
@discardableResult
func expectTranscript(_ script: String, _ transcript: Transcript = Transcript(),
                      feeds: [Transcript.Feed] = Transcript.Feed.allCases,
                      sourceLocation: SourceLocation = #_sourceLocation) -> [ReceivedMessage] {
    var first: [ReceivedMessage]?
    for feed in feeds {
        let result = transcript.run(script, feed: feed)
        #expect(result.transcript == script, "fed \(feed)", sourceLocation: sourceLocation)
        if let first {
            #expect(result.messages == first, "fed \(feed)", sourceLocation: sourceLocation)
        } else {
            first = result.messages
        }
    }
    return first ?? []
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// The trace headers the session writes for a message from the default transcript peer.
func trace(from: String = "a@example.org", helo: String = "client.test", id: String = "ID1",
           rcpt: String? = "b@example.com", with transport: String = "ESMTP") -> String {
    let forClause = rcpt.map { "\r\n\tfor <\($0)>; " } ?? ";\r\n\t"
    return "Return-Path: <\(from)>\r\n"
        + "Received: from \(helo) ([192.0.2.1])\r\n"
        + "\tby localhost (Mailgate) with \(transport) id \(id)\(forClause)\(Transcript.date)\r\n"
}

func configuration(_ change: (inout SMTPConfiguration) -> Void) -> Transcript {
    var t = Transcript()
    change(&t.configuration)
    return t
}
