"""Incremental recompute of lineage, incidents and comparisons: ``update_links(ledger)``.

Lineage is incremental: each document is fingerprinted once (per lineage version) and only candidate pairs that
touch a new document are aligned. Incidents are incremental too (``link/cluster.py``): only documents whose
extraction changed are regrouped, against the existing incidents of their country and period.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from counterclaim.ingest.clean import normalise
from counterclaim.link.align import Alignment, align
from counterclaim.link.candidates import Fingerprint, candidate_pairs, fingerprint
from counterclaim.link.embed import Encoder, embed, load_encoder
from counterclaim.link.lineage import link_kind, orient
from counterclaim.link.text import Sentence, lineage_data, normalised_body, split_sentences
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

log = logging.getLogger(__name__)

VERSION = "lineage-1"


def lineage_version() -> str:
    """Changes with the code version and the thresholds in data/lineage.yaml."""
    digest = hashlib.sha1(json.dumps(lineage_data(), sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{VERSION}:{digest}"


@dataclass
class UpdateReport:
    documents: int = 0  # documents fingerprinted in this run
    candidates: int = 0  # candidate pairs aligned
    links: int = 0  # links found in this run
    embedded: int = 0  # candidate pairs that needed sentence embeddings
    incidents: int | None = None  # incidents after the run (None: nothing to regroup, records unchanged)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Doc:
    id: str
    sentences: list[Sentence]
    body: str


def _prepare(doc_id: str, text: str) -> _Doc:
    text = normalise(text) if "\r" in text else text
    return _Doc(doc_id, split_sentences(text), normalised_body(text))


def compare_documents(
    a: _Doc, b: _Doc, encoder: Encoder | None, cache: Any = None
) -> tuple[Alignment, str | None, bool]:
    """Align two prepared documents; embeddings are spent only on pairs that words alone do not already link as a
    duplicate or a rewrite (the encoder manages some tens of sentences a second on a small CPU)."""
    same = a.body == b.body and bool(a.body)
    alignment = align(a.sentences, b.sentences)
    kind = link_kind(alignment, same)
    if kind in ("duplicate", "rewrite") or encoder is None or not a.sentences or not b.sentences:
        return alignment, kind, False
    emb_a = embed([s.text for s in a.sentences], encoder, cache)
    emb_b = embed([s.text for s in b.sentences], encoder, cache)
    alignment = align(a.sentences, b.sentences, emb_a, emb_b)
    return alignment, link_kind(alignment, same), True


def link_record(a: _Doc, b: _Doc, alignment: Alignment, kind: str, published: dict[str, str | None],
                method: str) -> dict[str, Any]:
    """The stored form of a link: oriented ids, shares and the spans of every aligned sentence pair."""
    link = orient(a.id, b.id, alignment, kind, published)
    flipped = link.doc != a.id
    pairs = []
    for p in alignment.pairs:
        sa, sb = a.sentences[p.a], b.sentences[p.b]
        first, second = (sb, sa) if flipped else (sa, sb)
        pairs.append({"doc_start": first.start, "doc_end": first.end, "other_start": second.start,
                      "other_end": second.end, "score": p.score, "lexical": p.lexical})
    return {**link.export(), "pairs": pairs, "method": method}


def update_links(
    ledger: Ledger,
    *,
    use_embeddings: bool = True,
    encoder: Encoder | None = None,
    rebuild_incidents: bool | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> UpdateReport:
    """Bring lineage links, incidents and comparisons up to date with the documents and records in ``ledger``."""
    store = LinkStore(ledger)
    version = lineage_version()
    report = UpdateReport()
    new_ids = store.unfingerprinted(version)
    if new_ids:
        old = [Fingerprint(d, sig, frozenset(keys)) for d, sig, keys in store.fingerprints(version)]
        reset = not old
        new_fps = [fingerprint(doc.id, doc.text) for doc in ledger.iter_documents(new_ids)]  # streamed
        pairs = sorted(candidate_pairs(old, new_fps))
        report.documents, report.candidates = len(new_fps), len(pairs)
        docs = {doc.id: _prepare(doc.id, doc.text) for doc in ledger.iter_documents({d for p in pairs for d in p})}
        if use_embeddings and encoder is None and pairs:
            encoder = load_encoder()
        published = store.published()
        links = []
        for n, (x, y) in enumerate(pairs, start=1):
            alignment, kind, embedded = compare_documents(docs[x], docs[y], encoder if use_embeddings else None, store)
            report.embedded += embedded
            if kind:
                method = f"lexical+{encoder.name}" if embedded and encoder else "lexical"
                links.append(link_record(docs[x], docs[y], alignment, kind, published, method))
            if on_progress:
                on_progress("align", n, len(pairs))
        store.save_links([(fp.doc, fp.signature, fp.keys) for fp in new_fps], version, links, reset=reset)
        report.links = len(links)
    if rebuild_incidents is not False:
        from counterclaim.link.cluster import update_incidents

        result = update_incidents(ledger, full=bool(rebuild_incidents))
        if result.documents or result.groups or result.reset:
            report.incidents = store.count_incidents()
    return report


def export_link_objects(ledger: Ledger) -> Iterator[dict[str, Any]]:
    """Export producer: every stored link, incident and comparison as objects of the export contract."""
    store = LinkStore(ledger)
    for link in store.links():
        yield {"type": "link", "doc": link["doc"], "other": link["other"], "kind": link["kind"],
               "share": link["share"], "other_share": link["other_share"]}
    for inc in store.incidents():
        yield {"type": "incident", "id": inc["id"], "label": inc["label"], "place": inc["place"],
               "start": inc["start"], "end": inc["end"], "acts": inc["acts"], "docs": inc["docs"],
               "country": inc.get("country"), "lat": inc.get("lat"), "lon": inc.get("lon"),
               "sources": inc.get("sources"),
               "analyst_decisions": json.loads(inc["decided"]) if inc.get("decided") else [],
               "records": store.incident_record_ids(inc["id"])}
    for comp in store.comparisons():
        yield {"type": "comparison", **comp}

