#!/usr/bin/env python3
"""End-to-end checks of /api/v1/messages against a live gateway (urllib, http.client, smtplib).

usage: api_messages.py SMTP_PORT,HTTP_PORT [check ...]   (default: every check, in order)
Each check prints `ok <name>` or `FAIL <name>: <what differed>` and the script exits 1.
"""
import hashlib, http.client, json, os, random, re, smtplib, sys, threading, time, urllib.parse
from email.message import EmailMessage

from api_common import API, CheckFailed, check, equal, error_shape, message, run, send

SMTP_PORT, HTTP_PORT = (int(p) for p in sys.argv[1].split(","))
api = API(HTTP_PORT)


def ids_of(path):
    return [m["id"] for m in api.get(path)["items"]]


def paging():
    """1 000 messages over 10 SMTP connections, then every page of 37: no duplicate, no gap."""
    sent, errors = [], []

    def worker(w):
        try:
            msgs = [("p@x.test", [f"r{w}@y.test"], message(f"page {w}-{i}")) for i in range(100)]
            sent.extend(send(SMTP_PORT, msgs))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not errors, f"SMTP senders failed: {errors[:3]}")
    equal(len(set(sent)), 1000, "distinct queue ids")
    seen, pages, cursor, last_received = [], 0, None, None
    while True:
        page = api.get("/api/v1/messages?limit=37" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
        pages += 1
        check(len(page["items"]) <= 37, f"page {pages} has {len(page['items'])} items")
        for item in page["items"]:
            if last_received is not None:
                check(item["received_at"] <= last_received, f"page {pages}: not newest first")
            last_received = item["received_at"]
            seen.append(item["id"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        equal(len(page["items"]), 37, f"items on full page {pages}")
    equal(len(seen), len(set(seen)), "duplicates across pages (count vs distinct)")
    equal(set(seen), set(sent), "paged ids vs acknowledged ids")
    equal(pages, 28, "pages of 37 for 1000 messages")
    # The same walk with a filter: one sender connection's 100 messages, pages of 37.
    filtered, cursor = [], None
    while True:
        page = api.get("/api/v1/messages?limit=37&to=r3%40y.test" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
        filtered += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    equal(len(filtered), 100, "filtered walk")
    equal(len(set(filtered)), 100, "filtered walk distinct")
    return f"{len(seen)} ids in {pages} pages"


def filters():
    m1 = message("Invoice 42", frm="Alice <alice@one.test>", to="bob@two.test", body="the quick brown fox")
    m2 = message("Weekly report", frm="carol@three.test", to="Dave <dave@two.test>", body="jumps over lazy dogs")
    m3 = message("invoice reminder", frm="alice@one.test", to="erin@four.test", body="please pay now")
    ids = []
    for frm, to, data in (("alice@one.test", ["bob@two.test"], m1), ("carol@three.test", ["dave@two.test"], m2),
                          ("alice@one.test", ["erin@four.test"], m3)):
        ids += send(SMTP_PORT, [(frm, to, data)])
        time.sleep(0.02)  # distinct received_at milliseconds for since/until
    i1, i2, i3 = ids
    cases = {
        "to=bob@two.test": [i1], "to=BOB@TWO.TEST": [i1], "to=*@two.test": [i2, i1],
        "from=alice@one.test": [i3, i1], "from=*@three.test": [i2], "from=nobody@one.test": [],
        "subject=invoice": [i3, i1], "subject=WEEKLY": [i2],
        "q=quick": [i1], "q=lazy dogs": [i2], "q=qui": [], "q=qui*": [i1], "q=PAY": [i3], "q=zebra": [],
        "q=invoice": [i3, i1], "q=alice": [i3, i1], "q=dave": [i2],
        "from=alice@one.test&subject=reminder": [i3], "to=*@two.test&q=fox": [i1],
    }
    for query, expected in cases.items():
        equal(ids_of("/api/v1/messages?" + urllib.parse.quote(query, safe="=&*")), expected, query)
    at = api.get(f"/api/v1/messages/{i2}")["received_at"]
    equal(ids_of("/api/v1/messages?since=" + at), [i3, i2], "since (inclusive)")
    equal(ids_of("/api/v1/messages?until=" + at), [i1], "until (exclusive)")
    equal(ids_of(f"/api/v1/messages?since={at}&until={at}"), [], "since == until")
    # latest, with and without filters
    equal(api.get("/api/v1/messages/latest")["id"], i3, "latest")
    equal(api.get("/api/v1/messages/latest?to=*@two.test")["id"], i2, "latest to=*@two.test")
    equal(api.get("/api/v1/messages/latest?subject=invoice&from=*@one.test")["id"], i3, "latest subject+from")
    status, _, raw = api.request("GET", "/api/v1/messages/latest?from=nobody@x.test")
    equal(status, 404, "latest without a match")
    error_shape(raw, "not_found", "latest without a match")
    for bad in ("since=yesterday", "until=2026-13-01T00:00:00Z", "limit=0", "limit=501", "limit=ten", "cursor=%21%21"):
        status, _, raw = api.request("GET", "/api/v1/messages?" + bad)
        equal(status, 400, bad)
        error_shape(raw, "invalid_parameter", bad)
    return None


def bodies():
    """GET one (ETag, 304), raw bytes as sent, a 3 MiB raw (streamed), attachments, HEAD."""
    data = message("etag check", body="body\r\n.leading dot\r\nend")
    (mid,) = send(SMTP_PORT, [("a@x.test", ["b@y.test"], data)])
    status, hdrs, raw = api.request("GET", f"/api/v1/messages/{mid}")
    equal(status, 200, "GET message")
    etag = hdrs["ETag"]
    equal(etag, f'"{mid}"', "ETag")
    msg = json.loads(raw)
    for inm, expected in ((etag, 304), (f"W/{etag}", 304), ("*", 304), ('"other", ' + etag, 304), ('"other"', 200)):
        status, h, body = api.request("GET", f"/api/v1/messages/{mid}", headers={"If-None-Match": inm})
        equal(status, expected, f"If-None-Match {inm}")
        if expected == 304:
            equal(body, b"", "304 body")
            equal(h["ETag"], etag, "304 ETag")
    # raw: the trace headers, then exactly the bytes sent
    status, hdrs, raw = api.request("GET", msg["raw_url"])
    equal(status, 200, "GET raw")
    equal(hdrs["Content-Type"], "message/rfc822", "raw Content-Type")
    check(raw.endswith(data), "raw does not end with the bytes sent")
    trace = raw[: len(raw) - len(data)]
    check(trace.startswith(b"Return-Path: <a@x.test>\r\nReceived: from "), f"trace headers: {trace[:80]!r}")
    equal(len(raw), msg["size"], "raw length vs size")
    status, _, _ = api.request("GET", msg["raw_url"], headers={"If-None-Match": hdrs["ETag"]})
    equal(status, 304, "raw If-None-Match")
    # 3 MiB: the streamed path (> 256 KiB)
    rnd = random.Random(7)
    lines = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789 .") for _ in range(76)) for _ in range(3 * 1024 * 1024 // 78)]
    big = message("three mebibytes", body="\r\n".join(lines))
    check(len(big) > 3 * 1024 * 1024 - 200, f"big message is {len(big)} bytes")
    (bid,) = send(SMTP_PORT, [("a@x.test", ["b@y.test"], big)])
    status, hdrs, raw = api.request("GET", f"/api/v1/messages/{bid}/raw")
    equal(status, 200, "GET big raw")
    check(raw.endswith(big), "big raw differs from the bytes sent")
    equal(int(hdrs["Content-Length"]), len(raw), "big raw Content-Length")
    equal(hashlib.sha256(raw[len(raw) - len(big):]).hexdigest(), hashlib.sha256(big).hexdigest(), "big raw sha256")
    conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=30)
    conn.request("HEAD", f"/api/v1/messages/{bid}/raw")
    r = conn.getresponse()
    equal((r.status, int(r.getheader("Content-Length")), r.read()), (200, len(raw), b""), "HEAD big raw")
    conn.request("GET", f"/api/v1/messages/{mid}")  # the same connection goes on after HEAD
    r = conn.getresponse()
    equal(r.status, 200, "GET after HEAD on one connection")
    r.read()
    conn.close()
    return attachments()


# A path, quotes, a parameter separator, a percent escape, non-ASCII and a right-to-left override.
NASTY = '..\\..\\evil "quoted"; name=x %41 r\u00e9sum\u00e9\u202e.pdf'



def attachments():
    payload = bytes(random.Random(3).getrandbits(8) for _ in range(100_000))
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Alice <a@x.test>", "b@y.test", "with files"
    m.set_content("see attached")
    m.add_attachment(payload, maintype="application", subtype="pdf", filename=NASTY)
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "Carol <c@z.test>", "d@z.test", "the original"
    inner["Date"], inner["Message-ID"] = "Fri, 27 Nov 2026 10:00:00 +0100", "<orig@z.test>"
    inner.set_content("forwarded body")
    m.add_attachment(inner)
    (mid,) = send(SMTP_PORT, [("a@x.test", ["b@y.test"], m.as_bytes().replace(b"\n", b"\r\n"))])
    msg = api.get(f"/api/v1/messages/{mid}")
    equal(len(msg["attachments"]), 2, "attachments")
    pdf, fwd = msg["attachments"]
    equal((pdf["content_type"], pdf["size"], pdf["sha256"]),
          ("application/pdf", len(payload), hashlib.sha256(payload).hexdigest()), "attachment metadata")
    check("message" not in pdf, "a non-rfc822 part has a message object")
    equal(fwd["content_type"], "message/rfc822", "forwarded part type")
    equal(fwd["message"], {"subject": "the original", "from": [{"name": "Carol", "address": "c@z.test"}],
                           "to": [{"name": "", "address": "d@z.test"}], "date": "2026-11-27T09:00:00Z",
                           "message_id": "<orig@z.test>"}, "forwarded message summary")
    status, hdrs, body = api.request("GET", pdf["url"])
    equal(status, 200, "GET attachment")
    equal(body, payload, "attachment bytes")
    equal(hdrs["Content-Type"], "application/pdf", "attachment Content-Type")
    equal(hdrs["X-Content-Type-Options"], "nosniff", "nosniff")
    cd = hdrs["Content-Disposition"]
    m_cd = re.fullmatch(r'attachment; filename="([ !#-\[\]-~]*)"; filename\*=UTF-8\'\'([!#$&+.0-9A-Z^_`a-z|~%-]+)', cd)
    check(m_cd is not None, f"unsafe Content-Disposition {cd!r}")
    fallback, exact = m_cd.group(1), urllib.parse.unquote(m_cd.group(2))
    equal(pdf["filename"], 'evil "quoted"; name=x %41 r\u00e9sum\u00e9.pdf', "sanitised filename")
    equal(exact, pdf["filename"], "filename* decodes to the attachment's filename")
    equal(fallback, "evil _quoted__ name=x _41 r_sum_.pdf", "ASCII fallback filename")
    check("/" not in fallback and "\\" not in fallback and '"' not in fallback, f"fallback {fallback!r}")
    status, _, _ = api.request("GET", pdf["url"], headers={"If-None-Match": hdrs["ETag"]})
    equal(status, 304, "attachment If-None-Match")
    status, _, body = api.request("GET", fwd["url"])
    check(status == 200 and b"Subject: the original" in body, "forwarded part download")
    status, _, raw = api.request("GET", f"/api/v1/messages/{mid}/attachments/9")
    equal(status, 404, "missing attachment")
    error_shape(raw, "not_found", "missing attachment")
    return f"Content-Disposition: {cd}"


def delete():
    keep = send(SMTP_PORT, [("k@keep.test", ["b@y.test"], message(f"keep {i}")) for i in range(3)])
    gone = send(SMTP_PORT, [("g@gone.test", ["b@y.test"], message(f"gone {i}")) for i in range(4)])
    equal(api.request("DELETE", f"/api/v1/messages/{keep[0]}")[0], 204, "DELETE one")
    equal(api.request("GET", f"/api/v1/messages/{keep[0]}")[0], 404, "GET deleted")
    equal(api.request("GET", f"/api/v1/messages/{keep[0]}/raw")[0], 404, "GET deleted raw")
    status, _, raw = api.request("DELETE", f"/api/v1/messages/{keep[0]}")
    equal(status, 404, "DELETE again")
    error_shape(raw, "not_found", "DELETE again")
    equal(api.request("DELETE", "/api/v1/messages?from=*@gone.test")[0], 204, "DELETE filtered")
    equal(ids_of("/api/v1/messages?from=*@gone.test"), [], "filtered messages after delete")
    equal(ids_of("/api/v1/messages?from=*@keep.test"), [keep[2], keep[1]], "kept messages")
    equal(api.request("DELETE", "/api/v1/messages?since=bad")[0], 400, "DELETE with a bad filter")
    equal(api.request("DELETE", "/api/v1/messages")[0], 204, "DELETE all")
    equal(api.get("/api/v1/messages"), {"items": [], "next_cursor": None}, "list after DELETE all")
    return None


def errors():
    for method, path, status, code in (("GET", "/nope", 404, "not_found"), ("GET", "/api/v1/messages/", 404, "not_found"),
                                       ("GET", "/api/v1/messages/not-a-ulid", 404, "not_found"),
                                       ("GET", "/api/v1/webhooks/nope", 404, "not_found"),
                                       ("PUT", "/api/v1/messages", 405, "method_not_allowed"),
                                       ("POST", "/api/v1/messages/01JDX4Q6W9Z7ZK3B2B7T1N5G3M", 405, "method_not_allowed")):
        got, hdrs, raw = api.request(method, path)
        equal(got, status, f"{method} {path}")
        error_shape(raw, code, f"{method} {path}")
        equal(hdrs["Content-Type"], "application/json", f"{method} {path} Content-Type")
    _, hdrs, _ = api.request("PUT", "/api/v1/messages")
    equal(hdrs["Allow"], "GET, HEAD, DELETE", "Allow of /api/v1/messages")
    _, hdrs, _ = api.request("PATCH", "/api/v1/messages/01JDX4Q6W9Z7ZK3B2B7T1N5G3M/raw")
    equal(hdrs["Allow"], "GET, HEAD", "Allow of raw")
    conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=10)
    conn.request("FOO", "/api/v1/webhooks")
    r = conn.getresponse()
    equal((r.status, r.getheader("Allow")), (405, "POST, GET, HEAD"), "unknown method FOO")
    r.read()
    conn.request("HEAD", "/api/v1/messages")
    r = conn.getresponse()
    equal((r.status, r.getheader("Content-Type"), r.read()), (200, "application/json", b""), "HEAD list")
    check(int(r.getheader("Content-Length")) > 0, "HEAD Content-Length")
    conn.close()
    for path, body in (("/livez", b"ok\n"), ("/readyz", b"ok\n")):
        status, hdrs, raw = api.request("GET", path)
        equal((status, raw), (200, body), path)
    status, _, raw = api.request("POST", "/api/v1/webhooks", body=b"url=x", content_type="application/x-www-form-urlencoded")
    equal(status, 415, "form body")
    error_shape(raw, "unsupported_media_type", "form body")
    status, _, raw = api.request("POST", "/api/v1/webhooks", body=b"{not json")
    equal(status, 400, "malformed JSON")
    error_shape(raw, "invalid_json", "malformed JSON")
    status, _, raw = api.request("POST", "/api/v1/webhooks", body={"url": "ftp://x.test/", "colour": "red"})
    equal(status, 422, "invalid webhook")
    error_shape(raw, "validation_failed", "invalid webhook")
    return None


def read_events(r, count):
    """The next `count` events of a stream (dicts of their fields), comments skipped; fewer
    when the server ends the stream."""
    events = []
    while len(events) < count:
        fields = {}
        while True:
            line = r.fp.readline().decode()
            if line == "":
                return events
            if line == "\n":
                break
            if line.startswith(":"):
                continue
            name, _, value = line.rstrip("\n").partition(": ")
            fields[name] = value
        if "event" in fields:
            events.append(fields)
    return events


def open_events(last_event_id=None):
    conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=20)
    conn.request("GET", "/api/v1/events", headers={"Last-Event-ID": last_event_id} if last_event_id else {})
    r = conn.getresponse()
    equal(r.status, 200, "events status")
    equal(r.fp.readline(), b": connected\n", "first line")
    return conn, r


def sse_replay():
    """Last-Event-ID (HTML, "Server-sent events"): a reconnecting client gets the messages stored
    after its last event, in order, then the live ones, none twice; an unknown ULID replays from
    its millisecond; anything else replays nothing; a replay longer than one stream's share
    ends the stream, and reconnecting with the last id continues without a gap."""
    first = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message(f"replay {i}")) for i in range(3)])
    conn, r = open_events(first[0])
    equal([e["id"] for e in read_events(r, 2)], first[1:], "replayed after the first")
    live = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message("live"))])
    later = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message("later"))])
    equal([e["id"] for e in read_events(r, 2)], live + later, "live events after the replay")
    conn.close()

    conn, r = open_events("not-a-ulid")
    fresh = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message("fresh"))])
    equal([e["id"] for e in read_events(r, 1)], fresh, "an id that is not a ULID replays nothing")
    conn.close()

    everything = first + live + later + fresh
    conn, r = open_events("0" * 26)   # a ULID of 1970: every stored message is newer
    equal([e["id"] for e in read_events(r, len(everything))], everything, "an unknown ULID replays by time")
    conn.close()

    many = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message(f"bulk {i}")) for i in range(620)])
    seen, last, streams = [], fresh[0], 0
    while len(seen) < len(many) and streams < 5:
        conn, r = open_events(last)
        got = read_events(r, len(many) - len(seen))
        conn.close()
        check(got, f"stream {streams} replayed nothing after {last}")
        seen += [e["id"] for e in got]
        last, streams = seen[-1], streams + 1
    equal(seen, many, "620 messages replayed across reconnections")
    check(streams >= 2, "a long replay ends its stream for the client to reconnect")
    return f"{streams} streams for 620 events"


def sse():
    """GET /api/v1/events on http.client; 3 messages → 3 `message.received` events whose data
    are exactly the list summaries, with the message id as the event id."""
    conn = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=20)
    conn.request("GET", "/api/v1/events", headers={"Accept": "text/event-stream"})
    r = conn.getresponse()
    equal(r.status, 200, "events status")
    check(r.getheader("Content-Type").startswith("text/event-stream"), "events Content-Type")
    equal(r.getheader("Cache-Control"), "no-store", "events Cache-Control")
    equal(r.fp.readline(), b": connected\n", "first line")
    equal(r.fp.readline(), b"\n", "end of the first comment")
    ids = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message(f"event {i}")) for i in range(3)])
    events = read_events(r, 3)
    conn.close()
    summaries = list(reversed(api.get("/api/v1/messages?limit=3")["items"]))
    equal([e["event"] for e in events], ["message.received"] * 3, "event names")
    equal([e["id"] for e in events], ids, "event ids")
    equal([json.loads(e["data"]) for e in events], summaries, "event data vs list summaries")
    return None


def metrics():
    send(SMTP_PORT, [("a@x.test", ["b@y.test"], message(f"metric {i}")) for i in range(4)])
    try:  # a message over MAILGATE_MAX_MESSAGE_SIZE: one rejection by reason
        send(SMTP_PORT, [("a@x.test", ["b@y.test"], message("too big", body="x" * 200_000))])
    except (CheckFailed, smtplib.SMTPException):
        pass
    api.get("/api/v1/messages")
    api.request("GET", "/api/v1/messages/01JDX4Q6W9Z7ZK3B2B7T1N5G3M")
    status, hdrs, raw = api.request("GET", "/metrics")
    equal(status, 200, "metrics")
    check(hdrs["Content-Type"].startswith("text/plain; version=0.0.4"), "metrics Content-Type")
    samples, types = {}, {}
    line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$')
    for line in raw.decode().splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        m = line_re.match(line)
        check(m is not None, f"not Prometheus text: {line!r}")
        labels = tuple(re.findall(r'([a-z_]+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        samples[(m.group(1), labels)] = float(m.group(4))
    names = {n for n, _ in samples}
    check(all(n.startswith("mailgate_") for n in names), "a metric without the mailgate_ prefix")
    for name, kind in (("mailgate_smtp_connections_total", "counter"), ("mailgate_smtp_connections_open", "gauge"),
                       ("mailgate_messages_accepted_total", "counter"), ("mailgate_smtp_rejections_total", "counter"),
                       ("mailgate_message_bytes_total", "counter"), ("mailgate_store_commit_seconds", "histogram"),
                       ("mailgate_store_batch_size", "histogram"), ("mailgate_webhook_deliveries_total", "counter"),
                       ("mailgate_webhook_queue_depth", "gauge"), ("mailgate_webhook_oldest_pending_age_seconds", "gauge"),
                       ("mailgate_store_queue_depth", "gauge"), ("mailgate_http_requests_total", "counter"),
                       ("mailgate_http_connections_open", "gauge")):
        equal(types.get(name), kind, f"TYPE of {name}")
    equal(samples[("mailgate_messages_accepted_total", ())], 4.0, "messages accepted")
    check(samples[("mailgate_message_bytes_total", ())] > 4 * 100, "message bytes")
    check(any(n == "mailgate_smtp_rejections_total" and l and l[0][0] == "reason" for n, l in samples), "rejections by reason")
    check(samples[("mailgate_store_commit_seconds_count", ())] >= 1, "commit latency observations")
    check(("mailgate_store_commit_seconds_bucket", (("le", "+Inf"),)) in samples, "commit latency +Inf bucket")
    check(samples[("mailgate_store_batch_size_sum", ())] >= 4, "batch size sum")
    check(any(n == "mailgate_webhook_deliveries_total" and l and l[0][0] == "result" for n, l in samples), "deliveries by result")
    equal(samples[("mailgate_http_requests_total", (("route", "/api/v1/messages"), ("code", "200")))], 1.0, "list requests")
    equal(samples[("mailgate_http_requests_total", (("route", "/api/v1/messages/{id}"), ("code", "404")))], 1.0, "404s")
    return f"{len(samples)} samples"


def seed():
    """A few messages for schemathesis: plain ones and one with a file and a forwarded mail."""
    ids = send(SMTP_PORT, [("a@x.test", ["b@y.test"], message(f"seed {i}", body=f"seed body {i}")) for i in range(3)])
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Alice <a@x.test>", "b@y.test", "seed with files"
    m.set_content("see attached")
    m.add_attachment(b"%PDF-1.4 seed", maintype="application", subtype="pdf", filename="seed.pdf")
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "c@z.test", "inner"
    inner.set_content("inner body")
    m.add_attachment(inner)
    ids += send(SMTP_PORT, [("a@x.test", ["b@y.test"], m.as_bytes().replace(b"\n", b"\r\n"))])
    return " ".join(ids)


if __name__ == "__main__":
    run({"paging": paging, "filters": filters, "bodies": bodies, "delete": delete, "errors": errors, "sse": sse, "sse_replay": sse_replay,
         "metrics": metrics, "seed": seed})
