"""Benchmark: full extraction vs the plain spaCy pass over the same texts, in the same run.

Usage:  .venv/bin/python bench/extract.py [--docs 500] [--docs2 1500] [--out bench/out/extract.json]

For each corpus size, two child processes run one after the other on identical generated documents:
``spacy`` (the bare English model, ``nlp.pipe``) and ``full`` (model + counterclaim components, records built).
Each child reports wall time and its own peak RSS, so memory of one pass does not leak into the other.
The overhead of the project's components is ``full / spacy - 1`` (target ≤ 30 %); memory is flat when peak RSS
at the larger size is about the same as at the smaller one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "examples" / "seeds", ROOT / "tests" / "cases"]


def sentences() -> list[str]:
    out: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text("utf-8")
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 40]
    return out


def generate(n: int, seed: int = 7) -> list[str]:
    """``n`` documents of 2-5 KB made of shuffled real sentences (statements, reports) from the fixtures."""
    rng = random.Random(seed)
    pool = sentences()
    docs = []
    for _ in range(n):
        target = rng.randint(2000, 5000)
        parts: list[str] = []
        size = 0
        while size < target:
            s = rng.choice(pool)
            parts.append(s)
            size += len(s) + 1
        paragraphs = [" ".join(parts[i : i + 3]) for i in range(0, len(parts), 3)]
        docs.append("\n".join(paragraphs))
    return docs


def child(mode: str, n: int) -> None:
    texts = generate(n)
    t0 = time.perf_counter()
    if mode == "spacy":
        from counterclaim.nlp.pipeline import load_model

        nlp = load_model()
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        ents = 0
        for doc in nlp.pipe(texts, batch_size=32):
            ents += len(doc.ents)
        work = time.perf_counter() - t1
        produced = ents
    else:
        from counterclaim.extract.context import DocInput
        from counterclaim.extract.pipeline import Extractor

        extractor = Extractor()
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        produced = 0
        inputs = (DocInput(id=str(i), text=t, published="2022-10-04") for i, t in enumerate(texts))
        for _, records in extractor.stream(inputs):
            produced += len(records)
        work = time.perf_counter() - t1
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "mode": mode, "docs": n, "chars": sum(map(len, texts)), "load_s": round(load, 2), "work_s": round(work, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1), "produced": produced,
    }))


def run(mode: str, n: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--docs", str(n)], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--docs2", type=int, default=1500, help="a larger size to show memory stays flat (0: skip)")
    ap.add_argument("--child", choices=["spacy", "full"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.docs)
        return
    rows = []
    for n in [args.docs] + ([args.docs2] if args.docs2 else []):
        base = run("spacy", n)
        full = run("full", n)
        rows.append({"docs": n, "spacy": base, "full": full, "overhead": round(full["work_s"] / base["work_s"] - 1, 3)})
    result = {"machine": machine(), "rows": rows}
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2))
    print("\n| docs | chars | spaCy pass docs/s | full docs/s | full chars/s | overhead | peak RSS spaCy / full (MB) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        b, f = r["spacy"], r["full"]
        print(f"| {r['docs']} | {f['chars']:,} | {b['docs'] / b['work_s']:.1f} | {f['docs'] / f['work_s']:.1f} | "
              f"{f['chars'] / f['work_s']:,.0f} | {r['overhead']:+.0%} | {b['peak_rss_mb']} / {f['peak_rss_mb']} |")


if __name__ == "__main__":
    main()
