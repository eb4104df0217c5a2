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


# a POSIX file name: any bytes but NUL and "/", at most 255 of them (macOS refuses names that are not UTF-8)
FILE_NAMES = st.binary(min_size=1, max_size=60).map(lambda b: b.replace(b"\0", b"_").replace(b"/", b"_")).filter(
    lambda b: b not in (b".", b"..") and not b.startswith(b".")
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(FILE_NAMES, min_size=1, max_size=4, unique=True))
def test_file_names_of_arbitrary_bytes(tmp_path: Path, names: list[bytes]) -> None:
    """Whatever bytes a file name holds, every input is read, stored and shown as UTF-8 text."""
    import os
    import sys

    if sys.platform == "darwin":
        return
    folder = tmp_path / f"names{abs(hash(tuple(names)))}"
    folder.mkdir()
    for i, raw in enumerate(names):
        with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
            fh.write(f"Statement number {i}: the ministry said the shelling killed {i + 2} civilians.\n".encode())
    with Ledger(tmp_path / "names.db") as ledger:
        report = ingest_paths(ledger, [str(folder)], IngestOptions(force=True, jobs=1))
        assert report.problems == [] and report.inputs == len(names)
        assert report.documents == len(names)
        for doc_id in report.doc_ids:
            for source in ledger.sources(doc_id):
                source["source"].encode("utf-8")  # storable and printable as it is
