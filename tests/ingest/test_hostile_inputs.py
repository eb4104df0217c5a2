"""Inputs that used to crash or hang `ingest` (issue 16): undecodable file names, FIFOs and other non-regular
files, a gzip of endless blank JSONL lines, symbolic links to folders (and loops of them)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from counterclaim.ingest.names import shown_path

TEXT = "The ministry said that shelling of the town killed three civilians on Monday, and called for an inquiry.\n"


def cc(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("counterclaim", path=str(Path(sys.executable).parent)) or "counterclaim"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout)


def docs(db: Path) -> list[dict[str, object]]:
    out = cc("docs", "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout))


def test_shown_path_is_lossless_and_storable() -> None:
    raw = b"/tmp/report-\xff\xfe-caf\xc3\xa9.txt"
    shown = shown_path(os.fsdecode(raw))
    shown.encode("utf-8")  # storable
    assert shown == "/tmp/report-\\xff\\xfe-café.txt"
    assert shown_path("/tmp/plain.txt") == "/tmp/plain.txt"
    assert shown_path(os.fsdecode(b"/a\xfe")) != shown_path(os.fsdecode(b"/a\xff"))


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_a_file_name_that_is_not_utf8_does_not_stop_the_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"statement-\xff\xfe.txt")
    with open(bad, "wb") as fh:
        fh.write(TEXT.encode())
    (folder / "z-after.txt").write_text(TEXT.replace("three", "four"), encoding="utf-8")
    db = tmp_path / "l.db"
    out = cc("ingest", str(folder), "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and json.loads(out.stdout)["new"] == 2
    rows = docs(db)
    assert len(rows) == 2
    shown = cc("show", str(rows[0]["id"]), "--db", str(db), "--json")
    sources = [s["source"] for r in rows for s in json.loads(cc("show", str(r["id"]), "--db", str(db), "--json").stdout)["sources"]]
    assert shown.returncode == 0
    assert any(s.endswith("statement-\\xff\\xfe.txt") for s in sources), sources
    again = cc("ingest", str(folder), "--db", str(db), "--json")  # resumable: both inputs are marked done
    assert again.returncode == 0 and json.loads(again.stdout)["skipped_inputs"] == 2


@pytest.mark.timeout(60)
def test_a_fifo_is_skipped_with_a_line_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe.txt")
    (folder / "b-real.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "l.db"
    out = cc("ingest", str(folder), "--db", str(db), "--json", timeout=50)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["new"] == 1
    assert [p["reason"] for p in report["problems"]] == ["not a regular file (a named pipe): skipped"]
    direct = cc("ingest", str(folder / "a-pipe.txt"), "--db", str(db), timeout=50)  # named on the command line
    assert direct.returncode != 0 and "not a regular file" in direct.stderr and "Traceback" not in direct.stderr


def blank_line_bomb(path: Path, gib: int = 2) -> None:
    """A gzip of ``gib`` GiB of blank lines, a few MB on disk (one 64 MiB member, repeated)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = comp.compress(b"\n" * (64 << 20)) + comp.flush()
    with path.open("wb") as fh:
        fh.write(gzip.compress(b'{"text": "A first line that is a document of its own, and fine."}\n'))
        for _ in range(gib * 16):
            fh.write(member)


@pytest.mark.timeout(120)
def test_a_gzip_of_endless_blank_lines_is_refused_in_time(tmp_path: Path) -> None:
    bomb = tmp_path / "in" / "bomb.jsonl.gz"
    bomb.parent.mkdir()
    blank_line_bomb(bomb)
    assert bomb.stat().st_size < 10 << 20
    (tmp_path / "in" / "z-next.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "l.db"
    started = time.monotonic()
    out = cc("ingest", str(tmp_path / "in"), "--db", str(db), "--json", "--max-size", "1MB", timeout=110)
    took = time.monotonic() - started
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["new"] == 2  # the document before the blank lines, and the next input
    assert any("without a document" in p["reason"] for p in report["problems"]), report["problems"]
    assert took < 100


def test_symlinked_folders_are_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "deep").mkdir(parents=True)
    (real / "deep" / "a.txt").write_text(TEXT, encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real, target_is_directory=True)
    (real / "deep" / "loop").symlink_to(real, target_is_directory=True)  # a loop back up
    db = tmp_path / "l.db"
    out = cc("ingest", str(top), "--db", str(db), "--json", timeout=60)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["new"] == 1 and report["inputs"] == 1
