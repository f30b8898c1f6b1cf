#!/usr/bin/env python3
"""Helpers for bench/webhook.sh: webhook delivery rate and 250-to-POST latency, nginx receiving.

sample   polls /metrics and appends "<unix time> <mailgate_webhook_queue_depth>" lines until killed
send     paced SMTP sender: --rate messages/s over --connections sessions for --seconds, one line
         "<queue id> <unix time of the 250>" per acknowledged message (PIPELINING, raw sockets, so
         the sender itself stays far below the rate's CPU budget)
rate     reads the nginx access log ("$msec $http_webhook_id") and the samples: ingest vs delivery
latency  joins the sent file with the access log through the API's delivery list
         (delivery id -> message id; webhook-id = msg_<delivery id>): p50/p99/max
"""
import argparse
import json
import re
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

QUEUED = re.compile(rb"queued as ([0-9A-Z]{26})")


def sample(args):
    with open(args.out, "a") as out:
        while True:
            try:
                text = urllib.request.urlopen(args.metrics, timeout=5).read().decode()
                m = re.search(r"^mailgate_webhook_queue_depth (\S+)$", text, re.M)
                if m:
                    out.write("%.3f %s\n" % (time.time(), m.group(1)))
                    out.flush()
            except OSError:
                pass
            time.sleep(args.interval)


class Session:
    """One SMTP session that sends with PIPELINING (RFC 2920): MAIL, RCPT and DATA in one write."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.reply()  # 220
        self.sock.sendall(b"EHLO bench.test\r\n")
        self.reply()

    def reply(self):
        """One complete (possibly multi-line) reply."""
        while True:
            lines = self.buf.split(b"\r\n")
            for i, line in enumerate(lines[:-1]):
                if len(line) >= 4 and line[3:4] == b" ":
                    self.buf = b"\r\n".join(lines[i + 1:])
                    return b"\r\n".join(lines[:i + 1])
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("connection closed")
            self.buf += chunk

    def send(self, body):
        t0 = time.time()
        self.sock.sendall(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n")
        for expected in (b"250", b"250", b"354"):
            r = self.reply()
            if not r.startswith(expected):
                raise OSError("unexpected reply %r" % r)
        self.sock.sendall(body)
        r = self.reply()
        t = time.time()
        m = QUEUED.search(r)
        if not r.startswith(b"250") or not m:
            raise OSError("unexpected reply %r" % r)
        return m.group(1).decode(), t, t - t0


def send(args):
    total = int(args.rate * args.seconds)
    filler = ("x" * 76 + "\r\n") * (args.size // 78)
    lock = threading.Lock()
    state = {"next": 0, "late": 0}
    results = []
    start = time.time() + 0.5

    def worker():
        s = Session(args.port)
        mine = []
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= total:
                break
            due = start + i / args.rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.05:
                with lock:
                    state["late"] += 1
            body = ("From: a@x.test\r\nTo: b@y.test\r\nSubject: bench %d\r\n\r\n%s.\r\n" % (i, filler)).encode()
            mine.append(s.send(body))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = max(t for _, t, _ in results) - start if results else 0
    with open(args.out, "w") as out:
        for qid, t, _ in results:
            out.write("%s %.6f\n" % (qid, t))
    smtp = sorted(d * 1000 for _, _, d in results)
    q = statistics.quantiles(smtp, n=100, method="inclusive") if len(smtp) > 1 else [0] * 99
    print("sent %d messages in %.2f s (%.0f msg/s; %d sent more than 50 ms after their slot); "
          "MAIL FROM to 250 after the dot: p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
              len(results), elapsed, len(results) / elapsed if elapsed else 0, state["late"], q[49], q[98],
              smtp[-1] if smtp else 0))


def access_log(path):
    """webhook-id -> time of its first POST (nginx $msec)."""
    first = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            # "-": a request without the header (wait_port's probe connection).
            if len(parts) == 2 and parts[1] != "-" and parts[1] not in first:
                first[parts[1]] = float(parts[0])
    return first


def rate(args):
    posts = sorted(access_log(args.access_log).values())
    samples = []
    with open(args.samples) as f:
        for line in f:
            t, depth = line.split()
            samples.append((float(t), float(depth)))
    during = [d for (t, d) in samples if args.start <= t <= args.end]
    ingest = args.count / (args.end - args.start)
    if not posts:
        print("webhook rate: no POST arrived")
        return
    in_window = sum(1 for t in posts if args.start <= t <= args.end)
    delivery = len(posts) / (posts[-1] - args.start)
    print("webhook rate: ingest %.0f msg/s (%d msgs, smtp-source W1 -s 20); delivered %d, %.0f msg/s from the first "
          "message to the last POST (%d during ingest); queue depth during ingest: max %.0f, last %.0f; "
          "last POST %.2f s after ingest ended" % (
              ingest, args.count, len(posts), delivery, in_window, max(during, default=0),
              during[-1] if during else 0, posts[-1] - args.end))


def latency(args):
    sent = {}
    with open(args.sent) as f:
        for line in f:
            qid, t = line.split()
            sent[qid] = float(t)
    hooks = json.load(urllib.request.urlopen(args.api + "/api/v1/webhooks", timeout=30))["items"]
    webhook_id = next(h["id"] for h in hooks if h.get("default"))
    by_delivery = {}
    cursor = None
    while True:
        url = "%s/api/v1/webhooks/%s/deliveries?limit=500" % (args.api, webhook_id)
        if cursor:
            url += "&cursor=" + urllib.parse.quote(cursor, safe="")
        page = json.load(urllib.request.urlopen(url, timeout=30))
        for d in page["items"]:
            by_delivery["msg_" + d["id"]] = d["message_id"]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    posted = access_log(args.access_log)
    lat = []
    for wid, t in posted.items():
        mid = by_delivery.get(wid)
        if mid in sent:
            lat.append((t - sent[mid]) * 1000)
    lat.sort()
    if not lat:
        print("webhook latency: nothing joined")
        return
    q = statistics.quantiles(lat, n=100, method="inclusive")
    print("webhook latency 250 -> POST at nginx over %d messages (%d sent): p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
        len(lat), len(sent), q[49], q[98], lat[-1]))


p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd", required=True)
a = sub.add_parser("sample")
a.add_argument("--metrics", required=True); a.add_argument("--out", required=True)
a.add_argument("--interval", type=float, default=0.25)
b = sub.add_parser("send")
b.add_argument("--port", type=int, required=True); b.add_argument("--rate", type=float, default=1000)
b.add_argument("--seconds", type=float, default=10); b.add_argument("--connections", type=int, default=16)
b.add_argument("--size", type=int, default=2048); b.add_argument("--out", required=True)
c = sub.add_parser("rate")
c.add_argument("--access-log", required=True); c.add_argument("--samples", required=True)
c.add_argument("--start", type=float, required=True); c.add_argument("--end", type=float, required=True)
c.add_argument("--count", type=int, required=True)
d = sub.add_parser("latency")
d.add_argument("--api", required=True); d.add_argument("--sent", required=True); d.add_argument("--access-log", required=True)
args = p.parse_args()
{"sample": sample, "rate": rate, "send": send, "latency": latency}[args.cmd](args)
