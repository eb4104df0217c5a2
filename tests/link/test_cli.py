from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from counterclaim.cli import cli

from .texts import ORIGINAL, REWRITE, UNRELATED_SAME_TOPIC


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ORIGINAL, encoding="utf-8")
    (folder / "b.txt").write_text(REWRITE, encoding="utf-8")
    (folder / "c.txt").write_text(UNRELATED_SAME_TOPIC, encoding="utf-8")
    return folder


def test_lineage_clusters_and_alignment_json(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(_corpus(tmp_path)), "--db", db]).exit_code == 0
    res = runner.invoke(cli, ["lineage", "--db", db, "--json", "--no-embed"])
    assert res.exit_code == 0, res.output
    clusters = json.loads(res.output)
    assert len(clusters) == 1
    members = clusters[0]["documents"]
    assert {m["kind"] for m in members} == {"rewrite"}
    doc = members[0]["doc"]
    res = runner.invoke(cli, ["lineage", doc[:8], "--db", db, "--json", "--align", "--no-update"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["links"][0]["kind"] == "rewrite"
    pairs = out["links"][0]["alignment"]
    assert any("Security Council" in p["doc_sentence"] and "Security Council" in p["other_sentence"] for p in pairs)
    res = runner.invoke(cli, ["lineage", doc[:8], "--db", db, "--align", "--no-update"])
    assert res.exit_code == 0 and "rewrite" in res.output


def test_unknown_incident_is_a_clear_error(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(_corpus(tmp_path)), "--db", db])
    res = runner.invoke(cli, ["compare", "Atlantis", "--db", db, "--no-embed"])
    assert res.exit_code == 4
    assert "no incident matches 'Atlantis'" in res.output
