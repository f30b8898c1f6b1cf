#!/usr/bin/env python3
"""End-to-end check of the MIME corpus through a running Mailgate.

    python3 compare_api.py --smtp 127.0.0.1:2525 --api http://127.0.0.1:8025 DIR [--token T]

DIR is a corpus written by generate.py (its *.eml files and expected.json). Every message is
sent over SMTP (smtplib); the message id is read from the DATA reply ("250 2.0.0 Ok: queued as
<id>"), the full message is fetched from GET /api/v1/messages/<id> and compared field by field
with expected.json (fields listed in a message's "divergences" are compared with the value
Mailgate documents instead); each attachment is downloaded from its url and its sha256 and size
are compared with the original's. Exits 1 with a readable diff on any mismatch.

Line ends are normalised to CRLF before sending (SMTP requires them; the bare-LF corpus message
tests the parser, not the SMTP server), which changes no expected value.
"""
import argparse
import hashlib
import json
import os
import re
import smtplib
import sys
import urllib.request

FIELDS = ["subject", "from", "to", "cc", "date", "text", "html", "attachments"]


def crlf(data):
    return re.sub(rb"\r?\n", b"\r\n", data)


def fetch(url, token):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def send(smtp_host, smtp_port, data):
    with smtplib.SMTP(smtp_host, smtp_port, timeout=30) as s:
        s.ehlo("corpus.test")
        options = []
        if any(b >= 0x80 for b in data) and s.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        code, resp = s.mail("sender@corpus.test", options)
        if code != 250:
            raise RuntimeError("MAIL FROM: %d %r" % (code, resp))
        code, resp = s.rcpt("rcpt@corpus.test")
        if code not in (250, 251):
            raise RuntimeError("RCPT TO: %d %r" % (code, resp))
        code, resp = s.data(data)
        text = resp.decode("utf-8", "replace")
        m = re.search(r"queued as (\S+)", text)
        if code != 250 or not m:
            raise RuntimeError("DATA: %d %s" % (code, text))
        return m.group(1)


def actual_fields(j):
    def addrs(lst):
        return [[a.get("name", ""), a.get("address", "")] for a in (lst or [])]
    return {
        "subject": j.get("subject"), "from": addrs(j.get("from")), "to": addrs(j.get("to")), "cc": addrs(j.get("cc")),
        "date": j.get("date"), "text": j.get("text"), "html": j.get("html"),
        "attachments": [{"filename": a.get("filename"), "content_type": a.get("content_type"), "size": a.get("size"),
                         "sha256": a.get("sha256")} for a in j.get("attachments", [])],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smtp", required=True, help="HOST:PORT of Mailgate's SMTP listener")
    ap.add_argument("--api", required=True, help="base URL of the HTTP API, e.g. http://127.0.0.1:8025")
    ap.add_argument("--token", default=os.environ.get("MAILGATE_API_TOKEN"), help="API bearer token, if set")
    ap.add_argument("corpus", help="directory written by generate.py")
    args = ap.parse_args()
    host, _, port = args.smtp.rpartition(":")
    base = args.api.rstrip("/")
    with open(os.path.join(args.corpus, "expected.json"), encoding="utf-8") as f:
        messages = json.load(f)["messages"]

    failures, compared, downloads = [], 0, 0
    for e in messages:
        name = e["file"]
        with open(os.path.join(args.corpus, name), "rb") as f:
            data = crlf(f.read())
        try:
            mid = send(host, int(port), data)
            j = json.loads(fetch("%s/api/v1/messages/%s" % (base, mid), args.token))
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
            failures.append("%s: %s" % (name, exc))
            continue
        got = actual_fields(j)
        for field in FIELDS:
            want = e.get(field)
            if field in e.get("divergences", {}):
                want = e["divergences"][field]["mailgate"]
            compared += 1
            if got[field] != want:
                failures.append("%s %s:\n    got  %s\n    want %s" % (
                    name, field, json.dumps(got[field], ensure_ascii=False)[:500], json.dumps(want, ensure_ascii=False)[:500]))
        for a in j.get("attachments", []):
            url = a.get("url", "")
            if url.startswith("/"):
                url = base + url
            try:
                body = fetch(url, args.token)
            except Exception as exc:  # noqa: BLE001
                failures.append("%s attachment %s: download failed: %s" % (name, a.get("id"), exc))
                continue
            downloads += 1
            digest = hashlib.sha256(body).hexdigest()
            if digest != a.get("sha256") or len(body) != a.get("size"):
                failures.append("%s attachment %s: downloaded %d bytes sha256 %s, listed %s bytes sha256 %s" % (
                    name, a.get("id"), len(body), digest, a.get("size"), a.get("sha256")))

    print("%d messages, %d fields compared, %d attachments downloaded" % (len(messages), compared, downloads))
    if failures:
        print("%d mismatches:" % len(failures))
        for line in failures:
            print("  " + line)
        sys.exit(1)
    print("all match")


if __name__ == "__main__":
    main()
