from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from counterclaim.errors import EvidenceError
from counterclaim.evidence import registry
from counterclaim.evidence.store import digest_file, store_root
from counterclaim.store import Ledger
from counterclaim.store import evidence as db

pytestmark = pytest.mark.media


def test_add_copies_read_only_under_content_address(ledger: Ledger, media: dict[str, Path]) -> None:
    src = media["clip.mp4"]
    before = (src.stat().st_mtime_ns, digest_file(src))
    out = registry.add(ledger, src, collected_by="A. Analyst", source_url="https://example.org/v/1", note="posted")
    item = out.item
    assert out.status == "new"
    digests = digest_file(src)
    assert (item.sha256, item.sha512, item.md5, item.size) == (digests.sha256, digests.sha512, digests.md5,
                                                               digests.size)
    stored = store_root(ledger.path) / "sha256" / item.sha256[:2] / item.sha256[2:]
    assert stored.is_file() and stat.S_IMODE(stored.stat().st_mode) == 0o444
    assert stored.read_bytes() == src.read_bytes()
    assert (src.stat().st_mtime_ns, digest_file(src)) == before
    assert not list((store_root(ledger.path) / "tmp").iterdir())
    entries = db.custody_entries(ledger.conn, item.id)
    assert [(e.seq, e.actor, e.action) for e in entries] == [(1, "A. Analyst", "registered")]
    assert "https://example.org/v/1" in entries[0].note
    assert registry.add(ledger, src).status == "known"
    assert len(db.custody_entries(ledger.conn, item.id)) == 1
    again = registry.add(ledger, src, collected_by="B", source_url="https://example.org/mirror")
    assert again.status == "known" and again.item.id == item.id
    last = db.custody_entries(ledger.conn, item.id)[-1]
    assert (last.seq, last.actor, last.action) == (2, "B", "collected again") and "mirror" in last.note


def test_video_metadata_verbatim_and_normalised(ledger: Ledger, media: dict[str, Path]) -> None:
    item = registry.add(ledger, media["clip.mp4"]).item
    meta = item.metadata
    assert item.media_type == "video" and item.readable
    assert meta["video_codec"] == "h264" and meta["audio_codec"] == "aac"
    assert (meta["width"], meta["height"]) == (320, 240)
    assert meta["duration_s"] == pytest.approx(6.0, abs=0.2)
    assert meta["creation_time"].startswith("2022-09-30T10:15:00")
    assert meta["encoder"].startswith("Lavf")
    assert meta["gps"] == {"lat": pytest.approx(48.4647), "lon": pytest.approx(35.0462)}
    assert "mp4" in meta["container"]
    assert item.metadata_raw["format"]["tags"]["location"].startswith("+48.4647")
    assert any(s["codec_type"] == "video" for s in item.metadata_raw["streams"])


def test_image_exif_camera_date_gps(ledger: Ledger, media: dict[str, Path]) -> None:
    item = registry.add(ledger, media["photo.jpg"]).item
    meta = item.metadata
    assert item.media_type == "image"
    assert (meta["make"], meta["model"]) == ("Canon", "EOS 5D")
    assert meta["datetime_original"] == "2022:09:30 10:15:00"
    assert meta["gps"]["lat"] == pytest.approx(48 + 27 / 60 + 52.92 / 3600, abs=1e-6)
    assert meta["gps"]["lon"] == pytest.approx(35 + 2 / 60 + 46.32 / 3600, abs=1e-6)
    assert item.metadata_raw["exif"]["0th"]["Make"] == "Canon"
    assert item.metadata_raw["exif"]["GPS"]["GPSLatitude"] == [[48, 1], [27, 1], [5292, 100]]


@pytest.mark.parametrize("name", ["truncated.mp4", "empty.mp4", "text.jpg", "truncated.jpg"])
def test_bad_media_refused_then_forced(ledger: Ledger, media: dict[str, Path], name: str) -> None:
    with pytest.raises(EvidenceError, match=r"unsupported or corrupt media.*--force"):
        registry.add(ledger, media[name])
    assert db.count_items(ledger.conn) == 0
    root = store_root(ledger.path)
    assert not (root / "sha256").exists() or not any((root / "sha256").rglob("*"))
    assert not any((root / "tmp").iterdir())
    item = registry.add(ledger, media[name], force=True).item
    assert item.media_type == "unreadable" and not item.readable and item.problem
    assert item.sha256 == digest_file(media[name]).sha256
    assert registry.status(ledger, item) == "unreadable media"
    assert registry.check(ledger).ok


def test_check_names_changed_missing_and_edited_entry(ledger: Ledger, media: dict[str, Path]) -> None:
    a = registry.add(ledger, media["clip.mp4"], collected_by="A").item
    b = registry.add(ledger, media["photo.jpg"], collected_by="A").item
    c = registry.add(ledger, media["other.jpg"], collected_by="A").item
    registry.verify_step(ledger, b, "geolocation", "confirmed", "B", "matched to satellite imagery")
    registry.append(ledger, b, "C", "transferred", "to the prosecutor's office")
    assert registry.check(ledger).ok
    root = store_root(ledger.path)
    # flip one byte of a stored file
    stored = root / a.stored_path
    os.chmod(stored, 0o644)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    os.chmod(stored, 0o444)
    # edit one custody entry behind the triggers' back
    raw = sqlite3.connect(ledger.path)
    raw.execute("DROP TRIGGER evidence_custody_no_update")
    raw.execute("UPDATE evidence_custody SET note = 'nothing happened' WHERE item_id = ? AND seq = 2", (b.id,))
    raw.commit()
    raw.close()
    # delete a stored file
    (root / c.stored_path).unlink()
    report = registry.check(ledger)
    found = {(p.item, p.kind) for p in report.problems}
    assert found == {(a.id, "changed"), (b.id, "chain: edited"), (c.id, "missing"), (None, "guard removed")}
    changed = next(p for p in report.problems if p.kind == "changed")
    assert a.sha256 in changed.detail and digest_file(stored).sha256 in changed.detail
    edited = next(p for p in report.problems if p.kind == "chain: edited")
    assert "entry 2" in edited.detail


def test_custody_log_is_append_only(ledger: Ledger, media: dict[str, Path]) -> None:
    item = registry.add(ledger, media["photo.jpg"]).item
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        ledger.conn.execute("UPDATE evidence_custody SET note = 'x' WHERE item_id = ?", (item.id,))
    ledger.conn.rollback()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        ledger.conn.execute("DELETE FROM evidence_custody WHERE item_id = ?", (item.id,))
    ledger.conn.rollback()


def test_failure_while_writing_leaves_ledger_and_store_consistent(
    ledger: Ledger, media: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(db, "insert_fingerprints", boom)
    with pytest.raises(sqlite3.OperationalError):
        registry.add(ledger, media["photo.jpg"])
    assert db.count_items(ledger.conn) == 0
    assert ledger.conn.execute("SELECT count(*) FROM evidence_custody").fetchone()[0] == 0
    report = registry.check(ledger)
    assert report.problems == []  # the copy moved into the store is removed again: nothing unregistered is left
    monkeypatch.undo()
    item = registry.add(ledger, media["photo.jpg"]).item  # adding again completes the registration
    assert registry.check(ledger).ok and item.readable


def test_adding_the_original_again_restores_a_damaged_copy(ledger: Ledger, media: dict[str, Path]) -> None:
    item = registry.add(ledger, media["photo.jpg"], collected_by="A").item
    stored = store_root(ledger.path) / item.stored_path
    stored.unlink()
    assert [p.kind for p in registry.check(ledger).problems] == ["missing"]
    out = registry.add(ledger, media["photo.jpg"], collected_by="B")
    assert out.status == "restored"
    assert registry.check(ledger).ok and stat.S_IMODE(stored.stat().st_mode) == 0o444
    restored, again = db.custody_entries(ledger.conn, item.id)[-2:]
    assert (restored.actor, restored.action, again.action) == ("B", "restored", "collected again")
    assert "missing" in restored.note
    os.chmod(stored, 0o644)
    stored.write_bytes(b"forged")
    assert registry.add(ledger, media["photo.jpg"]).status == "restored"
    assert registry.check(ledger).ok
    assert registry.add(ledger, media["photo.jpg"]).status == "known"
