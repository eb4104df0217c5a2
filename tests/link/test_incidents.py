"""Incidents as events: places resolved on the gazetteer, event times, copies as one source, analysts' decisions.

The ledgers here hold records placed on the real texts' spans (as the extractor stores them), from several
conflicts at once; lineage runs for real (lexical alignment), the gazetteer is the shipped one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterclaim.link.cluster import decide, update_incidents
from counterclaim.link.gazetteer import gazetteer
from counterclaim.link.incidents import interval, time_label
from counterclaim.link.places import event_place_names, is_background, is_event_place, resolve
from counterclaim.link.reconcile import bounds, compare_figures, verdict
from counterclaim.link.update import update_links
from counterclaim.records import ActorMention, Allegation, DateMention, Figure, Record
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore

# -- place resolution ---------------------------------------------------------------------------------------------


def test_places_resolve_on_the_gazetteer_with_the_documents_countries() -> None:
    gaz = gazetteer()
    bucha = resolve("Bucha", ["UA"], gaz)
    assert bucha and (bucha.country, bucha.feature) == ("UA", "P") and bucha.lat and 50 < bucha.lat < 51
    moura = resolve("Moura", ["ML"], gaz)  # Moura in Portugal is in the gazetteer; this document is about Mali
    assert moura and (moura.country, moura.feature, moura.name) == ("ML", "U", "Moura")
    rann = resolve("Rann", ["NG"], gaz)  # an alternate name of Brežice (Slovenia), and a Nigerian town
    assert rann and rann.country == "NG"
    assert resolve("Sudan", [], gaz).feature == "A"  # type: ignore[union-attr]
    assert resolve("Israeli", ["IL"], gaz) is None  # an adjective is no place
    tigray = resolve("Tigray", [], gaz)
    assert tigray and (tigray.country, tigray.feature) == ("ET", "R")
    kherson = resolve("Kherson", ["UA"], gaz, "Shelling hit the Kherson region overnight.")
    assert kherson and kherson.feature == "R" and kherson.admin1


def test_datelines_seats_adjectives_and_metonyms_are_not_event_places() -> None:
    gaz = gazetteer()
    line = "GENEVA (12 April 2023) – At least 50 people were killed in an airstrike on Pazigyi village."
    assert not is_event_place(line, 0, "GENEVA", gaz)
    names = event_place_names(line, ["GENEVA"], _cue(), gaz, set())
    assert names == ["Pazigyi"]
    told = "The spokesperson told reporters in Geneva that 30 civilians were killed in Sarmada."
    assert event_place_names(told, [], _cue(), gaz, set()) == ["Sarmada"]
    based = "The London-based Syrian Observatory said 28 people were killed in the camp."
    assert not is_event_place(based, based.index("London"), "London", gaz)
    metonym = "Moscow said Ukrainian forces shelled the market, killing 25 people in Donetsk."
    assert event_place_names(metonym, ["Moscow"], _cue(), gaz, set()) == ["Donetsk"]
    assert event_place_names("A missile hit a residential block in Kyiv.", [], _cue(), gaz, set()) == ["Kyiv"]


def test_background_dates() -> None:
    assert is_background("Since the attacks of 7 October, 1,200 people were killed.", "7 October")
    assert is_background("Mines have killed 250 people since the end of the 44-day war in 2020.", "2020")
    assert is_background("On the anniversary of the massacre of 1992, 613 victims were remembered.", "1992")
    assert not is_background("A strike on 30 December 2023 killed 25 people in Belgorod.", "30 December 2023")


def _cue():  # the incidents module's place-cue pattern
    from counterclaim.link.incidents import _place_re

    return _place_re()


# -- a ledger with several conflicts ------------------------------------------------------------------------------

GAZA = ("An Israeli airstrike on a residential block in Jabalia on 31 October 2023 killed 106 people, "
        "the Gaza health ministry said.")
GAZA_NEWS = "Gaza ministry: strike kills 106 in Jabalia\n\n" + GAZA + (
    " Israel said it had targeted a Hamas commander in the building. Rescue teams searched the rubble through the"
    " night with their bare hands while families waited outside the hospital for news.")
GAZA_COPY = GAZA_NEWS.replace("Rescue teams", "Rescuers") + " The army did not comment on the toll."
GAZA_OTHER = ("Civil defence: 300 dead after the strike\n\nAt least 300 people were killed when Israeli jets struck "
              "homes in Jabalia on 31 October 2023, the civil defence agency said, accusing Israel of a massacre.")
GENEINA = ("Sudan: mass killings in El Geneina\n\nThe Rapid Support Forces killed at least 1,000 civilians in "
           "El Geneina in June 2023, the UN human rights office said.")
BELGOROD_1 = ("Russia: strike on Belgorod\n\nA Ukrainian strike on the centre of Belgorod on 30 December 2023 killed "
              "25 people, the Russian defence ministry said.")
BELGOROD_2 = ("Belgorod shelled again\n\nShelling of Belgorod on 30 December 2024 killed 5 people, the regional "
              "governor said, accusing Ukraine.")
BELGOROD_2_COPY = BELGOROD_2.replace("Shelling of", "The shelling of") + " Schools were closed."
BELGOROD_TASS = ("TASS: toll rises\n\nEmergency services now count 14 killed after the artillery barrage on "
                 "Belgorod on 30 December 2024, TASS reported, blaming Ukraine. Windows were blown out across "
                 "three districts and power lines were cut, according to the mayor's office.")
BACKGROUND_1 = ("Remembrance\n\nSince the attacks of 7 October 2023, the ministry said, 1,200 people have been "
                "killed by Hamas.")
BACKGROUND_2 = ("Statement\n\nOn the anniversary of the attacks of 7 October 2023, officials recalled that 1,200 people "
                "were killed by Hamas.")


def _records(doc: str, text: str, *, claimant: str, accused: str, act: str, figures: Sequence[tuple[str, str]],
             dates: Sequence[tuple[str, str, str]], states: Sequence[tuple[str, str]], place: str | None = None,
             ) -> list[Record]:
    """Records as the extractor stores them: exact spans in ``text``, each with its sentence."""
    body = text.index("\n\n") + 2  # after the title

    def sentence_of(at: int) -> tuple[int, str]:
        start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1, 0)
        ends = [e + 1 for e in (text.find(". ", at), text.find("\n", at)) if e >= 0]
        end = min(ends) if ends else len(text)
        return start, text[start:end]

    recs: list[Record] = []
    first = text.index(figures[0][0], body)
    s_start, sentence = sentence_of(first)
    recs.append(Allegation(doc=doc, start=s_start, end=s_start + len(sentence), sentence=sentence, claimant=claimant,
                           accused=[accused], act=act, place=place, text=sentence))
    for value_text, category in figures:
        at = text.index(value_text, body)
        value = float(value_text.replace(",", "").split()[-1])
        recs.append(Figure(doc=doc, start=at, end=at + len(value_text), sentence=sentence_of(at)[1], value=value,
                           value_text=value_text, qualifier="at_least" if "least" in value_text else "exact",
                           category=category, subject="people"))
    for written, iso, precision in dates:
        at = text.index(written, body)
        recs.append(DateMention(doc=doc, start=at, end=at + len(written), sentence=sentence_of(at)[1], date=iso,
                                precision=precision, text=written))
    for written, state in states:
        at = text.index(written)
        recs.append(ActorMention(doc=doc, start=at, end=at + len(written), sentence=sentence_of(at)[1], actor=state,
                                 text=written))
    return recs


CORPUS: dict[str, tuple[str, dict]] = {
    "gaza": (GAZA_NEWS, dict(claimant="Gaza health ministry", accused="Israel", act="attack_on_civilians",
                             figures=[("106", "killed")], dates=[("31 October 2023", "2023-10-31", "day")],
                             states=[("Israeli", "Israel"), ("Israel", "Israel")])),
    "gaza_copy": (GAZA_COPY, dict(claimant="Gaza health ministry", accused="Israel", act="attack_on_civilians",
                                  figures=[("106", "killed")], dates=[("31 October 2023", "2023-10-31", "day")],
                                  states=[("Israeli", "Israel"), ("Israel", "Israel")])),
    "gaza_other": (GAZA_OTHER, dict(claimant="civil defence agency", accused="Israel", act="killing_of_civilians",
                                    figures=[("At least 300", "killed")],
                                    dates=[("31 October 2023", "2023-10-31", "day")],
                                    states=[("Israeli", "Israel"), ("Israel", "Israel")])),
    "geneina": (GENEINA, dict(claimant="UN human rights office", accused="Rapid Support Forces",
                              act="killing_of_civilians", figures=[("at least 1,000", "killed")],
                              dates=[("June 2023", "2023-06", "month")], states=[("Sudan", "Sudan")])),
    "belgorod_1": (BELGOROD_1, dict(claimant="Russia", accused="Ukraine", act="attack_on_civilians",
                                    figures=[("25", "killed")], dates=[("30 December 2023", "2023-12-30", "day")],
                                    states=[("Ukrainian", "Ukraine"), ("Russian", "Russia")])),
    "belgorod_2": (BELGOROD_2, dict(claimant="regional governor", accused="Ukraine", act="attack_on_civilians",
                                    figures=[("5", "killed")], dates=[("30 December 2024", "2024-12-30", "day")],
                                    states=[("Ukraine", "Ukraine")])),
    "belgorod_2_copy": (BELGOROD_2_COPY, dict(claimant="regional governor", accused="Ukraine",
                                              act="attack_on_civilians", figures=[("5", "killed")],
                                              dates=[("30 December 2024", "2024-12-30", "day")],
                                              states=[("Ukraine", "Ukraine")])),
    "belgorod_tass": (BELGOROD_TASS, dict(claimant="TASS", accused="Ukraine", act="attack_on_civilians",
                                          figures=[("14", "killed")], dates=[("30 December 2024", "2024-12-30", "day")],
                                          states=[("Ukraine", "Ukraine")])),
    "background_1": (BACKGROUND_1, dict(claimant="ministry", accused="Hamas", act="killing_of_civilians",
                                        figures=[("1,200", "killed")], dates=[("7 October 2023", "2023-10-07", "day")],
                                        states=[])),
    "background_2": (BACKGROUND_2, dict(claimant="officials", accused="Hamas", act="killing_of_civilians",
                                        figures=[("1,200", "killed")], dates=[("7 October 2023", "2023-10-07", "day")],
                                        states=[])),
}
PUBLISHED = {"gaza": "2023-10-31", "gaza_copy": "2023-11-01", "belgorod_2": "2024-12-30",
             "belgorod_2_copy": "2024-12-31"}
CONFLICT: dict[str, str] = {"gaza": "gaza", "gaza_copy": "gaza", "gaza_other": "gaza", "geneina": "sudan", "belgorod_1": "belgorod-2023",
            "belgorod_2": "belgorod-2024", "belgorod_2_copy": "belgorod-2024", "belgorod_tass": "belgorod-2024",
            "background_1": "background", "background_2": "background"}


@pytest.fixture
def corpus(ledger: Ledger, add: Callable[..., str]) -> tuple[Ledger, dict[str, str]]:
    ids = {}
    for name, (text, spec) in CORPUS.items():
        from counterclaim.ingest.clean import normalise

        doc = add(text, name, PUBLISHED.get(name))
        ids[name] = doc
        ledger.replace_records(doc, "t", _records(doc, normalise(text), **spec))
    update_links(ledger, use_embeddings=False)
    return ledger, ids


def _named(ledger: Ledger, ids: dict[str, str]) -> list[tuple[dict, set[str]]]:
    names = {v: k for k, v in ids.items()}
    return [(inc, {names[d] for d in inc["docs"]}) for inc in LinkStore(ledger).incidents()]


def test_no_incident_joins_two_conflicts_and_a_year_apart_stays_apart(corpus: tuple[Ledger, dict[str, str]]) -> None:
    ledger, ids = corpus
    incidents = _named(ledger, ids)
    assert incidents
    for inc, docs in incidents:
        assert len({CONFLICT[d] for d in docs}) == 1, (inc["label"], docs)
    by_doc = {d: inc for inc, docs in incidents for d in docs}
    assert by_doc["gaza"]["id"] == by_doc["gaza_other"]["id"] == by_doc["gaza_copy"]["id"]
    assert by_doc["gaza"]["place"] == "Jabalia" and by_doc["gaza"]["country"] == "PS"
    assert by_doc["gaza"]["lat"] and 31 < by_doc["gaza"]["lat"] < 32
    assert by_doc["belgorod_2"]["id"] == by_doc["belgorod_tass"]["id"]
    assert "belgorod_1" not in by_doc or by_doc["belgorod_1"]["id"] != by_doc["belgorod_2"]["id"]


def test_a_background_date_makes_no_incident(corpus: tuple[Ledger, dict[str, str]]) -> None:
    ledger, ids = corpus
    assert not [docs for _, docs in _named(ledger, ids) if docs & {"background_1", "background_2"}]


def test_copies_are_one_source_and_the_verdict_counts_independent_sources(
        corpus: tuple[Ledger, dict[str, str]]) -> None:
    ledger, ids = corpus
    store = LinkStore(ledger)
    by_doc = {d: inc for inc, docs in _named(ledger, ids) for d in docs}
    gaza = by_doc["gaza"]
    assert gaza["sources"] == 2 and len(gaza["docs"]) == 3
    (killed,) = [c for c in store.comparisons(gaza["id"]) if c["category"] == "killed"]
    assert killed["verdict"] == "differ"  # 106 (the ministry, and its copy) against at least 300
    copy = next(v for v in killed["values"] if v["doc"] == ids["gaza_copy"])
    assert copy["copy_of"] == ids["gaza"] and copy["source"] == ids["gaza"]
    original = next(v for v in killed["values"] if v["doc"] == ids["gaza"])
    assert original["claimant"] == "Gaza health ministry" and original["title"] == "gaza"
    assert "Jabalia" in original["sentence"]
    belgorod = by_doc["belgorod_2"]
    (killed,) = [c for c in store.comparisons(belgorod["id"]) if c["category"] == "killed"]
    assert {v["value"] for v in killed["values"]} == {5, 14}  # TASS's 14 is not left out
    assert killed["verdict"] == "differ"  # and the two 5s are one source: not "agree"


def test_incremental_update_reads_only_new_documents(corpus: tuple[Ledger, dict[str, str]],
                                                     add: Callable[..., str]) -> None:
    ledger, ids = corpus
    before = {inc["id"]: inc["docs"] for inc, _ in _named(ledger, ids)}
    assert update_links(ledger, use_embeddings=False).incidents is None  # nothing changed, nothing regrouped
    text = ("Strike on Jabalia\n\nThe strike on Jabalia on 31 October 2023 killed 110 people, a hospital director "
            "said, blaming Israel.")
    doc = add(text, "gaza_hospital")
    ledger.replace_records(doc, "t", _records(
        doc, text, claimant="hospital director", accused="Israel", act="attack_on_civilians",
        figures=[("110", "killed")], dates=[("31 October 2023", "2023-10-31", "day")], states=[("Israel", "Israel")]))
    report = update_incidents(ledger)
    assert report.documents == 1 and not report.reset
    after = {inc["id"]: inc["docs"] for inc, _ in _named(ledger, {**ids, "gaza_hospital": doc})}
    gaza = next(i for i, docs in after.items() if doc in docs)
    assert ids["gaza"] in after[gaza]
    assert {i: d for i, d in after.items() if i != gaza} == {i: d for i, d in before.items() if ids["gaza"] not in d}
    full = update_incidents(ledger, full=True)
    assert full.reset and {i: sorted(d) for i, d in after.items()} == {
        inc["id"]: sorted(inc["docs"]) for inc in LinkStore(ledger).incidents()}


def test_analyst_decisions_survive_reanalysis(corpus: tuple[Ledger, dict[str, str]]) -> None:
    ledger, ids = corpus
    store = LinkStore(ledger)
    by_doc = {d: inc for inc, docs in _named(ledger, ids) for d in docs}
    gaza, belgorod = by_doc["gaza"], by_doc["belgorod_2"]
    decide(ledger, "rename", gaza["id"], new_label="Jabalia block strike")
    decide(ledger, "move_out", belgorod["id"], docs=[ids["belgorod_tass"]])
    for _ in range(2):  # survives a re-run and a full rebuild
        update_incidents(ledger, full=True)
        labels = {i["label"]: i for i in store.incidents()}
        assert "Jabalia block strike" in labels
        assert labels["Jabalia block strike"]["decided"]
        moved = next(i for i in store.incidents() if ids["belgorod_2"] in i["docs"])
        assert ids["belgorod_tass"] not in moved["docs"]
    decide(ledger, "move_in", moved["id"], docs=[ids["belgorod_tass"]])
    assert ids["belgorod_tass"] in store.get_incident(moved["id"])["docs"]
    with pytest.raises(Exception, match="cannot lose every document"):
        decide(ledger, "move_out", moved["id"], docs=moved["docs"] + [ids["belgorod_tass"]])


def test_merge_and_split(corpus: tuple[Ledger, dict[str, str]]) -> None:
    ledger, ids = corpus
    store = LinkStore(ledger)
    by_doc = {d: inc for inc, docs in _named(ledger, ids) for d in docs}
    gaza = by_doc["gaza"]
    decide(ledger, "split", gaza["id"], docs=[ids["gaza_other"]])
    update_incidents(ledger, full=True)
    after = {d: inc["id"] for inc in store.incidents() for d in inc["docs"]}
    assert after[ids["gaza"]] != after[ids["gaza_other"]]
    decide(ledger, "merge", after[ids["gaza"]], others=[after[ids["gaza_other"]]])
    update_incidents(ledger, full=True)
    after = {d: inc["id"] for inc in store.incidents() for d in inc["docs"]}
    assert after[ids["gaza"]] == after[ids["gaza_other"]]


def test_export_carries_coordinates_and_decisions(corpus: tuple[Ledger, dict[str, str]], tmp_path: Path) -> None:
    import io
    import json

    from counterclaim.export import write_jsonl

    ledger, ids = corpus
    by_doc = {d: inc for inc, docs in _named(ledger, ids) for d in docs}
    decide(ledger, "rename", by_doc["gaza"]["id"], new_label="Jabalia")
    buf = io.StringIO()
    write_jsonl(ledger, buf)
    incs = [json.loads(x) for x in buf.getvalue().splitlines() if '"type": "incident"' in x]
    jab = next(i for i in incs if i["label"] == "Jabalia")
    assert 31 < jab["lat"] < 32 and 34 < jab["lon"] < 35 and jab["country"] == "PS" and jab["sources"] == 2
    assert jab["analyst_decisions"][0]["action"] == "rename"


# -- small pure functions ----------------------------------------------------------------------------------------


def test_verdicts() -> None:
    assert verdict([(250, "exact"), (250, "exact")], 2) == "agree"
    assert verdict([(250, "up_to"), (250, "exact")], 2) == "compatible"
    assert verdict([(613, "exact"), (600, "exact")], 2) == "differ"
    assert verdict([(600, "approx"), (613, "exact")], 2) == "compatible"
    assert verdict([(40, "more_than"), (40, "exact")], 2) == "differ"
    assert verdict([(5, "exact")], 1) == "single_source"


def test_copies_count_once_in_comparisons() -> None:
    figs = [Figure(doc="a", start=0, end=1, value=5, category="killed"),
            Figure(doc="a2", start=0, end=1, value=5, category="killed"),
            Figure(doc="t", start=0, end=2, value=14, category="killed")]
    (c,) = compare_figures("i", figs[:2], {"a": "a", "a2": "a"})
    assert c["verdict"] == "single_source" and c["sources"] == 1 and c["documents"] == 2
    (c,) = compare_figures("i", figs, {"a": "a", "a2": "a", "t": "t"})
    assert c["verdict"] == "differ" and c["sources"] == 2


def test_subgroup_figures_are_compared_apart_from_totals() -> None:
    figs = [
        Figure(doc="a", start=0, end=3, value=613, category="killed", subject="people"),
        Figure(doc="b", start=0, end=3, value=613, category="killed", subject="civilians"),
        Figure(doc="b", start=10, end=12, value=63, category="killed", subject="children"),
        Figure(doc="a", start=10, end=12, value=63, category="killed", subject="children", parent="x"),
    ]
    comps = {c["category"]: c["verdict"] for c in compare_figures("i", figs)}
    assert comps == {"killed": "agree", "killed:children": "single_source"}


def test_time_labels() -> None:
    assert time_label("1992-02-25", "1992-02-26") == "25–26 Feb 1992"
    assert time_label("2022-09-01", "2022-09-30") == "Sep 2022"
    assert time_label("2020-11-10", "9999-12-31") == "since 10 Nov 2020"
    assert time_label(*interval("2020")) == "2020"


@given(st.floats(min_value=0, max_value=1e6), st.sampled_from(["exact", "approx", "up_to", "at_least",
                                                                "more_than", "less_than"]))
def test_every_value_is_compatible_with_itself(value: float, qualifier: str) -> None:
    low, high = bounds(value, qualifier)
    assert low <= high or qualifier == "less_than" and value == 0
    assert verdict([(value, qualifier), (value, qualifier)], 2) == "agree"
