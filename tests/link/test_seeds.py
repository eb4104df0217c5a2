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
