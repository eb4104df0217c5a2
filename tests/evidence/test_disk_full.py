"""A full disk is one line and an exit code, never a traceback, and leaves nothing half-written (issue 16).

Runs on a small tmpfs mounted for the test (needs root and mount, as in CI containers); skipped with the reason
otherwise. The disk is filled to many levels around the size of the file being registered, so that the copy, the
move into the store and the ledger's commit each get their turn at failing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.evidence import registry
from counterclaim.store import Ledger

SIZE = 6 << 20


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root and mount to make a small filesystem (tmpfs)")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mnt)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk so that ``leave`` bytes stay free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("ab") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def picture(path: Path, side: int) -> Path:
    from PIL import Image

    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path, "PNG")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}\n{result.output}")
    return result.exit_code, result.output


def test_registering_on_a_full_disk_is_one_line_and_leaves_no_stray_file(small_disk: Path, tmp_path: Path) -> None:
    big = picture(tmp_path / "big.png", 700)
    size = big.stat().st_size
    outcomes = []
    for extra_pages in range(0, 40, 2):
        db = small_disk / "k.db"
        assert run("evidence", "list", "--db", str(db))[0] == 0
        filler = fill(small_disk, size + extra_pages * 4096)
        code, out = run("evidence", "add", str(big), "--db", str(db))
        assert "Traceback" not in out
        if code:
            assert out.count("\n") == 1 and out.startswith("counterclaim: error:"), out
            assert "no space" in out.lower() or "disk is full" in out.lower(), out
        outcomes.append(code)
        filler.unlink()
        with Ledger(db) as ledger:  # the space is back: the store and the ledger agree
            report = registry.check(ledger)
            assert report.ok, [p.line() for p in report.problems]
            assert report.items == (0 if code else 1)
        shutil.rmtree(small_disk / "k.evidence", ignore_errors=True)
        for f in small_disk.glob("k.db*"):
            f.unlink()
    assert 0 in outcomes and any(outcomes), outcomes  # both a refusal and a success were seen


def test_ingest_on_a_full_disk_is_one_line(small_disk: Path, tmp_path: Path) -> None:
    text = tmp_path / "statement.txt"
    text.write_text("The ministry said that the shelling of the town killed three civilians.\n" * 2000, "utf-8")
    db = small_disk / "l.db"
    assert run("ingest", str(text.with_name("nothing-here.txt")), "--db", str(db))[0] != 0
    assert not db.exists()  # a path that does not exist creates no empty ledger
    assert run("docs", "--db", str(db))[0] != 0
    (small_disk / "seed.txt").write_text("A first statement about the shelling of the town.\n", "utf-8")
    assert run("ingest", str(small_disk / "seed.txt"), "--db", str(db))[0] == 0
    fill(small_disk, 0)
    code, out = run("ingest", str(text), "--db", str(db))
    assert code != 0 and out.startswith("counterclaim: error:") and "Traceback" not in out, out
    assert "space" in out or "disk is full" in out, out


def test_export_to_a_full_disk_leaves_no_half_file(small_disk: Path, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    lines = tmp_path / "statements.jsonl"
    lines.write_text("".join(
        json.dumps({"text": f"Statement {i}: the ministry said the shelling of the town killed {i} civilians.",
                    "title": f"Statement number {i} of the ministry on the shelling", "url": f"https://example.org/{i}"})
        + "\n" for i in range(400)), "utf-8")
    assert run("ingest", str(lines), "--db", str(db))[0] == 0
    out = small_disk / "ledger.jsonl"
    fill(small_disk, 0)
    code, message = run("export", "--db", str(db), "--out", str(out))
    assert code == 1 and "no space left" in message and "Traceback" not in message, message
    assert not out.exists() and not list(small_disk.glob("*.part"))
