"""Lineage on the development seeds: 000 and 001 are two renderings of one statement; nothing else is linked."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterclaim.ingest.run import ingest_paths
from counterclaim.link.update import update_links
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    if not SEEDS.is_dir():
        pytest.skip("examples/seeds is not in this checkout")
    ledger = Ledger(tmp_path_factory.mktemp("seeds") / "k.db")
    ingest_paths(ledger, [str(SEEDS)])
    return ledger


def _prefix(ledger: Ledger, doc_id: str) -> str:
    return Path(ledger.sources(doc_id)[0]["source"]).name[:3]


@pytest.mark.parametrize("embeddings", [False, True], ids=["lexical", "embeddings"])
def test_seed_lineage(seeded: Ledger, embeddings: bool) -> None:
    store = LinkStore(seeded)
    seeded.conn.execute("DELETE FROM link_fingerprints")
    seeded.conn.commit()
    report = update_links(seeded, use_embeddings=embeddings, rebuild_incidents=False)
    assert report.documents == 5
    links = {(frozenset((_prefix(seeded, lk["doc"]), _prefix(seeded, lk["other"]))), lk["kind"]) for lk in store.links()}
    assert links == {(frozenset(("000", "001")), "rewrite")}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    if not SEEDS.is_dir():
        pytest.skip("examples/seeds is not in this checkout")
    from counterclaim.analyze import analyze_ledger

    ledger = Ledger(tmp_path_factory.mktemp("analysed") / "k.db")
    ingest_paths(ledger, [str(SEEDS)])
    analyze_ledger(ledger)
    update_links(ledger, use_embeddings=False)
    return ledger


def _incident_with(ledger: Ledger, needle: str) -> tuple[dict, set[str], list[dict]]:
    store = LinkStore(ledger)
    for inc in store.incidents():
        if needle in inc["label"].lower():
            return inc, {_prefix(ledger, d) for d in inc["docs"]}, store.comparisons(inc["id"])
    raise AssertionError(f"no incident labelled with {needle!r}: {[i['label'] for i in store.incidents()]}")


def test_seed_incident_khojaly(analysed: Ledger) -> None:
    inc, docs, comps = _incident_with(analysed, "khojaly")
    assert inc["place"] == "Khojaly" and inc["start"].startswith("1992-02")
    assert {"002", "003"} <= docs and not docs & {"000", "001", "004"}
    killed = next(c for c in comps if c["category"] == "killed")
    assert killed["verdict"] == "agree"
    assert {(_prefix(analysed, v["doc"]), v["value"]) for v in killed["values"]} >= {("002", 613), ("003", 613)}


def test_seed_incident_landmines(analysed: Ledger) -> None:
    inc, docs, comps = _incident_with(analysed, "landmine")
    assert docs == {"000", "001", "002"}
    assert "landmines" in inc["acts"]
    (killed,) = [c for c in comps if c["category"] in ("killed", "victims")]
    assert {_prefix(analysed, v["doc"]) for v in killed["values"]} == {"000", "001", "002"}
    assert {(v["value"], v["qualifier"]) for v in killed["values"]} == {(250, "up_to")}
    assert killed["verdict"] == "agree"
    for v in killed["values"]:  # spans point at the figure in the stored text
        assert "250" in analysed.get_document(v["doc"]).text[v["start"] : v["end"]]


def test_seed_incident_videos(analysed: Ledger) -> None:
    _, docs, _ = _incident_with(analysed, "video")
    assert {"000", "001", "002"} <= docs and "003" not in docs
