"""The incidents map: an SVG drawn on the server from the Natural Earth 1:110m land outline shipped with the package
(``static/land-110m.json``, public domain, see ``static/land-110m.LICENSE.md``). No tiles, no CDN, no script.

Equirectangular projection (x = longitude + 180, y = 90 − latitude, in a 360 × 180 view box): enough to see where
incidents are; each placed incident is a dot (its size grows with its independent sources) linking to its page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import quote


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (quantized, delta-encoded) as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: Sequence[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _ring_path(pts: list[tuple[float, float]]) -> str:
    """One ring as path data; a ring crossing the antimeridian (Chukotka, Fiji, Antarctica) is cut there into
    pieces, each closed along the map's edge, instead of drawing a line across the whole map."""
    pieces: list[list[tuple[float, float]]] = [[pts[0]]]
    for a, b in zip(pts, pts[1:], strict=False):
        if abs(b[0] - a[0]) > 180:
            pieces.append([])
        pieces[-1].append(b)
    out = []
    for piece in pieces:
        if len(piece) > 1:
            out.append("M" + "L".join(f"{lon + 180:.1f},{90 - lat:.1f}" for lon, lat in piece) + "Z")
    return "".join(out)


@lru_cache(maxsize=1)
def land_path() -> str:
    """The SVG path data of the world's land (one decimal: about 10 km)."""
    topo = json.loads(resources.files("counterclaim.web").joinpath("static/land-110m.json").read_text("utf-8"))
    arcs = _decode_arcs(topo)
    parts = []
    for geom in topo["objects"]["land"]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                pts = _ring(ring, arcs)
                if len(pts) > 2:
                    parts.append(_ring_path(pts))
    return "".join(parts)


def incident_map(incidents: Sequence[dict[str, Any]]) -> str:
    """The map of the placed incidents (empty string when none has coordinates)."""
    placed = [i for i in incidents if i.get("lat") is not None and i.get("lon") is not None]
    if not placed:
        return ""
    dots = []
    for i in sorted(placed, key=lambda x: -(x.get("sources") or len(x.get("docs", [])))):
        sources = i.get("sources") or len(i.get("docs", [])) or 1
        r = 1.2 + 0.6 * min(sources, 6)
        x, y = float(i["lon"]) + 180, 90 - float(i["lat"])
        title = escape(f"{i['label']} ({sources} source{'s' if sources != 1 else ''})")
        dots.append(f'<a href="/incidents/{quote(str(i["id"]))}"><circle class="map-dot" cx="{x:.2f}" cy="{y:.2f}" '
                    f'r="{r:.1f}"><title>{title}</title></circle></a>')
    return ('<svg class="incident-map" viewBox="0 0 360 180" role="img" aria-label="Map of the incidents" '
            'xmlns="http://www.w3.org/2000/svg"><rect class="map-sea" width="360" height="180"/>'
            f'<path class="map-land" d="{land_path()}"/>{"".join(dots)}</svg>')
