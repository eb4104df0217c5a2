"""Benchmark: incremental incident clustering on generated ledgers (near-linear, flat memory).

Usage:  .venv/bin/python bench/incidents.py [--sizes 5000 10000 25000 50000] [--add 100] [--out FILE]

Each size runs in its own child process (its peak RSS is its own). The child writes a ledger of N generated
documents with their records (as extraction stores them: allegation, figures, dates, actors with spans and
sentences; setup is not timed), then times ``update_incidents(ledger)`` from nothing (every document new: the first
run of ``analyze``), then adds ``--add`` documents and times the incremental run (CPU seconds of the process, which
a loaded machine disturbs less than wall time; wall time is reported too). Baseline in the same run: a
streaming pass that reads every document's records from SQLite and builds its mentions (the unavoidable
per-document work), so the clustering's own cost is the difference.

The corpus: planted events (a real town of the gazetteer in one of 12 countries, a day between 2014 and 2024, an act)
each told by 1–4 documents (the same day, or the day after; a month, or no date for some; figures that differ),
plus background documents ("since the attacks of <day>") that must make no incident. Reported: time, documents per
second, mentions, incidents, peak RSS, and the purity of the incidents against the planted events (share of
incidents whose documents all tell one event) and their recall (share of multi-document events whose documents
share one incident).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ["UA", "RU", "SD", "PS", "SY", "YE", "MM", "ML", "NG", "CD", "ET", "AF"]
STATES = {"UA": "Ukraine", "RU": "Russia", "SD": "Sudan", "PS": "Palestine", "SY": "Syria", "YE": "Yemen",
          "MM": "Myanmar", "ML": "Mali", "NG": "Nigeria", "CD": "Democratic Republic of the Congo",
          "ET": "Ethiopia", "AF": "Afghanistan"}
ACTS = [("attack_on_civilians", "killed"), ("killing_of_civilians", "killed"), ("hostage_taking", "hostage"),
        ("deportation", "displaced"), ("attack_on_infrastructure", "injured")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def towns(per_country: int = 150) -> dict[str, list[str]]:
    """Real places of the gazetteer (ASCII names, 2,000–200,000 inhabitants) per country."""
    from counterclaim.link.gazetteer import gazetteer

    conn = gazetteer().conn
    out: dict[str, list[str]] = {}
    for c in COUNTRIES:
        rows = conn.execute("SELECT name FROM places WHERE country = ? AND population BETWEEN 2000 AND 200000"
                            " ORDER BY id LIMIT ?", (c, per_country * 3)).fetchall()
        names = [r[0] for r in rows if r[0].isascii() and r[0].replace(" ", "").isalpha()]
        out[c] = sorted(set(names))[:per_country]
    return out


def day_text(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)} {MONTHS[int(m) - 1]} {y}"


def generate(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Documents (text + record specs) and the planted event of each."""
    import datetime as dt

    rng = random.Random(seed)
    places = towns()
    docs: list[dict[str, Any]] = []
    truth: dict[str, int] = {}
    event = 0
    start = dt.date(2014, 1, 1)
    while len(docs) < n:
        event += 1
        country = rng.choice(COUNTRIES)
        place = rng.choice(places[country])
        day = start + dt.timedelta(days=rng.randrange(3650))
        act, category = rng.choice(ACTS)
        toll = rng.randint(2, 400)
        background = rng.random() < 0.05
        for k in range(rng.choice([1, 1, 2, 2, 3, 4])):
            if len(docs) >= n:
                break
            when = day + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
            shape = rng.random()
            value = toll + 3 * k
            if background:
                value = toll + k
                date_text, iso, prec = day_text(day.isoformat()), day.isoformat(), "day"
                sentence = (f"Since the attacks of {date_text}, {toll + k} people have been killed in {place}, "
                            f"officials of {STATES[country]} said.")
            elif shape < 0.1:
                value = toll + k
                date_text, iso, prec = f"{MONTHS[when.month - 1]} {when.year}", f"{when.year}-{when.month:02d}", "month"
                sentence = (f"In {date_text}, {toll + k} people were killed in {place}, officials of "
                            f"{STATES[country]} told source {k}.")
            else:
                date_text, iso, prec = day_text(when.isoformat()), when.isoformat(), "day"
                sentence = (f"An attack on {place} on {date_text} left {toll + 3 * k} people {category}, "
                            f"officials of {STATES[country]} said in report {event}-{k}.")
            text = f"Report {event}-{k}\n\n{sentence} Witnesses described the scene in detail."
            doc_id = f"{len(docs):016x}"
            docs.append({"id": doc_id, "text": text, "sentence": sentence, "act": act, "category": category,
                         "value": str(value), "date_text": date_text, "iso": iso,
                         "prec": prec, "state": STATES[country]})
            truth[doc_id] = -event if background else event
    return docs, truth


def write_ledger(path: Path, docs: list[dict[str, Any]]) -> None:
    """Documents and records straight into the ledger's tables (setup, not timed; the stored form is the same)."""
    from counterclaim.records import ActorMention, Allegation, DateMention, Figure
    from counterclaim.store import Ledger

    ledger = Ledger(path)
    rows, recs, ext = [], [], []
    for d in docs:
        text, sentence = d["text"], d["sentence"]
        s0 = text.index(sentence)
        v0 = text.index(d["value"], s0)
        t0 = text.index(d["date_text"], s0)
        a0 = text.index(d["state"], s0)
        records = [
            Allegation(doc=d["id"], start=s0, end=s0 + len(sentence), sentence=sentence, claimant=d["state"],
                       accused=["X"], act=d["act"], text=sentence),
            Figure(doc=d["id"], start=v0, end=v0 + len(d["value"]), sentence=sentence, value=float(d["value"]),
                   value_text=d["value"], category=d["category"], subject="people"),
            DateMention(doc=d["id"], start=t0, end=t0 + len(d["date_text"]), sentence=sentence, date=d["iso"],
                        precision=d["prec"], text=d["date_text"]),
            ActorMention(doc=d["id"], start=a0, end=a0 + len(d["state"]), sentence=sentence, actor=d["state"],
                         text=d["state"]),
        ]
        rows.append((d["id"], d["id"] * 4, text, len(text), d["text"].split("\n")[0]))
        recs += [(r.id, d["id"], r.TYPE, r.start, r.end, r.sentence, "bench", json.dumps(r.data())) for r in records]
        ext.append((d["id"], "bench", len(records)))
    with ledger.transaction() as conn:
        conn.executemany("INSERT INTO documents(id, sha256, text, chars, title) VALUES (?,?,?,?,?)", rows)
        conn.executemany("INSERT INTO records(id, doc_id, type, start, end, sentence, version, data)"
                         " VALUES (?,?,?,?,?,?,?,?)", recs)
        conn.executemany("INSERT INTO extractions(doc_id, version, records) VALUES (?,?,?)", ext)
    ledger.close()


def peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM: ru_maxrss would include the parent's size at fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(path: Path, truth: dict[str, int]) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    incidents = [json.loads(r[0]) for r in conn.execute("SELECT docs FROM incidents")]
    multi = [docs for docs in incidents if len(docs) > 1]
    pure = sum(1 for docs in multi if len({truth[d] for d in docs}) == 1)
    background = sum(1 for docs in incidents if any(truth[d] < 0 for d in docs))
    events: dict[int, set[str]] = {}
    for d, e in truth.items():
        if e > 0:
            events.setdefault(e, set()).add(d)
    told = [ds for ds in events.values() if len(ds) > 1]
    where = {d: i for i, docs in enumerate(incidents) for d in docs}
    together = sum(1 for ds in told if len({where.get(d, -1 - hash(d)) for d in ds}) == 1)
    return {"incidents": len(incidents), "multi_document_incidents": len(multi),
            "purity": round(pure / len(multi), 4) if multi else None,
            "incidents_with_background_docs": background,
            "events_told_by_several": len(told), "recall": round(together / len(told), 4) if told else None}


def cluster(path: Path, n: int, add: int) -> dict[str, Any]:
    """Child process: time a full clustering of the ledger's first ``n`` documents (and the baseline pass), then
    of the ``add`` documents written after; peak RSS is this process's own (the generator's data is elsewhere)."""
    from counterclaim.link.cluster import update_incidents
    from counterclaim.link.gazetteer import gazetteer
    from counterclaim.link.incidents import document_mentions
    from counterclaim.store import Ledger
    from counterclaim.store.incidents import IncidentStore

    gazetteer()
    ledger = Ledger(path)
    rss0 = peak_rss_mib()
    if add == 0:
        t, c = time.perf_counter(), time.process_time()
        store = IncidentStore(ledger)
        mentions = 0
        for (doc_id,) in ledger.conn.execute("SELECT id FROM documents ORDER BY id"):
            mentions += len(document_mentions(store.document_records(doc_id)))
        baseline, baseline_cpu = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        report = update_incidents(ledger)
        full, full_cpu = time.perf_counter() - t, time.process_time() - c
        return {"docs": n, "mentions": mentions, "baseline_cpu_s": round(baseline_cpu, 2),
                "clustering_cpu_s": round(full_cpu, 2), "clustering_wall_s": round(full, 2),
                "baseline_wall_s": round(baseline, 2), "cpu_ratio_to_baseline": round(full_cpu / baseline_cpu, 2),
                "candidate_groups_per_mention": round(report.candidates / max(1, mentions), 2),
                "groups_described": report.groups,
                "peak_rss_start_mib": round(rss0, 1), "peak_rss_mib": round(peak_rss_mib(), 1)}
    t, c = time.perf_counter(), time.process_time()
    inc = update_incidents(ledger)
    return {"incremental_docs": inc.documents, "incremental_cpu_s": round(time.process_time() - c, 3),
            "incremental_wall_s": round(time.perf_counter() - t, 3),
            "incremental_peak_rss_mib": round(peak_rss_mib(), 1)}


def _child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    res = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=True)
    out: dict[str, Any] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def run_size(n: int, add: int) -> dict[str, Any]:
    docs, truth = generate(n + add)
    tmp = Path(tempfile.mkdtemp(prefix="bench_incidents_"))
    path = tmp / "k.db"
    write_ledger(path, docs[:n])
    out = _child("--cluster", str(path), "--child", str(n), "--add", "0")
    write_ledger(path, docs[n:])
    out |= _child("--cluster", str(path), "--child", str(n), "--add", str(add))
    out |= quality(path, truth)
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 25000, 50000])
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--out", default=None)
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--cluster", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cluster:
        print(json.dumps(cluster(Path(args.cluster), args.child, args.add)))
        return
    if args.child is not None:
        print(json.dumps(run_size(args.child, args.add)))
        return
    results = []
    for n in args.sizes:
        row = _child("--child", str(n), "--add", str(args.add))
        results.append(row)
        print(json.dumps(row), flush=True)
    for a, b in zip(results, results[1:], strict=False):
        exp = math.log(b["clustering_cpu_s"] / a["clustering_cpu_s"]) / math.log(b["docs"] / a["docs"])
        base = math.log(b["baseline_cpu_s"] / a["baseline_cpu_s"]) / math.log(b["docs"] / a["docs"])
        print(f"growth exponent (CPU) {a['docs']} → {b['docs']}: clustering {exp:.2f}, baseline {base:.2f}")
    meta = {"machine": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "load": os.getloadavg()}
    print(json.dumps(meta))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"meta": meta, "results": results}, indent=1))


if __name__ == "__main__":
    main()
