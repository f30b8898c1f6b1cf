#!/usr/bin/env python3
"""Helpers for bench/run.sh: idle-connection RSS and peak RSS for one large message."""
import argparse, smtplib, socket, sys, time


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def idle(args):
    before = rss_kib(args.pid)
    socks = []
    for i in range(args.count):
        s = socket.create_connection(("127.0.0.1", args.port))
        socks.append(s)
    # Read every greeting, so each connection is fully established and greeted.
    greeted = 0
    for s in socks:
        s.settimeout(10)
        if s.recv(512).startswith(b"220"):
            greeted += 1
    time.sleep(0.5)
    after = rss_kib(args.pid)
    print(f"idle: {greeted}/{args.count} connections greeted; RSS {before/1024:.1f} MiB before, "
          f"{after/1024:.1f} MiB with them open ({(after-before)/args.count:.2f} KiB each)")
    for s in socks:
        s.close()


def big(args):
    body = ("X" * 76 + "\r\n") * (args.mib * 1024 * 1024 // 78)
    msg = f"From: a@x.test\r\nTo: b@y.test\r\nSubject: big\r\n\r\n{body}"
    before = rss_kib(args.pid, "VmHWM")
    with smtplib.SMTP("127.0.0.1", args.port, timeout=120) as c:
        c.sendmail("a@x.test", ["b@y.test"], msg)
    peak = rss_kib(args.pid, "VmHWM")
    size = len(msg) / 1048576
    print(f"big: one {size:.1f} MiB message; peak RSS {peak/1024:.1f} MiB (was {before/1024:.1f} MiB before it); "
          f"bar 3 x size + 30 = {3*size+30:.0f} MiB")


p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="cmd", required=True)
a = sub.add_parser("idle"); a.add_argument("--port", type=int); a.add_argument("--count", type=int); a.add_argument("--pid", type=int)
b = sub.add_parser("big"); b.add_argument("--port", type=int); b.add_argument("--mib", type=int); b.add_argument("--pid", type=int)
args = p.parse_args()
{"idle": idle, "big": big}[args.cmd](args)
