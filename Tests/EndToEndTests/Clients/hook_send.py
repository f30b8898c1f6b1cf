#!/usr/bin/env python3
"""Sends messages for the webhook end-to-end tests over SMTP with smtplib and Python's email
package (a client and a MIME writer nobody here wrote).

    python3 hook_send.py --port N --out OUT.jsonl [--count 1] [--rcpt a@x.test ...] [--attach]

Writes one JSON line per acknowledged message: {"id": <queue id from the 250 reply>, "rcpt_to":
[...], "attachment_sha256": <hex or null>}. With --attach each message carries a small PDF-like
attachment and an inline PNG with a Content-ID, so the payload has attachment urls to follow.
"""
import argparse
import hashlib
import json
import re
import smtplib
import sys
from email.message import EmailMessage

QUEUED = re.compile(rb"queued as ([0-9A-Z]{26})")


def build(i, rcpts, attach, tag):
    m = EmailMessage()
    m["From"] = "Alice Sender <a@x.test>"
    m["To"] = ", ".join(rcpts)
    m["Subject"] = "webhook test %s #%d – grüße" % (tag, i)
    m["Message-ID"] = "<%s.%d@x.test>" % (tag, i)
    m["Date"] = "Sat, 28 Nov 2026 12:00:00 +0000"
    m.set_content("Hello %d,\nthis is message %d of %s.\n" % (i, i, tag))
    digest = None
    if attach:
        m.add_alternative("<p>Hello <img src=\"cid:logo%d@x.test\"></p>" % i, subtype="html")
        pdf = (b"%%PDF-1.4\n%% message %d\n" % i) + bytes(range(256)) * 8
        digest = hashlib.sha256(pdf).hexdigest()
        m.add_attachment(pdf, maintype="application", subtype="pdf", filename="report-%d.pdf" % i)
        html = m.get_payload()[0].get_payload()[1]
        html.add_related(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", cid="<logo%d@x.test>" % i)
    # SMTP needs CRLF line ends (RFC 5321 §2.3.8); the email package writes LF by default.
    return m.as_bytes(policy=m.policy.clone(linesep="\r\n")), digest


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--rcpt", action="append", default=[])
    p.add_argument("--attach", action="store_true")
    p.add_argument("--tag", default="t")
    args = p.parse_args()
    rcpts = args.rcpt or ["b@y.test"]
    sent = 0
    with open(args.out, "a") as out, smtplib.SMTP("127.0.0.1", args.port, timeout=30) as conn:
        conn.ehlo("client.x.test")
        for i in range(args.count):
            data, digest = build(i, rcpts, args.attach, args.tag)
            conn.mail("a@x.test", ["BODY=8BITMIME"])
            for r in rcpts:
                code, reply = conn.rcpt(r)
                if code != 250:
                    sys.exit("RCPT %s got %d %r" % (r, code, reply))
            code, reply = conn.data(data)
            found = QUEUED.search(reply)
            if code != 250 or not found:
                sys.exit("DATA got %d %r" % (code, reply))
            out.write(json.dumps({"id": found.group(1).decode(), "rcpt_to": rcpts, "attachment_sha256": digest}) + "\n")
            out.flush()
            sent += 1
    print("acknowledged %d" % sent)


if __name__ == "__main__":
    main()
