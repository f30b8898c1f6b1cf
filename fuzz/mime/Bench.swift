/// Measures MIMEParser.parse and MessageRendering.makeNewMessage on a typical 2 KiB message.
import MailgateCore
import MailgateMIME

func crlf(_ s: String) -> [UInt8] { var o = [UInt8](); for c in s.utf8 { if c == 10 { o.append(13) }; o.append(c) }; return o }
let msg = crlf("""
Return-Path: <alice@example.org>
Received: from client.example.org (client.example.org [192.0.2.7])
\tby mx.example.net (Mailgate) with ESMTPS id 01JDX4Q6W9Z7ZK3B2B7T1N5G3M
\tfor <bob@example.net>; Sat, 28 Nov 2026 12:00:00 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=mail;
	t=1795867198; h=from:to:cc:subject:date:message-id;
	bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
	b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR
	 9+VZ6UGnk0Tj7gYT3uVpqvKn8/rlLm2sMz3bS7jHaWyvgxW0M4DxGHHfLvNHLpfq
X-Mailer: Example Mail 4.2
From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <alice@example.org>
To: Bob Example <bob@example.net>, "Doe, Jane" <jane@example.net>
Cc: team@example.net
Subject: =?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4=?= - quarterly report
Date: Sat, 28 Nov 2026 11:59:58 +0100
Message-ID: <20261128115958.12345@example.org>
In-Reply-To: <prev@example.net>
References: <first@example.net> <prev@example.net>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_b1"

--=_b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hello Bob,

Here is the quarterly report summary. Revenue grew by 12% and the new
product line is doing well in K=C3=B6ln and M=C3=BCnchen. Please review the
numbers before Monday's meeting and let me know if anything looks off.
The appendix lists every region with its figures for the last four
quarters, and the forecast for the next two. Tell me which of them you
want to discuss in detail, and I will prepare the slides for it.

Best regards,
J=C3=B6rg

--=_b1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Hello Bob,</p><p>Here is the quarterly report summary. Revenue=
 grew by 12% and the new product line is doing well in K=C3=B6ln and M=C3=
=BCnchen. Please review the numbers before Monday's meeting and let me know=
 if anything looks off.</p><p>Best regards,<br>J=C3=B6rg</p></body></html>

--=_b1--

""")
print("message bytes:", msg.count)
let env = Envelope(mailFrom: "alice@example.org", rcptTo: ["bob@example.net"], helo: "client", remoteAddress: "192.0.2.7", remotePort: 1, transport: "ESMTPS")
func bench(_ name: String, _ n: Int, _ body: () -> Void) {
    for _ in 0..<1000 { body() }
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = Clock.monotonicNanoseconds()
        for _ in 0..<n { body() }
        let dt = Double(Clock.monotonicNanoseconds() - t0) / Double(n) / 1000
        best = min(best, dt)
    }
    print(name, String(best), "µs per message (best of 5 × \(n))")
}
var sink = 0
bench("parse", 20000) { sink &+= MIMEParser.parse(msg).headers.count }
bench("makeNewMessage", 20000) { sink &+= MessageRendering.makeNewMessage(id: "01JDX4Q6W9Z7ZK3B2B7T1N5G3M", receivedAt: 0, envelope: env, raw: msg).messageJSON.count }
let p = MIMEParser.parse(msg)
precondition(p.subject == "Grüße aus Köln - quarterly report" && p.text != nil && p.html != nil && sink > 0)
