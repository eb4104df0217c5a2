"""Reconciliation: per incident and figure category, what each source says, and whether the sources agree.

A value is read as the interval its qualifier allows: exact 250 → [250, 250]; "up to 250" → [0, 250]; "at least 38"
/ "more than 38" → [38, ∞); "about 600" → [540, 660]. The verdict of a category is

* ``agree``: every source gives the same value with the same qualifier;
* ``compatible``: the values differ in form but one interval holds them all ("up to 250" and "250");
* ``differ``: no value satisfies every source;
* ``single_source``: only one document gives a figure of that category.

Values are listed per source with their spans; they are never averaged. Figures that are part of another (``parent``)
are left out, and subgroups ("63 children") are compared in their own category (``killed:children``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
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


def category_key(fig: Figure) -> str:
    subject = (fig.subject or "").lower().strip()
    subgroups = {str(s).lower() for s in incident_data()["subgroups"]}
    return f"{fig.category}:{subject}" if subject in subgroups else fig.category


def compare_figures(incident: str, figures: Sequence[Figure]) -> list[dict[str, Any]]:
    """One comparison per figure category of an incident."""
    groups: dict[str, list[Figure]] = {}
    for fig in figures:
        if fig.parent or fig.category == "other":
            continue
        groups.setdefault(category_key(fig), []).append(fig)
    out = []
    for category, figs in sorted(groups.items()):
        figs = sorted(figs, key=lambda f: (f.doc, f.start))
        values = [
            {"doc": f.doc, "value": f.value, "qualifier": f.qualifier, "figure": f.id, "value_text": f.value_text,
             "start": f.start, "end": f.end, "sentence": f.sentence}
            for f in figs
        ]
        out.append({
            "incident": incident, "category": category, "values": values,
            "verdict": verdict([(f.value, f.qualifier) for f in figs], len({f.doc for f in figs})),
        })
    return out
