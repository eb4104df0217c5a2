"""Benchmark: list pages of the web workbench on a 100,000-document ledger (target: p95 < 200 ms).

Usage:  .venv/bin/python bench/web.py [--docs 100000] [--db /tmp/cc-bench-web.db] [--requests 40] [--out FILE]

1. Builds (once; reused when the file already holds ``--docs`` documents) a ledger of synthetic statements through
   the Ledger API (``add_document`` + ``replace_records``): a mix of publishers, languages and dates over ten years,
   with allegations, figures, dates and actor mentions on most documents.
2. Starts the real server (``counterclaim serve``, uvicorn) in a child process on a free loopback port.
3. Times ``--requests`` GET requests per scenario over HTTP (random cursors at any depth, filters and search words)
   and prints p50 / p95 / max wall time per scenario and overall, plus the server's CPU time per request (from
   /proc: it does not grow when other jobs load the machine, the wall times do), as a table and as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from counterclaim.records import ActorMention, Allegation, DateMention, Document, Figure, SourceRef  # noqa: E402
from counterclaim.store import Ledger  # noqa: E402

STATES = ["Ukraine", "Russia", "Israel", "Palestine", "Sudan", "Syria", "Myanmar", "Ethiopia", "Yemen", "Saudi Arabia",
          "Armenia", "Azerbaijan", "Eritrea", "Iran", "United States"]
GROUPS = ["Rapid Support Forces", "Hamas", "Houthis", "Tatmadaw", "Wagner Group", "TPLF"]
ACTS = ["shelling", "airstrike", "torture", "execution", "deportation", "landmines", "siege", "sexual_violence",
        "hostage_taking", "attack_on_hospital", "war_crimes", "genocide", "looting", "forced_displacement"]
PUBLISHERS = ["Ministry of Foreign Affairs of {}", "{} News Agency", "Permanent Mission of {} to the UN",
              "Office of the President of {}", "{} Human Rights Watch", "Daily {}"]
LANGS = ["en"] * 16 + ["fr", "ru", "ar", "uk"]
WORDS = ["statement", "ministry", "forces", "civilians", "village", "town", "shelling", "artillery", "drone", "strike", "hospital", "school", "killed", "wounded", "displaced", "report", "investigation", "evidence", "witnesses", "violation", "international", "humanitarian", "law", "convention", "council", "resolution", "ceasefire", "attack", "military", "prosecutor", "video", "footage", "detained", "prisoners", "humanitarian", "corridor", "aid", "convoy", "blockade", "water", "electricity", "infrastructure", "bridge", "market", "mosque", "church", "residential", "area", "night", "morning", "spokesperson", "condemned", "denied", "accused", "demanded", "accountability", "tribunal"]
CATEGORIES = ["killed", "injured", "displaced", "detained", "missing", "hostage"]


def _sentence(rng: random.Random, n: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build(path: Path, n: int, seed: int = 5) -> None:
    """``n`` synthetic documents (~700 characters) with their records, written through the Ledger API."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    with Ledger(path) as ledger:
        ledger.conn.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark file
        have = ledger.counts()["documents"]
        for i in range(have, n):
            state, other = rng.sample(STATES, 2)
            year = rng.randint(2014, 2024)
            published = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() > 0.03 else None
            act = rng.choice(ACTS)
            figure = rng.randint(2, 5000)
            lead = f"The {state} ministry accused {other} of {act.replace('_', ' ')} that killed {figure} civilians."
            body = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
            text = f"{lead} {body} Statement number {i}."
            doc = Document.from_text(
                text, title=f"{state}: statement on {act.replace('_', ' ')} ({i})",
                publisher=rng.choice(PUBLISHERS).format(state), published=published, language=rng.choice(LANGS),
            )
            ledger.add_document(doc, SourceRef(f"bench://{i}", kind="file"))
            start = len(f"The {state} ministry accused {other} of ")
            fig_at = lead.index(str(figure))
            records: list[Any] = [
                ActorMention(doc=doc.id, start=4, end=4 + len(state), actor=state, text=state),
                Figure(doc=doc.id, start=fig_at, end=fig_at + len(str(figure)) + 10, value=float(figure),
                       value_text=f"{figure} civilians", category=rng.choice(CATEGORIES), sentence=lead),
            ]
            if rng.random() < 0.7:
                accused = [other] + ([rng.choice(GROUPS)] if rng.random() < 0.2 else [])
                stance = rng.choices(["assert", "deny", "call_to_investigate"], [6, 2, 1])[0]
                records.append(Allegation(doc=doc.id, start=0, end=len(lead), claimant=state, accused=accused, act=act,
                                          stance=stance, sentence=lead, text=lead,
                                          time=published if rng.random() < 0.5 else None))
            if published and rng.random() < 0.6:
                records.append(DateMention(doc=doc.id, start=start, end=start + 4, date=published[:7], precision="month",
                                           text=published[:7], sentence=lead))
            ledger.replace_records(doc.id, "bench", records)
            if (i + 1) % 10_000 == 0:
                print(f"  {i + 1} documents ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        ledger.conn.execute("PRAGMA optimize")
    print(f"built {path} ({n} documents) in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def cursors(db: Path, n: int, rng: random.Random) -> list[str]:
    """Page cursors at random depths, as the server writes them (``published~id`` of the last row shown)."""
    with Ledger(db, readonly=True) as ledger:
        docs = ledger.documents()
    return [f"{d['published'] or ''}~{d['id']}" for d in rng.sample(docs, n)]


def scenarios(rng: random.Random, deep: list[str]) -> dict[str, Any]:
    """Each scenario is a function giving the next URL (random page, filter, word)."""
    def pick(seq: list[str]) -> str:
        return rng.choice(seq)

    return {
        "documents (first page)": lambda: "/documents",
        "documents (random depth, cursor)": lambda: f"/documents?after={pick(deep)}&page=2",
        "api/documents (random depth)": lambda: f"/api/documents?after={pick(deep)}",
        "search common word": lambda: f"/documents?q={pick(WORDS)}",
        "search rare (statement number)": lambda: f"/documents?q=number+{rng.randint(0, 99_999)}",
        "search + publisher + year": lambda: f"/documents?q={pick(WORDS)}&publisher={pick(STATES)}&since={rng.randint(2014, 2024)}",
        "documents by language": lambda: f"/documents?language={pick(['fr', 'ru', 'ar', 'uk'])}&page={rng.randint(1, 5)}",
        "allegations (random depth)": lambda: f"/allegations?after={pick(deep)}&page=2",
        "allegations by claimant": lambda: f"/allegations?claimant={pick(STATES)}",
        "allegations claimant+accused+act": lambda: f"/allegations?claimant={pick(STATES)}&accused={pick(STATES)}&act={pick(ACTS)}",
        "allegations date range + stance": lambda: f"/allegations?since={rng.randint(2014, 2023)}&until=2024&stance=deny",
        "api/allegations": lambda: f"/api/allegations?act={pick(ACTS)}",
        "figures (random depth)": lambda: f"/figures?after={pick(deep)}&page=2",
        "figures by category": lambda: f"/figures?category={pick(CATEGORIES)}&min_value={rng.randint(1, 4000)}",
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(db: Path, requests: int, seed: int = 11) -> dict[str, dict[str, float]]:
    import httpx

    port = free_port()
    cmd = [sys.executable, "-m", "counterclaim.cli", "serve", "--db", str(db), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen([sys.executable, "-c", "from counterclaim.cli import main; main()", *cmd[3:]], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(200):
                try:
                    client.get("/api/summary")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            rng = random.Random(seed)
            deep = cursors(db, 500, rng)
            results: dict[str, dict[str, float]] = {}
            every: list[float] = []
            for name, next_url in scenarios(rng, deep).items():
                client.get(next_url())  # warm the page cache for this query shape
                cpu0 = _cpu_ms(server.pid)
                times = []
                for _ in range(requests):
                    url = next_url()
                    t0 = time.perf_counter()
                    r = client.get(url)
                    times.append((time.perf_counter() - t0) * 1000)
                    if r.status_code != 200:
                        raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:200]}")
                cpu = (_cpu_ms(server.pid) - cpu0) / requests
                times.sort()
                every += times
                results[name] = {**_stats(times), "server_cpu_ms": round(cpu, 1)}
                print(f"{name:36s} p50 {results[name]['p50_ms']:7.1f} ms   p95 {results[name]['p95_ms']:7.1f} ms   "
                      f"max {results[name]['max_ms']:7.1f} ms   server CPU {cpu:6.1f} ms/request", file=sys.stderr)
            every.sort()
            results["all list pages"] = _stats(every)
            return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def _cpu_ms(pid: int) -> float:
    """CPU time (user + system) the server process has used, from /proc (0 where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "n": len(times), "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1), "max_ms": round(times[-1], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/cc-bench-web.db"))
    ap.add_argument("--requests", type=int, default=40, help="timed requests per scenario")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    build(args.db, args.docs)
    with Ledger(args.db, readonly=True) as ledger:
        counts = ledger.counts()
    results = measure(args.db, args.requests)
    report = {"machine": f"{platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}",
              "load_average": os.getloadavg(),
              "ledger": counts, "requests_per_scenario": args.requests, "results": results}
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), "utf-8")


if __name__ == "__main__":
    main()
