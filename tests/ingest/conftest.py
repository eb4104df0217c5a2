"""Builders of ingest fixtures: HTML pages with boilerplate, WARCs (warcio), feeds, JSONL (the ``build`` fixture)."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

BODY = (
    "The regional governor said that several residential buildings were hit overnight and that two civilians "
    "were killed. The ministry accused the armed forces of deliberately targeting civilian infrastructure and "
    "called for an independent investigation into the strikes. "
)


def article_html(title: str = "Shelling of Kharkiv", body: str = BODY, paragraphs: int = 4) -> str:
    """A news page with a real article inside navigation, share widgets, a footer and scripts."""
    paras = "\n".join(f"<p>{body} Paragraph {i}.</p>" for i in range(paragraphs))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Maria Petrenko">
<meta property="article:published_time" content="2023-02-24T10:00:00Z">
<link rel="canonical" href="https://example.org/news/kharkiv-shelling">
<script>window.dataLayer = [{{"secret": "TRACKING-SCRIPT-TEXT"}}];</script>
<style>.x {{ color: red }}</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">NAVIGATION-LINK-TEXT</a></li></ul></nav>
<header><div class="logo">Example News</div><form><input placeholder="Search"></form></header>
<main><article><h1>{title}</h1>
{paras}
</article></main>
<div class="share"><a>Share on Facebook</a> <a>Share on Twitter</a> SHARE-WIDGET-TEXT</div>
<footer><p>FOOTER-TEXT All rights reserved. Privacy Policy. Cookie settings.</p></footer>
<script>console.log("TRACKING-SCRIPT-TEXT")</script>
</body></html>"""


def write_warc(path: Path, gzip_records: bool = False, malformed_tail: bool = True) -> None:
    """A WARC with: a warcinfo record, a request, two HTML responses, a PNG response, a 404, a plain-text resource,
    an HTML response with no readable text, and (optionally) garbage after the last record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_records)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))

    def response(url: str, ctype: str, body: bytes, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))

    req = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://example.org/a", "request", payload=io.BytesIO(b""),
                                                  http_headers=req))
    response("https://example.org/a", "text/html; charset=utf-8", article_html("First page").encode())
    response("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    response("https://example.org/missing", "text/html", b"<html><body><p>Not found</p></body></html>", "404 Not Found")
    response("https://example.org/b", "text/html", article_html("Second page", body=BODY.replace("two", "three")).encode())
    response("https://example.org/empty", "text/html", b"<html><head><script>x()</script></head><body></body></html>")
    writer.write_record(writer.create_warc_record(
        "https://example.org/c.txt", "resource", payload=io.BytesIO(("Plain text resource. " + BODY).encode()),
        warc_content_type="text/plain"))
    data = buf.getvalue()
    if malformed_tail:
        data += b"NOT A WARC RECORD\r\nContent-Length: 12\r\n\r\ngarbage here\r\n\r\n"
    path.write_bytes(data)


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Ministry News</title><link>https://mfa.example.org</link>
<item><title>Statement on the shelling of Kharkiv</title><link>https://mfa.example.org/s/1</link>
<guid>https://mfa.example.org/s/1</guid><pubDate>Fri, 24 Feb 2023 10:00:00 GMT</pubDate>
<description><![CDATA[<p>{BODY}</p><p>Second paragraph of the statement.</p>]]></description></item>
<item><title>Empty item</title><link>https://mfa.example.org/s/2</link><description></description></item>
<item><title>Comment on the report</title><link>https://mfa.example.org/s/3</link>
<pubDate>Sat, 25 Feb 2023 08:30:00 GMT</pubDate><description>The ministry rejected the report as biased.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Watch</title><id>urn:example:watch</id>
<updated>2023-03-01T00:00:00Z</updated>
<entry><title>Report: attacks on hospitals</title><id>urn:example:watch:1</id>
<link href="https://watch.example.org/r/1"/><published>2023-03-01T09:00:00Z</published><updated>2023-03-02T09:00:00Z</updated>
<author><name>Amina Yusuf</name></author>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;&lt;p&gt;Hospitals were struck three times.&lt;/p&gt;</content></entry>
</feed>"""


def jsonl_lines() -> list[str]:
    return [
        json.dumps({"text": "First JSONL document. " + BODY, "url": "https://ex.org/1", "title": "One",
                    "published": "2023-01-05", "publisher": "Example Wire"}),
        "{this is not json",
        json.dumps({"html": article_html("Third page"), "url": "https://ex.org/3"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text field"}),
        "",
        json.dumps({"text": "Sixth line document. " + BODY}),
    ]


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data)


@pytest.fixture
def build() -> Any:
    """This module: the fixture builders above (``build.article_html()``, ``build.write_warc(path)`` ...)."""
    return sys.modules[__name__]
