from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.evidence import fingerprint, registry
from counterclaim.store import Ledger
from counterclaim.store import evidence as db


@pytest.fixture(scope="module")
def store(media: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, dict[str, str]]:
    led = Ledger(tmp_path_factory.mktemp("similar") / "k.db")
    ids = {name: registry.add(led, media[name]).item.id for name in (
        "clip.mp4", "reencoded.webm", "cropped.mp4", "trimmed.mp4", "unrelated.mp4", "photo.jpg",
        "photo_small.png", "other.jpg", "still.jpg")}
    return led, ids


@pytest.mark.media
def test_video_copies_found_unrelated_not(store: tuple[Ledger, dict[str, str]]) -> None:
    led, ids = store
    names = {v: k for k, v in ids.items()}
    found = {names[m.item]: m for m in fingerprint.similar(led.conn, ids["clip.mp4"])}
    print({k: (m.score, m.min_distance) for k, m in found.items()})
    assert {"reencoded.webm", "cropped.mp4", "trimmed.mp4"} <= set(found)
    assert "unrelated.mp4" not in found and "other.jpg" not in found and "photo.jpg" not in found
    assert "still.jpg" in found  # a frame grab (screenshot) of the clip
    # a copy found from the other side too
    back = {names[m.item] for m in fingerprint.similar(led.conn, ids["trimmed.mp4"])}
    assert "clip.mp4" in back and "unrelated.mp4" not in back


@pytest.mark.media
def test_image_copy_found_unrelated_not(store: tuple[Ledger, dict[str, str]]) -> None:
    led, ids = store
    names = {v: k for k, v in ids.items()}
    found = [names[m.item] for m in fingerprint.similar(led.conn, ids["photo.jpg"])]
    assert found == ["photo_small.png"]
    from_still = {names[m.item] for m in fingerprint.similar(led.conn, ids["still.jpg"])}
    assert {"clip.mp4", "reencoded.webm", "trimmed.mp4"} <= from_still and "unrelated.mp4" not in from_still


@pytest.mark.media
def test_index_agrees_with_bruteforce(store: tuple[Ledger, dict[str, str]]) -> None:
    led, ids = store
    for item in ids.values():
        for d in (4, 8, 12, 16):
            assert fingerprint.similar(led.conn, item, d, 0.1) == fingerprint.similar_bruteforce(led.conn, item, d, 0.1)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**64 - 1), st.lists(st.integers(0, 63), max_size=14, unique=True), st.integers(0, 16))
def test_band_probes_never_miss_a_hash_within_distance(base: int, flips: list[int], max_distance: int) -> None:
    other = base
    for bit in flips:
        other ^= 1 << bit
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE evidence_fingerprints (item_id TEXT, idx INTEGER, at_s REAL, hash INTEGER, "
                 "b0 INTEGER, b1 INTEGER, b2 INTEGER, b3 INTEGER)")
    db.insert_fingerprints(conn, "other", [(0, None, other)])
    got = db.band_candidates(conn, fingerprint.band_probes([base], max_distance))
    if len(flips) <= max_distance:
        assert got == [("other", other)]
    assert db.to_unsigned(db.to_signed(other)) == other
