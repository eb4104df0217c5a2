"""Readers: one input (a file or stdin) → raw documents, text or HTML plus whatever metadata the format carries.

The format is chosen by content first (the first 64 KiB, decompressed when gzip) and by extension second:

======== ====================================================== ================================================
kind     recognised by                                          documents
======== ====================================================== ================================================
warc     starts with ``WARC/`` (also gzip-compressed)            each HTML (or plain-text) response / resource
feed     XML whose root is ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` each entry (content or summary, link, title, date)
jsonl    ``.jsonl`` / ``.ndjson``, or a first line ``{...}``      each line with ``text`` or ``html``
pdf      starts with ``%PDF-``                                   the text layer, pages kept (:mod:`.pdf`)
docx     a ZIP holding ``word/`` parts (or named ``.docx``)      paragraphs and tables (:mod:`.office`)
odt      a ZIP whose ``mimetype`` is OpenDocument text           paragraphs and tables (:mod:`.office`)
html     ``<!doctype html>``, ``<html>``, ``<body>``, ``.html``    the page's main text (trafilatura)
text     anything else that is text (any encoding, see below)   the whole file
======== ====================================================== ================================================

Text and HTML bytes are decoded by :mod:`.encoding`: a byte-order mark, a declared charset (HTML), UTF-8, else the
encoding detected by charset-normalizer; ``meta.encoding`` and ``meta.encoding_by`` say which and how.

A ``.gz`` file is decompressed as a stream. Inputs are streamed: a WARC or JSONL file is read one record or line at a
time, so memory does not grow with its size; the size limit applies to the text of each document (a whole text,
HTML or feed file; one WARC record; one JSONL line).

A reader yields :class:`RawDocument` objects, or :class:`InputError` objects for bad records inside an otherwise
readable input (a JSONL line, a WARC record); it raises :class:`InputError` when the whole input is unreadable.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from counterclaim.errors import InputError, InputTooLarge
from counterclaim.ingest.encoding import decode_text
from counterclaim.ingest.html import extract_page, fragment_text
from counterclaim.ingest.office import office_kind
from counterclaim.records import SourceRef

log = logging.getLogger(__name__)

HEAD_BYTES = 64 * 1024
SIZE_HINT = "raise the limit with --max-size"

#: magic numbers of binary formats people are likely to point ingest at, and what to do instead
_BINARY_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF file", "give it to ingest as a file of its own"),
    (b"PK\x03\x04", "a ZIP archive (or XLSX/PPTX)", "unpack it, or save the document as .docx, .odt, text or HTML"),
    (b"\x89PNG", "a PNG image", "register images with 'counterclaim evidence'"),
    (b"\xff\xd8\xff", "a JPEG image", "register images with 'counterclaim evidence'"),
    (b"GIF8", "a GIF image", "register images with 'counterclaim evidence'"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "save the document as text or HTML"),
    (b"SQLite format 3\x00", "an SQLite database", "pass documents, not a ledger"),
    (b"BZh", "a bzip2 file", "decompress it first"),
    (b"\xfd7zXZ\x00", "an xz file", "decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it first"),
)

#: bytes that occur in text: everything but the C0 controls other than tab, line feed, form feed, CR and escape
_TEXT_BYTES = bytes([9, 10, 12, 13, 27, *range(32, 256)])

_HTML_EXT = {".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx"}
_JSONL_EXT = {".jsonl", ".ndjson", ".jsonlines"}
_FEED_EXT = {".rss", ".atom", ".xml"}
_MARKDOWN_EXT = {".md", ".markdown", ".mdown", ".mkd"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: binary document formats, read whole (a file up to this many times --max-size; the text within --max-size)
_DOCUMENT_KINDS = ("pdf", "docx", "odt")
DOCUMENT_SIZE_FACTOR = 10


@dataclass
class RawDocument:
    """One document as a reader found it, before cleaning."""

    source: SourceRef
    text: str | None = None
    html: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    meta: dict[str, object] = field(default_factory=dict)
    #: metadata the format carries but the text's own dateline, byline and title override (a PDF's info dictionary)
    fallback: dict[str, str] = field(default_factory=dict)


# -- bytes → text --------------------------------------------------------------------------------------------------
def decode(data: bytes, source: str) -> str:
    """Bytes → text (see :mod:`counterclaim.ingest.encoding`); binary and undecodable input are refused."""
    return decode_with_meta(data, source)[0]


def decode_with_meta(
    data: bytes, source: str, *, html: bool = False, charset: str | None = None
) -> tuple[str, dict[str, object]]:
    """Bytes → (text, ``{"encoding": ..., "encoding_by": ...}``); binary and undecodable input are refused.
    ``charset`` is one declared by the transport (an HTTP header in a WARC)."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NUL bytes
        check_not_binary(data[:4096], source)
    decoded = decode_text(data, source, html=html, charset=charset)
    return decoded.text, {"encoding": decoded.encoding, "encoding_by": decoded.by}


def check_not_binary(head: bytes, source: str) -> None:
    """Raise :class:`InputError` when ``head`` is the start of a binary file (named when it is a known format)."""
    for magic, what, hint in _BINARY_MAGIC:
        if head.startswith(magic):
            raise InputError(source, f"{what}, not text", hint)
    if b"\x00" in head:
        raise InputError(source, "binary file, not text", "only text, HTML, JSONL, WARC and feed files are read")
    controls = len(head.translate(None, _TEXT_BYTES))
    if head and controls / len(head) > 0.05:
        raise InputError(source, "binary file, not text (control bytes)",
                         "only text, HTML, JSONL, WARC and feed files are read")


# -- streams -------------------------------------------------------------------------------------------------------
class _Prefixed(io.RawIOBase):
    """A read-only stream: ``head`` bytes already read, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._pos = 0
        self._stream = stream
        self.consumed = 0  # bytes handed out so far

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._pos < len(self._head):
            n = min(len(buffer), len(self._head) - self._pos)
            buffer[:n] = self._head[self._pos : self._pos + n]
            self._pos += n
            self.consumed += n
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def _read_limited(stream: BinaryIO, limit: int, source: str) -> bytes:
    """Everything in ``stream``, refusing more than ``limit`` bytes; gzip errors become clear input errors."""
    try:
        data = stream.read(limit + 1)
    except EOFError as exc:
        raise InputError(source, "truncated gzip file (the compressed data ends early)",
                         "the download or copy was cut short; fetch it again") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(source, f"corrupt gzip data ({exc})") from exc
    if len(data) > limit:
        raise InputTooLarge(source, f"more than {limit:,} bytes of text", SIZE_HINT)
    return data


def _gunzip_head(raw_head: bytes, source: str) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(raw_head, HEAD_BYTES)
    except zlib.error as exc:
        raise InputError(source, f"corrupt gzip data ({exc})") from exc


# -- sniffing ------------------------------------------------------------------------------------------------------
_XML_PRELUDE = re.compile(  # a DOCTYPE may hold an internal subset: <!DOCTYPE rss [<!ENTITY x "y">]>
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*|<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>\s*)*", re.S | re.I
)
_HTML_SIGNS = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<p>|<div[\s>]", re.I)


def _extension(name: str) -> str:
    """The meaningful extension of a file name, lower case: ``report.HTML.gz`` → ``.html``."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def sniff(head: bytes, name: str) -> str:
    """The format of an input from its first bytes (decompressed) and its name: warc, feed, jsonl, html or text."""
    ext = _extension(name)
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    stripped = body.lstrip()
    if stripped.startswith(b"WARC/"):
        return "warc"
    if body.startswith(b"%PDF-") or (ext == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"
    office = office_kind(head, ext)
    if office:
        return office
    prelude = _XML_PRELUDE.match(stripped)
    root = stripped[prelude.end() if prelude else 0 :][:200]
    if re.match(rb"<(?:rss[\s>]|feed[\s>]|rdf:RDF[\s>])", root):
        return "feed"
    if ext in _JSONL_EXT:
        return "jsonl"
    if ext == ".json":
        return "json"
    if stripped.startswith(b"{"):
        first = stripped.split(b"\n", 1)[0]
        try:
            obj = json.loads(first)
        except ValueError:
            obj = None
        if isinstance(obj, dict) and ("text" in obj or "html" in obj):
            return "jsonl"
    if ext in _HTML_EXT or _HTML_SIGNS.search(body[:4096]):
        return "html"
    if ext in _FEED_EXT and root.startswith(b"<"):
        return "feed"
    return "text"


# -- entry points --------------------------------------------------------------------------------------------------
def read_path(path: Path, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """Raw documents of the file at ``path`` (see the module doc for the formats)."""
    from counterclaim.ingest.names import shown_path

    name = shown_path(path)
    try:
        stream = path.open("rb")
    except PermissionError as exc:
        raise InputError(name, "permission denied", "check the file's permissions") from exc
    except IsADirectoryError as exc:
        raise InputError(name, "is a directory") from exc
    except FileNotFoundError as exc:
        raise InputError(name, "no such file or directory") from exc
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from exc
    with stream:
        yield from read_stream(stream, name, max_bytes, kind_hint="file")


def read_stream(
    stream: BinaryIO, name: str, max_bytes: int, kind_hint: str = "stdin"
) -> Iterator[RawDocument | InputError]:
    """Raw documents of one binary stream, named ``name`` in sources and messages."""
    try:
        raw_head = stream.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from exc
    if not raw_head.strip():
        raise InputError(name, "empty file" if kind_hint == "file" else "empty input")
    compressed = raw_head[:2] == b"\x1f\x8b"
    head = _gunzip_head(raw_head, name) if compressed else raw_head
    if compressed and not head.strip():
        raise InputError(name, "empty or truncated gzip file")
    kind = sniff(head, name)
    prefixed = _Prefixed(raw_head, stream)
    raw: BinaryIO = io.BufferedReader(prefixed, buffer_size=HEAD_BYTES)
    if kind == "warc":  # warcio reads gzip members itself, so that record offsets are offsets in the file
        yield from read_warc(raw, name, max_bytes, consumed=lambda: prefixed.consumed)
        return
    plain: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
    if kind in _DOCUMENT_KINDS:
        yield document_file(kind, plain, name, max_bytes)
        return
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NUL bytes; decode() checks it
        check_not_binary(head[:4096], name)
    if kind == "jsonl":
        yield from read_jsonl(plain, name, max_bytes)
        return
    data = _read_limited(plain, max_bytes, name)
    if kind == "feed":
        yield from read_feed(data, name)
    elif kind == "json":
        yield from read_json(data, name, max_bytes)
    elif kind == "html":
        yield from html_documents(data, name)
    elif _extension(name) in _MARKDOWN_EXT:
        text, meta = decode_with_meta(data, name)
        doc = markdown_document(text, SourceRef(source=name, kind="markdown"))
        doc.meta.update(meta)
        yield doc
    else:
        text, meta = decode_with_meta(data, name)
        yield RawDocument(source=SourceRef(source=name, kind="text"), text=text, meta=meta)


def document_file(kind: str, stream: BinaryIO, name: str, max_bytes: int) -> RawDocument:
    """A PDF, .docx or .odt file (read whole: these formats need random access) → one raw document."""
    from counterclaim.ingest.office import read_docx, read_odt
    from counterclaim.ingest.pdf import read_pdf

    limit = max_bytes * DOCUMENT_SIZE_FACTOR
    what = {"pdf": "PDF", "docx": "Word (.docx)", "odt": "OpenDocument (.odt)"}[kind]
    try:
        data = _read_limited(stream, limit, name)
    except InputTooLarge as exc:
        raise InputTooLarge(name, f"{what} file over {limit:,} bytes ({DOCUMENT_SIZE_FACTOR} x --max-size)",
                            SIZE_HINT) from exc
    reader = {"pdf": read_pdf, "docx": read_docx, "odt": read_odt}[kind]
    text, meta, fallback = reader(data, name, max_bytes)
    if len(text) > max_bytes:
        raise InputTooLarge(name, f"more than {max_bytes:,} characters of text in this {what} file", SIZE_HINT)
    return RawDocument(source=SourceRef(source=name, kind=kind), text=text, meta=meta, fallback=fallback)


def read_bytes(data: bytes, name: str, max_bytes: int = 10 * 1024 * 1024) -> Iterator[RawDocument | InputError]:
    """Raw documents of an in-memory input (tests, the web workbench)."""
    yield from read_stream(io.BytesIO(data), name, max_bytes, kind_hint="file")


# -- HTML ------------------------------------------------------------------------------------------------------------
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_document(
    html: str | bytes, source: SourceRef, where: str, url: str | None = None, charset: str | None = None
) -> RawDocument:
    """A raw document from a whole HTML page; :class:`InputError` (naming ``where``) when it has no readable text.
    ``charset``: the encoding declared by the transport (a WARC record's HTTP header), if any."""
    meta: dict[str, object] = {}
    if isinstance(html, bytes):
        html, meta = decode_with_meta(html, where, html=True, charset=charset)
        html = _XML_DECLARATION.sub("", html, count=1)  # lxml refuses a str that declares its encoding
    content = extract_page(html, url=url)
    if content is None:
        raise InputError(where, "no readable text in this HTML (empty, malformed, or only page furniture)")
    meta["extractor"] = content.extractor
    if content.url and content.url != url:
        meta["canonical_url"] = content.url
    source.url = source.url or url or content.url
    return RawDocument(  # the URL it was fetched from (WARC target, JSONL url) when known, else the canonical one
        source=source, text=content.text, title=content.title, author=content.author, publisher=content.publisher,
        published=content.published, url=url or content.url, meta=meta,
    )


def html_documents(data: bytes, name: str) -> Iterator[RawDocument]:
    """The documents of an HTML file: one per story of a listing page (:mod:`.listing`), else the page."""
    from counterclaim.ingest.listing import split_listing

    text, meta = decode_with_meta(data, name, html=True)
    stories = split_listing(_XML_DECLARATION.sub("", text, count=1), name)
    if stories is None:
        doc = html_document(text, SourceRef(source=name, kind="html"), name)
        doc.meta.update(meta)
        yield doc
        return
    for number, story in enumerate(stories, start=1):
        source = SourceRef(source=name, kind="html", locator=f"story {number}")
        yield RawDocument(source=source, text=story.text, title=story.title, published=story.published,
                          meta={**meta, "extractor": "listing", "stories_on_page": len(stories)})


# -- JSON Lines ----------------------------------------------------------------------------------------------------
def _str_field(obj: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def read_jsonl(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """One document per line: ``text`` or ``html``, plus optional ``url``, ``title``, ``published``, ``publisher``.

    A bad line is one :class:`InputError` naming ``file:line``; the other lines are still read.
    """
    number = given = 0
    idle = 0  # bytes read since the last document (blank or bad lines): bounded like a document, or it never ends
    while True:
        try:
            line = stream.readline(max_bytes + 1)
        except EOFError:
            yield InputError(f"{name}:{number + 1}", "truncated gzip file (the compressed data ends early)")
            return
        except (gzip.BadGzipFile, zlib.error) as exc:
            yield InputError(f"{name}:{number + 1}", f"corrupt gzip data ({exc})")
            return
        if not line:
            if given == 0:
                yield InputError(name, "no documents in this JSON Lines file (every line is blank)")
            return
        number += 1
        given += 1
        where = f"{name}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the oversize line
                line = stream.readline(HEAD_BYTES)
            yield InputTooLarge(where, f"line longer than {max_bytes:,} bytes", SIZE_HINT)
            continue
        problem: InputError | None = None
        if not line.strip():
            given -= 1
        else:
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    problem = InputError(where, f"a JSON {type(obj).__name__}, not an object with 'text' or 'html'")
                else:
                    document = _jsonl_document(obj, name, number, where)
                    idle = 0
                    yield document
                    continue
            except UnicodeDecodeError:
                problem = InputError(where, "not valid UTF-8", "JSON Lines must be UTF-8")
            except ValueError as exc:
                problem = InputError(where, f"not valid JSON ({exc})")
            except InputError as exc:
                problem = exc
        if problem is not None:
            yield problem
        idle += len(line)
        if idle > max_bytes:
            yield InputTooLarge(where, f"more than {max_bytes:,} bytes (decompressed) without a document: blank or "
                                "unreadable lines; the rest of the file is not read", SIZE_HINT)
            return


def _jsonl_document(
    obj: dict[str, Any], name: str, number: int, where: str, kind: str = "jsonl", locator: str | None = None
) -> RawDocument:
    url = _str_field(obj, "url", "link", "canonical_url")
    source = SourceRef(source=name, kind=kind, locator=locator or f"line {number}", url=url)
    text, html = _str_field(obj, "text", "content", "body"), _str_field(obj, "html")
    if text is None and html is None:
        raise InputError(where, "no 'text' or 'html' field (or it is empty)")
    if text is not None:
        raw = RawDocument(source=source, text=text, url=url)
    else:
        assert html is not None
        raw = html_document(html, source, where, url=url)
    raw.title = _str_field(obj, "title") or raw.title
    raw.publisher = _str_field(obj, "publisher", "site", "sitename", "source_name") or raw.publisher
    raw.author = _str_field(obj, "author", "byline") or raw.author
    raw.published = _str_field(obj, "published", "date", "published_at") or raw.published
    raw.url = url or raw.url
    return raw


# -- JSON ------------------------------------------------------------------------------------------------------------
_JSON_LISTS = ("documents", "items", "articles", "data", "results", "records", "entries")


def read_json(data: bytes, name: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """A ``.json`` file: one object with ``text``/``html``, a list of them, or an object holding such a list under
    ``documents``, ``items``, ``articles``, ``data``, ``results``, ``records`` or ``entries``. A file that is really
    JSON Lines is read as such."""
    try:
        obj = json.loads(data)
    except UnicodeDecodeError as exc:
        raise InputError(name, "not valid UTF-8", "JSON must be UTF-8") from exc
    except ValueError as exc:
        if b"\n" in data.strip() and data.lstrip().startswith(b"{"):  # one object per line: JSON Lines
            yield from read_jsonl(io.BytesIO(data), name, max_bytes)
            return
        raise InputError(name, f"not valid JSON ({exc})") from exc
    if isinstance(obj, dict) and not ({"text", "html", "content", "body"} & set(obj)):
        obj = next((obj[k] for k in _JSON_LISTS if isinstance(obj.get(k), list)), obj)
    items = obj if isinstance(obj, list) else [obj]
    for index, item in enumerate(items, start=1):
        where = f"{name} [item {index}]"
        if not isinstance(item, dict):
            yield InputError(where, f"a JSON {type(item).__name__}, not an object with 'text' or 'html'")
            continue
        try:
            yield _jsonl_document(item, name, index, where, kind="json", locator=f"item {index}")
        except InputError as exc:
            yield exc
    if not items:
        raise InputError(name, "no documents in this JSON file (expected objects with 'text' or 'html')")


# -- Markdown ----------------------------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.{0,4000}?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]*(?:```|~~~).*$", re.M), ""),  # code fence lines
    (re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)"), r"\1"),  # links → their text
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong emphasis
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
)


def markdown_text(text: str) -> tuple[str, dict[str, Any]]:
    """Markdown → plain text with paragraphs (markup removed, link texts kept) and the YAML front matter, if any."""
    front: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            front = loaded
            text = text[m.end() :]
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text, front


def markdown_document(text: str, source: SourceRef) -> RawDocument:
    body, front = markdown_text(text)

    def field_(*keys: str) -> str | None:
        for key in keys:
            value = front.get(key)
            if value is not None and str(value).strip():
                return str(value).strip()
        return None

    return RawDocument(
        source=source, text=body, title=field_("title"), author=field_("author", "authors", "byline"),
        publisher=field_("publisher", "site", "source"), published=field_("published", "date"),
        url=field_("url", "link", "canonical_url"),
    )


# -- WARC ------------------------------------------------------------------------------------------------------------
def _content_type(record: Any) -> str:
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    value = headers.get_header("Content-Type") or ""
    return str(value).split(";")[0].strip().lower()


def read_warc(
    stream: BinaryIO, name: str, max_bytes: int, consumed: Callable[[], int] | None = None
) -> Iterator[RawDocument | InputError]:
    """HTML (and plain-text) responses and resources of a WARC / WARC.gz, one record at a time.

    Other records (requests, metadata, images, redirects) are skipped. The locator is the record's byte offset in
    the file (as ``warcio extract`` takes it); the target URI is the document's URL. ``consumed()`` says how many
    bytes of the file were read: data left after the last whole record means the file was cut inside a record.
    """
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream, no_record_parse=False, arc2warc=True)
    offset = end = 0
    given = 0  # documents and problems yielded
    iterator = iter(records)
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            if consumed is not None and consumed() - end > 4:  # more than the blank lines after the last record
                yield InputError(f"{name} (after offset {offset})", "truncated WARC (the file ends inside a record)",
                                 "the download or copy was cut short; fetch it again")
            elif given == 0:
                yield InputError(name, "no HTML or plain-text response records in this WARC")
            return
        except Exception as exc:  # warcio raises several kinds on broken input; each ends the file here
            yield InputError(f"{name} (after offset {offset})", f"malformed WARC data, reading stopped ({_short(exc)})")
            return
        result: RawDocument | InputError | None
        try:
            result = _warc_document(record, name, max_bytes)
        except InputError as exc:
            result = exc
        except Exception as exc:  # a record whose body cannot be read (bad chunking, broken gzip member)
            yield InputError(f"{name} (after offset {offset})", f"malformed WARC record ({_short(exc)})")
            return
        try:
            offset = records.get_record_offset()
            end = offset + records.get_record_length()
        except Exception as exc:
            yield InputError(f"{name} (after offset {offset})", f"malformed WARC record ({_short(exc)})")
            return
        if getattr(record.raw_stream, "limit", 0) > 0 and not isinstance(result, InputError):
            yield InputError(f"{name} at offset {offset}", "truncated WARC record (the file ends inside it)",
                             "the download or copy was cut short; fetch it again")
            return
        if result is not None:
            given += 1
        if isinstance(result, InputError):
            yield type(result)(f"{name} at offset {offset}", result.reason, result.hint)
        elif result is not None:
            result.source.locator = f"offset {offset}"
            result.meta["warc_offset"] = offset
            yield result


def _warc_document(record: Any, name: str, max_bytes: int) -> RawDocument | None:
    if record.rec_type not in ("response", "resource", "conversion"):
        return None
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if status and not str(status).startswith("2"):
            return None
    ctype = _content_type(record)
    if ctype not in _HTML_TYPES and ctype != "text/plain":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    where = f"{name} [{url or 'record'}]"
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge(where, f"record over {max_bytes:,} bytes", SIZE_HINT)
    if getattr(record.raw_stream, "limit", 0) > 0:  # the content ended before the record's Content-Length
        raise InputError(where, "truncated WARC record (the file ends inside it)",
                         "the download or copy was cut short; fetch it again")
    if not data.strip():
        raise InputError(where, "empty WARC record")
    source = SourceRef(source=name, kind="warc", url=url)
    charset = _header_charset(record)
    if ctype == "text/plain":
        text, meta = decode_with_meta(data, where, charset=charset)
        raw = RawDocument(source=source, text=text, url=url, meta=meta)
    else:
        raw = html_document(data, source, where, url=url, charset=charset)
    raw.meta["warc_date"] = date
    return raw


def _header_charset(record: Any) -> str | None:
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    m = re.search(r"charset\s*=\s*([\w.:-]+)", str(headers.get_header("Content-Type") or ""), re.I)
    return m.group(1) if m else None


def _short(exc: BaseException) -> str:
    if isinstance(exc, AttributeError | TypeError | IndexError):  # warcio meeting the end of the data mid-header
        return "unexpected end of data or broken record header"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# -- feeds -----------------------------------------------------------------------------------------------------------
def read_feed(data: bytes, name: str) -> Iterator[RawDocument | InputError]:
    """Each entry of an RSS or Atom feed: content (or summary) as text, link, title, published date, author."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        reason = f"malformed feed ({_short(parsed.bozo_exception)})" if parsed.get("bozo") else "feed has no entries"
        raise InputError(name, reason)
    feed_title = _clean(parsed.feed.get("title"))
    for index, entry in enumerate(entries, start=1):
        where = f"{name} [entry {index}]"
        html = ""
        if entry.get("content"):
            html = max((c.get("value") or "" for c in entry["content"]), key=len)
        if not html.strip():
            html = entry.get("summary") or entry.get("description") or ""
        text = fragment_text(html)
        if not text.strip():
            yield InputError(where, "entry has no content or summary text")
            continue
        link = entry.get("link")
        source = SourceRef(source=name, kind="feed", locator=str(entry.get("id") or f"entry {index}"), url=link)
        yield RawDocument(
            source=source, text=text, title=_clean(entry.get("title")), author=_clean(entry.get("author")),
            publisher=feed_title, published=_feed_date(entry), url=link,
        )


def _feed_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}T{value.tm_hour:02d}:" \
                   f"{value.tm_min:02d}:{value.tm_sec:02d}+00:00"
    value = entry.get("published") or entry.get("updated")
    return str(value) if value else None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = fragment_text(value) if "<" in value else value
    value = " ".join(value.split())
    return value or None
