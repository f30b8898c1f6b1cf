#!/usr/bin/env python3
"""SMTP load for the shutdown test: --clients threads, each sending messages over raw sockets
until the server stops taking connections, recording exactly what it saw.

Every reply is read whole (all lines of a multi-line reply, each ending in CRLF), so the report
can tell a clean end (421 4.3.2, then close) from a connection cut in the middle of a reply or
with no reply at all. Output (--out): one JSON object:
  {"acked": [queue ids that got 250 after DATA],
   "sessions": [{"greeted": bool, "end": "421" | "eof_after_reply" | "cut_mid_reply" |
                 "reset" | "refused" | "timeout" | "unexpected <code>", "last": "<last reply>"}]}
A session that ends any other way than "421" after its greeting is what the test forbids;
"refused" (the listener is closed) ends a client's loop.

--slow-clients K: K more clients that send one message whose body takes --slow-seconds to
arrive (a transaction in progress at SIGTERM, which must still get its 250, then 421).
--stall-clients K: K more clients that send half a body and then wait (a transaction that
outlives the grace period, which must get a 421 4.3.2 instead of its 250).
Both write one line to --started when their DATA is under way. Their sessions carry "kind".
"""
import argparse, json, re, socket, threading, time

QUEUED = re.compile(r"queued as ([0-9A-Z]{26})")


class Cut(Exception):
    def __init__(self, kind, partial=""):
        super().__init__(kind)
        self.kind, self.partial = kind, partial


class Session:
    def __init__(self, sock):
        self.sock, self.buffer = sock, b""

    def reply(self):
        """One whole reply: (code, text). Raises Cut when the connection ends inside it."""
        lines = []
        while True:
            while b"\r\n" not in self.buffer:
                try:
                    chunk = self.sock.recv(65536)
                except socket.timeout:
                    raise Cut("timeout", self.buffer.decode(errors="replace"))
                except ConnectionResetError:
                    raise Cut("reset" if not lines and not self.buffer else "cut_mid_reply")
                if not chunk:
                    raise Cut("eof_after_reply" if not lines and not self.buffer else "cut_mid_reply",
                              self.buffer.decode(errors="replace"))
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            text = line.decode(errors="replace")
            lines.append(text)
            if len(text) < 4 or text[3] != "-":
                return int(text[:3]), "\n".join(lines)

    def command(self, line):
        try:
            self.sock.sendall(line.encode() + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # a 421 may already be waiting to be read
        return self.reply()


def message(client, n, size):
    body = "".join(f"line {i} of message {n} from client {client}\r\n" for i in range(max(1, size // 40)))
    return (f"From: c{client}@x.test\r\nTo: b@y.test\r\nSubject: load {client}.{n}\r\n"
            f"Message-ID: <{client}.{n}@x.test>\r\n\r\n{body}").encode()


def client_loop(client, args, acked, sessions, lock):
    n = 0
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", args.port), timeout=args.timeout)
        except ConnectionRefusedError:
            with lock:
                sessions.append({"greeted": False, "end": "refused", "last": "", "kind": "fast"})
            return
        except OSError as error:
            with lock:
                sessions.append({"greeted": False, "end": f"connect error {error}", "last": "", "kind": "fast"})
            return
        s = Session(sock)
        record = {"greeted": False, "end": None, "last": "", "kind": "fast"}
        try:
            code, text = s.reply()
            record["last"] = text
            if code != 220:
                raise Cut("421" if code == 421 else f"unexpected {code}")
            record["greeted"] = True
            code, text = s.command("EHLO load.x.test")
            record["last"] = text
            for _ in range(args.per_connection):
                steps = [f"MAIL FROM:<c{client}@x.test>", "RCPT TO:<b@y.test>", "DATA"]
                for step in steps:
                    code, text = s.command(step)
                    record["last"] = text
                    if code == 421:
                        raise Cut("421")
                    if code not in (250, 354):
                        raise Cut(f"unexpected {code}")
                data = message(client, n, args.size).replace(b"\r\n.", b"\r\n..") + b".\r\n"
                try:
                    sock.sendall(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                code, text = s.reply()
                record["last"] = text
                if code == 421:
                    raise Cut("421")
                if code != 250:
                    raise Cut(f"unexpected {code}")
                m = QUEUED.search(text)
                with lock:
                    acked.append(m.group(1) if m else "?")
                n += 1
            code, text = s.command("QUIT")
            record["last"] = text
            record["end"] = "quit" if code == 221 else ("421" if code == 421 else f"unexpected {code}")
        except Cut as cut:
            record["end"] = cut.kind
            if cut.kind == "421":
                # After 421 the server closes: the rest of the stream must be empty.
                try:
                    rest = sock.recv(1)
                    if rest:
                        record["end"] = "data_after_421"
                except OSError:
                    pass
        finally:
            sock.close()
            with lock:
                sessions.append(record)


def one_slow_message(client, args, acked, sessions, lock, stall):
    record = {"greeted": False, "end": None, "last": "", "kind": "stall" if stall else "slow"}
    try:
        sock = socket.create_connection(("127.0.0.1", args.port), timeout=args.timeout)
    except OSError as error:
        record["end"] = f"connect error {error}"
        with lock:
            sessions.append(record)
        return
    s = Session(sock)
    try:
        code, record["last"] = s.reply()
        record["greeted"] = code == 220
        for step in ["EHLO slow.x.test", f"MAIL FROM:<s{client}@x.test>", "RCPT TO:<b@y.test>", "DATA"]:
            code, record["last"] = s.command(step)
            if code not in (250, 354):
                raise Cut("421" if code == 421 else f"unexpected {code}")
        data = message(client, 0, args.size).replace(b"\r\n.", b"\r\n..")
        with lock:
            with open(args.started, "a") as f:
                f.write(f"{record['kind']} {client}\n")
        if stall:
            sock.sendall(data[: len(data) // 2])
            code, record["last"] = s.reply()  # nothing more is sent: only the server can end this
            raise Cut("421" if code == 421 else f"unexpected {code}")
        pieces = 10
        step = max(1, len(data) // pieces)
        for i in range(0, len(data), step):
            sock.sendall(data[i:i + step])
            time.sleep(args.slow_seconds / pieces)
        sock.sendall(b".\r\n")
        code, record["last"] = s.reply()
        if code != 250:
            raise Cut("421" if code == 421 else f"unexpected {code}")
        m = QUEUED.search(record["last"])
        record["queued"] = m.group(1) if m else "?"
        with lock:
            acked.append(record["queued"])
        code, record["last"] = s.command("QUIT")
        record["end"] = "quit" if code == 221 else ("421" if code == 421 else f"unexpected {code}")
    except Cut as cut:
        record["end"] = cut.kind
        if cut.kind == "421":
            try:
                if sock.recv(1):
                    record["end"] = "data_after_421"
            except OSError:
                pass
    finally:
        sock.close()
        with lock:
            sessions.append(record)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--clients", type=int, default=6)
    p.add_argument("--per-connection", type=int, default=5)
    p.add_argument("--size", type=int, default=4000)
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--progress", required=True, help="file that gets one line per 250 as it happens")
    p.add_argument("--out", required=True)
    p.add_argument("--slow-clients", type=int, default=0)
    p.add_argument("--stall-clients", type=int, default=0)
    p.add_argument("--slow-seconds", type=float, default=3)
    p.add_argument("--started", default="/dev/null")
    args = p.parse_args()
    acked, sessions, lock = [], [], threading.Lock()

    class Progress(list):
        def append(self, item):
            super().append(item)
            with open(args.progress, "a") as f:
                f.write(item + "\n")

    acked = Progress()
    threads = [threading.Thread(target=client_loop, args=(i, args, acked, sessions, lock)) for i in range(args.clients)]
    threads += [threading.Thread(target=one_slow_message, args=(1000 + i, args, acked, sessions, lock, False))
                for i in range(args.slow_clients)]
    threads += [threading.Thread(target=one_slow_message, args=(2000 + i, args, acked, sessions, lock, True))
                for i in range(args.stall_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(args.out, "w") as f:
        json.dump({"acked": list(acked), "sessions": sessions}, f)


if __name__ == "__main__":
    main()
