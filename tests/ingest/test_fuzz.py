"""Property: whatever bytes or text ingestion is fed, it gives documents or clear InputErrors, never a traceback."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterclaim.errors import InputError
from counterclaim.ingest import IngestOptions, ingest_paths
from counterclaim.ingest.build import build_document
from counterclaim.ingest.readers import RawDocument, read_bytes
from counterclaim.records import Document
from counterclaim.store import Ledger

PREFIXES = [b"", b"WARC/1.0\r\n", b"<?xml version='1.0'?><rss><channel><item>", b'<feed xmlns="x"><entry>',
            b"<!DOCTYPE html><html><body>", b'{"text": ', b"\x1f\x8b\x08\x00", b"%PDF-", b"\xef\xbb\xbf", b"\xff\xfe"]


def outcome(data: bytes, name: str) -> list[Document | InputError]:
    out: list[Document | InputError] = []
    try:
        for item in read_bytes(data, name, max_bytes=200_000):
            if isinstance(item, InputError):
                out.append(item)
                continue
            assert isinstance(item, RawDocument)
            try:
                out.append(build_document(item))
            except InputError as exc:
                out.append(exc)
    except InputError as exc:
        out.append(exc)
    return out


def check(results: list[Document | InputError]) -> None:
    assert results, "neither a document nor an error"
    for r in results:
        if isinstance(r, InputError):
            assert r.source and r.reason and "\n" not in str(r)
        else:
            assert r.text.strip() and r.id == r.sha256[:16]


@settings(max_examples=200, deadline=None)
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2000),
       name=st.sampled_from(["x.txt", "x.html", "x.jsonl", "x.warc", "x.rss", "x.gz", "x"]))
def test_arbitrary_bytes(prefix: bytes, body: bytes, name: str) -> None:
    check(outcome(prefix + body, name))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=2000), name=st.sampled_from(["x.txt", "x.html", "x.jsonl", "x.md"]))
def test_arbitrary_text(text: str, name: str) -> None:
    check(outcome(text.encode("utf-8", "surrogatepass"), name))


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=300))
def test_arbitrary_gzip_and_cut(text: str) -> None:
    data = gzip.compress(text.encode("utf-8", "surrogatepass"))
    check(outcome(data, "x.txt.gz"))
    check(outcome(data[: max(2, len(data) // 2)], "x.txt.gz"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.binary(max_size=500), min_size=1, max_size=4))
def test_ingest_never_raises(tmp_path: Path, files: list[bytes]) -> None:
    folder = tmp_path / f"in{abs(hash(tuple(files)))}"
    folder.mkdir()
    for i, data in enumerate(files):
        (folder / f"f{i}.txt").write_bytes(data)
    with Ledger(tmp_path / "fuzz.db") as ledger:
        report = ingest_paths(ledger, [str(folder)], IngestOptions(force=True))
    assert report.inputs == len(files)
    assert report.documents + len(report.problems) >= len(files)
