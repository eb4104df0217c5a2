"""Server-side SVG pictures: the timeline of statements and dated events, and the "who accuses whom" graph.

Pure functions from plain data to an SVG string. Every piece of text that comes from the ledger is escaped with
:func:`html.escape`; no script, no inline style (colours are CSS classes from the shipped stylesheet), so the
pictures obey the page's Content-Security-Policy.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import quote

STANCE_CLASSES = {"assert": "st-assert", "deny": "st-deny", "call_to_investigate": "st-call_to_investigate"}


def _period_index(period: str) -> float:
    """A period (YYYY, YYYY-MM or YYYY-MM-DD) as a number of months since year 0 (for the x axis)."""
    parts = period.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
    except ValueError:
        return math.nan
    return year * 12 + (month - 1) + (day - 1) / 31


def _unit(period: str) -> float:
    return 12.0 if len(period) == 4 else 1.0 if len(period) == 7 else 1 / 31


def timeline_svg(
    statements: Sequence[tuple[str, int]], events: Sequence[tuple[str, int]], *, width: int = 960,
    lane: int = 110, link: str | None = "/documents?since={period}&until={period}",
) -> str:
    """Two lanes of bars on one time axis: statements (documents by publication period) above, events below."""
    pad_l, pad_r, pad_t = 110, 20, 20
    height = pad_t + 2 * lane + 60
    points = [(p, n) for p, n in [*statements, *events] if not math.isnan(_period_index(p))]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Timeline of statements and dated events">'
    ]
    if not points:
        out.append(f'<text x="{width // 2}" y="{height // 2}" class="empty" text-anchor="middle">No dates yet</text>')
        out.append("</svg>")
        return "".join(out)
    xs = [_period_index(p) for p, _ in points]
    unit = _unit(points[0][0])  # months in one period: 12 (years), 1 (months), 1/31 (days)
    lo, hi = min(xs), max(xs) + unit
    span = max(hi - lo, 1.0)
    plot_w = width - pad_l - pad_r

    def x_of(period: str) -> float:  # the middle of the period
        return pad_l + (_period_index(period) + unit / 2 - lo) / span * plot_w

    bar_w = max(2.0, min(40.0, plot_w / span * unit * 0.8))
    for row, (label, series, cls) in enumerate(
        (("statements", statements, "bar-statement"), ("dated events", events, "bar-event"))
    ):
        top = pad_t + row * lane
        base = top + lane - 10
        out.append(f'<g class="lane" data-lane="{cls}">')
        out.append(f'<text x="8" y="{top + lane / 2:.0f}" class="lane-label">{escape(label)}</text>')
        out.append(f'<line x1="{pad_l}" y1="{base}" x2="{width - pad_r}" y2="{base}" class="axis"/>')
        peak = max((n for _, n in series), default=1) or 1
        for period, n in series:
            if math.isnan(_period_index(period)):
                continue
            h = max(2.0, (lane - 20) * n / peak)
            bar = (
                f'<rect class="{cls}" x="{x_of(period) - bar_w / 2:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{escape(period)}: {n} {escape(label)}</title></rect>'
            )
            if link and cls == "bar-statement":  # the statements of the period, on the documents page
                bar = f'<a href="{escape(link.format(period=quote(period)))}">{bar}</a>'
            out.append(bar)
        out.append("</g>")
    # year ticks on a shared axis
    axis_y = pad_t + 2 * lane + 10
    first_year, last_year = int(lo // 12), int((hi - 1e-9) // 12)
    step = max(1, math.ceil((last_year - first_year + 1) / 12))
    for year in range(first_year, last_year + 1, step):
        x = pad_l + (year * 12 - lo) / span * plot_w
        if x < pad_l - 1:
            x = pad_l
        out.append(f'<line x1="{x:.1f}" y1="{pad_t}" x2="{x:.1f}" y2="{axis_y}" class="grid"/>')
        out.append(f'<text x="{x:.1f}" y="{axis_y + 16}" class="tick" text-anchor="middle">{year}</text>')
    out.append("</svg>")
    return "".join(out)


def _layout_circle(nodes: Sequence[str], cx: float, cy: float, r: float) -> dict[str, tuple[float, float]]:
    n = max(len(nodes), 1)
    return {
        name: (cx + r * math.cos(2 * math.pi * i / n - math.pi / 2), cy + r * math.sin(2 * math.pi * i / n - math.pi / 2))
        for i, name in enumerate(nodes)
    }


def graph_svg(edges: Sequence[dict[str, Any]], *, width: int = 1100, height: int = 660, max_nodes: int = 24) -> str:
    """Claimant → accused arrows weighted by count, coloured by stance, actors on a circle (the busiest first)."""
    weight: dict[str, int] = defaultdict(int)
    for e in edges:
        weight[str(e["claimant"])] += int(e["n"])
        weight[str(e["accused"])] += int(e["n"])
    nodes = sorted(weight, key=lambda k: (-weight[k], k))[:max_nodes]
    keep = set(nodes)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="Who accuses whom">',
        "<defs>",
    ]
    for cls in STANCE_CLASSES.values():
        out.append(
            f'<marker id="arrow-{cls}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="12" markerHeight="12" '
            f'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="{cls} head"/></marker>'
        )
    out.append("</defs>")
    if not nodes:
        out.append(f'<text x="{width // 2}" y="{height // 2}" class="empty" text-anchor="middle">No allegations yet</text>')
        out.append("</svg>")
        return "".join(out)
    cx, cy = width / 2, height / 2
    pos = _layout_circle(nodes, cx, cy, min(cx, cy) - 70)
    peak = max(int(e["n"]) for e in edges) or 1
    node_r = {name: 8 + 14 * math.sqrt(weight[name] / max(weight.values())) for name in nodes}
    out.append('<g class="edges">')
    stance_offset = {"assert": 0.0, "deny": 18.0, "call_to_investigate": -18.0}
    for e in edges:
        a, b = str(e["claimant"]), str(e["accused"])
        if a not in keep or b not in keep:
            continue
        stance = str(e.get("stance") or "assert")
        cls = STANCE_CLASSES.get(stance, "st-assert")
        (x1, y1), (x2, y2) = pos[a], pos[b]
        stroke = 1.5 + 6 * int(e["n"]) / peak
        label = f"{a} → {b} ({stance}): {e['n']} allegation(s) in {e.get('documents', '?')} document(s)"
        if a == b:  # a self-accusation: a loop on the inner side of the node, away from its label
            d = math.hypot(cx - x1, cy - y1) or 1.0
            lx, ly = x1 + (cx - x1) / d * (node_r[a] + 12), y1 + (cy - y1) / d * (node_r[a] + 12)
            out.append(
                f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="12" class="edge {cls}" '
                f'stroke-width="{stroke:.1f}" fill="none"><title>{escape(label)}</title></circle>'
            )
            continue
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        sx, sy = x1 + ux * node_r[a], y1 + uy * node_r[a]
        ex, ey = x2 - ux * (node_r[b] + 3), y2 - uy * (node_r[b] + 3)
        bend = 30 + stance_offset.get(stance, 0.0)  # opposite directions and stances bend apart
        mx, my = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
        out.append(
            f'<path d="M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" class="edge {cls}" '
            f'stroke-width="{stroke:.1f}" fill="none" marker-end="url(#arrow-{cls})" '
            f'data-claimant="{escape(a)}" data-accused="{escape(b)}" data-stance="{escape(stance)}" '
            f'data-count="{int(e["n"])}"><title>{escape(label)}</title></path>'
        )
    out.append("</g><g class=\"nodes\">")
    for name in nodes:
        x, y = pos[name]
        r = node_r[name]
        anchor = "start" if x > cx + 1 else "end" if x < cx - 1 else "middle"
        tx = x + (r + 6) * (1 if anchor == "start" else -1 if anchor == "end" else 0)
        ty = y + (4 if anchor != "middle" else (-(r + 8) if y < cy else r + 16))
        out.append(
            f'<g class="node" data-actor="{escape(name)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}">'
            f"<title>{escape(name)}: {weight[name]} allegation end(s)</title></circle>"
            f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">{escape(name)}</text></g>'
        )
    out.append("</g></svg>")
    return "".join(out)
