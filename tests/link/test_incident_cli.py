"""`compare` and the analyst verbs (`incident merge/split/move-in/move-out/rename/decisions`) through the CLI."""

from __future__ import annotations

import json

from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

from .test_incidents import corpus  # noqa: F401  (the fixture: a ledger of several conflicts)


def _run(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_compare_cites_each_source_and_groups_copies(corpus: tuple[Ledger, dict[str, str]]) -> None:  # noqa: F811
    ledger, ids = corpus
    db = str(ledger.path)
    gaza = next(i for i in LinkStore(ledger).incidents() if ids["gaza"] in i["docs"])
    out = json.loads(_run("compare", gaza["id"][:8], "--db", db, "--json", "--no-embed"))
    (killed,) = [c for c in out["comparisons"] if c["category"] == "killed"]
    assert killed["verdict"] == "differ" and killed["sources"] == 2
    copy = next(v for v in killed["values"] if v["doc"] == ids["gaza_copy"])
    assert copy["copy_of"] == ids["gaza"] and copy["published"] == "2023-11-01" and copy["title"] == "gaza_copy"
    assert {a["claimant"] for a in out["allegations"]} >= {"Gaza health ministry", "civil defence agency"}
    assert all({"accused", "act", "stance", "sentence"} <= a.keys() for a in out["allegations"])
    text = _run("compare", gaza["id"][:8], "--db", db, "--no-embed")
    assert "copy of " + ids["gaza"][:8] in text and "2 independent source(s)" in text


def test_analyst_verbs(corpus: tuple[Ledger, dict[str, str]]) -> None:  # noqa: F811
    ledger, ids = corpus
    db = str(ledger.path)
    store = LinkStore(ledger)
    gaza = next(i for i in store.incidents() if ids["gaza"] in i["docs"])
    _run("incident", "rename", gaza["id"][:8], "Jabalia block", "--db", db)
    _run("incident", "move-out", "Jabalia block", "--doc", ids["gaza_other"][:8], "--db", db)
    _run("analyze", "--db", db)  # a re-analysis keeps the decisions
    labels = {i["label"]: i for i in store.incidents()}
    assert ids["gaza_other"] not in labels["Jabalia block"]["docs"]
    decisions = json.loads(_run("incident", "decisions", "--db", db, "--json"))
    assert [d["action"] for d in decisions] == ["rename", "move_out"]
    res = CliRunner().invoke(cli, ["incident", "rename", "Atlantis", "x", "--db", db])
    assert res.exit_code != 0 and "no incident matches 'Atlantis'" in res.output


def test_incidents_page_draws_the_map(corpus: tuple[Ledger, dict[str, str]]) -> None:  # noqa: F811
    from fastapi.testclient import TestClient

    from counterclaim.web.app import create_app

    ledger, ids = corpus
    placed = [i for i in LinkStore(ledger).incidents() if i["lat"] is not None]
    assert placed
    html = TestClient(create_app(ledger.path)).get("/incidents").text
    assert 'class="map-land"' in html and html.count('class="map-dot"') == len(placed)
    jabalia = next(i for i in placed if ids["gaza"] in i["docs"])
    x, y = jabalia["lon"] + 180, 90 - jabalia["lat"]
    assert f'<a href="/incidents/{jabalia["id"]}"><circle class="map-dot" cx="{x:.2f}" cy="{y:.2f}"' in html
    assert "<script" not in html.split('class="incident-map"')[1].split("</svg>")[0]


def test_web_edit_mode_records_decisions(corpus: tuple[Ledger, dict[str, str]]) -> None:  # noqa: F811
    from fastapi.testclient import TestClient

    from counterclaim.web.app import create_app

    ledger, ids = corpus
    gaza = next(i for i in LinkStore(ledger).incidents() if ids["gaza"] in i["docs"])
    readonly = TestClient(create_app(ledger.path))
    assert readonly.post(f"/api/incidents/{gaza['id']}/decisions", json={"action": "rename", "label": "x"}
                         ).status_code == 403
    editing = TestClient(create_app(ledger.path, allow_edit=True))
    assert 'form class="edit incident-decision"' in editing.get(f"/incidents/{gaza['id']}").text
    res = editing.post(f"/api/incidents/{gaza['id']}/decisions", json={"action": "move_out",
                                                                       "docs": [ids["gaza_other"]]})
    assert res.status_code == 200, res.text
    kept = res.json()["incident"]
    assert ids["gaza_other"] not in kept["docs"] and ids["gaza"] in kept["docs"] and kept["decided"]
    res = editing.post(f"/api/incidents/{kept['id']}/decisions", json={"action": "rename", "label": "Jabalia"})
    assert res.json()["incident"]["label"] == "Jabalia"
    bad = editing.post(f"/api/incidents/{kept['id']}/decisions", json={"action": "explode"})
    assert bad.status_code == 400 and "unknown decision" in bad.json()["error"]["message"]
