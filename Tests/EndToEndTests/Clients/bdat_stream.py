#!/usr/bin/env python3
"""Writes one client's whole session input as a single byte stream of pipelined BDAT
transactions (RFC 3030 lets a client pipeline BDAT with its content, RFC 2920 the rest):

  MAIL FROM:<a@x.test>\\r\\nRCPT TO:<b@y.test>\\r\\nBDAT <n> LAST\\r\\n<n octets> ... QUIT\\r\\n

Message i is smtp_client.make_message(i, --size, ["b@y.test"], --seed), so store_check.py
--regenerate can verify each stored copy. Prints the sha256 of each message, one per line."""
import argparse, hashlib, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtp_client  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--count", type=int, required=True)
p.add_argument("--size", type=int, required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--out", required=True)
args = p.parse_args()
with open(args.out, "wb") as f:
    for i in range(args.count):
        data = smtp_client.make_message(i, args.size, ["b@y.test"], args.seed)
        f.write(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n")
        f.write(b"BDAT %d LAST\r\n" % len(data) + data)
        print(hashlib.sha256(data).hexdigest())
    f.write(b"QUIT\r\n")
