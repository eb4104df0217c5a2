"""The review layer: decisions apart from machine records, re-attachment after re-extraction, the reviewed view."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from counterclaim.errors import NotFound, UsageError
from counterclaim.export import iter_export, write_jsonl, write_tables
from counterclaim.records import Allegation, DateMention, Document, Figure, SourceRef
from counterclaim.review import Reviewer, review_view, validate_changes
from counterclaim.store import Ledger
from counterclaim.store.review import ReviewStore

TEXT = (
    "The Ministry of Foreign Affairs of Azerbaijan said on 4 October 2022 that Armenian forces executed prisoners. "
    "Armenia rejected the accusation. At least 12 civilians were killed in Ganja. "
    "The ministry also accused Armenia of planting landmines."
)


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def machine_records(doc: str, act: str = "execution_of_pows", drop_figure: bool = False) -> list[object]:
    s1, e1 = _span("Armenian forces executed prisoners")
    s2, e2 = _span("Armenia rejected the accusation")
    s3, e3 = _span("At least 12 civilians were killed")
    s4, e4 = _span("4 October 2022")
    recs: list[object] = [
        Allegation(doc=doc, start=s1, end=e1, sentence=TEXT[:109], version="v1", claimant="Azerbaijan",
                   accused=["Armenia"], act=act, text=TEXT[s1:e1]),
        Allegation(doc=doc, start=s2, end=e2, sentence="Armenia rejected the accusation.", version="v1",
                   claimant="Armenia", accused=["Armenia"], act="war_crime", stance="deny", text=TEXT[s2:e2]),
        DateMention(doc=doc, start=s4, end=e4, version="v1", date="2022-10-04", text=TEXT[s4:e4]),
    ]
    if not drop_figure:
        recs.append(Figure(doc=doc, start=s3, end=e3, version="v1", value=12, value_text="At least 12",
                           qualifier="at_least", category="killed", subject="civilians", about="Ganja"))
    return recs


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "r.db")
    doc = Document.from_text(TEXT, title="MFA statement", published="2022-10-04")
    ledger.add_document(doc, SourceRef(str(tmp_path / "mfa.txt")))
    ledger.replace_records(doc.id, "v1", machine_records(doc.id))  # type: ignore[arg-type]
    return ledger


def _doc(ledger: Ledger) -> str:
    return ledger.documents()[0]["id"]


def _by_type(ledger: Ledger, type_: str, **kwargs: object) -> list[object]:
    return [r for r in ledger.records(type_) if all(getattr(r, k) == v for k, v in kwargs.items())]


def test_correction_survives_reextraction_with_new_ids(led: Ledger) -> None:
    doc = _doc(led)
    alleg = _by_type(led, "allegation", stance="assert")[0]
    reviewer = Reviewer(led)
    item = reviewer.decide(alleg.id, "correct", by="Ana", reason="the text says Armenian forces",  # type: ignore[attr-defined]
                           changes={"accused": "Armenian armed forces", "act": "torture"})
    assert item.status == "corrected"
    assert item.record.accused == ["Armenia"] and item.record.act == "torture"  # type: ignore[attr-defined]
    # the extractor's rules change: the same allegation now comes out with another act, hence another id
    led.replace_records(doc, "v2", machine_records(doc, act="war_crime"))  # type: ignore[arg-type]
    new = _by_type(led, "allegation", stance="assert")[0]
    assert new.id != alleg.id  # type: ignore[attr-defined]
    view = {r.record.id: r for r in review_view(led, "allegation")}
    assert view[new.id].status == "corrected"  # type: ignore[attr-defined]
    assert view[new.id].record.act == "torture"  # type: ignore[attr-defined]
    assert view[new.id].subject and view[new.id].subject.reviewed_by == "Ana"  # type: ignore[attr-defined]
    actions = [e["action"] for e in ReviewStore(led).log()]
    assert actions == ["correct", "reattach"]
    # a further decision on the new id goes to the same subject
    reviewer.decide(new.id, "confirm", by="Ben")  # type: ignore[attr-defined]
    assert len(ReviewStore(led).subjects()) == 1


def test_orphaned_decision_is_listed_never_dropped(led: Ledger) -> None:
    doc = _doc(led)
    fig = _by_type(led, "figure")[0]
    Reviewer(led).decide(fig.id, "correct", by="Ana", changes={"value": "13"}, reason="13 in the annex")  # type: ignore[attr-defined]
    led.replace_records(doc, "v2", machine_records(doc, drop_figure=True))  # type: ignore[arg-type]
    orphans = ReviewStore(led).subjects(orphaned=True)
    assert [o.id for o in orphans] == [fig.id]  # type: ignore[attr-defined]
    # the signed-off figure stays in the reviewed view, marked orphaned
    figures = review_view(led, "figure")
    assert len(figures) == 1 and figures[0].orphaned and figures[0].record.value == 13.0  # type: ignore[attr-defined]
    assert figures[0].export()["orphaned"] is True
    assert ReviewStore(led).log()[-1]["action"] == "orphan"
    # the extractor finds it again: the decision re-attaches
    led.replace_records(doc, "v3", machine_records(doc))  # type: ignore[arg-type]
    assert ReviewStore(led).subjects(orphaned=True) == []
    assert review_view(led, "figure")[0].record.value == 13.0  # type: ignore[attr-defined]


def test_reject_hides_everywhere_and_include_rejected_keeps_the_reason(led: Ledger) -> None:
    deny = _by_type(led, "allegation", stance="deny")[0]
    with pytest.raises(UsageError, match="reason"):
        Reviewer(led).decide(deny.id, "reject", by="Ana")  # type: ignore[attr-defined]
    Reviewer(led).decide(deny.id, "reject", by="Ana", reason="a reaction, not a denial")  # type: ignore[attr-defined]
    assert deny.id not in {r.record.id for r in review_view(led, "allegation")}  # type: ignore[attr-defined]
    exported = [o for o in iter_export(led, ("allegation",))]
    assert deny.id not in {o["id"] for o in exported}  # type: ignore[attr-defined]
    kept = {o["id"]: o for o in iter_export(led, ("allegation",), include_rejected=True)}
    assert kept[deny.id]["status"] == "rejected"  # type: ignore[attr-defined]
    assert kept[deny.id]["reason"] == "a reaction, not a denial"  # type: ignore[attr-defined]
    raw = {o["id"]: o for o in iter_export(led, ("allegation",), raw=True)}
    assert deny.id in raw and "status" not in raw[deny.id]  # type: ignore[attr-defined]


def test_later_decision_supersedes_earlier_both_logged(led: Ledger) -> None:
    alleg = _by_type(led, "allegation", stance="assert")[0]
    r = Reviewer(led)
    r.decide(alleg.id, "reject", by="Ana", reason="looks wrong")  # type: ignore[attr-defined]
    r.decide(alleg.id, "correct", by="Ben", changes={"act": "torture"}, reason="it is right, but torture")  # type: ignore[attr-defined]
    r.decide(alleg.id, "correct", by="Cleo", changes={"accused": "Armenia, Russia"})  # type: ignore[attr-defined]
    item = next(i for i in review_view(led, "allegation") if i.record.id == alleg.id)  # type: ignore[attr-defined]
    assert item.status == "corrected"
    assert item.record.act == "torture" and item.record.accused == ["Armenia", "Russia"]  # type: ignore[attr-defined]
    assert item.subject and item.subject.reviewed_by == "Cleo"
    log = ReviewStore(led).log()
    assert [(e["analyst"], e["action"]) for e in log] == [("Ana", "reject"), ("Ben", "correct"), ("Cleo", "correct")]
    assert log[1]["before"] == {"status": "rejected", "act": "execution_of_pows"}
    assert log[1]["after"] == {"status": "corrected", "act": "torture"}
    # setting a field back to the machine value is no longer a correction
    r.decide(alleg.id, "correct", by="Ana", changes={"act": "execution_of_pows", "accused": "Armenia"})  # type: ignore[attr-defined]
    item = next(i for i in review_view(led, "allegation") if i.record.id == alleg.id)  # type: ignore[attr-defined]
    assert item.status == "confirmed"


def test_log_is_append_only(led: Ledger) -> None:
    alleg = _by_type(led, "allegation")[0]
    Reviewer(led).decide(alleg.id, "confirm", by="Ana")  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        led.conn.execute("UPDATE review_log SET analyst = 'Mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        led.conn.execute("DELETE FROM review_log")


@pytest.mark.parametrize(
    ("type_", "changes", "message"),
    [
        ("allegation", {"act": "not_an_act"}, "unknown act 'not_an_act'"),
        ("allegation", {"act": "tortur"}, "did you mean torture"),
        ("allegation", {"accused": "Narnia"}, "unknown actor 'Narnia'"),
        ("allegation", {"claimant": "Atlantis"}, "not in the actor dictionary"),
        ("allegation", {"stance": "maybe"}, "stance must be one of"),
        ("allegation", {"start": "3"}, "place in the text"),
        ("allegation", {"victims": "x"}, "set by the extractor"),
        ("allegation", {"colour": "red"}, "is not a field"),
        ("figure", {"value": "many"}, "must be a number"),
        ("figure", {"category": "dead"}, "category must be one of"),
        ("date", {"date": "4 Oct 2022"}, "date must be ISO"),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(type_: str, changes: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        validate_changes(type_, changes)


def test_actors_are_canonicalised_and_new_ones_need_a_flag() -> None:
    assert validate_changes("allegation", {"accused": "the Armenian side; Russian Federation"})["accused"] == [
        "Armenia", "Russia"]
    assert validate_changes("allegation", {"claimant": "Narnia"}, allow_new_actor=True)["claimant"] == "Narnia"
    assert validate_changes("date", {"date": "2022-10"})["precision"] == "month"


def test_refused_correction_changes_nothing(led: Ledger) -> None:
    alleg = _by_type(led, "allegation")[0]
    with pytest.raises(UsageError):
        Reviewer(led).decide(alleg.id, "correct", by="Ana", changes={"act": "not_an_act"})  # type: ignore[attr-defined]
    assert ReviewStore(led).log() == []
    with pytest.raises(NotFound):
        Reviewer(led).decide("abcdef0123", "confirm", by="Ana")


def test_added_record_stays_after_reextraction(led: Ledger) -> None:
    doc = _doc(led)
    start, end = _span("The ministry also accused Armenia of planting landmines")
    r = Reviewer(led)
    with pytest.raises(UsageError, match="needs --set claimant"):
        r.add(doc, "allegation", start, end, {"accused": "Armenia"}, by="Ana")
    with pytest.raises(UsageError, match="not inside the document"):
        r.add(doc, "allegation", start, len(TEXT) + 5, {"claimant": "Azerbaijan"}, by="Ana")
    item = r.add(doc, "allegation", start, end, {"claimant": "Azerbaijan", "accused": "Armenia", "act": "landmines"},
                 by="Ana", reason="missed by the extractor")
    assert item.status == "added" and item.record.text == TEXT[start:end]  # type: ignore[attr-defined]
    assert item.record.sentence == "The ministry also accused Armenia of planting landmines."
    led.replace_records(doc, "v2", machine_records(doc))  # type: ignore[arg-type]
    added = [i for i in review_view(led, "allegation") if i.status == "added"]
    assert [i.record.act for i in added] == ["landmines"]  # type: ignore[attr-defined]
    # decisions on an added record go to it too
    r.decide(item.record.id, "correct", by="Ben", changes={"stance": "call_to_investigate"})
    added = [i for i in review_view(led, "allegation") if i.status == "added"]
    assert added[0].record.stance == "call_to_investigate"  # type: ignore[attr-defined]


def test_every_export_format_carries_status_and_reviewer(led: Ledger, tmp_path: Path) -> None:
    alleg = _by_type(led, "allegation", stance="assert")[0]
    Reviewer(led).decide(alleg.id, "correct", by="Ana", changes={"act": "torture"}, reason="r1")  # type: ignore[attr-defined]
    out = tmp_path / "x.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        write_jsonl(led, fh)
    objects = [json.loads(line) for line in out.read_text().splitlines()]
    rec = next(o for o in objects if o.get("id") == alleg.id)  # type: ignore[attr-defined]
    assert (rec["status"], rec["reviewed_by"], rec["act"], rec["reason"]) == ("corrected", "Ana", "torture", "r1")
    assert rec["original"] == {"act": "execution_of_pows"}
    machine = next(o for o in objects if o["type"] == "figure")
    assert machine["status"] == "machine" and machine["reviewed_by"] is None
    assert [o["action"] for o in objects if o["type"] == "review_decision"] == ["correct"]
    for fmt in ("csv", "parquet"):
        write_tables(led, tmp_path / fmt, fmt)
    with (tmp_path / "csv" / "allegation.csv").open(encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows[alleg.id]["status"] == "corrected" and rows[alleg.id]["reviewed_by"] == "Ana"  # type: ignore[attr-defined]
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "parquet" / "allegation.parquet").to_pylist()
    row = next(r for r in table if r["id"] == alleg.id)  # type: ignore[attr-defined]
    assert (row["status"], row["reviewed_by"], row["act"]) == ("corrected", "Ana", "torture")
    assert (tmp_path / "parquet" / "review_decision.parquet").exists()


def test_old_ledger_opened_read_only_has_no_reviews(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Ledger(path) as ledger:
        ledger.conn.execute("DROP TABLE review_log")
        ledger.conn.execute("DROP TABLE review_subjects")
        ledger.conn.execute("DELETE FROM schema_versions WHERE component = 'review'")
        ledger.conn.commit()
    with Ledger(path, readonly=True) as ledger:
        assert review_view(ledger) == []
        with pytest.raises(UsageError, match="read-only"):
            Reviewer(ledger)


def test_review_fields_and_log_objects_are_documented(led: Ledger) -> None:
    """docs/records.md lists every field the reviewed view and the exported audit log add (the export contract)."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "records.md").read_text("utf-8")
    fig = _by_type(led, "figure")[0]
    alleg = _by_type(led, "allegation", stance="assert")[0]
    r = Reviewer(led)
    r.decide(alleg.id, "correct", by="Ana", changes={"act": "torture"}, reason="why")  # type: ignore[attr-defined]
    r.decide(fig.id, "confirm", by="Ana")  # type: ignore[attr-defined]
    doc = _doc(led)
    led.replace_records(doc, "v2", machine_records(doc, act="war_crime", drop_figure=True))  # type: ignore[arg-type]
    objects = list(iter_export(led))
    review_keys = {"status", "reviewed_by", "reviewed_at", "reason", "original", "orphaned"}
    seen = {k for o in objects if "status" in o for k in o} & review_keys
    assert seen == review_keys
    for key in review_keys:
        assert f"`{key}`" in docs.split("## Review fields")[1].split("\n## ")[0], key
    log = [o for o in objects if o["type"] == "review_decision"]
    assert [o["action"] for o in log] == ["correct", "confirm", "reattach", "orphan"]
    section = docs.split("## review_decision")[1].split("\n## ")[0]
    for key in log[0]:
        if key not in ("type", "doc_id"):
            assert f"`{key}`" in section, key
    assert "`doc_id`" in section


def test_two_analysts_deciding_at_once_both_count(led: Ledger) -> None:
    """Ana's first decision lands while Ben's is being made on the same machine record: Ben's goes on top of it."""
    alleg = _by_type(led, "allegation", stance="assert")[0]
    ana, ben = Reviewer(led), Reviewer(led)
    original = ben.resolve

    def stale(record_id: str):  # type: ignore[no-untyped-def]
        record, subject = original(record_id)
        if subject is None and not getattr(stale, "raced", False):
            stale.raced = True  # type: ignore[attr-defined]
            ana.decide(record_id, "correct", by="Ana", changes={"act": "torture"})
        return record, subject

    ben.resolve = stale  # type: ignore[method-assign]
    item = ben.decide(alleg.id, "reject", by="Ben", reason="not a claim")  # type: ignore[attr-defined]
    assert item.status == "rejected" and item.subject and item.subject.changes == {"act": "torture"}
    assert [(e["analyst"], e["action"]) for e in ReviewStore(led).log()] == [("Ana", "correct"), ("Ben", "reject")]
