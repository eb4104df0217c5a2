"""What the review layer costs: reviewed vs raw export, and re-extraction writes with vs without decisions.

Usage:  .venv/bin/python bench/review.py [--docs 2000] [--records 40] [--reviewed 0.1] [--out FILE.json]

A synthetic ledger (no NLP: records are made directly) of ``docs`` documents with ``records`` records each; a share
``reviewed`` of the records gets a decision (a third confirmed, a third corrected, a third rejected). Baselines are
measured in the same run on the same ledger: the raw export (machine records) against the reviewed export, and
re-writing every document's records (what ``analyze`` does after an upgrade) on a copy without decisions against
the ledger with them (where every decision is re-attached in the same transaction).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from counterclaim.export import write_jsonl
from counterclaim.records import Allegation, DateMention, Document, Figure, Record, SourceRef
from counterclaim.review import Reviewer
from counterclaim.store import Ledger

SENTENCE = "The ministry said that {n} civilians were killed in the shelling of the town on 12 March 2023. "


def build(path: Path, docs: int, per_doc: int, seed: int = 7) -> list[tuple[str, list[Record]]]:
    rng = random.Random(seed)
    out = []
    with Ledger(path) as ledger:
        for d in range(docs):
            text = "".join(SENTENCE.format(n=rng.randint(2, 900)) for _ in range(per_doc // 3 + 1)) + f" Doc {d}."
            doc = Document.from_text(text, title=f"statement {d}")
            ledger.add_document(doc, SourceRef(f"synthetic/{d}.txt"))
            recs: list[Record] = []
            step = len(SENTENCE) + 2
            for i in range(per_doc):
                start = (i // 3) * step
                if i % 3 == 0:
                    recs.append(Allegation(doc=doc.id, start=start, end=start + 40, claimant="Ukraine",
                                           accused=["Russia"], act="attack_on_civilians", version="v1"))
                elif i % 3 == 1:
                    recs.append(Figure(doc=doc.id, start=start + 23, end=start + 36, value=float(i), category="killed",
                                       version="v1"))
                else:
                    recs.append(DateMention(doc=doc.id, start=start + 70, end=start + 83, date="2023-03-12", version="v1"))
            ledger.replace_records(doc.id, "v1", recs)
            out.append((doc.id, recs))
    return out


def decide(path: Path, share: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    n = 0
    with Ledger(path) as ledger:
        reviewer = Reviewer(ledger)
        ids = [r.id for r in ledger.records()]
        for rid in rng.sample(ids, int(len(ids) * share)):
            kind = n % 3
            if kind == 0:
                reviewer.decide(rid, "confirm", by="bench")
            elif kind == 1:
                record = ledger.get_record(rid)
                changes = {"act": "torture"} if record.TYPE == "allegation" else {"value": "1"} if record.TYPE == "figure" \
                    else {"date": "2023-03"}
                reviewer.decide(rid, "correct", by="bench", changes=changes)
            else:
                reviewer.decide(rid, "reject", by="bench", reason="bench")
            n += 1
    return n


def timed(fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--records", type=int, default=40)
    ap.add_argument("--reviewed", type=float, default=0.1)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain, reviewed = Path(tmp) / "plain.db", Path(tmp) / "reviewed.db"
        t_build = timed(lambda: build(plain, args.docs, args.records))
        shutil.copy(plain, reviewed)
        for suffix in ("-wal", "-shm"):
            if Path(str(plain) + suffix).exists():
                shutil.copy(Path(str(plain) + suffix), Path(str(reviewed) + suffix))
        t0 = time.perf_counter()
        decisions = decide(reviewed, args.reviewed)
        t_decide = time.perf_counter() - t0
        result: dict[str, object] = {"docs": args.docs, "records": args.docs * args.records, "decisions": decisions,
                                     "build_s": round(t_build, 2), "decisions_per_s": round(decisions / t_decide, 1)}
        with Ledger(reviewed, readonly=True) as ledger:
            types = ("allegation", "figure", "date")
            for name, kwargs in (("export_raw_s", {"raw": True}), ("export_reviewed_s", {})) * 2:  # best of two, alternating
                took = timed(lambda kw=kwargs: write_jsonl(ledger, io.StringIO(), types, **kw))  # type: ignore[misc]
                result[name] = round(min(took, float(result.get(name, took))), 2)  # type: ignore[arg-type]
        docs = []
        with Ledger(plain, readonly=True) as ledger:
            for d in ledger.documents():
                docs.append((d["id"], ledger.records(doc_id=d["id"])))
        for name, path in (("reextract_without_decisions_s", plain), ("reextract_with_decisions_s", reviewed)):
            with Ledger(path) as ledger:
                result[name] = round(timed(lambda lg=ledger: [lg.replace_records(i, "v2", recs) for i, recs in docs]), 2)  # type: ignore[misc]
        result["export_ratio"] = round(float(result["export_reviewed_s"]) / float(result["export_raw_s"]), 2)  # type: ignore[arg-type]
        result["reextract_ratio"] = round(float(result["reextract_with_decisions_s"])  # type: ignore[arg-type]
                                          / float(result["reextract_without_decisions_s"]), 2)  # type: ignore[arg-type]
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), "utf-8")
    sys.exit(0)


if __name__ == "__main__":
    main()
