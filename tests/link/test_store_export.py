from __future__ import annotations

import io
import json
from collections.abc import Callable

from counterclaim.export import write_jsonl
from counterclaim.link.update import update_links
from counterclaim.records import Allegation, DateMention, Figure
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

from .texts import ORIGINAL, REWRITE

MINES_A = "Landmines planted by the retreating forces have killed up to 250 people since 2020."
MINES_B = "Since 2020, landmines have killed 250 people, the ministry stated."


def _mines(doc: str, sentence: str, value_text: str, qualifier: str) -> list:
    at = sentence.index("250")
    y = sentence.index("2020")
    return [
        Allegation(doc=doc, start=0, end=len(sentence), sentence=sentence, claimant="X", accused=["Y"],
                   act="landmines"),
        Figure(doc=doc, start=at, end=at + 3, sentence=sentence, value=250, value_text=value_text,
               qualifier=qualifier, category="killed", subject="people"),
        DateMention(doc=doc, start=y, end=y + 4, sentence=sentence, date="2020", precision="year", text="2020"),
    ]


def test_incidents_recomputed_when_records_change_and_exported(ledger: Ledger, add: Callable[..., str]) -> None:
    a = add(ORIGINAL + " " + MINES_A, "a", "2024-05-12")
    b = add(REWRITE + " " + MINES_B, "b", "2024-05-13")
    first = update_links(ledger, use_embeddings=False)
    assert first.incidents == 0
    ledger.replace_records(a, "t", _mines(a, MINES_A, "up to 250", "up_to"))
    ledger.replace_records(b, "t", _mines(b, MINES_B, "250", "exact"))
    second = update_links(ledger, use_embeddings=False)
    assert second.documents == 0 and second.incidents == 1
    assert update_links(ledger, use_embeddings=False).incidents is None  # nothing changed: nothing rebuilt
    store = LinkStore(ledger)
    (inc,) = store.incidents()
    assert inc["docs"] == sorted([a, b]) and inc["label"] == "Landmine casualties since 2020"
    assert store.get_incident("landmine")["id"] == inc["id"]
    buf = io.StringIO()
    write_jsonl(ledger, buf)
    objs = [json.loads(line) for line in buf.getvalue().splitlines()]
    (link,) = [o for o in objs if o["type"] == "link"]
    assert {link["doc"], link["other"]} == {a, b} and link["kind"] == "rewrite" and 0 < link["share"] <= 1
    (incident,) = [o for o in objs if o["type"] == "incident"]
    assert {"id", "label", "place", "start", "end", "acts", "docs"} <= incident.keys()
    (comp,) = [o for o in objs if o["type"] == "comparison"]
    # the two documents are a statement and its rewrite: one source, whatever their figures (issue 13)
    assert comp["incident"] == incident["id"] and comp["verdict"] == "single_source"
    assert {v["source"] for v in comp["values"]} == {link["other"]} and incident["sources"] == 1
    assert {(v["doc"], v["qualifier"]) for v in comp["values"]} == {(a, "up_to"), (b, "exact")}
    assert all({"doc", "value", "qualifier", "figure"} <= v.keys() for v in comp["values"])
