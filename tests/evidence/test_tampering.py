"""Every way of tampering with the evidence registry we know of is caught (issue 16: 18+ paths).

Each test builds a registry through the CLI (two photographs, collected with provenance, verified, linked,
handled, sealed), then tampers with it as someone holding the files would: behind the triggers' back (dropped and
put back, so only the hashes can tell), re-computing every hash a forger can re-compute. ``evidence check`` or
``seal --verify`` must then fail and name what happened.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.evidence.custody import GENESIS, CustodyEntry, entry_hash
from counterclaim.evidence.seal import manifest_hash
from counterclaim.records import Allegation, Document, SourceRef
from counterclaim.store import Ledger


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def ok(*args: str) -> str:
    code, out = run(*args)
    assert code == 0, out
    return out


def photo(path: Path, seed: int) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), (seed * 40 % 255, 90, 160))
    draw = ImageDraw.Draw(img)
    for i in range(0, 320, 40):
        draw.rectangle([i, (i * seed) % 180, i + 30, (i * seed) % 180 + 50], fill=(i % 255, 30 * seed % 255, 200))
    img.save(path, "PNG")
    return path


class Registry:
    """A sealed registry and the tools to tamper with it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = str(tmp / "k.db")
        with Ledger(self.db) as ledger:
            doc = Document.from_text("Azerbaijan accused Armenia of shelling civilians in a video posted online.")
            ledger.add_document(doc, SourceRef("statement.txt"))
            rec = Allegation(doc=doc.id, start=0, end=len(doc.text), sentence=doc.text, claimant="Azerbaijan",
                             accused=["Armenia"], act="shelling_civilians")
            ledger.replace_records(doc.id, "test-1", [rec])
            self.allegation = rec.id
        ok("evidence", "add", str(photo(tmp / "strike.png", 1)), "--source-url", "https://example.org/p/1",
           "--collected-by", "A. Analyst", "--db", self.db)
        ok("evidence", "add", str(photo(tmp / "crater.png", 2)), "--source-url", "https://example.org/p/2",
           "--collected-by", "A. Analyst", "--db", self.db)
        items = {r["filename"]: r["id"] for r in json.loads(ok("evidence", "list", "--json", "--db", self.db))}
        self.a, self.b = items["strike.png"], items["crater.png"]
        ok("evidence", "verify-step", self.a, "--step", "technical_analysis", "--result", "refuted", "--by", "B",
           "--note", "error level analysis shows a pasted crater", "--db", self.db)
        ok("evidence", "verify-step", self.a, "--step", "geolocation", "--result", "confirmed", "--by", "B",
           "--db", self.db)
        ok("evidence", "link", self.a, "--allegation", self.allegation, "--by", "B", "--db", self.db)
        ok("evidence", "link", self.a, "--incident", "inc-7", "--by", "B", "--db", self.db)
        ok("evidence", "custody", self.b, "--by", "C", "--action", "transferred", "--note", "to the court",
           "--db", self.db)
        self.manifest = tmp / "seal.json"
        ok("seal", "--db", self.db, "--out", str(self.manifest))
        self.head = ok("evidence", "head", "--db", self.db).strip()
        assert "all intact" in ok("evidence", "check", "--db", self.db, "--head", self.head)
        assert "matches" in ok("seal", "--db", self.db, "--verify", str(self.manifest))

    # -- tampering tools ------------------------------------------------------------------------------------
    def sql(self, *statements: str, params: tuple[Any, ...] = ()) -> None:
        """Run SQL with every trigger dropped, then put the triggers back (a careful forger)."""
        raw = sqlite3.connect(self.db)
        triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:
            raw.execute(f"DROP TRIGGER {name}")
        for st in statements:
            raw.execute(st, params)
        for _, sql in triggers:
            raw.execute(sql)
        raw.commit()
        raw.close()

    def entries(self, item: str) -> list[CustodyEntry]:
        with Ledger(self.db) as ledger:
            from counterclaim.store import evidence as db

            return db.custody_entries(ledger.conn, item)

    def rewrite_chain(self, item: str, entries: list[CustodyEntry]) -> None:
        """Replace an item's whole chain by ``entries``, renumbered and re-hashed so the chain verifies."""
        rehashed: list[CustodyEntry] = []
        for seq, e in enumerate(entries, start=1):
            draft = replace(e, seq=seq, prev_hash=rehashed[-1].entry_hash if rehashed else GENESIS, entry_hash="")
            rehashed.append(replace(draft, entry_hash=entry_hash(draft)))
        statements = [f"DELETE FROM evidence_custody WHERE item_id = '{item}'"]
        for e in rehashed:
            statements.append(
                "INSERT INTO evidence_custody(item_id, seq, at, actor, action, note, file_sha256, prev_hash, "
                f"record_sha256, entry_hash) VALUES ({', '.join(repr(v) for v in (e.item, e.seq, e.at, e.actor, e.action, e.note, e.file_sha256, e.prev_hash, e.record, e.entry_hash))})"
            )
        self.sql(*statements)

    def stored(self, item: str) -> Path:
        with Ledger(self.db) as ledger:
            from counterclaim.evidence.store import store_root
            from counterclaim.store import evidence as db

            return store_root(ledger.path) / db.get_item(ledger.conn, item).stored_path

    def rewrite_manifest(self, edit: Callable[[dict[str, Any]], None], sidecar: bool = True) -> None:
        data = json.loads(self.manifest.read_text("utf-8"))
        edit(data)
        data["manifest_sha256"] = manifest_hash(data)
        raw = (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
        self.manifest.write_bytes(raw)
        if sidecar:
            side = self.manifest.with_name(self.manifest.name + ".sha256")
            side.write_text(f"{hashlib.sha256(raw).hexdigest()}  {self.manifest.name}\n", encoding="utf-8")

    # -- verdicts -------------------------------------------------------------------------------------------
    def check_catches(self, *kinds: str, head: bool = False) -> list[dict[str, Any]]:
        args = ["evidence", "check", "--db", self.db, "--json"] + (["--head", self.head] if head else [])
        code, out = run(*args)
        assert code == 6, out
        report = json.loads(out[: out.rindex("}") + 1])
        found = {p["kind"] for p in report["problems"]}
        for kind in kinds:
            assert kind in found, (kind, report["problems"])
        return list(report["problems"])

    def verify_catches(self, words: str) -> str:
        code, out = run("seal", "--db", self.db, "--verify", str(self.manifest))
        assert code == 6, out
        assert words in out, out
        return out


@pytest.fixture
def reg(tmp_path: Path) -> Registry:
    return Registry(tmp_path)


# -- the stored files ---------------------------------------------------------------------------------------------
def test_01_flipped_byte_in_a_stored_file(reg: Registry) -> None:
    path = reg.stored(reg.a)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    os.chmod(path, 0o444)
    reg.check_catches("changed")


def test_02_deleted_stored_file(reg: Registry) -> None:
    reg.stored(reg.b).unlink()
    reg.check_catches("missing")


# -- the custody log ----------------------------------------------------------------------------------------------
def test_03_edited_middle_custody_row(reg: Registry) -> None:
    reg.sql(f"UPDATE evidence_custody SET note = 'nothing found' WHERE item_id = '{reg.a}' AND seq = 2")
    reg.check_catches("chain: edited")


def test_04_deleted_middle_custody_row(reg: Registry) -> None:
    reg.sql(f"DELETE FROM evidence_custody WHERE item_id = '{reg.a}' AND seq = 3")
    reg.check_catches("chain: missing entry")


def test_05_swapped_custody_rows(reg: Registry) -> None:
    reg.sql(f"UPDATE evidence_custody SET seq = -1 WHERE item_id = '{reg.a}' AND seq = 2",
            f"UPDATE evidence_custody SET seq = 2 WHERE item_id = '{reg.a}' AND seq = 3",
            f"UPDATE evidence_custody SET seq = 3 WHERE item_id = '{reg.a}' AND seq = -1")
    reg.check_catches("chain: broken link")


def test_06_deleted_last_custody_row(reg: Registry) -> None:
    last = reg.entries(reg.b)[-1]
    assert last.action == "transferred"
    reg.sql(f"DELETE FROM evidence_custody WHERE item_id = '{reg.b}' AND seq = {last.seq}")
    reg.check_catches("custody head")
    reg.verify_catches("custody log")


def test_07_rehashed_last_custody_row(reg: Registry) -> None:
    entries = reg.entries(reg.b)
    entries[-1] = replace(entries[-1], note="to a journalist")
    reg.rewrite_chain(reg.b, entries)
    assert not [p for p in reg.check_catches("custody head") if p["kind"].startswith("chain:")]


def test_08_rechained_reorder(reg: Registry) -> None:
    entries = reg.entries(reg.a)
    reg.rewrite_chain(reg.a, [entries[0], entries[2], entries[1], *entries[3:]])
    reg.check_catches("chain: out of order", "custody head")


def test_09_rechained_reorder_with_dates_swapped_too(reg: Registry) -> None:
    entries = reg.entries(reg.a)
    moved = [entries[0], replace(entries[2], at=entries[1].at), replace(entries[1], at=entries[2].at), *entries[3:]]
    reg.rewrite_chain(reg.a, moved)
    reg.check_catches("chain: out of order", "custody head")


def test_10_whole_log_rechained_and_ledger_heads_deleted(reg: Registry) -> None:
    entries = reg.entries(reg.b)
    reg.rewrite_chain(reg.b, [replace(e, note=e.note + " (amended)") for e in entries])
    reg.sql("DELETE FROM evidence_heads", "DELETE FROM evidence_seals")
    reg.check_catches("custody head", head=True)  # the head the analyst kept elsewhere


def test_11_append_only_guards_removed(reg: Registry) -> None:
    raw = sqlite3.connect(reg.db)
    raw.execute("DROP TRIGGER evidence_custody_no_delete")
    raw.commit()
    raw.close()
    reg.check_catches("guard removed")


# -- records kept outside the log: steps, provenance, links ------------------------------------------------------
def test_12_edited_verification_step(reg: Registry) -> None:
    assert json.loads(ok("evidence", "show", reg.a, "--json", "--db", reg.db))["status"] == "fabricated"
    reg.sql(f"UPDATE evidence_steps SET result = 'confirmed' WHERE item_id = '{reg.a}' AND step = 'technical_analysis'")
    assert json.loads(ok("evidence", "show", reg.a, "--json", "--db", reg.db))["status"] == "partially verified"
    reg.check_catches("verification step not in chain", "verification step deleted")


def test_13_deleted_verification_step(reg: Registry) -> None:
    reg.sql(f"DELETE FROM evidence_steps WHERE item_id = '{reg.a}' AND step = 'technical_analysis'")
    reg.check_catches("verification step deleted")


def test_14_forged_verification_step(reg: Registry) -> None:
    reg.sql("INSERT INTO evidence_steps(item_id, step, result, analyst, note, at) VALUES "
            f"('{reg.b}', 'geolocation', 'confirmed', 'B', '', '2024-01-01T00:00:00.000000Z')")
    reg.check_catches("verification step not in chain")


@pytest.mark.parametrize("column, value", [
    ("source_url", "https://example.org/other"),
    ("collected_by", "Someone Else"),
    ("collected_at", "2020-01-01"),
    ("metadata", '{"taken_at": "2019-05-05T10:00:00"}'),
    ("metadata_raw", "{}"),
    ("original_path", "/elsewhere/strike.png"),
    ("filename", "renamed.png"),
    ("note", "posted by the army"),
])
def test_15_edited_provenance_field(reg: Registry, column: str, value: str) -> None:
    reg.sql(f"UPDATE evidence_items SET {column} = ? WHERE id = '{reg.a}'", params=(value,))
    reg.check_catches("provenance edited")


def test_16_deleted_link(reg: Registry) -> None:
    reg.sql(f"DELETE FROM evidence_links WHERE item_id = '{reg.a}' AND target_type = 'allegation'")
    reg.check_catches("link deleted")


def test_17_forged_link(reg: Registry) -> None:
    reg.sql("INSERT INTO evidence_links(item_id, target_type, target_id, linked_by, note, at) VALUES "
            f"('{reg.b}', 'incident', 'inc-9', 'B', '', '2024-01-01T00:00:00.000000Z')")
    reg.check_catches("link not in chain")


def test_18_whole_item_deleted_with_its_file(reg: Registry) -> None:
    path = reg.stored(reg.b)
    reg.sql(*(f"DELETE FROM {t} WHERE item_id = '{reg.b}'" for t in (
        "evidence_custody", "evidence_steps", "evidence_links", "evidence_fingerprints")),
        f"DELETE FROM evidence_items WHERE id = '{reg.b}'")
    path.unlink()
    reg.check_catches("custody head")
    reg.verify_catches("no longer in the ledger")


def test_19_item_replaced_by_other_bytes_with_new_hashes(reg: Registry) -> None:
    """The file swapped for another, and the item's hashes rewritten to match it."""
    from counterclaim.evidence.store import digest_file

    path = reg.stored(reg.a)
    os.chmod(path, 0o644)
    photo(path, 5)
    d = digest_file(path)
    reg.sql(f"UPDATE evidence_items SET sha256 = '{d.sha256}', sha512 = '{d.sha512}', md5 = '{d.md5}' "
            f"WHERE id = '{reg.a}'")
    reg.check_catches("provenance edited")


# -- the seal ----------------------------------------------------------------------------------------------------
def test_20_naive_manifest_edit(reg: Registry) -> None:
    data = json.loads(reg.manifest.read_text("utf-8"))
    data["documents"][0]["sha256"] = "0" * 64
    reg.manifest.write_text(json.dumps(data), encoding="utf-8")
    reg.verify_catches("the manifest was edited")


def test_21_forged_manifest_with_recomputed_hash(reg: Registry) -> None:
    def drop_item(data: dict[str, Any]) -> None:
        data["evidence"] = [e for e in data["evidence"] if e["id"] != reg.b]

    reg.rewrite_manifest(drop_item)
    out = reg.verify_catches("the ledger has no record of this seal")
    assert "was edited" not in out  # the forgery hashes correctly: only the ledger's record exposes it


def test_22_forged_manifest_head(reg: Registry) -> None:
    def new_head(data: dict[str, Any]) -> None:
        data["custody_head"] = {"entries": 3, "head": "ab" * 32}

    reg.rewrite_manifest(new_head, sidecar=False)
    reg.verify_catches("do not match seal.json.sha256")
    reg.verify_catches("the ledger has no record of this seal")


def test_23_ledger_seal_record_deleted(reg: Registry) -> None:
    reg.sql("DELETE FROM evidence_seals")
    reg.verify_catches("the ledger has no record of this seal")


def test_24_evidence_edited_after_the_seal_fails_the_seal_too(reg: Registry) -> None:
    reg.sql(f"UPDATE evidence_items SET filename = 'other.png' WHERE id = '{reg.b}'")
    reg.verify_catches("was edited")


def test_intact_registry_passes_after_more_work(reg: Registry) -> None:
    """Legitimate work after a seal (new entries, steps, links, checks) never trips the heads."""
    ok("evidence", "verify-step", reg.b, "--step", "geolocation", "--result", "confirmed", "--by", "D",
       "--db", reg.db)
    ok("evidence", "link", reg.b, "--incident", "inc-8", "--db", reg.db)
    ok("evidence", "check", "--db", reg.db, "--record-by", "E")
    assert "all intact" in ok("evidence", "check", "--db", reg.db, "--head", reg.head)
    assert "matches" in ok("seal", "--db", reg.db, "--verify", str(reg.manifest))
    code, out = run("evidence", "check", "--db", reg.db, "--head", "12:nothex")
    assert code == 2 and "ENTRIES:SHA256" in out


def test_a_registry_from_before_records_were_chained_stays_intact_and_gains_them(tmp_path: Path) -> None:
    """A ledger written before version 1 of the custody component: its chains have no records. They still verify,
    new work on them is chained with records, and items registered afterwards are checked in full."""
    reg = Registry(tmp_path)
    for item in (reg.a, reg.b):  # turn both chains into old-style ones: no record, hashes as they were then
        reg.rewrite_chain(item, [replace(e, record="") for e in reg.entries(item)])
    reg.sql("DELETE FROM evidence_heads", "DELETE FROM evidence_seals")
    assert "all intact" in ok("evidence", "check", "--db", reg.db)
    ok("evidence", "verify-step", reg.a, "--step", "chronolocation", "--result", "confirmed", "--by", "D",
       "--db", reg.db)
    ok("evidence", "add", str(photo(tmp_path / "third.png", 3)), "--source-url", "https://example.org/p/3",
       "--db", reg.db)
    assert "all intact" in ok("evidence", "check", "--db", reg.db)
    third = next(r["id"] for r in json.loads(ok("evidence", "list", "--json", "--db", reg.db))
                 if r["filename"] == "third.png")
    reg.sql(f"UPDATE evidence_items SET source_url = 'https://elsewhere.example' WHERE id = '{third}'")
    reg.check_catches("provenance edited")
    reg.sql(f"UPDATE evidence_items SET source_url = 'https://example.org/p/3' WHERE id = '{third}'",
            f"UPDATE evidence_steps SET result = 'refuted' WHERE item_id = '{reg.a}' AND step = 'chronolocation'")
    reg.check_catches("verification step not in chain")
