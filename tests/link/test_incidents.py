from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counterclaim.link.incidents import (
    build_mentions,
    describe,
    group_mentions,
    interval,
    place_in,
    time_label,
)
from counterclaim.link.reconcile import bounds, compare_figures, verdict
from counterclaim.records import ActorMention, Allegation, DateMention, Figure, Quote, Record

S1 = "Russian troops killed at least 410 civilians in Bucha in March 2022, the prosecutor said."
S2 = "Ukraine says 458 bodies were found in Bucha after Russian forces withdrew at the end of March 2022."
S3 = "A missile strike on the railway station in Kramatorsk on 8 April 2022 killed 61 people."
S4 = "Mines left by the retreating forces have killed up to 250 people since 2020."
S5 = "Since the end of the war in 2020, landmines have killed 250 civilians, the ministry said."



def _records() -> list[Record]:
    recs: list[Record] = []
    a = dict(doc="docA", sentence=S1)
    recs += [
        Allegation(**a, start=0, end=30, claimant="Ukraine", accused=["Russia"], act="killing_of_civilians"),
        Figure(**a, start=37, end=40, value=410, value_text="at least 410", qualifier="at_least", category="killed",
               subject="civilians"),
        DateMention(**a, start=53, end=63, date="2022-03", precision="month", text="March 2022"),
        ActorMention(**a, start=0, end=7, actor="Russia", text="Russian"),
    ]
    b = dict(doc="docB", sentence=S2)
    recs += [
        Figure(**b, start=12, end=15, value=458, value_text="458", category="killed", subject="people"),
        DateMention(**b, start=84, end=94, date="2022-03", precision="month", text="March 2022"),
    ]
    c = dict(doc="docB", sentence=S3)
    recs += [
        Allegation(**c, start=0, end=40, claimant="Ukraine", accused=["Russia"], act="attack_on_civilians",
                   place="Kramatorsk"),
        Figure(**c, start=60, end=62, value=61, value_text="61", category="killed", subject="people"),
        DateMention(**c, start=50, end=62, date="2022-04-08", precision="day", text="8 April 2022"),
    ]
    d = dict(doc="docC", sentence=S4)
    recs += [
        Allegation(**d, start=0, end=40, claimant="X", accused=["Y"], act="landmines"),
        Figure(**d, start=50, end=60, value=250, value_text="up to 250", qualifier="up_to", category="killed",
               subject="people"),
        DateMention(**d, start=80, end=84, date="2020", precision="year", text="2020"),
    ]
    e = dict(doc="docD", sentence=S5)
    recs += [
        Allegation(**e, start=30, end=60, claimant="X", accused=["Y"], act="landmines"),
        Figure(**e, start=50, end=53, value=250, value_text="250", category="killed", subject="civilians"),
        DateMention(**e, start=30, end=34, date="2020", precision="year", text="2020"),
        Quote(**e, start=0, end=len(S5), speaker="ministry", text=S5),
    ]
    return recs


def test_mentions_read_place_time_and_acts() -> None:
    ms = {m.sentence: m for m in build_mentions(_records())}
    assert ms[S1].place == "Bucha" and ms[S1].start == "2022-03-01" and ms[S1].end == "2022-03-31"
    assert ms[S3].place == "Kramatorsk"
    assert ms[S5].end == "9999-12-31"  # "since ... 2020" is open-ended
    assert "landmines" in ms[S4].families


def test_incidents_group_same_event_across_documents_only() -> None:
    groups = group_mentions(build_mentions(_records()))
    by_sentences = sorted(sorted(m.sentence[:12] for m in g) for g in groups)
    assert sorted([S1[:12], S2[:12]]) in by_sentences  # Bucha in two documents
    assert [S3[:12]] in by_sentences  # Kramatorsk is another event, though the same document as S2
    assert sorted([S4[:12], S5[:12]]) in by_sentences  # landmine deaths since 2020


def test_incident_label_records_and_comparison() -> None:
    recs = _records()
    quotes = [r for r in recs if isinstance(r, Quote)]
    groups = group_mentions(build_mentions(recs))
    mines = next(g for g in groups if any(m.sentence == S5 for m in g))
    inc = describe(mines, quotes)
    assert inc["label"] == "Landmine casualties since 2020"
    assert inc["docs"] == ["docC", "docD"]
    assert {r["type"] for r in inc["records"]} >= {"allegation", "figure", "quote"}
    (comp,) = compare_figures(inc["id"], inc["figures"])
    assert comp["category"] == "killed" and comp["verdict"] == "compatible"
    assert {v["value_text"] for v in comp["values"]} == {"up to 250", "250"}
    bucha = describe(next(g for g in groups if any(m.sentence == S1 for m in g)))
    assert bucha["label"] == "Bucha, Mar 2022"
    (comp,) = compare_figures(bucha["id"], bucha["figures"])
    assert comp["verdict"] == "compatible"  # "at least 410" and 458


def test_verdicts() -> None:
    assert verdict([(250, "exact"), (250, "exact")], 2) == "agree"
    assert verdict([(250, "up_to"), (250, "exact")], 2) == "compatible"
    assert verdict([(613, "exact"), (600, "exact")], 2) == "differ"
    assert verdict([(600, "approx"), (613, "exact")], 2) == "compatible"
    assert verdict([(40, "more_than"), (40, "exact")], 2) == "differ"
    assert verdict([(5, "exact")], 1) == "single_source"


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


def test_place_skips_actors_and_months() -> None:
    assert place_in("Shelling in March hit homes in Kherson.", set()) == "Kherson"
    assert place_in("Civilians were killed in Azerbaijan.", {"azerbaijan"}) is None


@given(st.floats(min_value=0, max_value=1e6), st.sampled_from(["exact", "approx", "up_to", "at_least",
                                                                "more_than", "less_than"]))
def test_every_value_is_compatible_with_itself(value: float, qualifier: str) -> None:
    low, high = bounds(value, qualifier)
    assert low <= high or qualifier == "less_than" and value == 0
    assert verdict([(value, qualifier), (value, qualifier)], 2) == "agree"
