#!/usr/bin/env python3
"""A raw SMTP socket client for the end-to-end tests: it writes exactly the bytes it is given,
in exactly the writes it is given, and reports exactly what came back.

Each argument after the options is one step, run in order:

  send:<text>    write <text> in one send() call; Python escapes are decoded (\\r \\n \\x00 ...)
  sendfile:<p>   write the contents of file <p> in one sendall() call
  recv           read one complete reply (a multiline reply counts as one)
  shutdown       half-close: send FIN (shutdown SHUT_WR), keep reading
  close          read until the server closes the connection (or --timeout passes)
  touch:<p>      create file <p> (tells the test a point was reached)
  await:<p>      wait until file <p> exists (the test says go on)
  sleep:<s>      sleep <s> seconds

Prints one JSON object: {"replies": [reply, ...], "closed": "eof" | "reset" | null,
"extra": "<bytes after the last complete reply>", "error": null | "<text>"}. A reply is its lines
joined with "\\n" (without CRLF). "closed" is null when the connection was still open at the end.
"""
import argparse, codecs, json, os, re, socket, sys, time

REPLY_LINE = re.compile(rb"^[0-9]{3}([ -])")


class Conversation:
    def __init__(self, sock, timeout):
        self.sock = sock
        self.timeout = timeout
        self.buffer = b""
        self.replies = []
        self.closed = None

    def _fill(self, deadline):
        """Reads more bytes; returns False once the peer closed or the deadline passed."""
        if self.closed:
            return False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no reply in time")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            self.closed = "reset"
            return False
        if not chunk:
            self.closed = "eof"
            return False
        self.buffer += chunk
        return True

    def _take_reply(self):
        """Removes one complete reply from the buffer, or returns None."""
        lines = []
        offset = 0
        while True:
            end = self.buffer.find(b"\r\n", offset)
            if end < 0:
                return None
            line = self.buffer[offset:end]
            offset = end + 2
            lines.append(line.decode("latin-1"))
            m = REPLY_LINE.match(line)
            if not m or m.group(1) == b" ":
                self.buffer = self.buffer[offset:]
                return "\n".join(lines)

    def recv(self):
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._take_reply()
            if reply is not None:
                self.replies.append(reply)
                return
            if not self._fill(deadline):
                raise ConnectionError("connection closed while waiting for a reply")

    def close(self):
        deadline = time.monotonic() + self.timeout
        try:
            while self._fill(deadline):
                pass
        finally:
            # Even on a timeout, report what did arrive.
            while True:
                reply = self._take_reply()
                if reply is None:
                    break
                self.replies.append(reply)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("steps", nargs="*")
    args = p.parse_args()
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=args.timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conv = Conversation(sock, args.timeout)
    error = None
    try:
        for step in args.steps:
            kind, _, arg = step.partition(":")
            if kind == "send":
                data = codecs.decode(arg, "unicode_escape").encode("latin-1")
                sent = sock.send(data)
                if sent != len(data):
                    sock.sendall(data[sent:])
            elif kind == "sendfile":
                with open(arg, "rb") as f:
                    sock.sendall(f.read())
            elif kind == "shutdown":
                sock.shutdown(socket.SHUT_WR)
            elif kind == "recv":
                conv.recv()
            elif kind == "close":
                conv.close()
            elif kind == "touch":
                open(arg, "w").close()
            elif kind == "await":
                deadline = time.monotonic() + args.timeout
                while not os.path.exists(arg):
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{arg} did not appear")
                    time.sleep(0.01)
            elif kind == "sleep":
                time.sleep(float(arg))
            else:
                raise ValueError(f"unknown step {step!r}")
    except (OSError, ValueError) as e:
        error = f"{type(e).__name__}: {e}"
    print(json.dumps({"replies": conv.replies, "closed": conv.closed,
                      "extra": conv.buffer.decode("latin-1"), "error": error}))


if __name__ == "__main__":
    main()
