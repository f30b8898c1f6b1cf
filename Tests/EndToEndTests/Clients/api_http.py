#!/usr/bin/env python3
"""HTTP/1.1 framing checks on raw sockets: keep-alive, pipelining, smuggling-shaped requests,
size limits, slow clients, bearer auth.

usage: api_http.py HTTP_PORT [check ...]    (MAILGATE_API_TOKEN in the environment: the
                                             token the server was started with, for `auth`)
"""
import json, os, socket, sys, time

from api_common import API, CheckFailed, check, equal, error_shape, raw_http, run

PORT = int(sys.argv[1])


class Reader:
    """Reads responses one by one off a socket (Content-Length framing)."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _fill(self):
        c = self.sock.recv(65536)
        if not c:
            raise CheckFailed(f"connection closed mid-response after {self.buf[:200]!r}")
        self.buf += c

    def response(self, head_only=False):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        length = 0 if head_only or status in (204, 304) else int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def closed(self):
        """True when the server closes with nothing more to send."""
        self.sock.settimeout(5)
        try:
            return self.sock.recv(1) == b""
        except (socket.timeout, ConnectionResetError):
            return False


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    return s, Reader(s)


def get(path, extra=""):
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode()


def keepalive():
    s, r = connect()
    for i in range(3):
        s.sendall(get("/livez"))
        status, headers, body = r.response()
        equal((status, body), (200, b"ok\n"), f"request {i} on one connection")
        check(headers.get("connection", "").lower() != "close", "server asked to close a keep-alive connection")
    s.sendall(get("/livez", "Connection: close\r\n"))
    status, headers, _ = r.response()
    equal((status, headers.get("connection")), (200, "close"), "Connection: close answer")
    check(r.closed(), "server kept the connection after Connection: close")
    s.close()


def pipelined():
    """Three requests in one write get three responses, in order, on one connection."""
    s, r = connect()
    s.sendall(get("/livez") + get("/api/v1/messages/01JDX4Q6W9Z7ZK3B2B7T1N5G3M") + get("/readyz"))
    got = [r.response() for _ in range(3)]
    equal([g[0] for g in got], [200, 404, 200], "pipelined statuses")
    equal(got[0][2], b"ok\n", "first body")
    error_shape(got[1][2], "not_found", "second body")
    equal(got[2][2], b"ok\n", "third body")
    # A HEAD in the middle of a pipeline: no body, and the next response still parses.
    s.sendall(b"HEAD /api/v1/messages HTTP/1.1\r\nHost: t\r\n\r\n" + get("/livez"))
    status, headers, _ = r.response(head_only=True)
    check(status == 200 and int(headers["content-length"]) > 0, "HEAD in a pipeline")
    equal(r.response()[2], b"ok\n", "response after the HEAD")
    s.close()


def malformed():
    """Framing errors: 400 (or 413/414/431), the error shape, then the connection is closed."""
    cases = {
        "TE and CL": (b"POST /api/v1/webhooks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "bad_request"),
        "bad chunk size": (b"POST /api/v1/webhooks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "bad_request"),
        "two lengths": (b"POST /api/v1/webhooks HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                        400, "bad_request"),
        "bad request line": (b"GET /livez HTTP/1.1 extra\r\nHost: t\r\n\r\n", 400, "bad_request"),
        "header block over 32 KiB": (b"GET /livez HTTP/1.1\r\nHost: t\r\n" + b"".join(
            f"X-Filler-{i}: {'a' * 1000}\r\n".encode() for i in range(40)) + b"\r\n", 431, "header_fields_too_large"),
        "request line over 8 KiB": (b"GET /api/v1/messages?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n",
                                    414, "uri_too_long"),
        "body over 1 MiB": (b"POST /api/v1/webhooks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                            b"Content-Length: 2000000\r\n\r\n{", 413, "payload_too_large"),
    }
    for name, (data, status, code) in cases.items():
        s, r = connect()
        s.sendall(data)
        got, headers, body = r.response()
        equal(got, status, name)
        error_shape(body, code, name)
        equal(headers.get("connection"), "close", f"{name}: Connection header")
        check(r.closed(), f"{name}: connection left open")
        s.close()
    # A chunked body that is well formed is fine (and the connection lives on).
    s, r = connect()
    first, second = b'{"ur', b'l": "http://127.0.0.1:9/chunked"}'
    s.sendall(b"POST /api/v1/webhooks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n%s\r\n%x;ext=1\r\n%s\r\n0\r\n\r\n"
              % (len(first), first, len(second), second) + get("/livez"))
    status, _, body = r.response()
    equal(status, 201, f"chunked POST ({body[:200]!r})")
    equal(r.response()[0], 200, "request after a chunked body")
    s.close()


def slow():
    """A client dripping its request slower than MAILGATE_HTTP_TIMEOUT (1 s) gets 408 and a close."""
    s, r = connect()
    started = time.monotonic()
    try:
        for b in b"GET /livez HTTP/1.1\r\nHost: slow\r\n":
            s.sendall(bytes([b]))
            time.sleep(0.1)
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, headers, body = r.response()
    equal(status, 408, "slow client status")
    error_shape(body, "request_timeout", "slow client")
    check(r.closed(), "slow client: connection left open")
    check(time.monotonic() - started < 10, "408 took too long")
    s.close()


def auth():
    token = os.environ["MAILGATE_API_TOKEN"]
    api = API(PORT)
    status, headers, body = api.request("GET", "/api/v1/messages")
    equal(status, 401, "no token")
    equal(headers["WWW-Authenticate"], 'Bearer realm="mailgate"', "challenge without a token")
    error_shape(body, "unauthorized", "no token")
    status, headers, _ = api.request("GET", "/api/v1/messages", headers={"Authorization": "Bearer wrong"})
    equal((status, headers["WWW-Authenticate"]), (401, 'Bearer realm="mailgate", error="invalid_token"'), "wrong token")
    equal(api.request("GET", "/api/v1/messages", headers={"Authorization": "Basic " + token})[0], 401, "Basic scheme")
    equal(api.request("GET", "/api/v1/messages", headers={"Authorization": "bearer " + token})[0], 200,
          "scheme is case-insensitive (RFC 9110 §11.1)")
    equal(api.request("GET", "/api/v1/nothing-here")[0], 401, "auth before routing")
    equal(api.request("GET", "/metrics")[0], 401, "metrics follows the API token")
    equal(api.request("GET", "/metrics", headers={"Authorization": "Bearer " + token})[0], 200, "metrics with token")
    equal(api.request("GET", "/livez")[:1] + (api.request("GET", "/livez")[2],), (200, b"ok\n"), "livez is open")
    equal(api.request("GET", "/readyz")[0], 200, "readyz is open")
    equal(API(PORT, token).request("GET", "/api/v1/webhooks")[0], 200, "right token")


if __name__ == "__main__":
    run({"keepalive": keepalive, "pipelined": pipelined, "malformed": malformed, "slow": slow, "auth": auth})
