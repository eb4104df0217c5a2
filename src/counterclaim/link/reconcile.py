"""Reconciliation: per incident and figure category, what each source says, and whether the sources agree.

A value is read as the interval its qualifier allows: exact 250 → [250, 250]; "up to 250" → [0, 250]; "at least 38"
/ "more than 38" → [38, ∞); "about 600" → [540, 660]. The verdict of a category is

* ``agree``: every source gives the same value with the same qualifier;
* ``compatible``: the values differ in form but one interval holds them all ("up to 250" and "250");
* ``differ``: no value satisfies every source;
* ``single_source``: only one independent source gives a figure of that category.

Documents that are copies or rewrites of one another (lineage ``duplicate`` / ``rewrite``) are **one source**: the
verdict is computed over independent sources only (the original's headline value stands for its copies), and each
value names the source it belongs to (``source``: the original's document id) with its publisher, title, date,
claimant and sentence, so that a fact-checker can cite it.

The verdict compares each source's headline value (its largest in the category); every value is listed per source
with its span and sentence; they are never averaged. Figures that are part of another (``parent``)
are left out, and subgroups ("63 children") are compared in their own category (``killed:children``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from counterclaim.link.incidents import incident_data
from counterclaim.records import Figure

APPROX = 0.1


def bounds(value: float, qualifier: str) -> tuple[float, float]:
    """The interval of true values a figure allows."""
    if qualifier == "up_to":
        return 0.0, value
    if qualifier == "less_than":
        return 0.0, math.nextafter(value, -math.inf)
    if qualifier == "at_least":
        return value, math.inf
    if qualifier == "more_than":
        return math.nextafter(value, math.inf), math.inf
    if qualifier == "approx":
        return value * (1 - APPROX), value * (1 + APPROX)
    return value, value


def verdict(values: Sequence[tuple[float, str]], sources: int) -> str:
    """``agree`` / ``compatible`` / ``differ`` (or ``single_source``) for (value, qualifier) pairs."""
    if sources < 2:
        return "single_source"
    if len(set(values)) == 1:
        return "agree"
    lows, highs = zip(*(bounds(v, q) for v, q in values), strict=True)
    return "compatible" if max(lows) <= min(highs) else "differ"


def headline(figs: Sequence[Figure], sources: Mapping[str, str] | None = None) -> list[tuple[float, str]]:
    """Each independent source's headline figure of a category: its largest (a total, not a breakdown), taken from
    the original document when it gives one, else from its copies."""
    sources = sources or {}
    best: dict[str, Figure] = {}
    for f in figs:
        src = sources.get(f.doc, f.doc)
        cur = best.get(src)
        own, cur_own = f.doc == src, cur is not None and cur.doc == src
        if cur is None or (own and not cur_own) or (own == cur_own and f.value > cur.value):
            best[src] = f
    return [(f.value, f.qualifier) for f in best.values()]


def category_key(fig: Figure) -> str:
    subject = (fig.subject or "").lower().strip()
    subgroups = {str(s).lower() for s in incident_data()["subgroups"]}
    return f"{fig.category}:{subject}" if subject in subgroups else fig.category


def compare_figures(
    incident: str,
    figures: Sequence[Figure],
    sources: Mapping[str, str] | None = None,
    meta: Mapping[str, Mapping[str, Any]] | None = None,
    claimants: Mapping[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """One comparison per figure category of an incident.

    ``sources`` maps a document to the original of its lineage cluster (copies are one source), ``meta`` a document
    to its title / publisher / published date, ``claimants`` a figure id to who makes the claim in its sentence.
    A ``victims`` count is compared with the other sources' count when they all use one casualty category
    ("up to 250 landmine victims" and "killing up to 250 persons"); each value keeps its own category.
    """
    sources = sources or {}
    meta = meta or {}
    claimants = claimants or {}
    groups: dict[str, list[Figure]] = {}
    for fig in figures:
        if fig.parent or fig.category == "other":
            continue
        groups.setdefault(category_key(fig), []).append(fig)
    casualty = [k for k in groups if k in ("killed", "injured")]
    if "victims" in groups and len(casualty) == 1:
        groups[casualty[0]] += groups.pop("victims")
    out = []
    for category, figs in sorted(groups.items()):
        figs = sorted(figs, key=lambda f: (sources.get(f.doc, f.doc), f.doc != sources.get(f.doc, f.doc), f.doc,
                                           f.start))
        values = []
        for f in figs:
            src = sources.get(f.doc, f.doc)
            m = meta.get(f.doc, {})
            values.append({
                "doc": f.doc, "value": f.value, "qualifier": f.qualifier, "figure": f.id, "value_text": f.value_text,
                "category": f.category, "start": f.start, "end": f.end, "sentence": f.sentence,
                "source": src, "copy_of": src if src != f.doc else None, "publisher": m.get("publisher"),
                "title": m.get("title"), "published": m.get("published"), "claimant": claimants.get(f.id),
            })
        independent = len({sources.get(f.doc, f.doc) for f in figs})
        out.append({
            "incident": incident, "category": category, "values": values,
            "sources": independent, "documents": len({f.doc for f in figs}),
            "verdict": verdict(headline(figs, sources), independent),
        })
    return out
