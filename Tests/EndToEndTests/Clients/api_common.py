"""Shared helpers of the API end-to-end clients: HTTP with urllib/http.client, SMTP with smtplib.

Every check raises CheckFailed with a message naming what differed; `main` turns that into exit
status 1 and one `FAIL ...` line, so the Swift test shows the reason.
"""
import http.client, json, re, smtplib, socket, sys, time, urllib.error, urllib.request

QUEUED = re.compile(rb"queued as ([0-9A-Z]{26})")


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def equal(actual, expected, what):
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


class API:
    """A tiny client over urllib; `token` adds the bearer header."""

    def __init__(self, port, token=None):
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.token = token

    def request(self, method, path, body=None, headers=None, content_type="application/json"):
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", content_type)
        if self.token:
            hdrs.setdefault("Authorization", f"Bearer {self.token}")
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def json(self, method, path, body=None, expect=200, headers=None):
        status, hdrs, raw = self.request(method, path, body, headers)
        equal(status, expect, f"{method} {path} status (body {raw[:300]!r})")
        return json.loads(raw) if raw else None, hdrs

    def get(self, path, expect=200):
        return self.json("GET", path, expect=expect)[0]


def error_shape(raw, code, what):
    """The one error shape: {"error": {"code", "message"}} and nothing else."""
    body = json.loads(raw)
    equal(set(body), {"error"}, f"{what}: top-level keys")
    equal(set(body["error"]), {"code", "message"}, f"{what}: error keys")
    equal(body["error"]["code"], code, f"{what}: code")
    check(isinstance(body["error"]["message"], str) and body["error"]["message"], f"{what}: empty message")


def send(smtp_port, messages):
    """Sends (mail_from, [rcpt], bytes) tuples on one connection; returns the queue ids."""
    ids = []
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=60) as s:
        s.ehlo("client.test")
        for mail_from, rcpts, data in messages:
            code, reply = s.mail(mail_from)
            equal(code, 250, f"MAIL FROM {mail_from} ({reply!r})")
            for r in rcpts:
                code, reply = s.rcpt(r)
                equal(code, 250, f"RCPT {r}")
            code, reply = s.data(data)
            equal(code, 250, "DATA reply")
            ids.append(QUEUED.search(reply).group(1).decode())
    return ids


def message(subject, frm="a@x.test", to="b@y.test", body="hello", extra=""):
    return (f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{subject.replace(' ', '.')}@x.test>\r\n"
            f"Date: Sat, 28 Nov 2026 12:00:00 +0000\r\n{extra}\r\n{body}\r\n").encode()


def raw_http(port, data, read_until_close=True, timeout=10):
    """Writes `data` in one send and returns everything read until the server closes (or times out)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
                if not read_until_close:
                    break
        except socket.timeout:
            chunks.append(b"<timeout>")
        return b"".join(chunks)


def run(checks):
    """Runs the named check functions given on the command line; prints one line each."""
    names = sys.argv[2:] or list(checks)
    try:
        for name in names:
            started = time.monotonic()
            detail = checks[name]()
            print(f"ok {name} ({time.monotonic() - started:.1f}s){': ' + detail if detail else ''}", flush=True)
    except CheckFailed as e:
        print(f"FAIL {name}: {e}", flush=True)
        sys.exit(1)
