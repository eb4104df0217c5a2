"""What ``compare`` shows: one incident, each source's figures with their provenance, and its allegations.

Copies and rewrites are grouped under their original (the ``source`` of each value) and counted once; the verdicts
were computed over independent sources when the incident was described (``link/reconcile.py``).
"""

from __future__ import annotations

import json
from typing import Any

from counterclaim.records import Allegation
from counterclaim.store import Ledger
from counterclaim.store.incidents import IncidentStore
from counterclaim.store.links import LinkStore


def incident_report(ledger: Ledger, key: str) -> dict[str, Any]:
    """The incident (id prefix or label part), its comparisons and its allegations, as plain data."""
    links = LinkStore(ledger)
    inc = links.get_incident(key)
    inc = {"type": "incident", **inc,
           "analyst_decisions": json.loads(inc["decided"]) if inc.get("decided") else []}
    inc.pop("decided", None)
    comparisons = []
    for c in links.comparisons(inc["id"]):
        sources = len({v.get("source") or v["doc"] for v in c["values"]})
        comparisons.append({"type": "comparison", **c, "sources": sources})
    store = IncidentStore(ledger)
    ids = [r for r in links.incident_record_ids(inc["id"])]
    meta = store.document_meta(inc["docs"])
    allegations = []
    for r in store.records_by_id(ids):
        if isinstance(r, Allegation):
            m = meta.get(r.doc, {})
            allegations.append({"claimant": r.claimant, "accused": r.accused, "act": r.act, "stance": r.stance,
                                "doc": r.doc, "publisher": m.get("publisher"), "title": m.get("title"),
                                "published": m.get("published"), "sentence": r.sentence, "id": r.id})
    allegations.sort(key=lambda a: (a["doc"], a["id"]))
    return {"incident": inc, "comparisons": comparisons, "allegations": allegations,
            "documents": [{"doc": d, **meta.get(d, {})} for d in inc["docs"]]}
