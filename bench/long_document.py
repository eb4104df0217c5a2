"""Benchmark: one document over spaCy's 1,000,000-character limit, analysed in paragraph chunks, against the same
paragraphs stored as separate documents of at most 100,000 characters (the baseline, same run).

Usage:  .venv/bin/python bench/long_document.py [--chars 1050000]

The text is made of the paragraphs of the test cases (tests/cases/*.txt), repeated until ``--chars``. Each mode runs
in a fresh child process; the child reports wall time, records found and its own peak RSS (``VmHWM``). Chunking
should cost about what the separate documents cost: the ratio is the overhead of mapping spans back.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def text(chars: int) -> str:
    paras = [p.strip() for f in sorted((ROOT / "tests" / "cases").glob("*.txt"))
             for p in f.read_text("utf-8").split("\n\n") if len(p.strip()) > 80]
    out: list[str] = []
    size = 0
    while size < chars:
        out.append(paras[len(out) % len(paras)])
        size += len(out[-1]) + 2
    return "\n\n".join(out) + "\n"


def child(mode: str, chars: int) -> None:
    from counterclaim.extract.context import DocInput
    from counterclaim.extract.pipeline import Extractor
    from counterclaim.nlp.chunks import split_spans

    body = text(chars)
    ex = Extractor()
    if mode == "chunked":
        inputs = [DocInput(id="long", text=body)]
    else:
        inputs = [DocInput(id=f"part{i}", text=body[a:b]) for i, (a, b) in enumerate(split_spans(body))]
    started = time.perf_counter()
    records = sum(len(r) for _, r in ex.stream(inputs))
    took = time.perf_counter() - started
    hwm = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
               if line.startswith("VmHWM"))
    print(json.dumps({"mode": mode, "docs": len(inputs), "chars": len(body), "seconds": round(took, 1),
                      "records": records, "peak_rss_mb": hwm // 1024}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_050_000)
    ap.add_argument("--child", choices=["chunked", "separate"])
    args = ap.parse_args()
    if args.child:
        child(args.child, args.chars)
        return
    results = []
    for mode in ("separate", "chunked"):
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--chars", str(args.chars)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    base, long = results
    print(f"chunked / separate: time x{long['seconds'] / base['seconds']:.2f}, "
          f"records {long['records']} / {base['records']}, peak RSS {long['peak_rss_mb']} / {base['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
