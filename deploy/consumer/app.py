#!/usr/bin/env python3
"""Example consumer of Mailgate's webhooks: verifies each delivery's Standard Webhooks signature
and logs the message it announces.

    POST /webhook   a Mailgate delivery; 204 when the signature verifies, 401 when it does not
    GET  /healthz   200 (the compose health check)
    GET  /received  the verified events so far, as a JSON array (handy in tests and demos)

Configuration: WEBHOOK_SECRET (the same whsec_... value as MAILGATE_WEBHOOK_SECRET) and PORT
(default 8080; 0 picks a free port and prints it). Answer fast and do the work elsewhere: Mailgate
retries a delivery that gets no 2xx within MAILGATE_WEBHOOK_TIMEOUT, and the same webhook-id
can arrive more than once (at-least-once), so deduplicate on it.
"""
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY = 64 << 20


class State:
    def __init__(self, secret):
        self.webhook = Webhook(secret)
        self.lock = threading.Lock()
        self.seen = set()
        self.events = []

    def record(self, delivery_id, event):
        """Keeps the first copy of each delivery; returns False for a duplicate."""
        with self.lock:
            if delivery_id in self.seen:
                return False
            self.seen.add(delivery_id)
            self.events.append({"webhook_id": delivery_id, "event": event})
            return True

    def snapshot(self):
        with self.lock:
            return list(self.events)


def log(**fields):
    print(json.dumps(fields, separators=(",", ":")), flush=True)


def make_handler(state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path == "/healthz":
                return self.reply(200, b"ok\n", "text/plain")
            if self.path == "/received":
                return self.reply(200, json.dumps(state.snapshot()).encode(), "application/json")
            self.reply(404, b"not found\n", "text/plain")

        def do_POST(self):
            if self.path != "/webhook":
                return self.reply(404, b"not found\n", "text/plain")
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0 or length > MAX_BODY:
                return self.reply(413, b"too large\n", "text/plain")
            body = self.rfile.read(length)
            try:
                event = state.webhook.verify(body, dict(self.headers.items()))
            except (WebhookVerificationError, ValueError) as error:
                log(msg="rejected webhook", error=str(error))
                return self.reply(401, b"bad signature\n", "text/plain")
            delivery_id = self.headers.get("webhook-id")
            if state.record(delivery_id, event):
                data = event.get("data") or {}
                log(msg="verified webhook", type=event.get("type"), webhook_id=delivery_id,
                    message_id=data.get("id"), subject=data.get("subject"),
                    rcpt_to=(data.get("envelope") or {}).get("rcpt_to"))
            self.reply(204, b"", None)

        def reply(self, status, body, content_type):
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *args):
            pass  # one JSON line per webhook instead of the access log

    return Handler


def main():
    secret = os.environ.get("WEBHOOK_SECRET", "")
    if not secret:
        print("consumer: WEBHOOK_SECRET is required (the same value as MAILGATE_WEBHOOK_SECRET)", file=sys.stderr)
        sys.exit(2)
    server = ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8080"))), make_handler(State(secret)))
    # As PID 1 in a container, SIGTERM is ignored unless handled: stop at once on `docker stop`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})  # a parent may have blocked them
    log(msg="listening", port=server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
