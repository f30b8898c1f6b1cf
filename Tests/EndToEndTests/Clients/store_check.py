#!/usr/bin/env python3
"""Checks what a running gateway stored, through its HTTP API (and optionally the SQLite file).

  --acks FILE      JSON lines written by smtp_client.py (or by a test): every acknowledged id must
                   be stored; the stored raw must be the trace headers (Return-Path, Received)
                   followed by exactly the bytes sent ("sha256", or the contents of "tail_file");
                   the envelope of GET /api/v1/messages/{id} must match (mail_from, rcpt_to in
                   order, helo, protocol).
  --regenerate     every stored message was made by smtp_client.make_message: find its seed and
                   number in its Message-ID, its size parameter in X-Test-Size, and compare the
                   whole tail (so nothing stored is partial, acknowledged or not).
  --smtp-source N  every stored message was sent by postfix's smtp-source with -l N: its tail is
                   the four smtp-source headers and exactly the body smtp-source writes.
  --sqlite PATH    also open the database file: PRAGMA integrity_check is "ok", the message count
                   row equals the number listed, every message has its raw and data rows.

Prints one JSON object: {"stored": n, "checked": n, "problems": ["<id>: what is wrong", ...]}.
"""
import argparse, hashlib, json, os, re, sys, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtp_client  # noqa: E402

DATE = (rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} "
        rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}")
# RFC 5321 §4.4 trace fields, folded the way Mailgate (and Postfix) fold them.
TRACE = re.compile(
    rb"Return-Path: <(?P<mail_from>[^>\r\n]*)>\r\n"
    rb"Received: from (?P<helo>[^ \r\n]+) \(\[(?P<ip>[0-9a-fA-F.:]+)\]\)\r\n"
    rb"\tby (?P<host>[^ \r\n]+) \(Mailgate\) with (?P<proto>[A-Z]+) id (?P<id>[0-9A-Z]{26})"
    rb"(?:\r\n\tfor <(?P<rcpt>[^>\r\n]*)>; |;\r\n\t)(?P<date>" + DATE + rb")\r\n")
MESSAGE_ID = re.compile(rb"^Message-ID: <([0-9]+)\.([0-9]+)@x\.test>\r\n.*?^X-Test-Size: ([0-9]+)\r\n", re.M | re.S)
SMTP_SOURCE_HEAD = re.compile(
    rb"From: <(?P<from>[^>]*)>\r\nTo: <(?P<to>[^>]*)>\r\nDate: [^\r\n]+\r\nMessage-Id: <(?P<mid>[^>]+)>\r\n\r\n")


class API:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=60) as r:
            return r.read()

    def json(self, path):
        return json.loads(self.get(path))

    def list_ids(self):
        ids, cursor = [], None
        while True:
            page = self.json("/api/v1/messages?limit=500" + (f"&cursor={cursor}" if cursor else ""))
            ids += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                return ids


def smtp_source_body(length):
    """The body smtp-source -l LENGTH writes: numbered 80-octet lines, then the rest as X's."""
    lines, n, k = [], length, 0
    while n > 80:
        k += 1
        lines.append(str(k % 10) + "X" * 77)
        n -= 80
    lines.append("X" * n)
    return ("\r\n".join(lines) + "\r\n").encode()


def split_trace(raw):
    m = TRACE.match(raw)
    return (m, raw[m.end():]) if m else (None, None)


def check_ack(api, ack, hostname, problems):
    mid = ack["id"]
    try:
        raw = api.get(f"/api/v1/messages/{mid}/raw")
        message = api.json(f"/api/v1/messages/{mid}")
    except urllib.error.HTTPError as e:
        problems.append(f"{mid}: GET answered {e.code}")
        return
    m, tail = split_trace(raw)
    if not m:
        problems.append(f"{mid}: trace headers malformed: {raw[:400]!r}")
        return
    rcpts = ack["rcpt_to"]
    expected = {"mail_from": ack["mail_from"], "ip": "127.0.0.1", "host": hostname, "id": mid,
                "rcpt": rcpts[0] if len(rcpts) == 1 else None, "helo": ack.get("helo"),
                "proto": ack.get("protocol")}
    for key, want in expected.items():
        got = m.group(key)
        got = got.decode() if got is not None else None
        if want is not None or key == "rcpt":
            if got != want:
                problems.append(f"{mid}: Received/Return-Path {key} is {got!r}, expected {want!r}")
    if "tail_file" in ack:
        with open(ack["tail_file"], "rb") as f:
            want_sha = hashlib.sha256(f.read()).hexdigest()
    else:
        want_sha = ack["sha256"]
    if hashlib.sha256(tail).hexdigest() != want_sha:
        problems.append(f"{mid}: stored content differs from what was sent ({len(tail)} octets stored)")
    if message.get("size") != len(raw):
        problems.append(f"{mid}: size {message.get('size')} but raw has {len(raw)} octets")
    env = message.get("envelope", {})
    for key, want in (("mail_from", ack["mail_from"]), ("rcpt_to", rcpts), ("helo", ack.get("helo")),
                      ("protocol", ack.get("protocol")), ("remote_addr", "127.0.0.1")):
        if want is not None and env.get(key) != want:
            problems.append(f"{mid}: envelope {key} is {env.get(key)!r}, expected {want!r}")


def check_regenerated(api, mid, problems):
    raw = api.get(f"/api/v1/messages/{mid}/raw")
    m, tail = split_trace(raw)
    if not m:
        problems.append(f"{mid}: trace headers malformed: {raw[:400]!r}")
        return
    found = MESSAGE_ID.search(tail.split(b"\r\n\r\n", 1)[0] + b"\r\n")
    if not found:
        problems.append(f"{mid}: no Message-ID to regenerate from: {tail[:300]!r}")
        return
    seed, i, size = int(found.group(1)), int(found.group(2)), int(found.group(3))
    rcpts = api.json(f"/api/v1/messages/{mid}")["envelope"]["rcpt_to"]
    if tail != smtp_client.make_message(i, size, rcpts, seed):
        problems.append(f"{mid}: message {seed}.{i} stored incompletely or altered ({len(tail)} octets)")


def check_smtp_source(api, mid, length, seen, problems):
    raw = api.get(f"/api/v1/messages/{mid}/raw")
    m, tail = split_trace(raw)
    if not m:
        problems.append(f"{mid}: trace headers malformed: {raw[:400]!r}")
        return
    head = SMTP_SOURCE_HEAD.match(tail)
    if not head:
        problems.append(f"{mid}: not smtp-source's header block: {tail[:300]!r}")
        return
    if tail[head.end():] != smtp_source_body(length):
        problems.append(f"{mid}: body is not smtp-source's {length}-octet body ({len(tail) - head.end()} octets)")
    if head.group("mid") in seen:
        problems.append(f"{mid}: Message-Id {head.group('mid')!r} stored twice")
    seen.add(head.group("mid"))


def check_sqlite(path, listed, problems):
    import sqlite3
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"database: integrity_check says {integrity[:5]}")
        count = db.execute("SELECT count FROM message_count").fetchone()[0]
        rows = db.execute("SELECT count(*) FROM messages").fetchone()[0]
        if count != listed or rows != listed:
            problems.append(f"database: message_count {count}, messages rows {rows}, listed {listed}")
        for table in ("message_raw", "message_data"):
            orphans = db.execute(f"SELECT count(*) FROM messages m WHERE NOT EXISTS "
                                 f"(SELECT 1 FROM {table} t WHERE t.seq = m.seq)").fetchone()[0]
            if orphans:
                problems.append(f"database: {orphans} messages without a {table} row")
        short = db.execute("SELECT count(*) FROM messages m JOIN message_raw r ON r.seq = m.seq "
                           "WHERE length(r.raw) != m.size").fetchone()[0]
        if short:
            problems.append(f"database: {short} raw blobs whose length differs from messages.size")
    finally:
        db.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--http", type=int, required=True)
    p.add_argument("--acks", action="append", default=[])
    p.add_argument("--hostname", default="mx.test")
    p.add_argument("--regenerate", action="store_true")
    p.add_argument("--smtp-source", type=int)
    p.add_argument("--sqlite")
    args = p.parse_args()
    api = API(args.http)
    problems = []
    ids = api.list_ids()
    stored = set(ids)
    if len(stored) != len(ids):
        problems.append(f"listing: {len(ids) - len(stored)} ids listed twice")
    checked = 0
    for path in args.acks:
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                ack = json.loads(line)
                checked += 1
                if ack["id"] not in stored:
                    problems.append(f"{ack['id']}: acknowledged but not stored")
                    continue
                check_ack(api, ack, args.hostname, problems)
    if args.regenerate:
        for mid in ids:
            check_regenerated(api, mid, problems)
    if args.smtp_source is not None:
        seen = set()
        for mid in ids:
            check_smtp_source(api, mid, args.smtp_source, seen, problems)
    if args.sqlite:
        check_sqlite(args.sqlite, len(ids), problems)
    print(json.dumps({"stored": len(ids), "checked": checked, "problems": problems}))


if __name__ == "__main__":
    main()
