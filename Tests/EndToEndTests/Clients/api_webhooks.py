#!/usr/bin/env python3
"""Webhooks through the API against a live gateway, with a local receiver answering 200.

usage: api_webhooks.py SMTP_PORT,HTTP_PORT
"""
import base64, hashlib, hmac, http.server, json, re, sys, threading, time

from api_common import API, check, equal, error_shape, message, run, send

SMTP_PORT, HTTP_PORT = (int(p) for p in sys.argv[1].split(","))
api = API(HTTP_PORT)
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        received.append((dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def wait_for(predicate, what, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    check(False, f"timed out waiting for {what}")


def signatures(secret, headers, body):
    key = base64.b64decode(secret[len("whsec_"):])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def crud():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    created, hdrs = api.json("POST", "/api/v1/webhooks", {"url": url, "description": "ci",
                                                           "filter": {"recipients": ["*@hooks.test"]}}, expect=201)
    wid = created["id"]
    check(ULID.match(wid), f"webhook id {wid}")
    equal(hdrs["Location"], f"/api/v1/webhooks/{wid}", "Location")
    check(re.fullmatch(r"whsec_[A-Za-z0-9+/]{32}", created["secret"]), f"generated secret {created['secret']}")
    equal({k: created[k] for k in ("url", "description", "filter", "enabled", "disabled_reason", "default")},
          {"url": url, "description": "ci", "filter": {"recipients": ["*@hooks.test"]}, "enabled": True,
           "disabled_reason": None, "default": False}, "created fields")
    other, _ = api.json("POST", "/api/v1/webhooks", {"url": "http://127.0.0.1:9/other", "enabled": False}, expect=201)
    equal(other["filter"], {"recipients": []}, "no filter reads as every message")

    # list: newest first, paged
    equal([w["id"] for w in api.get("/api/v1/webhooks")["items"]], [other["id"], wid], "list newest first")
    page = api.get("/api/v1/webhooks?limit=1")
    equal([w["id"] for w in page["items"]], [other["id"]], "first page of 1")
    page = api.get(f"/api/v1/webhooks?limit=1&cursor={page['next_cursor']}")
    equal(([w["id"] for w in page["items"]], page["next_cursor"]), ([wid], None), "second page of 1")
    check(all("secret" not in w for w in api.get("/api/v1/webhooks")["items"]), "secret in a list")
    status, _, raw = api.request("GET", "/api/v1/webhooks?cursor=nope")
    equal(status, 400, "bad cursor")
    error_shape(raw, "invalid_parameter", "bad cursor")

    # get: as created, without the secret
    got = api.get(f"/api/v1/webhooks/{wid}")
    equal(got, {k: v for k, v in created.items() if k != "secret"}, "GET one")

    # patch: fields, rotation, refusals
    patched, _ = api.json("PATCH", f"/api/v1/webhooks/{wid}", {"description": "ci 2"})
    check("secret" not in patched and patched["description"] == "ci 2", "PATCH description")
    rotated, _ = api.json("PATCH", f"/api/v1/webhooks/{wid}", {"rotate_secret": True})
    check(rotated["secret"] != created["secret"] and rotated["secret"].startswith("whsec_"), "rotated secret")
    status, _, raw = api.request("PATCH", f"/api/v1/webhooks/{wid}", {"rotate_secret": True, "secret": created["secret"]})
    equal(status, 422, "secret with rotate_secret")
    error_shape(raw, "validation_failed", "secret with rotate_secret")
    equal(api.json("PATCH", f"/api/v1/webhooks/{wid}", {})[0]["description"], "ci 2", "empty PATCH")

    # test event: 202 + Location, delivered, signed with both secrets during the rotation
    queued, hdrs = api.json("POST", f"/api/v1/webhooks/{wid}/test", expect=202)
    equal(hdrs["Location"], f"/api/v1/deliveries/{queued['id']}", "test Location")
    equal((queued["type"], queued["message_id"], queued["status"], queued["webhook_id"]),
          ("webhook.test", None, "pending", wid), "queued test delivery")
    headers, body = wait_for(lambda: received and received[0], "the test event")
    equal(headers["webhook-id"], f"msg_{queued['id']}", "webhook-id")
    equal(headers["webhook-signature"].split(" "),
          [signatures(rotated["secret"], headers, body), signatures(created["secret"], headers, body)],
          "signatures (new secret first, then the previous one)")
    equal(json.loads(body)["type"], "webhook.test", "event type")
    detail = wait_for(lambda: (d := api.get(f"/api/v1/deliveries/{queued['id']}"))["status"] == "succeeded" and d,
                      "the test delivery to succeed")
    equal(len(detail["attempt_history"]), 1, "attempts recorded")
    attempt = detail["attempt_history"][0]
    equal((attempt["status_code"], attempt["error"], attempt["response_excerpt"]), (200, None, "ok"), "attempt")

    # a message to a matching recipient becomes a delivery of this subscriber only
    (mid,) = send(SMTP_PORT, [("a@x.test", ["sales@hooks.test"], message("hooked"))])
    wait_for(lambda: len(received) >= 2, "the message event")
    equal(json.loads(received[1][1])["data"]["id"], mid, "event data is the message")
    def two_succeeded():
        items = api.get(f"/api/v1/webhooks/{wid}/deliveries?status=succeeded")["items"]
        return items if len(items) == 2 else None
    deliveries = wait_for(two_succeeded, "two succeeded deliveries")
    equal([d["message_id"] for d in deliveries], [mid, None], "deliveries newest first")
    equal(api.get(f"/api/v1/webhooks/{other['id']}/deliveries"), {"items": [], "next_cursor": None}, "disabled subscriber")
    equal(api.request("GET", f"/api/v1/webhooks/{wid}/deliveries?status=bogus")[0], 400, "bad status filter")
    retried, _ = api.json("POST", f"/api/v1/deliveries/{queued['id']}/retry", expect=202)
    equal(retried["status"], "pending", "retried delivery")
    equal(api.request("POST", f"/api/v1/webhooks/{other['id']}/test")[0], 409, "test on a disabled subscriber")

    # delete
    equal(api.request("DELETE", f"/api/v1/webhooks/{wid}")[0], 204, "DELETE")
    for method, path in (("GET", f"/api/v1/webhooks/{wid}"), ("DELETE", f"/api/v1/webhooks/{wid}"),
                         ("GET", f"/api/v1/webhooks/{wid}/deliveries"), ("POST", f"/api/v1/webhooks/{wid}/test"),
                         ("PATCH", f"/api/v1/webhooks/{wid}"), ("GET", "/api/v1/deliveries/01JDX4Q6W9Z7ZK3B2B7T1N5G3M"),
                         ("POST", "/api/v1/deliveries/01JDX4Q6W9Z7ZK3B2B7T1N5G3M/retry")):
        status, _, raw = api.request(method, path, body={} if method == "PATCH" else None)
        equal(status, 404, f"{method} {path} after delete")
        error_shape(raw, "not_found", f"{method} {path}")
    equal(api.request("GET", f"/api/v1/deliveries/{queued['id']}")[0], 200, "a delivery outlives its subscriber")
    server.shutdown()
    return None


if __name__ == "__main__":
    run({"crud": crud})
