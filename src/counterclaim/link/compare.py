"""What ``compare`` shows: one incident, each source's figures with their provenance, and its allegations.

Copies and rewrites are grouped under their original (the ``source`` of each value) and counted once; the verdicts
were computed over independent sources when the incident was described (``link/reconcile.py``).
"""

from __future__ import annotations

import json
from typing import Any

from counterclaim.records import Allegation, Figure
from counterclaim.store import Ledger
from counterclaim.store.incidents import IncidentStore
from counterclaim.store.links import LinkStore


def incident_report(ledger: Ledger, key: str, *, raw: bool = False) -> dict[str, Any]:
    """The incident (id prefix or label part), its comparisons and its allegations, as plain data.

    Records are the reviewed view (analysts' corrections applied, rejected records left out) unless ``raw``; when an
    analyst changed a figure of the incident, its comparisons are computed again from the reviewed figures."""
    from counterclaim.link.cluster import lineage_sources
    from counterclaim.link.reconcile import compare_figures
    from counterclaim.review import Reviewed, overlay

    links = LinkStore(ledger)
    inc = links.get_incident(key)
    inc = {"type": "incident", **inc,
           "analyst_decisions": json.loads(inc["decided"]) if inc.get("decided") else []}
    inc.pop("decided", None)
    store = IncidentStore(ledger)
    ids = [r for r in links.incident_record_ids(inc["id"])]
    machine = store.records_by_id(ids)
    items = [Reviewed(r) for r in machine] if raw else overlay(ledger, machine)
    meta = store.document_meta(inc["docs"])
    stored = links.comparisons(inc["id"])
    if not raw and any(i.status != "machine" and isinstance(i.record, Figure) for i in items):
        sources = lineage_sources(store, inc["docs"])
        figures = [i.record for i in items if isinstance(i.record, Figure)]
        stored = compare_figures(inc["id"], figures, sources, meta)
    comparisons = []
    for c in stored:
        n_sources = len({v.get("source") or v["doc"] for v in c["values"]})
        comparisons.append({"type": "comparison", **c, "sources": n_sources})
    allegations = []
    for i in items:
        r = i.record
        if isinstance(r, Allegation):
            m = meta.get(r.doc, {})
            allegations.append({"claimant": r.claimant, "accused": r.accused, "act": r.act, "stance": r.stance,
                                "doc": r.doc, "publisher": m.get("publisher"), "title": m.get("title"),
                                "published": m.get("published"), "sentence": r.sentence, "id": r.id,
                                "status": i.status})
    allegations.sort(key=lambda a: (a["doc"], a["id"]))
    return {"incident": inc, "comparisons": comparisons, "allegations": allegations,
            "records": [i.record.export() if raw else i.export() for i in items],
            "documents": [{"doc": d, **meta.get(d, {})} for d in inc["docs"]]}
