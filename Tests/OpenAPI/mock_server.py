#!/usr/bin/env python3
"""A small in-memory stand-in for Mailgate's HTTP API, to test the OpenAPI harness itself.

Usage: python3 Tests/OpenAPI/mock_server.py [PORT]   (default 18025; 0 picks a free port)
       MAILGATE_API_TOKEN=secret python3 Tests/OpenAPI/mock_server.py

It follows openapi.yaml closely enough that `schemathesis.sh` passes against it, which shows
that the contract can be met and that the harness (auth header, exclusions, checks) works
before the real server exists. It is not Mailgate: no SMTP, no storage, no deliveries are
sent. Request bodies are validated with the spec's own schemas. Prints `listening on PORT`.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = os.environ.get("OPENAPI_SPEC") or Path(__file__).resolve().parents[2] / "openapi.yaml"
SPEC = yaml.safe_load(Path(SPEC_PATH).read_text())
REGISTRY = Registry().with_resource(
    "urn:spec", Resource.from_contents(SPEC, default_specification=DRAFT202012))
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
TOKEN = os.environ.get("MAILGATE_API_TOKEN", "")
LOCK = threading.Lock()
ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_counter = [0]


def body_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"urn:spec#/components/schemas/{name}"}, registry=REGISTRY)


CREATE, UPDATE = body_validator("WebhookCreate"), body_validator("WebhookUpdate")


def now() -> str:
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def new_id() -> str:
    with LOCK:
        _counter[0] += 1
        n = (int(datetime.datetime.now().timestamp() * 1000) << 80) | _counter[0]
    return "".join(ULID_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(26)))


def secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


RAW = (b"Return-Path: <a@x.test>\r\nFrom: Alice <a@x.test>\r\nTo: b@y.test\r\n"
       b"Subject: Hello\r\n\r\nHello,\r\nThis is a test.\r\n")
PDF = b"%PDF-1.4 fake\n"
MID = "01JDX4Q6W9Z7ZK3B2B7T1N5G3M"
MESSAGES = {MID: json.loads(json.dumps(SPEC["components"]["examples"]["Message"]["value"]))}
MESSAGES[MID]["size"] = len(RAW)
MESSAGES[MID]["attachments"][0].update(size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                                       filename="résumé.pdf")
WEBHOOKS: dict[str, dict] = {}
DELIVERIES: dict[str, dict] = {}


def summary(m: dict) -> dict:
    return {"id": m["id"], "received_at": m["received_at"], "size": m["size"],
            "mail_from": m["envelope"]["mail_from"], "rcpt_to": m["envelope"]["rcpt_to"],
            "from": m["from"][0] if m["from"] else None, "to": m["to"], "subject": m["subject"],
            "snippet": " ".join((m["text"] or "").split())[:200],
            "attachment_count": len(m["attachments"])}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


ROUTES = [  # (regex, {method: handler name})
    (r"/api/v1/messages", {"GET": "list_messages", "DELETE": "delete_messages"}),
    (r"/api/v1/messages/([^/]+)", {"GET": "get_message", "DELETE": "delete_message"}),
    (r"/api/v1/messages/([^/]+)/raw", {"GET": "get_raw"}),
    (r"/api/v1/messages/([^/]+)/attachments/([^/]+)", {"GET": "get_attachment"}),
    (r"/api/v1/events", {"GET": "events"}),
    (r"/api/v1/webhooks", {"GET": "list_webhooks", "POST": "create_webhook"}),
    (r"/api/v1/webhooks/([^/]+)", {"GET": "get_webhook", "PATCH": "update_webhook",
                                   "DELETE": "delete_webhook"}),
    (r"/api/v1/webhooks/([^/]+)/deliveries", {"GET": "list_deliveries"}),
    (r"/api/v1/webhooks/([^/]+)/test", {"POST": "test_webhook"}),
    (r"/api/v1/deliveries/([^/]+)", {"GET": "get_delivery"}),
    (r"/api/v1/deliveries/([^/]+)/retry", {"POST": "retry_delivery"}),
    (r"/livez", {"GET": "livez"}),
    (r"/readyz", {"GET": "readyz"}),
    (r"/metrics", {"GET": "metrics"}),
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-mailgate"

    def log_message(self, *args):  # keep the harness output readable
        pass

    # -- plumbing -------------------------------------------------------------------------
    def send(self, status: int, body: bytes = b"", content_type: str | None = None,
             headers: dict | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def json(self, status: int, value, headers: dict | None = None) -> None:
        self.send(status, json.dumps(value).encode(), "application/json", headers)

    def dispatch(self) -> None:
        try:
            self.route()
        except ApiError as e:
            self.json(e.status, {"error": {"code": e.code, "message": e.message}}, e.headers)

    def route(self) -> None:
        url = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1 << 20:
            raise ApiError(413, "payload_too_large", "the request body is over 1048576 bytes")
        self.body = self.rfile.read(length) if length else b""
        for pattern, methods in ROUTES:
            match = re.fullmatch(pattern, url.path)
            if not match:
                continue
            if url.path.startswith("/api/") or url.path == "/metrics":
                self.authorize()
            if self.command not in methods:
                allow = ", ".join(methods)
                raise ApiError(405, "method_not_allowed", f"{self.command} is not allowed here",
                               {"Allow": allow})
            getattr(self, methods[self.command])(*match.groups())
            return
        raise ApiError(404, "not_found", "no such route")

    def authorize(self) -> None:
        if not TOKEN:
            return
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {TOKEN}".encode()):
            raise ApiError(401, "unauthorized", "a bearer token is required",
                           {"WWW-Authenticate": 'Bearer realm="mailgate"'})

    def json_body(self, validator: Draft202012Validator) -> dict:
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media != "application/json":
            raise ApiError(415, "unsupported_media_type", "the body must be application/json")
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError(400, "invalid_json", "the body is not JSON") from None
        error = next(iter(validator.iter_errors(value)), None)
        if error is not None:
            raise ApiError(422, "validation_failed", error.message[:200])
        return value

    def limit(self) -> int:
        raw = self.query.get("limit", "50")
        if not raw.isdigit() or not 1 <= int(raw) <= 500:
            raise ApiError(400, "invalid_parameter", "limit must be an integer from 1 to 500")
        return int(raw)

    def page(self, items: list[dict]) -> dict:
        limit = self.limit()
        start = 0
        if self.query.get("cursor"):
            try:
                after = base64.urlsafe_b64decode(self.query["cursor"] + "==").decode()
            except (ValueError, UnicodeDecodeError):
                after = ""
            if not ULID.match(after):
                raise ApiError(400, "invalid_parameter", "cursor is not valid")
            start = next((i for i, item in enumerate(items) if item["id"] < after), len(items))
        chunk = items[start:start + limit]
        more = start + limit < len(items)
        cursor = base64.urlsafe_b64encode(chunk[-1]["id"].encode()).decode().rstrip("=") if more else None
        return {"items": chunk, "next_cursor": cursor}

    def filtered(self) -> list[dict]:
        for name in ("since", "until"):
            value = self.query.get(name)
            if value:
                try:
                    datetime.datetime.fromisoformat(value.replace("z", "Z"))
                except ValueError:
                    raise ApiError(400, "invalid_parameter", f"{name} is not an RFC 3339 time") from None
        items = sorted(MESSAGES.values(), key=lambda m: m["id"], reverse=True)
        to = self.query.get("to", "").lower()
        if to:
            items = [m for m in items if to in [a.lower() for a in m["envelope"]["rcpt_to"]]]
        return items

    def message(self, mid: str) -> dict:
        if mid not in MESSAGES:
            raise ApiError(404, "not_found", f"message {mid[:40]} does not exist")
        return MESSAGES[mid]

    def immutable(self, etag: str) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags and (tags.strip() == "*" or etag in [t.strip() for t in tags.split(",")]):
            self.send(304, headers={"ETag": etag})
            return True
        return False

    # -- messages -------------------------------------------------------------------------
    def list_messages(self):
        self.json(200, self.page([summary(m) for m in self.filtered()]))

    def delete_messages(self):
        for m in self.filtered():
            MESSAGES.pop(m["id"], None)
        self.send(204)

    def get_message(self, mid):
        if mid == "latest":
            items = self.filtered()
            if not items:
                raise ApiError(404, "not_found", "no message matches")
            m = items[0]
        else:
            m = self.message(mid)
        etag = f'"{m["id"]}"'
        if not self.immutable(etag):
            self.json(200, m, {"ETag": etag})

    def delete_message(self, mid):
        MESSAGES.pop(self.message(mid)["id"])
        self.send(204)

    def get_raw(self, mid):
        etag = f'"{self.message(mid)["id"]}-raw"'
        if not self.immutable(etag):
            self.send(200, RAW, "message/rfc822", {"ETag": etag})

    def get_attachment(self, mid, aid):
        part = next((a for a in self.message(mid)["attachments"] if a["id"] == aid), None)
        if part is None:
            raise ApiError(404, "not_found", "no such attachment")
        etag = f'"{part["sha256"]}"'
        if self.immutable(etag):
            return
        name = part["filename"]
        fallback = "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\/' else "_" for c in name)
        encoded = "".join(c if re.match(r"[A-Za-z0-9!#$&+.^_`|~-]", c) else
                          "".join(f"%{b:02X}" for b in c.encode()) for c in name)
        self.send(200, PDF, part["content_type"], {
            "ETag": etag, "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"})

    def events(self):
        self.send(200, b": connected\n\n", "text/event-stream", {"Cache-Control": "no-store"})

    # -- webhooks -------------------------------------------------------------------------
    def webhook(self, wid: str) -> dict:
        if wid not in WEBHOOKS:
            raise ApiError(404, "not_found", f"webhook {wid[:40]} does not exist")
        return WEBHOOKS[wid]

    @staticmethod
    def public(hook: dict) -> dict:
        return {k: v for k, v in hook.items() if k != "secret"}

    def list_webhooks(self):
        items = sorted(WEBHOOKS.values(), key=lambda w: w["id"], reverse=True)
        self.json(200, self.page([self.public(w) for w in items]))

    def create_webhook(self):
        body = self.json_body(CREATE)
        stamp = now()
        hook = {"id": new_id(), "url": body["url"], "description": body.get("description", ""),
                "filter": body.get("filter", {"recipients": []}),
                "enabled": body.get("enabled", True), "created_at": stamp, "updated_at": stamp,
                "secret": body.get("secret") or secret()}
        WEBHOOKS[hook["id"]] = hook
        self.json(201, hook, {"Location": f"/api/v1/webhooks/{hook['id']}"})

    def get_webhook(self, wid):
        self.json(200, self.public(self.webhook(wid)))

    def update_webhook(self, wid):
        hook = self.webhook(wid)
        body = self.json_body(UPDATE)
        for key in ("url", "description", "filter", "enabled"):
            if key in body:
                hook[key] = body[key]
        rotated = "secret" in body or body.get("rotate_secret") is True
        if rotated:
            hook["secret"] = body.get("secret") or secret()
        hook["updated_at"] = now()
        self.json(200, hook if rotated else self.public(hook))

    def delete_webhook(self, wid):
        self.webhook(wid)
        del WEBHOOKS[wid]
        self.send(204)

    def list_deliveries(self, wid):
        self.webhook(wid)
        status = self.query.get("status")
        if status is not None and status not in ("pending", "succeeded", "failed", "cancelled"):
            raise ApiError(400, "invalid_parameter", "status is not a delivery state")
        items = [d for d in DELIVERIES.values() if d["webhook_id"] == wid
                 and (status is None or d["status"] == status)]
        items.sort(key=lambda d: d["id"], reverse=True)
        self.json(200, self.page([{k: v for k, v in d.items() if k != "attempt_log"} for d in items]))

    def test_webhook(self, wid):
        if not self.webhook(wid)["enabled"]:
            raise ApiError(409, "conflict", f"webhook {wid} is disabled")
        delivery = {"id": new_id(), "webhook_id": wid, "message_id": None, "status": "pending",
                    "attempts": 0, "next_attempt_at": now(), "last_attempt_at": None,
                    "last_status_code": None, "last_error": None, "attempt_log": []}
        DELIVERIES[delivery["id"]] = delivery
        self.json(202, {k: v for k, v in delivery.items() if k != "attempt_log"},
                  {"Location": f"/api/v1/deliveries/{delivery['id']}"})

    def delivery(self, did: str) -> dict:
        if did not in DELIVERIES:
            raise ApiError(404, "not_found", f"delivery {did[:40]} does not exist")
        return DELIVERIES[did]

    def get_delivery(self, did):
        self.json(200, self.delivery(did))

    def retry_delivery(self, did):
        delivery = self.delivery(did)
        hook = WEBHOOKS.get(delivery["webhook_id"])
        if hook is None or not hook["enabled"]:
            raise ApiError(409, "conflict", "its webhook is deleted or disabled")
        delivery.update(status="pending", next_attempt_at=now())
        self.json(202, {k: v for k, v in delivery.items() if k != "attempt_log"})

    # -- operations -----------------------------------------------------------------------
    def livez(self):
        self.send(200, b"ok\n", "text/plain; charset=utf-8")

    def readyz(self):
        self.send(200, b"ok\n", "text/plain; charset=utf-8")

    def metrics(self):
        self.send(200, b"mailgate_messages_accepted_total 1\n", "text/plain; version=0.0.4; charset=utf-8")

    def __getattr__(self, name: str):
        # Every method token reaches the router, so unknown ones (QUERY, FOO) get 405, not 501.
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18025
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
