"""List and search latency with many stored messages (PERFORMANCE.md: first page p99 <= 20 ms).

    python3 bench/list1m.py --smtp PORT --http PORT [--count 1000000] [--workers 4]

Fills a running gateway over SMTP with varied small messages (1 000 senders in 50 domains,
5 000 recipients in 100 domains, subjects and bodies from a word list), pipelined (RFC 2920) on
a few connections, then times the first page (limit 50) of each list shape over HTTP keep-alive,
200 varied queries per shape after a warm-up, and prints p50/p99/max per shape.
Not part of `make bench` (filling 1 000 000 messages takes minutes): run it by hand.
"""
import argparse, http.client, multiprocessing, random, socket, statistics, sys, time, urllib.parse

WORDS = ("invoice order shipped report quarterly meeting agenda travel booking receipt password "
         "reset welcome newsletter weekly digest alert warning error backup complete failed "
         "delivery status update security notice account payment reminder overdue schedule "
         "release notes build pipeline deploy staging production ticket support refund").split()
SENDER_DOMAINS = [f"s{i}.test" for i in range(50)]
RCPT_DOMAINS = [f"r{i}.test" for i in range(100)]


def sender(i):
    return f"user{i % 1000}@{SENDER_DOMAINS[i % 50]}"


def recipient(i):
    return f"rcpt{i % 5000}@{RCPT_DOMAINS[i % 100]}"


def message(i, rng):
    subject = " ".join(rng.choice(WORDS) for _ in range(4))
    body = " ".join(rng.choice(WORDS) for _ in range(40))
    return (f"From: <{sender(i)}>\r\nTo: <{recipient(i)}>\r\nSubject: {subject} {i}\r\n"
            f"Message-ID: <{i}@bench.test>\r\n\r\n{body}\r\n").encode()


def read_replies(sock, buffer, count):
    """Reads `count` final replies; returns the rest of the buffer."""
    while count > 0:
        while b"\r\n" not in buffer:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed")
            buffer += chunk
        line, buffer = buffer.split(b"\r\n", 1)
        if line[:3] in (b"421", b"451", b"452", b"554", b"550", b"500", b"501", b"503"):
            raise RuntimeError(f"refused: {line!r}")
        if len(line) > 3 and line[3:4] == b"-":
            continue
        count -= 1
    return buffer


def fill(args):
    """One worker: messages first..first+count on one connection, 20 transactions at a time
    pipelined with BDAT (RFC 3030: no 354 to wait for), then their 60 replies read at once."""
    port, first, count = args
    rng = random.Random(first)
    sock, buffer = None, b""
    i = first
    while i < first + count:
        # A new connection every 500 messages (the gateway limits messages per connection).
        if (i - first) % 500 == 0:
            if sock:
                sock.sendall(b"QUIT\r\n")
                sock.close()
            sock = socket.create_connection(("127.0.0.1", port))
            buffer = read_replies(sock, b"", 1)
            sock.sendall(b"EHLO bench.test\r\n")
            buffer = read_replies(sock, buffer, 1)
        n = min(20, first + count - i)
        out = bytearray()
        for k in range(i, i + n):
            content = message(k, rng)
            out += f"MAIL FROM:<{sender(k)}>\r\nRCPT TO:<{recipient(k)}>\r\nBDAT {len(content)} LAST\r\n".encode()
            out += content
        sock.sendall(out)
        buffer = read_replies(sock, buffer, 3 * n)
        i += n
    sock.sendall(b"QUIT\r\n")
    sock.close()
    return count


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--smtp", type=int, required=True)
    parser.add_argument("--http", type=int, required=True)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--skip-fill", action="store_true")
    args = parser.parse_args()

    if not args.skip_fill:
        t0 = time.time()
        per = args.count // args.workers
        jobs = [(args.smtp, w * per, per) for w in range(args.workers)]
        with multiprocessing.Pool(args.workers) as pool:
            done = sum(pool.map(fill, jobs))
        print(f"filled {done} messages in {time.time() - t0:.0f} s ({done / (time.time() - t0):.0f} msg/s)", flush=True)

    conn = http.client.HTTPConnection("127.0.0.1", args.http, timeout=60)

    def get(params):
        conn.request("GET", "/api/v1/messages?" + urllib.parse.urlencode(params))
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{params}: {response.status} {body[:200]!r}")
        return body

    rng = random.Random(7)
    n = args.count
    shapes = {
        "no filter": lambda: {},
        "to=address": lambda: {"to": recipient(rng.randrange(n))},
        "to=*@domain": lambda: {"to": "*@" + rng.choice(RCPT_DOMAINS)},
        "from=address": lambda: {"from": sender(rng.randrange(n))},
        "from=*@domain": lambda: {"from": "*@" + rng.choice(SENDER_DOMAINS)},
        "subject=word": lambda: {"subject": rng.choice(WORDS)},
        "q=word": lambda: {"q": rng.choice(WORDS)},
        "q=two words": lambda: {"q": rng.choice(WORDS) + " " + rng.choice(WORDS)},
        "q=prefix*": lambda: {"q": rng.choice(WORDS)[:3] + "*"},
        "to=*@domain+subject": lambda: {"to": "*@" + rng.choice(RCPT_DOMAINS), "subject": rng.choice(WORDS)},
        "to+from": lambda: {"to": recipient(rng.randrange(n)), "from": "*@" + rng.choice(SENDER_DOMAINS)},
        "q+to=*@domain": lambda: {"q": rng.choice(WORDS), "to": "*@" + rng.choice(RCPT_DOMAINS)},
    }
    get({"q": "warmup"})  # the search index is flushed once before timing
    print(f"{'shape':22s} {'p50 ms':>8s} {'p99 ms':>8s} {'max ms':>8s}  (first page of 50, {n} stored)")
    worst = 0.0
    for name, make in shapes.items():
        for _ in range(20):
            get({**make(), "limit": 50})
        times = []
        for _ in range(200):
            params = {**make(), "limit": 50}
            t = time.perf_counter()
            get(params)
            times.append((time.perf_counter() - t) * 1000)
        p99 = percentile(times, 0.99)
        worst = max(worst, p99)
        print(f"{name:22s} {statistics.median(times):8.2f} {p99:8.2f} {max(times):8.2f}", flush=True)
    print(f"worst p99 {worst:.1f} ms (bar 20 ms, goal 5 ms)")


if __name__ == "__main__":
    main()
