"""Readers: format sniffing, HTML main text, JSONL, WARC, feeds, gzip, and every kind of bad input."""

from __future__ import annotations

import gzip
import io
import random
from pathlib import Path
from typing import Any

import pytest

from counterclaim.errors import InputError, InputTooLarge
from counterclaim.ingest.build import build_document
from counterclaim.ingest.readers import RawDocument, read_path, read_stream, sniff

MB = 10 * 1024 * 1024


def read_all(path: Path, max_bytes: int = MB) -> tuple[list[RawDocument], list[InputError]]:
    docs: list[RawDocument] = []
    errors: list[InputError] = []
    for item in read_path(path, max_bytes):
        (errors if isinstance(item, InputError) else docs).append(item)  # type: ignore[arg-type]
    return docs, errors


@pytest.mark.parametrize(("head", "name", "kind"), [
    (b"WARC/1.0\r\nWARC-Type: warcinfo", "x.bin", "warc"),
    (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "x", "feed"),
    (b'<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom">', "x.txt", "feed"),
    (b'{"text": "hello"}\n{"text": "more"}', "x.txt", "jsonl"),
    (b'{"a": 1}', "x.jsonl", "jsonl"),
    (b"<!DOCTYPE html><html><body>", "x", "html"),
    (b"<p>fragment</p>", "x.txt", "html"),
    (b"Plain text { not json", "x.md", "text"),
    (b"Just words.", "page.html", "html"),
])
def test_sniff(head: bytes, name: str, kind: str) -> None:
    assert sniff(head, name) == kind


def test_html_main_text_without_boilerplate(tmp_path: Path, build: Any) -> None:
    page = tmp_path / "page.html"
    page.write_text(build.article_html())
    docs, errors = read_all(page)
    assert not errors and len(docs) == 1
    doc = build_document(docs[0])
    assert "residential buildings were hit" in doc.text and "Paragraph 3." in doc.text
    for junk in ("NAVIGATION-LINK-TEXT", "SHARE-WIDGET-TEXT", "FOOTER-TEXT", "TRACKING-SCRIPT-TEXT", "color: red"):
        assert junk not in doc.text
    assert doc.title == "Shelling of Kharkiv"
    assert doc.author == "Maria Petrenko"
    assert doc.publisher == "Example News"
    assert doc.published == "2023-02-24"
    assert doc.url == "https://example.org/news/kharkiv-shelling"
    assert doc.language == "en"
    assert "\n" in doc.text  # paragraphs kept


def test_html_without_text_is_a_problem(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title></title><script>var a=1;</script></head><body><nav></nav></body></html>")
    with pytest.raises(InputError, match="no readable text"):
        read_all(page)


def test_malformed_html_still_gives_text(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<html><body><div><p>Unclosed paragraph about the attack on the market <b>bold <i>nested"
                    "<p>Another paragraph that says the strike killed four people</div></span></body>")
    docs, _ = read_all(page)
    assert "attack on the market" in build_document(docs[0]).text


def test_jsonl_bad_lines_are_problems_rest_goes_on(tmp_path: Path, build: Any) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(build.jsonl_lines()) + "\n")
    docs, errors = read_all(path)
    assert [d.source.locator for d in docs] == ["line 1", "line 3", "line 7"]
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    assert "not valid JSON" in errors[0].reason and "not an object" in errors[1].reason
    first = build_document(docs[0])
    assert (first.title, first.published, first.publisher, first.url) == (
        "One", "2023-01-05", "Example Wire", "https://ex.org/1")
    html_doc = build_document(docs[1])
    assert "NAVIGATION-LINK-TEXT" not in html_doc.text and "residential buildings" in html_doc.text
    assert html_doc.url == "https://ex.org/3"


def test_jsonl_oversize_line(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "' + "x" * 500 + '"}\n{"text": "small document here"}\n')
    docs, errors = read_all(path, max_bytes=200)
    assert len(docs) == 1 and docs[0].source.locator == "line 2"
    assert isinstance(errors[0], InputTooLarge) and errors[0].source.endswith(":1")


@pytest.mark.parametrize("compressed", [False, True])
def test_warc(tmp_path: Path, build: Any, compressed: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    build.write_warc(path, gzip_records=compressed)
    docs, errors = read_all(path)
    assert [d.url for d in docs] == ["https://example.org/a", "https://example.org/b", "https://example.org/c.txt"]
    assert all(d.source.kind == "warc" and d.source.locator.startswith("offset ") for d in docs)
    offsets = [int(d.source.locator.split()[1]) for d in docs]
    assert offsets == sorted(offsets) and offsets[0] > 0
    raw = path.read_bytes()
    if not compressed:  # the locator points at the record in the file
        assert all(raw[o:o + 5] == b"WARC/" for o in offsets)
    texts = [build_document(d).text for d in docs]
    assert "NAVIGATION-LINK-TEXT" not in texts[0] and "two civilians" in texts[0] and "three civilians" in texts[1]
    reasons = [e.reason for e in errors]
    assert any("no readable text" in r for r in reasons)  # the empty HTML response
    assert any("malformed WARC" in r for r in reasons)  # the garbage at the end


def test_warc_record_over_limit(tmp_path: Path, build: Any) -> None:
    path = tmp_path / "crawl.warc"
    build.write_warc(path, malformed_tail=False)
    docs, errors = read_all(path, max_bytes=1000)
    assert [d.url for d in docs] == ["https://example.org/c.txt"]
    assert sum(isinstance(e, InputTooLarge) for e in errors) == 2


def test_feeds(tmp_path: Path, build: Any) -> None:
    rss, atom = tmp_path / "news.rss", tmp_path / "watch.xml"
    rss.write_text(build.RSS)
    atom.write_text(build.ATOM)
    docs, errors = read_all(rss)
    assert [d.title for d in docs] == ["Statement on the shelling of Kharkiv", "Comment on the report"]
    assert len(errors) == 1 and "entry 2" in errors[0].source
    first = build_document(docs[0])
    assert first.published == "2023-02-24T10:00:00+00:00" and first.url == "https://mfa.example.org/s/1"
    assert first.publisher == "Example Ministry News" and "\n" in first.text and "<p>" not in first.text
    adocs, aerrors = read_all(atom)
    assert not aerrors and len(adocs) == 1
    entry = build_document(adocs[0])
    assert (entry.author, entry.published, entry.url) == (
        "Amina Yusuf", "2023-03-01T09:00:00+00:00", "https://watch.example.org/r/1")
    assert adocs[0].source.locator == "urn:example:watch:1"


def test_gzip_single_file(tmp_path: Path, build: Any) -> None:
    path = tmp_path / "statement.txt.gz"
    path.write_bytes(gzip.compress(("Kyiv, 3 March 2022\n" + build.BODY).encode()))
    docs, errors = read_all(path)
    assert not errors and build_document(docs[0]).published == "2022-03-03"


def test_gzip_html(tmp_path: Path, build: Any) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(build.article_html().encode()))
    docs, _ = read_all(path)
    assert docs[0].source.kind == "html" and "NAVIGATION-LINK-TEXT" not in (docs[0].text or "")


@pytest.mark.parametrize("name", ["statement.txt.gz", "docs.jsonl.gz", "page.html.gz"])
def test_truncated_gzip(tmp_path: Path, build: Any, name: str) -> None:
    text = build.BODY * 400 if not name.startswith("docs") else "\n".join(build.jsonl_lines() * 50)
    if name.startswith("page"):
        text = build.article_html(paragraphs=300)
    data = gzip.compress(text.encode())
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as info:
        docs, errors = read_all(path)
        if errors:  # JSONL: the lines before the cut are kept, the cut is one problem
            raise errors[-1]
    assert "truncated gzip" in info.value.reason


def test_truncated_warc_gz_keeps_earlier_records(tmp_path: Path, build: Any) -> None:
    full = tmp_path / "full.warc.gz"
    build.write_warc(full, gzip_records=True, malformed_tail=False)
    data = full.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.8)])
    docs, errors = read_all(cut)
    assert docs and docs[0].url == "https://example.org/a"
    assert len(docs) < 3
    assert errors and ("truncated" in errors[-1].reason or "malformed" in errors[-1].reason)


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.8])
@pytest.mark.parametrize("compressed", [False, True])
def test_truncated_warc_never_stores_a_cut_record(tmp_path: Path, build: Any, fraction: float, compressed: bool) -> None:
    full = tmp_path / "full.warc"
    build.write_warc(full, gzip_records=compressed, malformed_tail=False)
    complete = {d.url: d.text for d in read_all(full)[0]}
    cut = tmp_path / "cut.warc"
    data = full.read_bytes()
    cut.write_bytes(data[: int(len(data) * fraction)])
    docs, errors = read_all(cut)
    assert all(d.text == complete[d.url] for d in docs)  # a record cut short is never passed on as a document
    assert errors  # and the cut is reported


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"   \n\n\t ", "empty"),
    (b"\x00\x01\x02\x03binary\x00junk" * 20, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    (bytes(random.Random(1).choices(range(0x80, 0x100), k=300)), "undecodable text"),
])
def test_bad_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_all(path)
    assert reason in str(info.value) and str(path) in str(info.value)


def test_oversize_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    with pytest.raises(InputTooLarge, match="--max-size"):
        read_all(path, max_bytes=100)
    assert len(read_all(path, max_bytes=1000)[0]) == 1


def test_gzip_bomb_is_limited_by_text_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * 5_000_000))
    with pytest.raises(InputTooLarge):
        read_all(path, max_bytes=1_000_000)


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeffЗаява Міністерства закордонних справ України".encode("utf-16"))
    docs, _ = read_all(path)
    assert docs[0].text and "Міністерства" in docs[0].text


def test_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_all(tmp_path / "nope.txt")
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:  # root ignores chmod 0, so refuse like the OS would
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError, match="permission denied") as info:
        read_all(locked)
    assert str(locked) in str(info.value)


def test_stdin_stream(build: Any) -> None:
    items = list(read_stream(io.BytesIO(build.article_html().encode()), "<stdin>", MB))
    assert isinstance(items[0], RawDocument) and items[0].source.source == "<stdin>"
    assert items[0].source.kind == "html"


def test_json_file_list_object_and_wrapped(tmp_path: Path, build: Any) -> None:
    import json

    items = [{"text": "First exported statement on the siege.", "title": "One", "published": "2024-05-01"},
             {"html": build.article_html("Exported page")}, "not an object", {"title": "no text"}]
    listed = tmp_path / "export.json"
    listed.write_text(json.dumps(items, indent=2))
    docs, errors = read_all(listed)
    assert [d.source.locator for d in docs] == ["item 1", "item 2"] and docs[0].source.kind == "json"
    assert build_document(docs[0]).published == "2024-05-01"
    assert [e.source for e in errors] == [f"{listed} [item 3]", f"{listed} [item 4]"]
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"meta": {"n": 1}, "articles": items[:1]}))
    assert len(read_all(wrapped)[0]) == 1
    single = tmp_path / "single.json"
    single.write_text(json.dumps(items[0], indent=2))
    assert len(read_all(single)[0]) == 1
    lines = tmp_path / "lines.json"
    lines.write_text("\n".join(json.dumps(i) for i in items[:2]))
    assert len(read_all(lines)[0]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "unterminated')
    with pytest.raises(InputError, match="not valid JSON"):
        read_all(broken)


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Strikes on Kharkiv\ndate: 2023-02-24\nauthor: Maria Petrenko\n---\n"
        "# Strikes on Kharkiv\n\n![map](map.png)\n\nThe **governor** said [two civilians](https://ex.org/a) were "
        "*killed* in the_strike_zone.\n\n> A quoted paragraph.\n\n```\ncode\n```\n\n- a list item\n"
    )
    docs, _ = read_all(path)
    doc = build_document(docs[0])
    assert (doc.title, doc.published, doc.author) == ("Strikes on Kharkiv", "2023-02-24", "Maria Petrenko")
    assert doc.text == ("Strikes on Kharkiv\n\nThe governor said two civilians were killed in the_strike_zone.\n\n"
                        "A quoted paragraph.\n\ncode\n\n- a list item")
