"""Benchmark: registering and fingerprinting media, and `similar` via the band index vs a brute-force scan.

Usage:  nice -n 10 .venv/bin/python bench/evidence.py [--clips 200] [--images 2000] [--queries 40] [--workers 2]
                                                    [--synthetic 200000] [--out bench/out/evidence.json]

1. Generates ``--clips`` short clips (2 s, 128x96, 5 fps, H.264; one ffmpeg run over a blurred-noise source, cut
   into pieces with the segment muxer) and ``--images`` small JPEGs (Pillow, blurred noise, 128x96), in a temp dir.
2. Times ``registry.add_many`` (``--workers`` threads, as ``evidence add`` does) for every clip (copy + 3 hashes + ffprobe + keyframe pHashes via ffmpeg + SQLite) and
   every image (copy + hashes + Pillow/EXIF + pHash + SQLite).
3. Adds near-duplicate copies of a few items (re-encoded clip, resized image) so queries have something to find.
4. Times ``similar`` (multi-index hashing over the 4 band indexes) against ``similar_bruteforce`` (every
   fingerprint compared) on the same ``--queries`` items, checking they return the same matches.
5. With ``--synthetic N``: inserts N random 64-bit fingerprints in items of 20 frames (as if N/20 more clips were
   registered) and repeats the query timing, to show how each approach scales.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterclaim.evidence import fingerprint, registry  # noqa: E402
from counterclaim.store import Ledger  # noqa: E402
from counterclaim.store import evidence as db  # noqa: E402


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True)


def make_clips(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"nullsrc=s=128x96:r=5:d={2 * n},geq=lum='random(1)*255':cb=128:cr=128,boxblur=6",
           "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0",
           "-f", "segment", "-segment_time", "2", "-reset_timestamps", "1", str(folder / "clip%04d.mp4"))
    return sorted(folder.glob("clip*.mp4"))[:n]


def make_images(folder: Path, n: int, seed: int = 7) -> list[Path]:
    from PIL import Image, ImageFilter

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        img = Image.effect_noise((128, 96), 60 + rng.random() * 40).filter(ImageFilter.GaussianBlur(3)).convert("RGB")
        path = folder / f"img{i:05d}.jpg"
        img.save(path, "JPEG", quality=85)
        out.append(path)
    return out


def cpu_s() -> float:
    """CPU seconds used by this process and its finished children (ffmpeg, ffprobe)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def time_adds(ledger: Ledger, paths: list[Path], workers: int) -> tuple[float, float, list[str]]:
    """Wall and CPU seconds to register ``paths``, and their ids."""
    start, cpu0 = time.perf_counter(), cpu_s()
    ids = []
    for _path, res in registry.add_many(ledger, paths, collected_by="bench", workers=workers):
        assert not isinstance(res, Exception), res
        ids.append(res.item.id)
    return time.perf_counter() - start, cpu_s() - cpu0, ids


def time_queries(ledger: Ledger, queries: list[str]) -> dict[str, object]:
    t_index, t_brute, agree, found = [], [], 0, 0
    for q in queries:
        t0 = time.perf_counter()
        a = fingerprint.similar(ledger.conn, q)
        t1 = time.perf_counter()
        b = fingerprint.similar_bruteforce(ledger.conn, q)
        t2 = time.perf_counter()
        t_index.append(t1 - t0)
        t_brute.append(t2 - t1)
        agree += a == b
        found += bool(a)
    return {
        "queries": len(queries), "index_median_ms": round(statistics.median(t_index) * 1000, 2),
        "index_max_ms": round(max(t_index) * 1000, 2),
        "bruteforce_median_ms": round(statistics.median(t_brute) * 1000, 2),
        "speedup_median": round(statistics.median(t_brute) / statistics.median(t_index), 1),
        "same_answer": f"{agree}/{len(queries)}", "queries_with_matches": found,
    }


def add_synthetic(ledger: Ledger, n: int, frames_per_item: int = 20, seed: int = 11) -> None:
    """``n`` random fingerprints in items of ``frames_per_item`` frames (like registered clips)."""
    rng = random.Random(seed)
    conn = ledger.conn
    with db.transaction(conn):
        for start in range(0, n, frames_per_item):
            item = f"synthetic{start:09d}"
            conn.execute(
                "INSERT INTO evidence_items(id, sha256, sha512, md5, size, filename, original_path, stored_path, "
                "media_type, added_at) VALUES (?, ?, '', '', 0, ?, '', '', 'video', '')",
                (item, item.ljust(64, "0"), item),
            )
            count = min(frames_per_item, n - start)
            db.insert_fingerprints(conn, item, [(i, None, rng.getrandbits(64)) for i in range(count)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clips", type=int, default=200)
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2, help="threads probing/fingerprinting (evidence add --workers)")
    ap.add_argument("--synthetic", type=int, default=200_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "evidence.json")
    args = ap.parse_args()
    result: dict[str, object] = {"machine": f"{platform.machine()} {os.cpu_count()} cpu, {platform.platform()}",
                                 "python": platform.python_version()}
    with tempfile.TemporaryDirectory(prefix="cc-bench-evidence-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        clips = make_clips(work / "clips", args.clips)
        images = make_images(work / "images", args.images)
        result["generate_s"] = round(time.perf_counter() - t0, 1)
        ledger = Ledger(work / "bench.db")
        load0 = round(os.getloadavg()[0], 1)
        t_clips, cpu_clips, clip_ids = time_adds(ledger, clips, args.workers)
        t_images, cpu_images, image_ids = time_adds(ledger, images, args.workers)
        frames = ledger.conn.execute("SELECT count(*) FROM evidence_fingerprints").fetchone()[0]
        result["add"] = {
            "workers": args.workers, "load_avg_1m_at_start": load0,
            "clips": len(clips), "clips_s": round(t_clips, 1), "per_clip_ms": round(1000 * t_clips / max(1, len(clips))),
            "clips_cpu_s": round(cpu_clips, 1), "cpu_per_clip_ms": round(1000 * cpu_clips / max(1, len(clips))),
            "images": len(images), "images_s": round(t_images, 1),
            "per_image_ms": round(1000 * t_images / max(1, len(images)), 1),
            "cpu_per_image_ms": round(1000 * cpu_images / max(1, len(images)), 1), "fingerprints": frames,
        }
        print(json.dumps(result["add"]), flush=True)
        # near-duplicates: a re-encoded clip and a resized image for a few items
        from PIL import Image

        dups = work / "dups"
        dups.mkdir()
        for i, clip in enumerate(clips[:5]):
            ffmpeg("-i", str(clip), "-vf", "scale=96:72", "-c:v", "libx264", "-crf", "32", "-preset", "ultrafast",
                   str(dups / f"re{i}.mp4"))
            registry.add(ledger, dups / f"re{i}.mp4")
        for i, img in enumerate(images[:5]):
            with Image.open(img) as im:
                im.resize((100, 75)).save(dups / f"small{i}.png")
            registry.add(ledger, dups / f"small{i}.png")
        rng = random.Random(3)
        queries = clip_ids[:5] + image_ids[:5]
        queries += rng.sample(clip_ids[5:], min(len(clip_ids) - 5, max(0, args.queries // 2 - 5)))
        queries += rng.sample(image_ids[5:], min(len(image_ids) - 5, max(0, args.queries - len(queries))))
        result["similar"] = time_queries(ledger, queries)
        print(json.dumps(result["similar"]), flush=True)
        if args.synthetic:
            add_synthetic(ledger, args.synthetic)
            frames = ledger.conn.execute("SELECT count(*) FROM evidence_fingerprints").fetchone()[0]
            result["similar_with_synthetic"] = {"fingerprints": frames, **time_queries(ledger, queries)}
            print(json.dumps(result["similar_with_synthetic"]), flush=True)
        ledger.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
