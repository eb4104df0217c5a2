from __future__ import annotations

from counterclaim.link.align import AlignedPair, Alignment
from counterclaim.link.lineage import cluster_report, clusters, earliest, link_kind, orient


def _al(share_a: float, share_b: float, n: int = 6, verbatim: float = 0.0) -> Alignment:
    pairs = tuple(AlignedPair(i, i, 0.8, 0.5) for i in range(n))
    return Alignment(pairs, share_a, share_b, verbatim, share_a, share_b)


def test_link_kinds_from_shares() -> None:
    assert link_kind(_al(0.95, 0.97, verbatim=1.0)) == "duplicate"
    assert link_kind(_al(0.95, 0.97, verbatim=0.2)) == "rewrite"  # everything aligned, but reworded
    assert link_kind(_al(0.85, 0.55)) == "rewrite"  # condensed rewrite
    assert link_kind(_al(0.35, 0.25)) == "partial"
    assert link_kind(_al(0.35, 0.25, n=2)) is None  # two shared sentences are a quotation, not reuse
    assert link_kind(_al(0.1, 0.1)) is None


def test_orientation_and_earliest_source() -> None:
    published = {"a": "2024-05-14", "b": "2024-05-12", "c": None}
    link = orient("b", "a", _al(0.7, 0.8), "rewrite", published)
    assert (link.doc, link.other, link.share) == ("a", "b", 0.8)  # the later document points to the earlier
    assert earliest(["a", "b", "c"], published) == "b"
    assert earliest(["c"], published) is None


def test_cluster_report_names_original_copies_and_rewrites() -> None:
    links = [
        {"doc": "copy", "other": "orig", "kind": "duplicate", "share": 1.0, "other_share": 1.0, "pairs": 8},
        {"doc": "rw", "other": "orig", "kind": "rewrite", "share": 0.8, "other_share": 0.7, "pairs": 6},
        {"doc": "x", "other": "y", "kind": "partial", "share": 0.4, "other_share": 0.3, "pairs": 3},
    ]
    meta = {"orig": {"published": "2022-10-04"}, "copy": {"published": "2022-10-05"}, "rw": {"published": None},
            "x": {}, "y": {}}
    report = cluster_report(links, meta)
    assert len(report) == 2 and len(clusters([])) == 0
    first = report[0]
    assert first["earliest"] == "orig"
    roles = {m["doc"]: m["role"] for m in first["documents"]}
    assert roles == {"orig": "original", "copy": "copy", "rw": "rewrite"}
    second = {m["doc"]: m["role"] for m in report[1]["documents"]}
    assert report[1]["earliest"] is None and second == {"x": "partial", "y": "partly reused"}
