"""Incremental incident clustering over the ledger: ``update_incidents(ledger)``.

Only documents whose extraction changed since they were last grouped are read (one at a time, from SQLite); their
old mentions are removed and the groups they were in are dissolved and their other mentions placed again. Each
mention is matched against the candidate groups an index look-up returns (same country, core interval near its
time), never against other mentions, so the work per mention is bounded by the density of incidents in its country
and period, not by the size of the ledger. Changed groups are then re-described (label, place, time, records,
comparisons) and analysts' decisions re-applied, so that they survive every re-analysis.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from counterclaim.errors import NotFound, UsageError
from counterclaim.link.gazetteer import Gazetteer, gazetteer
from counterclaim.link.incidents import (
    OPEN_END,
    VERSION,
    Group,
    Mention,
    absorb,
    can_start,
    compatible,
    document_mentions,
    incident_data,
    keep,
    label,
    rank,
    specific_enough,
    times_conflict,
)
from counterclaim.link.reconcile import compare_figures
from counterclaim.records import Allegation, Figure, make_id
from counterclaim.store import Ledger
from counterclaim.store.incidents import IncidentStore


@dataclass
class IncidentReport:
    documents: int = 0  # documents (re)grouped in this run
    mentions: int = 0  # mentions placed in this run
    groups: int = 0  # groups re-described in this run
    candidates: int = 0  # candidate groups the index look-ups returned (the matching work)
    reset: bool = False


def rules_key() -> str:
    """Changes with the grouping code and its data files: stored groups are then rebuilt."""
    from counterclaim.link.gazetteer import places_data

    blob = json.dumps([incident_data(), places_data()], sort_keys=True, default=str)
    return f"{VERSION}:{hashlib.sha1(blob.encode()).hexdigest()[:8]}"


def assign(store: IncidentStore, m: Mention) -> int | None:
    """Put one stored mention into its incident (the lineage tie, else the best compatible group, else a new one)."""
    tied = [(mid, g) for mid, g in store.tied(m) if not times_conflict(m, _as_group(store.mention(mid)))]
    gid = next((g for _, g in tied if g is not None and not times_conflict(m, store.group(g))), None)
    if gid is None:
        fits = [g for g in store.candidates(m) if compatible(m, g)]
        if m.background:  # a background mention never joins (nor makes) the incident of a dated event
            fits = [g for g in fits if g.t0 is None]
        if m.t0 is None and fits:  # an untimed mention joins only an unambiguous incident, and a big city or a
            own = store.groups_with_document(m.doc)  # broad act is not enough to tie it to another document's
            fits = [g for g in fits if g.id in own or specific_enough(m, g)]
            if len(fits) > 1:
                fits = [g for g in fits if g.id in own]
            if len(fits) != 1:
                fits = []
        if fits:
            gid = max(fits, key=lambda g: (rank(m, g), -g.id)).id
    if gid is not None:
        g = store.group(gid)
        absorb(g, m)
        store.save_group(g)
    elif can_start(m) or tied and not (m.background and all(store.mention(i).background for i, _ in tied)):
        # two renderings of one statement tell one incident, unless both only look back at another event
        g = Group(0, m.countries[0] if m.countries else None, m.place, None, None, None, set(), set())
        absorb(g, m)
        gid = store.new_group(g)
        for mid, _ in tied:
            other = store.mention(mid)
            absorb(g, other)
            store.set_group(mid, gid)
        store.save_group(g)
    if gid is not None:
        store.set_group(int(m.id or 0), gid)
    m.grp = gid
    return gid


def _as_group(m: Mention) -> Group:
    return Group(0, m.countries[0] if m.countries else None, m.place, m.t0, m.t1, m.prec, set(m.families),
                 set(m.specific))


def update_incidents(
    ledger: Ledger,
    *,
    full: bool = False,
    gaz: Gazetteer | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> IncidentReport:
    """Bring incidents up to date with the ledger's records (see the module docstring)."""
    from counterclaim.store.links import LinkStore

    links = LinkStore(ledger)
    store = IncidentStore(ledger)
    report = IncidentReport()
    key = rules_key()
    with ledger.transaction():
        if full or links.state("incident_rules") != key:
            store.reset()
            report.reset = True
    changed, gone = store.changed_documents()
    if not changed and not gone and not store.dirty_groups():
        return report
    gaz = gaz or gazetteer()
    ledger.conn.execute("PRAGMA cache_size = -32768")  # 32 MB of pages: the group index stays in memory
    with ledger.transaction():
        orphans = store.drop_documents([d for d, _ in changed] + gone)
        for d in gone:
            store.mark_seen(d, None)
    total = len(changed)
    batch: list[tuple[str, str]] = []
    for n, item in enumerate(changed, start=1):
        batch.append(item)
        if len(batch) >= 200 or n == total:
            with ledger.transaction():
                for doc, stamp in batch:
                    for m in document_mentions(store.document_records(doc), gaz):
                        store.insert_mention(m)
                        assign(store, m)
                        report.mentions += 1
                    store.mark_seen(doc, stamp)
            batch = []
            if on_progress:
                on_progress(n, total)
    report.documents = total
    report.candidates = store.examined
    with ledger.transaction():
        for mid in orphans:
            assign(store, store.mention(mid))
        apply_decisions(store)
        for gid in store.dirty_groups():
            publish_group(store, gid, gaz)
            report.groups += 1
    links.set_state("incident_rules", key)
    return report


# -- describing a group --------------------------------------------------------------------------------------------
def lineage_sources(store: IncidentStore, docs: Sequence[str]) -> dict[str, str]:
    """Each document → the original of its copy / rewrite cluster among ``docs`` (earliest published, then id)."""
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in store.copies_among(docs):
        parent[find(a)] = find(b)
    meta = store.document_meta(docs)
    clusters: dict[str, list[str]] = {}
    for d in docs:
        clusters.setdefault(find(d), []).append(d)
    out: dict[str, str] = {}
    for members in clusters.values():
        first = min(members, key=lambda d: (meta.get(d, {}).get("published") or "9999", d))
        for d in members:
            out[d] = first
    return out


def describe(store: IncidentStore, gid: int, gaz: Gazetteer) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The stored form of a group's incident and its comparisons (None when the group is not worth listing)."""
    members = store.mentions_of_group(gid)
    if not members:
        store.delete_group(gid)
        return None, []
    g = store.group(gid)
    decided = _decided(store, gid, members)
    if not keep(members) and not decided:
        return None, []
    anchor = min(members, key=lambda m: (m.doc, m.start))
    ident = make_id("incident", anchor.doc, anchor.start)
    ids = sorted({rid for m in members for rid, _ in m.records})
    records = store.records_by_id(ids)
    docs = sorted({m.doc for m in members})
    sources = lineage_sources(store, docs)
    meta = store.document_meta(docs)
    claimants: dict[str, str | None] = {}
    for m in members:
        who = next((r.claimant for r in records if isinstance(r, Allegation) and r.doc == m.doc
                    and m.start <= r.start <= m.end and r.claimant), None)
        for r in records:
            if isinstance(r, Figure) and r.doc == m.doc and m.start <= r.start <= m.end:
                claimants[r.id] = who
    name = decided.get("label") or label(g, gaz)
    place = g.place
    inc = {
        "id": ident, "label": name, "place": place.name if place else None, "start": g.t0,
        "end": None if g.t1 == OPEN_END else g.t1, "acts": sorted({a for m in members for a in m.acts}), "docs": docs,
        "country": g.country, "admin1": place.admin1 if place else None, "lat": place.lat if place else None,
        "lon": place.lon if place else None, "feature": place.feature if place else None,
        "sources": len(set(sources.values())), "decided": json.dumps(decided["actions"]) if decided else None,
        "records": [{"id": r.id, "doc": r.doc, "type": r.TYPE} for r in records],
    }
    figures = [r for r in records if isinstance(r, Figure)]
    return inc, compare_figures(ident, figures, sources, meta, claimants)


def publish_group(store: IncidentStore, gid: int, gaz: Gazetteer) -> None:
    inc, comps = describe(store, gid, gaz)
    try:
        store.group(gid)
    except NotFound:
        return
    store.publish(gid, inc, comps)


# -- analyst decisions -------------------------------------------------------------------------------------------
ACTIONS = ("merge", "split", "move_in", "move_out", "rename")


def _decided(store: IncidentStore, gid: int, members: Sequence[Mention]) -> dict[str, Any]:
    """The decisions that shaped this group: {"actions": [...], "label": str | None}."""
    docs = {m.doc for m in members}
    actions, name = [], None
    for d in store.decisions():
        target = resolve_target(store, d)
        moved = d["action"] in ("split", "move_out", "move_in") and set(d["args"].get("docs", [])) & docs
        if target == gid or moved:
            actions.append({"id": d["id"], "action": d["action"], "at": d["at"],
                            **{k: v for k, v in d["args"].items() if k != "anchors"}})
            if d["action"] == "rename" and target == gid:
                name = d["args"].get("label")
    return {"actions": actions, "label": name} if actions else {}


def resolve_target(store: IncidentStore, d: dict[str, Any]) -> int | None:
    """The group a decision is about now: the one holding most of its anchor sentences, else most of their
    documents' mentions (the sentences moved when the document was re-extracted)."""
    return _majority(store, [tuple(a) for a in d["args"].get("anchors", [[d["doc"], d["start"]]])])


def _majority(store: IncidentStore, anchors: Sequence[tuple[Any, ...]]) -> int | None:
    votes: dict[int, int] = {}
    for doc, start in anchors:
        m = store.mention_at(str(doc), int(start))
        if m and m.grp is not None:
            votes[m.grp] = votes.get(m.grp, 0) + 1
    if not votes:
        for doc in {str(a[0]) for a in anchors}:
            for m in store.mentions_of_document(doc):
                if m.grp is not None:
                    votes[m.grp] = votes.get(m.grp, 0) + 1
    return min(votes, key=lambda g: (-votes[g], g)) if votes else None


def _move(store: IncidentStore, mentions: Iterable[Mention], gid: int) -> None:
    for m in mentions:
        if m.grp == gid:
            continue
        if m.grp is not None:
            store.mark_dirty(m.grp)
        store.set_group(int(m.id or 0), gid)
        g = store.group(gid)
        absorb(g, m)
        store.save_group(g)


def _fresh_group(store: IncidentStore, mentions: Sequence[Mention]) -> int:
    first = mentions[0]
    g = Group(0, first.countries[0] if first.countries else None, first.place, None, None, None, set(), set())
    gid = store.new_group(g)
    _move(store, mentions, gid)
    return gid


def apply_decisions(store: IncidentStore) -> None:
    """Re-apply every analyst decision, in order (each is idempotent: applying it twice changes nothing)."""
    for d in store.decisions():
        gid = resolve_target(store, d)
        if gid is None:
            continue  # the sentences it was anchored on are gone (the documents were removed)
        args = d["args"]
        if d["action"] == "merge":
            for anchors in args.get("others", []):
                other = _majority(store, [tuple(a) for a in anchors])
                if other is not None and other != gid:
                    _move(store, store.mentions_of_group(other), gid)
        elif d["action"] == "move_in":
            for doc in args.get("docs", []):
                _move(store, [m for m in store.mentions_of_document(doc) if m.grp != gid], gid)
        elif d["action"] in ("move_out", "split"):
            members = store.mentions_of_group(gid)
            out = [m for m in members if m.doc in set(args.get("docs", []))]
            if out and len(out) < len(members):
                if d["action"] == "split":
                    _fresh_group(store, out)
                else:
                    for m in out:
                        _fresh_group(store, [m])
        elif d["action"] == "rename":
            store.mark_dirty(gid)


def decide(ledger: Ledger, action: str, incident: str, *, others: Sequence[str] = (), docs: Sequence[str] = (),
           new_label: str | None = None) -> str | None:
    """Record an analyst decision about an incident (id prefix or label) and apply it now; return the id the
    incident has after it (an incident's id follows its first sentence, which a move can change)."""
    from counterclaim.store.links import LinkStore

    if action not in ACTIONS:
        raise UsageError(f"unknown decision {action!r} (one of {', '.join(ACTIONS)})")
    links = LinkStore(ledger)
    store = IncidentStore(ledger)
    target = links.get_incident(incident)
    args: dict[str, Any] = {}
    keep_out: set[str] = set()
    if action == "merge":
        if not others:
            raise UsageError("merge needs at least one other incident")
        found = [links.get_incident(o) for o in others]
        args["others"] = [_anchors(store, o["id"]) for o in found]
        args["incidents"] = [o["id"] for o in found]
    elif action in ("split", "move_out", "move_in"):
        if not docs:
            raise UsageError(f"{action.replace('_', ' ')} needs at least one document")
        args["docs"] = [ledger.get_document(d).id for d in docs]
        if action != "move_in":
            missing = set(args["docs"]) - set(target["docs"])
            if missing:
                raise UsageError(f"document(s) {', '.join(sorted(missing))} are not in incident {target['id']}")
            if set(args["docs"]) >= set(target["docs"]):
                raise UsageError("an incident cannot lose every document: move fewer documents out")
            keep_out = set(args["docs"])
    elif action == "rename":
        if not new_label or not new_label.strip():
            raise UsageError("rename needs a new label")
        args["label"] = new_label.strip()
    args["incident"] = target["id"]
    args["anchors"] = [a for a in _anchors(store, target["id"]) if a[0] not in keep_out]
    with ledger.transaction():
        store.add_decision(action, args["anchors"][0][0], args["anchors"][0][1], args)
        apply_decisions(store)
        gaz = gazetteer()
        for gid in store.dirty_groups():
            publish_group(store, gid, gaz)
    target_gid = resolve_target(store, store.decisions()[-1])
    return store.incident_of_group(target_gid) if target_gid is not None else None


def _anchors(store: IncidentStore, incident_id: str) -> list[list[Any]]:
    """The sentences (document, start) of an incident: what a decision about it holds on to."""
    members = store.mentions_of_group(store.incident_group(incident_id))
    if not members:
        raise NotFound(f"incident {incident_id} has no mentions")
    return [[m.doc, m.start] for m in sorted(members, key=lambda x: (x.doc, x.start))]
