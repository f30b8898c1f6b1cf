#!/usr/bin/env python3
"""SMTP client for the end-to-end tests, built on Python's smtplib (a client nobody here wrote).

send:  sends --count messages and writes one JSON line per acknowledged message to --out:
       {"id": <queue id from the 250 reply>, "sha256": <sha256 of the bytes sent>, "size": n,
        "mail_from": ..., "rcpt_to": [...]}
loop:  like send, but keeps sending until the server goes away (for the crash test); each line is
       flushed and fsync'ed as soon as the 250 arrives, so the file lists exactly what was acked.
sendmail: one message through smtplib's high-level sendmail(), which declares SIZE=<n> on MAIL
       when the server advertises SIZE (RFC 1870); prints {"ok": [...]} or {"refused": code, "reply": text}.
"""
import argparse, hashlib, json, os, random, re, smtplib, sys

QUEUED = re.compile(rb"queued as ([0-9A-Z]{26})")


def make_message(i, size, rcpts, seed):
    rnd = random.Random(seed * 1000003 + i)
    lines = [f"From: Sender {i} <a@x.test>", "To: " + ", ".join(rcpts), f"Subject: message {i} of seed {seed}",
             f"Message-ID: <{seed}.{i}@x.test>", "Date: Sat, 28 Nov 2026 12:00:00 +0000",
             f"X-Test-Size: {size}", ""]
    body = []
    total = sum(len(l) + 2 for l in lines)
    n = 0
    while total < size:
        # Include lines starting with dots to exercise dot-stuffing both ways.
        word = "".join(rnd.choices("abcdefghij klmnop.", k=rnd.randint(1, 76)))
        if n % 7 == 3:
            word = "." + word
        body.append(word)
        total += len(word) + 2
        n += 1
    return ("\r\n".join(lines + body) + "\r\n").encode()


def send_one(conn, i, args, rcpts):
    data = make_message(i, args.size, rcpts, args.seed)
    conn.mail(args.mail_from)
    for r in rcpts:
        code, _ = conn.rcpt(r)
        if code != 250:
            raise RuntimeError(f"RCPT {r} got {code}")
    code, reply = conn.data(data)
    if code != 250:
        raise RuntimeError(f"DATA got {code} {reply!r}")
    m = QUEUED.search(reply)
    if not m:
        raise RuntimeError(f"no queue id in {reply!r}")
    return {"id": m.group(1).decode(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
            "mail_from": args.mail_from, "rcpt_to": rcpts, "helo": args.helo, "protocol": "ESMTP"}


def sendmail(args, rcpts):
    data = make_message(0, args.size, rcpts, args.seed)
    with smtplib.SMTP("127.0.0.1", args.port, timeout=30) as conn:
        conn.ehlo(args.helo)
        try:
            conn.sendmail(args.mail_from, rcpts, data, mail_options=["SMTPUTF8"] if args.smtputf8 else [])
            print(json.dumps({"ok": rcpts}))
        except smtplib.SMTPSenderRefused as e:
            print(json.dumps({"refused": e.smtp_code, "reply": e.smtp_error.decode()}))
        except smtplib.SMTPRecipientsRefused as e:
            code, reply = next(iter(e.recipients.values()))
            print(json.dumps({"refused": code, "reply": reply.decode()}))
        except smtplib.SMTPDataError as e:
            print(json.dumps({"refused": e.smtp_code, "reply": e.smtp_error.decode()}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["send", "loop", "sendmail"])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--size", type=int, default=2048)
    p.add_argument("--rcpt", action="append", default=[])
    p.add_argument("--mail-from", default="a@x.test")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--helo", default="client.x.test")
    p.add_argument("--per-connection", type=int, default=10)
    p.add_argument("--out")
    p.add_argument("--smtputf8", action="store_true", help="sendmail: declare SMTPUTF8 (RFC 6531)")
    args = p.parse_args()
    rcpts = args.rcpt or ["b@y.test"]
    if args.mode == "sendmail":
        sendmail(args, rcpts)
        return
    if not args.out:
        p.error("--out is required with send and loop")
    out = open(args.out, "a")
    i = 0
    try:
        while args.mode == "loop" or i < args.count:
            with smtplib.SMTP("127.0.0.1", args.port, timeout=30) as conn:
                conn.ehlo(args.helo)
                for _ in range(args.per_connection):
                    if args.mode == "send" and i >= args.count:
                        break
                    rec = send_one(conn, i, args, rcpts)
                    out.write(json.dumps(rec) + "\n")
                    out.flush()
                    os.fsync(out.fileno())
                    i += 1
    except (OSError, smtplib.SMTPException, RuntimeError) as e:
        if args.mode == "send":
            print(f"error after {i} messages: {e}", file=sys.stderr)
            sys.exit(1)
    print(f"acknowledged {i}")


if __name__ == "__main__":
    main()
