"""Perceptual fingerprints and the near-duplicate index.

* Images: one 64-bit pHash (``imagehash.phash``: 32x32 grey, DCT, 8x8 low frequencies vs their median).
* Videos: pHashes of frames sampled evenly (``ffmpeg`` decodes to 64x64 grey frames on a pipe, nothing is written
  to disk), at most :data:`MAX_FRAMES`; consecutive frames closer than :data:`DEDUP_DISTANCE` keep only the first.
  Re-encoded, resized and trimmed copies share most frame hashes within a small Hamming distance.

The index is **multi-index hashing** (Norouzi et al., 2012) in SQLite: each 64-bit hash is split into four 16-bit
bands, each band column has a B-tree index. By the pigeonhole principle two hashes within Hamming distance ``d``
agree within ``d // 4`` bits on at least one band (if every band differed in ``d // 4 + 1`` bits or more, the
distance would be at least ``4 * (d // 4 + 1) > d``), so probing each band with every value within ``d // 4`` bits
of the query's band finds every match without scanning all pairs; candidates are then checked with the exact
distance. Probes per band and query hash: 137 for ``d`` = 8..11 (the default is 10), 697 for ``d`` = 12..15. :func:`similar_bruteforce` is the all-pairs baseline (benchmarks, tests).

Item score: the share of the query's frames that have a match in the other item, or of the other item's frames
that have a match in the query (whichever is higher, so a trimmed excerpt and its longer original both find
each other). Items scoring at least ``min_share`` are returned, best first.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from counterclaim.errors import EvidenceError
from counterclaim.store import evidence as db

log = logging.getLogger(__name__)

FRAME_SIZE = 64
MAX_FRAMES = 48
MAX_FPS = 2.0
DEDUP_DISTANCE = 3
FFMPEG_TIMEOUT_S = 300
DEFAULT_MAX_DISTANCE = 10
DEFAULT_MIN_SHARE = 0.3

#: a fingerprint: (frame number, time in seconds or None, unsigned 64-bit hash)
Fingerprint = tuple[int, float | None, int]


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _bits_to_int(bits: Iterable[bool]) -> int:
    value = 0
    for bit in bits:
        value = (value << 1) | int(bool(bit))
    return value


def phash_image(image: object) -> int:
    """The 64-bit pHash of a PIL image."""
    import imagehash

    return _bits_to_int(imagehash.phash(image).hash.flatten())  # type: ignore[arg-type]


def image_fingerprints(path: Path) -> list[Fingerprint]:
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        upright = ImageOps.exif_transpose(img) or img
        return [(0, None, phash_image(upright.convert("L")))]


def sample_rate(duration_s: float | None) -> float:
    """Frames per second to sample so that a clip gives at most MAX_FRAMES frames."""
    if not duration_s or duration_s <= 0:
        return MAX_FPS
    return min(MAX_FPS, MAX_FRAMES / duration_s)


def video_fingerprints(path: Path, duration_s: float | None) -> list[Fingerprint]:
    """pHashes of evenly sampled frames; [] when no frame decodes."""
    from PIL import Image

    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        raise EvidenceError("ffmpeg is not installed: install ffmpeg (Debian: apt-get install ffmpeg) to "
                            "fingerprint video evidence")
    fps = sample_rate(duration_s)
    cmd = [ffmpeg, "-v", "error", "-nostdin"]
    if duration_s and duration_s > 600:
        cmd += ["-skip_frame", "nokey"]  # long recordings: decode keyframes only
    cmd += ["-i", str(path), "-an", "-sn", "-vf", f"fps={fps:.6f},scale={FRAME_SIZE}:{FRAME_SIZE}",
            "-frames:v", str(MAX_FRAMES), "-pix_fmt", "gray", "-f", "rawvideo", "pipe:1"]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=FFMPEG_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        log.warning("ffmpeg took longer than %ss on %s", FFMPEG_TIMEOUT_S, path)
        return []
    frame_bytes = FRAME_SIZE * FRAME_SIZE
    data = proc.stdout
    out: list[Fingerprint] = []
    last: int | None = None
    for n in range(len(data) // frame_bytes):
        img = Image.frombytes("L", (FRAME_SIZE, FRAME_SIZE), data[n * frame_bytes:(n + 1) * frame_bytes])
        h = phash_image(img)
        if last is not None and hamming(h, last) <= DEDUP_DISTANCE:
            continue
        out.append((len(out), round(n / fps, 3), h))
        last = h
    return out


# -- similarity -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    """Another item that looks like the query item."""

    item: str
    score: float  # share of matching frames (see module docstring)
    min_distance: int  # best Hamming distance between any two frames
    matched_frames: int  # query frames with a match


@lru_cache(maxsize=8)
def _masks(radius: int) -> tuple[int, ...]:
    """Every 16-bit mask with at most ``radius`` bits set."""
    masks = [0]
    for r in range(1, radius + 1):
        for bits in itertools.combinations(range(16), r):
            masks.append(sum(1 << b for b in bits))
    return tuple(masks)


def band_probes(hashes: Sequence[int], max_distance: int) -> list[set[int]]:
    """For each of the four bands, the band values to look up so that no hash within ``max_distance`` is missed."""
    masks = _masks(max_distance // 4)
    probes: list[set[int]] = [set(), set(), set(), set()]
    for h in hashes:
        for k, value in enumerate(db.bands(h)):
            probes[k].update(value ^ m for m in masks)
    return probes


def score_candidates(
    query_id: str, query: Sequence[int], candidates: Sequence[tuple[str, int]],
    counts: Callable[[Iterable[str]], dict[str, int]], max_distance: int, min_share: float,
) -> list[Match]:
    """Score candidate fingerprints ``(item, hash)`` of other items against the query's hashes (numpy popcounts,
    in blocks); ``counts`` gives the number of fingerprints of the items that have a match."""
    import numpy as np

    items = [item for item, _ in candidates]
    if not items or not query:
        return []
    q = np.array(query, dtype=np.uint64)
    hit_rows: list[int] = []
    hit_q: list[np.ndarray] = []
    hit_best: list[int] = []
    block = 32768
    for start in range(0, len(candidates), block):
        hashes = np.array([h for _, h in candidates[start:start + block]], dtype=np.uint64)
        dist = np.bitwise_count(hashes[:, None] ^ q[None, :])
        within = dist <= max_distance
        for r in np.nonzero(within.any(axis=1))[0]:
            if items[start + r] == query_id:
                continue
            hit_rows.append(start + int(r))
            hit_q.append(within[r])
            hit_best.append(int(dist[r].min()))
    per_item: dict[str, list[int]] = {}
    for k, row in enumerate(hit_rows):
        per_item.setdefault(items[row], []).append(k)
    totals = counts(per_item)
    matches: list[Match] = []
    for item, ks in per_item.items():
        q_hit = int(np.any([hit_q[k] for k in ks], axis=0).sum())
        score = max(q_hit / len(query), len(ks) / max(1, totals.get(item, len(ks))))
        if score >= min_share:
            matches.append(Match(item=item, score=round(score, 3), min_distance=min(hit_best[k] for k in ks),
                                 matched_frames=q_hit))
    return sorted(matches, key=lambda m: (-m.score, m.min_distance, m.item))


def similar(
    conn: sqlite3.Connection, item_id: str, max_distance: int = DEFAULT_MAX_DISTANCE,
    min_share: float = DEFAULT_MIN_SHARE,
) -> list[Match]:
    """Items that look like ``item_id`` (re-encoded, resized, cropped or trimmed copies), via the band index."""
    query = [h for _, _, h in db.fingerprints(conn, item_id)]
    if not query:
        return []
    candidates = db.band_candidates(conn, band_probes(query, max_distance))
    return score_candidates(item_id, query, candidates, lambda items: db.fingerprint_counts(conn, items),
                            max_distance, min_share)


def similar_bruteforce(
    conn: sqlite3.Connection, item_id: str, max_distance: int = DEFAULT_MAX_DISTANCE,
    min_share: float = DEFAULT_MIN_SHARE,
) -> list[Match]:
    """The same answer as :func:`similar` by comparing the query with every fingerprint in the store (the
    baseline: same scoring code, no index)."""
    query = [h for _, _, h in db.fingerprints(conn, item_id)]
    if not query:
        return []
    everything = db.all_fingerprints(conn)
    return score_candidates(item_id, query, everything, lambda items: db.fingerprint_counts(conn, items),
                            max_distance, min_share)
