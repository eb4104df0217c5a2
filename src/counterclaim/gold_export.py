"""Reviewed documents as gold annotations: ``<stem>.txt`` + ``<stem>.gold.json`` (``shared/gold/seeds/README.md``).

The gold is the reviewed view of the document: corrections applied, rejected records left out, records added by
analysts included. ``counterclaim eval`` then scores the extractor against the team's own analysts. Only the record
types the evaluator scores (allegations, figures, quotes, dates) must be fully reviewed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from counterclaim.errors import LedgerError, UsageError
from counterclaim.records import Allegation, DateMention, Figure, Quote, Record
from counterclaim.review import review_view
from counterclaim.store import Ledger

#: record types the gold format holds (and ``counterclaim eval`` scores)
GOLD_TYPES = ("allegation", "figure", "quote", "date")
QUOTE_START_WORDS = 8


def quote_start(text: str, words: int = QUOTE_START_WORDS) -> str:
    """The first words of a quotation, verbatim (the gold's ``quote_start``)."""
    match = re.match(r"\s*((?:\S+\s+){0," + str(words - 1) + r"}\S+)", text)
    return match.group(1) if match else text.strip()


def gold_for(doc_meta: dict[str, Any], stem: str, records: list[Record]) -> dict[str, Any]:
    """The gold JSON object of one document from its reviewed records."""
    allegations: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for a in records:
        if isinstance(a, Allegation):
            for accused in a.accused or [""]:
                key = (a.claimant or "", accused, a.act, a.stance)
                allegations.setdefault(key, {"accuser": key[0] or None, "accused": accused or None, "act": a.act,
                                             "stance": a.stance, "evidence": a.text or a.sentence})
    return {
        "doc": f"{stem}.txt",
        "source": doc_meta.get("url") or doc_meta.get("source"),
        "published": doc_meta.get("published"),
        "publisher": doc_meta.get("publisher"),
        "quotes": [
            {"speaker": q.speaker, "affiliation": q.affiliation, "quote_start": quote_start(q.text)}
            for q in records if isinstance(q, Quote) and q.direct
        ],
        "figures": [
            {"value": int(f.value) if float(f.value).is_integer() else f.value, "qualifier": f.qualifier,
             "category": f.category, "subject": f.subject, "about": f.about, "evidence": f.value_text or f.sentence}
            for f in records if isinstance(f, Figure)
        ],
        "allegations": list(allegations.values()),
        "dates": [{"date": d.date, "evidence": d.text} for d in records if isinstance(d, DateMention)],
        "reviewed": "exported by 'counterclaim review export-gold' from the reviewed view of the ledger",
    }


def export_gold(ledger: Ledger, doc_ids: list[str], out: Path, *, allow_unreviewed: bool = False) -> list[Path]:
    """Write ``<doc id>.txt`` and ``<doc id>.gold.json`` for each document; returns the paths written."""
    docs = [ledger.get_document(d) for d in doc_ids]
    plans = []
    for doc in docs:
        items = [i for t in GOLD_TYPES for i in review_view(ledger, t, doc_id=doc.id)]
        unreviewed = sum(1 for i in items if i.status == "machine")
        if unreviewed and not allow_unreviewed:
            raise UsageError(
                f"document {doc.id} has {unreviewed} unreviewed record(s) of the scored types "
                f"({', '.join(GOLD_TYPES)}); review them ('counterclaim review list --doc {doc.id[:8]}') or pass --force"
            )
        items.sort(key=lambda i: (i.record.start, i.record.TYPE))
        plans.append((doc, [i.record for i in items]))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LedgerError(f"cannot create {out}: {exc.strerror}") from exc
    sources = ledger.first_sources()
    written: list[Path] = []
    for doc, records in plans:
        stem = doc.id
        meta = {**doc.export(sources.get(doc.id))}
        text_path, gold_path = out / f"{stem}.txt", out / f"{stem}.gold.json"
        text_path.write_text(doc.text, encoding="utf-8", newline="")
        gold_path.write_text(json.dumps(gold_for(meta, stem, records), ensure_ascii=False, indent=2) + "\n", "utf-8")
        written += [text_path, gold_path]
    return written
