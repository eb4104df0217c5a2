"""Deciding what links two documents (duplicate / rewrite / partial) and which document came first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from counterclaim.link.align import Alignment
from counterclaim.link.text import lineage_data

KINDS = ("duplicate", "rewrite", "partial")


@dataclass(frozen=True)
class Link:
    """``doc`` reuses ``other`` (``other`` is the earlier or the original when dates say so).

    ``share`` is the aligned fraction of ``doc``; ``other_share`` that of ``other``.
    """

    doc: str
    other: str
    kind: str
    share: float
    other_share: float
    pairs: int

    def export(self) -> dict[str, object]:
        return {"type": "link", "doc": self.doc, "other": self.other, "kind": self.kind, "share": self.share,
                "other_share": self.other_share, "pairs": self.pairs}


def link_kind(alignment: Alignment, same_body: bool = False) -> str | None:
    """The link type from the aligned shares of both documents, or None when they are not linked."""
    th = lineage_data()["thresholds"]
    low, high = sorted((alignment.share_a, alignment.share_b))
    prose_low = min(alignment.prose_share_a, alignment.prose_share_b)
    if same_body or (prose_low >= th["duplicate_share"] and alignment.verbatim >= th["verbatim_similarity"]):
        return "duplicate"
    if low >= th["rewrite_share"] or (high >= th["condensed_share"] and low >= th["condensed_other_share"]):
        return "rewrite"
    if min(alignment.sentences_a, alignment.sentences_b) < th["partial_min_sentences"]:
        return None
    verbatim_pairs = round(alignment.verbatim * len(alignment.pairs))
    if high >= th["partial_share"] or verbatim_pairs >= th["partial_min_sentences"]:
        return "partial"
    return None


def orient(
    a: str, b: str, alignment: Alignment, kind: str, published: dict[str, str | None]
) -> Link:
    """Make the link point from the later (or reusing) document to the earlier (or reused) one.

    With both dates known the later one is ``doc``. Otherwise, for a partial reuse, the document whose share is
    larger is the one that reuses (it is mostly made of the other); failing that, ids decide so the result is stable.
    """
    da, db = published.get(a), published.get(b)
    swap: bool
    if da and db and da != db:
        swap = da < db  # a is earlier: b reuses a
    elif kind == "partial" and alignment.share_a != alignment.share_b:
        swap = alignment.share_b > alignment.share_a
    else:
        swap = a < b
    if swap:
        return Link(b, a, kind, alignment.share_b, alignment.share_a, len(alignment.pairs))
    return Link(a, b, kind, alignment.share_a, alignment.share_b, len(alignment.pairs))


def clusters(links: Iterable[Link]) -> list[set[str]]:
    """Connected components of the link graph (documents with no link are left out)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        ra, rb = find(link.doc), find(link.other)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = {}
    for x in parent:
        groups.setdefault(find(x), set()).add(x)
    return sorted(groups.values(), key=lambda g: (-len(g), min(g)))


def earliest(docs: Sequence[str], published: dict[str, str | None]) -> str | None:
    """The document with the earliest known publication date (None when no date is known)."""
    dated = [(published[d], d) for d in docs if published.get(d)]
    return min(dated)[1] if dated else None


_RANK = {"duplicate": 0, "rewrite": 1, "partial": 2}


def cluster_report(links: Sequence[dict[str, object]], meta: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    """Clusters of linked documents: earliest known source, copies, rewrites and partial reuses.

    ``links`` are stored link rows (``doc``, ``other``, ``kind``, ``share``); ``meta`` maps document ids to their
    ``title``/``publisher``/``published``. The original is the earliest dated document; without dates it is
    unknown and every member is listed by how it is linked.
    """
    objs = [Link(str(lk["doc"]), str(lk["other"]), str(lk["kind"]), float(str(lk["share"])),
                 float(str(lk.get("other_share", 0.0))), int(str(lk.get("pairs", 0)))) for lk in links]
    published = {d: (str(m["published"]) if m.get("published") else None) for d, m in meta.items()}
    out: list[dict[str, object]] = []
    for group in clusters(objs):
        first = earliest(sorted(group), published)
        members = []
        for doc in sorted(group, key=lambda d: (published.get(d) or "9999", d)):
            touching = [lk for lk in objs if doc in (lk.doc, lk.other)]
            best = min(touching, key=lambda lk: _RANK[lk.kind])
            partner = best.other if best.doc == doc else best.doc
            role = "original" if doc == first else {"duplicate": "copy", "rewrite": "rewrite", "partial": "partial"}[
                best.kind]
            if role == "partial" and best.other == doc:
                role = "partly reused"
            members.append({
                "doc": doc, "role": role, "kind": best.kind, "of": partner,
                "share": best.share if best.doc == doc else best.other_share,
                "published": published.get(doc), "title": meta.get(doc, {}).get("title"),
                "publisher": meta.get(doc, {}).get("publisher"),
            })
        out.append({"earliest": first, "earliest_published": published.get(first) if first else None,
                    "documents": members})
    return out
