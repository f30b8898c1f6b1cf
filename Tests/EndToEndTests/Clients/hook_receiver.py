#!/usr/bin/env python3
"""Webhook receiver for the end-to-end tests: a small threaded http.server that verifies every
request with the `standardwebhooks` package (never Mailgate's own code) and records it.

    python3 hook_receiver.py --config CONFIG.json --records RECORDS.jsonl [--port N]

Prints "PORT <n>" once it listens. CONFIG.json is re-read on every request, so a test can change
how a path answers while the receiver runs:

    {"routes": {"/path": {"mode": "ok", "secret": "whsec_..."}}, "release": "/tmp/.../release"}

Modes: ok (200), fail2 (500 for the first two requests of each webhook-id, then 200), gone (410),
hang (holds the request until the release file exists, at most 10 minutes, then 200),
slow (sleeps "delay_ms", then 200). A route's "status" replaces the status its mode answers
(hang with status 410: held, then 410). An unknown path answers 404.

Each request appends one JSON line to RECORDS.jsonl as soon as its body is read (before the
answer): path, webhook_id, timestamp, signature, user_agent, content_type, verified (the
signature checked under the route's secret), verify_error, status (the answer it will get),
body, received_at (Unix seconds, float) and in_flight (requests of this path being answered at
that moment, this one included).
"""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

lock = threading.Lock()
seen = {}
in_flight = {}
config_cache = {"mtime": None, "value": {"routes": {}}}


def load_config(path):
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return config_cache["value"]
    if mtime != config_cache["mtime"]:
        try:
            with open(path) as f:
                config_cache["value"] = json.load(f)
            config_cache["mtime"] = mtime
        except (OSError, ValueError):
            pass  # half-written by the test: keep the previous one, the next request re-reads
    return config_cache["value"]


def make_handler(args):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                config = load_config(args.config)
            route = config.get("routes", {}).get(self.path)
            mode = route["mode"] if route else "missing"
            verified, verify_error = False, None
            if route and route.get("secret"):
                try:
                    Webhook(route["secret"]).verify(body, {k: v for (k, v) in self.headers.items()})
                    verified = True
                except Exception as e:  # noqa: BLE001 - any failure is the answer
                    verify_error = "%s: %s" % (type(e).__name__, e)
            wid = self.headers.get("webhook-id", "")
            with lock:
                key = (self.path, wid)
                seen[key] = seen.get(key, 0) + 1
                nth = seen[key]
                in_flight[self.path] = in_flight.get(self.path, 0) + 1
                current = in_flight[self.path]
            status = {"ok": 200, "gone": 410, "missing": 404, "hang": 200, "slow": 200}.get(mode, 200)
            if mode == "fail2":
                status = 500 if nth <= 2 else 200
            if route and "status" in route:
                status = route["status"]
            record = {"path": self.path, "webhook_id": wid, "timestamp": self.headers.get("webhook-timestamp", ""),
                      "signature": self.headers.get("webhook-signature", ""),
                      "user_agent": self.headers.get("User-Agent", ""),
                      "content_type": self.headers.get("Content-Type", ""),
                      "verified": verified, "verify_error": verify_error, "status": status,
                      "body": body.decode("utf-8", "replace"), "received_at": time.time(), "in_flight": current}
            with lock:
                with open(args.records, "a") as f:
                    f.write(json.dumps(record) + "\n")
            try:
                if mode == "hang":
                    deadline = time.time() + 600
                    while time.time() < deadline and not os.path.exists(config.get("release", "/nonexistent")):
                        time.sleep(0.02)
                elif mode == "slow":
                    time.sleep(route.get("delay_ms", 200) / 1000.0)
                reply = json.dumps({"status": status}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except OSError:
                pass  # the gateway gave up (timeout) or died: nothing to answer
            finally:
                with lock:
                    in_flight[self.path] -= 1

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # a connection the gateway dropped (timeout, kill -9): expected here, not news


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--records", required=True)
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    server = Server(("127.0.0.1", args.port), make_handler(args))
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
