#!/usr/bin/env python3
"""Writes the MIME corpus: messages built with Python's `email` package and an expected.json
computed by parsing the same bytes back with `email` (policy=default).

    python3 generate.py --out DIR [--seed N]

Deterministic for a seed: the boundaries, dates, ids and payloads come from seeded generators.
Every message is written with CRLF line ends, as SMTP delivers it. expected.json holds, per file:
subject, from/to/cc (name, address), date (RFC 3339 UTC or null), text and html (the first
text/plain and text/html leaf that is not an attachment, outside attached messages, with CRLF
turned into LF) and the attachments (every other leaf: filename as Mailgate sanitises it,
content type, decoded size, sha256 of the decoded bytes).

Hand-broken messages (names starting with "broken-") may carry "divergences": fields where
Mailgate deliberately differs from Python, with the value Mailgate gives and why. Consumers
(the Swift corpus test, compare_api.py) compare those fields against the "mailgate" value.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import sys
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
import email

CRLF = policy.default.clone(linesep="\r\n")

# Text samples per charset: what each can encode.
SAMPLES = {
    "utf-8": "Grüße aus Köln – 日本語のテキスト – Привет – 😀",
    "us-ascii": "Plain ASCII text, nothing special.",
    "iso-8859-1": "Café crème à la française, ¡olé!",
    "iso-8859-2": "Zażółć gęślą jaźń, Příliš žluťoučký kůň",
    "iso-8859-3": "Ħamrun Ġgantija ĉu ŝi",
    "iso-8859-4": "Ąžuolas Ėglė Īda Ųla",
    "iso-8859-5": "Съешь же ещё этих мягких булок",
    "iso-8859-6": "مرحبا بالعالم",
    "iso-8859-7": "Καλημέρα κόσμε",
    "iso-8859-8": "שלום עולם",
    "iso-8859-9": "Günaydın İstanbul, şeker ğ",
    "iso-8859-10": "Þórður Ŋ ŧ ĸ",
    "iso-8859-11": "สวัสดีชาวโลก",
    "iso-8859-13": "Ąžuolas ir Ėglė, ’quotes”",
    "iso-8859-14": "Ḃ ḋ ẁ Ŵŷ Cymraeg",
    "iso-8859-15": "Prix : 10 € - œuvre Ÿ",
    "windows-1250": "Příliš žluťoučký kůň „úpěl“",
    "windows-1251": "Привет, мир! «ёлка»",
    "windows-1252": "“Smart quotes” – €5 … naïve",
    "windows-1253": "Καλημέρα «κόσμε»",
    "windows-1254": "Günaydın “İstanbul”",
    "windows-1255": "שלום “עולם”",
    "windows-1256": "مرحبا “بالعالم”",
    "windows-1257": "Ąžuolas „Ėglė“",
    "windows-1258": "Xin chào “đô” ơ ư Đ",
    "koi8-r": "Съешь же ещё этих мягких французских булок",
    "koi8-u": "Привіт, світ! Ґанок",
    "iso-2022-jp": "こんにちは、世界。日本語のメールです。",
    "shift_jis": "こんにちは、世界。シフトJISです。",
    "euc-jp": "こんにちは、世界。EUC-JPです。",
    "euc-kr": "안녕하세요 세계",
    "gb2312": "你好，世界。简体中文。",
    "gbk": "你好，世界。繁體也行：中國",
    "gb18030": "你好，世界。𠀀 é €",
    "big5": "你好，世界。繁體中文。",
}
CHARSETS = list(SAMPLES)
NAMES = {
    "utf-8": "Jörg Müller", "iso-8859-1": "André Pirard", "koi8-r": "Иван Петров",
    "iso-2022-jp": "山田太郎", "shift_jis": "鈴木一郎", "euc-jp": "佐藤花子", "gb2312": "王小明",
    "big5": "陳大文", "euc-kr": "김철수", "windows-1251": "Ольга", "iso-8859-2": "Łukasz Żółć",
    "windows-1250": "Jiří Novák", "gb18030": "李雷", "iso-8859-7": "Νίκος", "koi8-u": "Олексій",
}


def sanitise(name):
    """Mailgate's filename rule: last path component, no control or bidi characters, trimmed."""
    if name is None:
        return None
    for sep in "/\\":
        name = name.rsplit(sep, 1)[-1]
    bidi = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    name = "".join(c for c in name if not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or ord(c) in bidi)).strip()
    while len(name.encode("utf-8")) > 255:
        name = name[:-1]
    return None if name in ("", ".", "..") else name


def encoded_words(text, charset, enc, rnd):
    """RFC 2047 encoded words for `text`, split on character boundaries, folded or spaced."""
    chunks, cur = [], ""
    for ch in text:
        if len((cur + ch).encode(charset)) > 30 and cur:
            chunks.append(cur)
            cur = ""
        cur += ch
    if cur:
        chunks.append(cur)
    words = []
    for c in chunks:
        data = c.encode(charset)
        if enc == "B":
            words.append("=?%s?B?%s?=" % (charset, base64.b64encode(data).decode()))
        else:
            q = "".join(chr(b) if (0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A) else
                        ("_" if b == 0x20 else "=%02X" % b) for b in data)
            words.append("=?%s?Q?%s?=" % (charset, q))
    sep = rnd.choice([" ", "\r\n ", "\r\n\t", "  "])
    return sep.join(words)


def rfc5322_date(rnd):
    dt = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=rnd.randrange(10**8))
    off = rnd.choice([0, 60, -300, 330, 540, -480, 120, -210])
    local = dt + datetime.timedelta(minutes=off)
    sign = "+" if off >= 0 else "-"
    day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][local.weekday()]
    mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][local.month - 1]
    return "%s, %d %s %d %02d:%02d:%02d %s%02d%02d" % (day, local.day, mon, local.year, local.hour, local.minute,
                                                      local.second, sign, abs(off) // 60, abs(off) % 60)


class Corpus:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        random.seed(seed)  # email.generator draws its boundaries from the global generator
        self.items = []  # (name, bytes, extra)

    def add(self, name, data, **extra):
        self.items.append(("%03d-%s.eml" % (len(self.items) + 1, name), data, extra))

    # Headers: half written by Python's email (policy default), half crafted in other charsets.
    def headers(self, msg, charset, crafted):
        rnd = self.rnd
        subj = "%s #%d" % (SAMPLES[charset][:40], len(self.items))
        name = NAMES.get(charset, "Sam Sample")
        msgid = "<%s@corpus.mailgate.test>" % "".join(rnd.choice("abcdef0123456789") for _ in range(16))
        date = rfc5322_date(rnd)
        to2 = rnd.choice(['"Doe, Jane" <jane@example.org>', "Team: t1@example.org, t2@example.org;",
                          "bob@example.org", "Zoë <zoe@example.org>"])
        if not crafted or charset in ("us-ascii",):
            msg["From"] = Address(name, "sender", "corpus.test")
            msg["To"] = "rcpt@example.org, " + to2
            if rnd.random() < 0.5:
                msg["Cc"] = Address(NAMES[rnd.choice(list(NAMES))], "cc", "example.org")
            msg["Subject"] = subj
            msg["Date"] = date
            msg["Message-ID"] = msgid
            return []
        enc = "B" if charset == "iso-2022-jp" else rnd.choice("BQ")
        lines = [
            "From: %s <sender@corpus.test>" % encoded_words(name, charset, enc, rnd),
            "To: rcpt@example.org, %s" % to2.replace("Zoë", "=?utf-8?Q?Zo=C3=AB?="),
            "Subject: %s" % encoded_words(subj, charset, enc, rnd),
            "Date: %s" % date,
            "Message-ID: %s" % msgid,
        ]
        if rnd.random() < 0.5:
            lines.insert(2, "Cc: %s <cc@example.org>" % encoded_words(NAMES[rnd.choice(list(NAMES))], "utf-8", enc, rnd))
        return lines

    def serialise(self, msg, crafted_lines):
        data = msg.as_bytes(policy=CRLF)
        if crafted_lines:
            data = ("\r\n".join(crafted_lines) + "\r\n").encode("ascii") + data
        return data

    def text_part(self, charset, cte):
        text = "\n".join("%s %d" % (SAMPLES[charset], i) for i in range(self.rnd.randrange(1, 6))) + "\n"
        if charset == "us-ascii" or cte == "7bit" and charset != "iso-2022-jp":
            cte = "7bit" if charset == "us-ascii" else "quoted-printable"
        return text, cte

    def build_all(self):
        rnd = self.rnd
        ctes = ["quoted-printable", "base64", "8bit"]
        # 1. Single text/plain in every charset and every transfer encoding.
        for cs in CHARSETS:
            for cte in ctes:
                if cs == "us-ascii" and cte != "8bit":
                    continue
                m = EmailMessage()
                crafted = self.headers(m, cs, crafted=(cte != "8bit"))
                text, c = self.text_part(cs, cte)
                if cs == "iso-2022-jp" and c == "8bit":
                    c = "7bit"
                m.set_content(text, charset=cs, cte=c)
                self.add("text-%s-%s" % (cs, c), self.serialise(m, crafted))
        # 2. HTML only, and multipart/alternative.
        for cs in CHARSETS:
            m = EmailMessage()
            crafted = self.headers(m, cs, crafted=True)
            html = "<html><body><p>%s</p></body></html>\n" % SAMPLES[cs]
            if rnd.random() < 0.3:
                m.set_content(html, subtype="html", charset=cs, cte=rnd.choice(["quoted-printable", "base64"]))
                self.add("html-only-%s" % cs, self.serialise(m, crafted))
                continue
            m.set_content(SAMPLES[cs] + "\n", charset=cs, cte=rnd.choice(["quoted-printable", "base64"]))
            m.add_alternative(html, subtype="html", charset=cs, cte=rnd.choice(["quoted-printable", "base64"]))
            self.add("alternative-%s" % cs, self.serialise(m, crafted))
        # 3. Attachments: binary, text, non-ASCII and long names (RFC 2231), several per message.
        filenames = ["report.pdf", "résumé.pdf", "日本語のファイル名.txt", "Отчёт за квартал.xlsx",
                     "a very long file name that certainly needs rfc 2231 continuation sections to fit.bin",
                     "naïve café – “quoted” name with ünïcödé characters and more text to wrap.docx",
                     "photo 2026-11-28.jpg", "data.csv", "archive.tar.gz", "notes"]
        types = [("application", "pdf"), ("application", "octet-stream"), ("image", "png"), ("image", "jpeg"),
                 ("text", "csv"), ("application", "zip"), ("audio", "mpeg")]
        for i in range(50):
            cs = CHARSETS[i % len(CHARSETS)]
            m = EmailMessage()
            crafted = self.headers(m, cs, crafted=(i % 2 == 0))
            text, c = self.text_part(cs, rnd.choice(ctes))
            m.set_content(text, charset=cs, cte=c if c != "8bit" or cs != "iso-2022-jp" else "7bit")
            if i % 3 == 0:
                m.add_alternative("<p>%s</p>\n" % SAMPLES[cs], subtype="html", charset="utf-8")
            for k in range(rnd.randrange(1, 4)):
                maintype, subtype = rnd.choice(types)
                fn = rnd.choice(filenames)
                if maintype == "text":
                    payload = "\n".join("%d,%s" % (n, SAMPLES[rnd.choice(CHARSETS)]) for n in range(rnd.randrange(1, 30)))
                    m.add_attachment(payload, subtype=subtype, charset="utf-8", filename=fn,
                                     cte=rnd.choice(["quoted-printable", "base64"]))
                else:
                    size = rnd.choice([0, 1, 2, 3, 57, 58, 1000, rnd.randrange(1, 30000)])
                    payload = bytes(rnd.randrange(256) for _ in range(size))
                    m.add_attachment(payload, maintype=maintype, subtype=subtype, filename=fn)
            self.add("attachments-%02d" % i, self.serialise(m, crafted))
        # 4. multipart/related with inline images, inside alternative, inside mixed.
        for i in range(25):
            cs = rnd.choice(CHARSETS)
            m = EmailMessage()
            crafted = self.headers(m, cs, crafted=(i % 2 == 1))
            m.set_content(SAMPLES[cs] + "\n", charset=cs, cte="base64" if cs != "us-ascii" else "7bit")
            cid = "img%d@corpus.test" % i
            m.add_alternative('<p>%s</p><img src="cid:%s">\n' % (SAMPLES[cs], cid), subtype="html", charset="utf-8")
            html_part = m.get_payload()[1]
            png = b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(rnd.randrange(10, 3000)))
            html_part.add_related(png, maintype="image", subtype="png", cid="<%s>" % cid)
            if i % 2 == 0:
                m.add_attachment(bytes(rnd.randrange(256) for _ in range(500)), maintype="application",
                                 subtype="octet-stream", filename="extra-%d.bin" % i)
            self.add("related-%02d" % i, self.serialise(m, crafted))
        # 5. Attached messages (message/rfc822) and nesting several levels deep.
        for i in range(20):
            inner = EmailMessage()
            cs = rnd.choice(CHARSETS)
            self.headers(inner, cs, crafted=False)
            inner.set_content(SAMPLES[cs] + "\n", charset=cs, cte="base64" if cs != "us-ascii" else "7bit")
            if i % 2:
                inner.add_attachment(b"inner attachment", maintype="application", subtype="octet-stream", filename="in.bin")
            outer = EmailMessage()
            crafted = self.headers(outer, "utf-8", crafted=(i % 2 == 0))
            outer.set_content("Forwarded message attached.\n")
            outer.add_attachment(inner)
            self.add("rfc822-%02d" % i, self.serialise(outer, crafted))
        for depth in range(2, 12):
            leaf = EmailMessage()
            leaf.set_content("leaf at depth %d\n" % depth)
            leaf.add_attachment(b"deep" * depth, maintype="application", subtype="octet-stream", filename="d%d.bin" % depth)
            body = leaf.as_bytes(policy=CRLF)
            for level in range(depth):
                b = "lvl%d-%d" % (depth, level)
                body = (("Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n" % (b, b)).encode()
                        + body + ("\r\n--%s--\r\n" % b).encode())
            top = self.headers(EmailMessage(), "utf-8", crafted=True)
            self.add("nested-%02d" % depth, ("\r\n".join(top) + "\r\n").encode() + body)
        self.broken()

    def broken(self):
        """Hand-broken messages: each names what Python and Mailgate do when they differ."""
        H = b"From: Broken <broken@corpus.test>\r\nTo: rcpt@example.org\r\n"
        D = b"Date: Sat, 28 Nov 2026 11:59:58 +0000\r\n"

        def raw(name, text, own_date=False, **extra):
            data = text.encode("utf-8") if isinstance(text, str) else text
            self.add("broken-" + name, H + (b"" if own_date else D) + data, **extra)

        raw("missing-final-boundary", "Subject: missing close\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n--b\r\nContent-Type: application/octet-stream\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n")
        raw("base64-damaged", "Subject: bad base64\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ntext\r\n"
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "aGVs bG8g\r\nd29y*bGQ\r\n--b--\r\n")
        raw("qp-damaged", "Subject: bad qp\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=c3=a9 =ZZ 100=\r\n% done=3d=\r\n")
        raw("unknown-charset", "Subject: unknown charset\r\nContent-Type: text/plain; charset=x-klingon\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe\r\n".encode("latin-1"),
            divergences={"text": {"mailgate": "Grüße\n", "why": "an unknown charset falls back to UTF-8 if valid, "
                                  "else Windows-1252 (lossless); Python's get_content raises LookupError"}})
        raw("utf8-headers", "Subject: Grüße aus Köln\r\nCc: Jörg <jörg@bücher.test>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nUTF-8 headers (RFC 6532)\r\n",
            divergences={"cc": {"mailgate": [["Jörg", "jörg@bücher.test"]], "why": "UTF-8 in address headers is "
                                "RFC 6532 text; Python's address parser turns the octets into U+FFFD"}})
        raw("bare-lf", b"Subject: bare LF\nContent-Type: multipart/alternative; boundary=x\n\n--x\n"
            b"Content-Type: text/plain\n\nline one\nline two\n--x\nContent-Type: text/html\n\n<b>bold</b>\n--x--\n")
        raw("no-separator", "Subject: no blank line\r\nthis line has no colon and starts the body\r\nsecond line\r\n")
        deep_part = "--b40\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n"
        deep_body = "".join("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1)
                            for i in range(32, 40)).encode() + deep_part.encode()
        deep = "".join("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1) for i in range(40))
        raw("too-deep", "Subject: 40 levels\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" + deep +
            "--b40\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n",
            divergences={"text": {"mailgate": None, "why": "nesting deeper than 32 levels is kept as one opaque "
                                  "part (MIMELimits.maxDepth); Python descends without limit"},
                         "attachments": {"mailgate": [{"content_type": "multipart/mixed", "filename": None,
                                                       "size": len(deep_body),
                                                       "sha256": hashlib.sha256(deep_body).hexdigest()}],
                                         "why": "the part at depth 32 is listed whole (its body, undecoded) as "
                                         "multipart/mixed"}})
        raw("path-filename", "Subject: traversal\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n"
            "--b\r\nContent-Type: application/octet-stream; name=\"../../etc/passwd\"\r\n"
            "Content-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\r\nroot\r\n--b--\r\n")
        raw("obsolete-date", "Subject: obsolete date\r\nDate: Fri, 13 Mar 98 10:00:00 EST\r\n\r\nx\r\n", own_date=True)
        raw("unparseable-date", "Subject: bad date\r\nDate: sometime last week\r\n\r\nx\r\n", own_date=True)
        raw("address-forms", "Subject: addresses\r\nCc: \"Last, First\" <first@x.test>, Group: g1@x.test,"
            " <@relay.test:g2@x.test>;, (Just Comment) c@x.test, =?utf-8?Q?Zo=C3=AB?= <zoe@x.test>\r\n\r\nx\r\n",
            divergences={"cc": {"mailgate": [["Last, First", "first@x.test"], ["", "g1@x.test"], ["", "g2@x.test"],
                                             ["Just Comment", "c@x.test"], ["Zoë", "zoe@x.test"]],
                                "why": "an RFC 822 style comment stands in for a missing display name"}})
        raw("split-multibyte-word", "Subject: =?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?=\r\n\r\nx\r\n")
        raw("no-boundary-param", "Subject: no boundary\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nhello\r\n",
            divergences={"text": {"mailgate": "--x\nhello\n", "why": "a multipart without a usable boundary is "
                                  "shown as plain text rather than dropped"},
                         "attachments": {"mailgate": [], "why": "(same) Python lists it as a multipart leaf"}})
        raw("invalid-utf8-body", b"Subject: invalid utf-8\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\nok \xff ok\r\n")
        raw("unknown-cte", "Subject: unknown cte\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n"
            "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: x-rot13\r\n\r\nnopq\r\n--b--\r\n")
        raw("empty-body", "Subject: empty\r\n\r\n")
        raw("folded-mess", "Subject:\r\n  folded\r\n\tacross   lines \r\nReferences: <a@x>\r\n <b@x>\r\n\r\nbody\r\n",
            divergences={"subject": {"mailgate": "folded\tacross   lines", "why": "header values are trimmed of "
                                     "the whitespace around them after unfolding; Python keeps it"}})
        raw("ew-in-filename", "Subject: ew filename\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n"
            "--b\r\nContent-Type: application/octet-stream\r\n"
            "Content-Disposition: attachment; filename=\"=?UTF-8?B?5pel5pys6KqeLnR4dA==?=\"\r\n\r\ny\r\n--b--\r\n")
        raw("preamble-epilogue", "Subject: preamble\r\nContent-Type: multipart/mixed; boundary=\"q q\"\r\n\r\n"
            "preamble text\r\n--q q\r\nContent-Type: text/plain\r\n\r\nthe body\r\n--q q--\r\nepilogue text\r\n")
        raw("8bit-latin1-header", b"Subject: caf\xe9\r\n\r\nbody\r\n",
            divergences={"subject": {"mailgate": "café", "why": "8-bit header octets that are not UTF-8 are read as "
                                     "Windows-1252; Python keeps them as U+FFFD"}})


def leaves(part, out):
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.iter_parts():
            leaves(sub, out)
    else:
        out.append(part)


def decoded_bytes(part):
    if part.get_content_maintype() == "message":
        # Python holds an attached message as an object; its octets are the part's payload as
        # sent, which is what Mailgate serves.
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) else payload
        return inner.as_bytes(policy=CRLF) if hasattr(inner, "as_bytes") else b""
    data = part.get_payload(decode=True)
    return data if data is not None else b""


def addresses(msg, name):
    h = msg[name]
    if h is None:
        return []
    return [[a.display_name, a.addr_spec] for a in h.addresses]


def no_surrogates(v):
    """Undecodable octets come back from Python as lone surrogates (surrogateescape); JSON
    cannot hold them, and a reader sees them as U+FFFD."""
    if isinstance(v, str):
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in v)
    if isinstance(v, list):
        return [no_surrogates(x) for x in v]
    if isinstance(v, dict):
        return {k: no_surrogates(x) for k, x in v.items()}
    return v


def expected_for(data):
    msg = email.message_from_bytes(data, policy=policy.default)
    out = {}
    subject = msg["subject"]
    out["subject"] = str(subject) if subject is not None else None
    for f in ("from", "to", "cc"):
        out[f] = addresses(msg, f)
    date = msg["date"]
    dt = getattr(date, "datetime", None) if date is not None else None
    if dt is not None:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=datetime.timezone.utc)
        out["date"] = dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        out["date"] = None
    parts = []
    leaves(msg, parts)
    text = html = None
    atts = []
    for p in parts:
        ctype = p.get_content_type()
        disp = p.get_content_disposition()
        attached = disp is not None and disp != "inline"
        if not attached and ctype == "text/plain" and text is None:
            try:
                text = p.get_content().replace("\r\n", "\n")
            except LookupError:
                text = "<LookupError>"
            continue
        if not attached and ctype == "text/html" and html is None:
            html = p.get_content().replace("\r\n", "\n")
            continue
        body = decoded_bytes(p)
        atts.append({"filename": sanitise(p.get_filename()), "content_type": ctype, "size": len(body),
                     "sha256": hashlib.sha256(body).hexdigest()})
    out["text"], out["html"], out["attachments"] = text, html, atts
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    corpus = Corpus(args.seed)
    corpus.build_all()
    expected = []
    for name, data, extra in corpus.items:
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        e = {"file": name}
        e.update(no_surrogates(expected_for(data)))
        e.update(extra)
        expected.append(e)
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "messages": expected}, f, ensure_ascii=False, indent=1, sort_keys=True)
    print("%d messages written to %s" % (len(expected), args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
