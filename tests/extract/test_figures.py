"""Figure extraction: values, qualifiers, categories, subjects, breakdowns and what is not a figure.

The texts are short passages in the style of statements and reports from several conflicts (tests/cases/ holds
longer ones); the expectations are written by hand from reading them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.extract.context import Context, DocInput
from counterclaim.extract.dates import find_dates
from counterclaim.extract.figures import find_figures
from counterclaim.extract.numbers import find_numbers, parse_words
from counterclaim.records import Figure

CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    from counterclaim.nlp.pipeline import load_model

    return load_model()


def figures(model, text: str, published: str | None = None) -> list[Figure]:  # type: ignore[no-untyped-def]
    doc = model(text)
    ctx = Context(DocInput(id="t", text=text, published=published))
    ctx.dates = find_dates(doc, ctx)
    return find_figures(doc, ctx)


def keys(figs: list[Figure]) -> list[tuple[float, str, str]]:
    return [(f.value, f.qualifier, f.category) for f in figs]


def test_values_in_digits_and_words() -> None:
    nums = {n.text: n.value for n in find_numbers("613, 4,000, 1.5 million, $170m, a million, two hundred and fifty")}
    assert nums == {"613": 613, "4,000": 4000, "1.5 million": 1.5e6, "$170m": 1.7e8, "a million": 1e6,
                    "two hundred and fifty": 250}
    assert parse_words("forty-five thousand") == 45000
    assert find_numbers("dozens of people, hundreds of thousands of refugees, thousands fled") == []


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1000, max_value=999_999_999))
def test_grouped_digits_round_trip(n: int) -> None:
    text = f"officials said {n:,} people"
    found = find_numbers(text)
    assert [(x.value, x.text) for x in found] == [(n, f"{n:,}")]


def test_qualifiers_and_categories(model) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Shelling killed at least 12 civilians in Kharkiv. Nearly 300 people were wounded. "
        "Up to 40 residents remain missing. More than 1,000 men were detained. "
        "Fewer than 50 hostages were released. Some 2 million people fled their homes."
    )
    assert keys(figures(model, text)) == [
        (12, "at_least", "killed"), (300, "approx", "injured"), (40, "up_to", "missing"),
        (1000, "more_than", "detained"), (50, "less_than", "hostage"), (2e6, "approx", "displaced"),
    ]


def test_active_verbs_with_two_objects(model) -> None:  # type: ignore[no-untyped-def]
    text = "An airstrike on the market killed 40 children and wounded 56 people, the Red Cross said."
    figs = figures(model, text)
    assert keys(figs) == [(40, "exact", "killed"), (56, "exact", "injured")]
    assert [f.subject for f in figs] == ["children", "people"]


def test_breakdown_parts_get_parent_and_category(model) -> None:  # type: ignore[no-untyped-def]
    text = "The strike killed 46 people, including 6 children and 3 women, in Dnipro."
    figs = figures(model, text)
    whole, kids, women = figs
    assert keys(figs) == [(46, "exact", "killed"), (6, "exact", "killed"), (3, "exact", "killed")]
    assert whole.parent is None and kids.parent == whole.id and women.parent == whole.id
    assert (kids.subject, women.subject) == ("children", "women")
    assert whole.about == "Dnipro"
    assert text[whole.start:whole.end] == "46 people"


def test_breakdown_with_of_whom(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, "Israeli strikes killed 210 people, of whom 63 were children, in Khan Younis.")
    assert [(f.value, f.category, f.subject, f.parent == figs[0].id) for f in figs] == [
        (210, "killed", "people", False), (63, "killed", "children", True)]


def test_verb_after_a_breakdown_list(model) -> None:  # type: ignore[no-untyped-def]
    text = ("In the attack 900 people, including 70 children, 120 women were massacred, 40 families were wiped out, "
            "300 were injured, 200 were abducted and taken hostage.")
    assert [(f.value, f.category, f.parent is not None) for f in figures(model, text)] == [
        (900, "killed", False), (70, "killed", True), (120, "killed", True), (40, "killed", False),
        (300, "injured", False), (200, "hostage", False),
    ]


def test_nationalities_and_peoples_are_counted(model) -> None:  # type: ignore[no-untyped-def]
    text = "More than 700,000 Rohingya fled to Bangladesh, and 3,478 Palestinians have been killed."
    figs = figures(model, text)
    assert keys(figs) == [(700000, "more_than", "displaced"), (3478, "exact", "killed")]
    assert [f.subject for f in figs] == ["Rohingya", "Palestinians"]


def test_money_damage(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, "The damage to infrastructure already exceeds $138 billion, the ministry said.")
    assert keys(figs) == [(138e9, "more_than", "damage_usd")]
    assert keys(figures(model, "Occupation caused damage exceeding 170 million USD.")) == [
        (170e6, "more_than", "damage_usd")]


def test_ranges_give_the_lower_bound(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, "Between 10,000 and 15,000 people were killed in El Geneina.")
    assert keys(figs) == [(10000, "at_least", "killed")]
    assert figs[0].value_text == "10,000 and 15,000"


@pytest.mark.parametrize("text", [
    "The 44-day war of 2020 ended after 30 years of occupation.",
    "Forces occupied one fifth of the territory, nearly 20 percent of the country.",
    "Under Article 8 of the Rome Statute and resolution 2334 (2016), regiment No. 366 was named.",
    "More than 15 States adopted resolutions; 5,000 missiles and 3 hospitals were counted.",
    "A 14-year-old girl and a man aged 70 were seen at 10:30 on 3 May 2022, see p. 172.",
    "Dozens of people and hundreds of thousands of refugees; not a single person was punished.",
    "The talks on September 17 lasted 4 hours; one of the delegates left.",
])
def test_not_figures(model, text: str) -> None:  # type: ignore[no-untyped-def]
    assert figures(model, text) == []


def test_population_counts_are_other(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, "Before the war, 7,000 people lived in the town; 2.3 million people live in the enclave.")
    assert keys(figs) == [(7000, "exact", "other"), (2.3e6, "exact", "other")]


def read_case(name: str) -> str:
    return (CASES / name).read_text("utf-8")


def test_case_ukraine_statement(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, read_case("ukraine_mfa_statement.txt"), "2023-01-15")
    assert keys(figs) == [
        (46, "exact", "killed"), (6, "exact", "killed"), (80, "at_least", "injured"), (11, "exact", "missing"),
        (8e6, "more_than", "displaced"), (16000, "more_than", "deported"), (65000, "more_than", "other"),
        (138e9, "more_than", "damage_usd"),
    ]
    assert figs[1].parent == figs[0].id


def test_case_sudan_report(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, read_case("sudan_un_report.txt"))
    assert keys(figs) == [
        (10000, "at_least", "killed"), (500000, "more_than", "displaced"), (1100, "at_least", "missing"),
        (30, "exact", "missing"), (12, "exact", "killed"), (800, "exact", "injured"),
    ]
    assert figs[0].about == "El Geneina" and figs[3].parent == figs[2].id


def test_case_gaza_wire(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, read_case("gaza_wire_report.txt"), "2023-10-18")
    assert keys(figs) == [
        (471, "at_least", "killed"), (1400, "approx", "killed"), (200, "approx", "hostage"),
        (3478, "exact", "killed"), (12065, "exact", "injured"), (1e6, "approx", "displaced"),
        (2.3e6, "exact", "other"), (14, "exact", "killed"),
    ]


def test_case_myanmar_report(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, read_case("myanmar_ngo_report.txt"), "2022-08-25")
    assert keys(figs) == [
        (700000, "more_than", "displaced"), (6700, "at_least", "killed"), (730, "at_least", "killed"),
        (15000, "more_than", "detained"), (2000, "at_least", "killed"),
    ]
    assert figs[2].parent == figs[1].id and figs[1].subject == "Rohingya"


def test_case_yemen_syria(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, read_case("yemen_syria_press.txt"), "2018-08-10")
    assert keys(figs) == [
        (40, "exact", "killed"), (56, "exact", "injured"), (89, "at_least", "killed"), (33, "exact", "killed"),
        (500, "more_than", "injured"), (6.8e6, "more_than", "displaced"), (130000, "exact", "detained"),
        (388e9, "approx", "damage_usd"),
    ]


@pytest.mark.parametrize("text,expected", [
    ("The death toll rose to 45, officials said.", [(45, "exact", "killed")]),
    ("A dozen people were killed in Bakhmut.", [(12, "approx", "killed")]),
    ("Gaza: 20 killed in overnight strike on Rafah", [(20, "exact", "killed")]),
    ("The health ministry reported 34,000 deaths since October.", [(34000, "exact", "killed")]),
    ("Three civilians were killed and two were wounded in Kherson.", [(3, "exact", "killed"), (2, "exact", "injured")]),
    ("Some 250 hostages were taken to Gaza.", [(250, "approx", "hostage")]),
    ("More than 6,000 children were forcibly transferred to Russia.", [(6000, "more_than", "deported")]),
    ("Children under 18 were killed in the strike.", []),
    ("At least 30 people, most of them women and children, were killed in El Fasher.", [(30, "at_least", "killed")]),
    ("Over 100 journalists have been killed since the war began.", [(100, "more_than", "killed")]),
    ("In Gaza, 1.9 million people, or 85 percent of the population, have been displaced.",
     [(1.9e6, "exact", "displaced")]),
    ("At least 14 were killed and 60 others injured in a strike on Uman.",
     [(14, "at_least", "killed"), (60, "exact", "injured")]),
    ("The UN has verified 9,701 civilian deaths, including 560 children.",
     [(9701, "exact", "killed"), (560, "exact", "killed")]),
])
def test_wire_sentences(model, text: str, expected: list[tuple[float, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert keys(figures(model, text)) == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "killed", "at least", "12", "4,000", "people", "children", ",", ".", "including", "were", "injured", "in",
    "Kyiv", "2022", "March", "a million", "percent", "over", "hostage", "$5m", "damage", "one", "fifth", "of", "the",
]), min_size=1, max_size=30))
def test_any_text_gives_well_formed_figures(model, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(words)
    figs = figures(model, text)
    ids = {f.id for f in figs}
    for f in figs:
        assert 0 <= f.start < f.end <= len(text)
        assert f.value_text in text[f.start:f.end]
        assert f.category in ("killed", "injured", "missing", "detained", "hostage", "displaced", "deported",
                              "victims", "witnesses", "damage_usd", "other")
        assert f.parent is None or f.parent in ids


def test_about_is_the_place_of_the_sentence_or_carried_in_the_paragraph(model) -> None:  # type: ignore[no-untyped-def]
    text = ("Eritrean troops executed more than 200 men and boys in Axum. Some 120 people were arrested later.\n\n"
            "On 15 June 2023, 12 men were executed near the Ardamata camp.")
    assert [(f.value, f.about) for f in figures(model, text)] == [(200, "Axum"), (120, "Axum"), (12, "Ardamata")]


def test_previous_clause_predicate_is_not_borrowed(model) -> None:  # type: ignore[no-untyped-def]
    text = "Around 2.5 million people were displaced in Tigray, and 5.2 million need food aid."
    assert keys(figures(model, text)) == [(2.5e6, "approx", "displaced")]


def test_other_currencies_are_money_but_not_damage_usd(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, "Losses to the farm sector reached 50 billion hryvnias, the ministry said.")
    assert [(f.value, f.category, f.subject) for f in figs] == [(50e9, "other", "UAH")]


def test_parenthesised_breakdown_and_sibling_counts(model) -> None:  # type: ignore[no-untyped-def]
    text = ("The Mission documented the unlawful killing of 73 civilians (54 men, 16 women, 2 boys and 1 girl) in "
            "Bucha. Of those killed, 1,166 were women and 239 were children.")
    figs = figures(model, text)
    assert [(f.value, f.category, f.subject) for f in figs] == [
        (73, "killed", "civilians"), (54, "killed", "men"), (16, "killed", "women"), (2, "killed", "children"),
        (1, "killed", "children"), (1166, "killed", "women"), (239, "killed", "children"),
    ]
    assert all(f.parent == figs[0].id for f in figs[1:5]) and figs[0].about == "Bucha"


def test_case_tigray_wire(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, read_case("ethiopia_tigray_wire.txt"), "2023-11-05")
    assert keys(figs) == [
        (600, "at_least", "killed"), (2.5e6, "approx", "displaced"), (70000, "exact", "displaced"),
        (600000, "approx", "killed"), (200, "more_than", "killed"), (120, "approx", "detained"),
        (3, "exact", "detained"),
    ]
    assert [f.about for f in figs][:2] == ["Mai Kadra", "Tigray"]


def cats(model, text: str, published: str | None = None) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    return [(f.value, f.category) for f in figures(model, text, published)]


def test_the_toll_alone_is_a_death_toll(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "Local officials in Bakhmut later put the toll at 45.") == [(45, "killed")]
    # a toll that names its category keeps it
    assert cats(model, "Medics said the toll of wounded had reached 80.") == [(80, "injured")]


def test_victims_of_sexual_violence(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "Doctors in Goma treated 30 women who had been raped by militiamen.") == [(30, "victims")]
    assert cats(model, "Monitors recorded the rape of at least 19 girls in Darfur.") == [(19, "victims")]
    # a killing verb right before the count wins over an earlier "raped"
    assert cats(model, "Gunmen raped and killed 14 women near the river.") == [(14, "killed")]


def test_people_interviewed_are_a_plain_count_unless_named_witnesses(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "Amnesty International interviewed by telephone 60 residents of Mariupol.") == [(60, "other")]
    assert cats(model, "The commission interviewed 35 survivors and witnesses of the attack.") == [(35, "witnesses")]
    assert cats(model, "Investigators heard 80 victims and witnesses in Kherson.") == [(80, "witnesses")]
    assert cats(model, "The report draws on 212 interviewees in refugee camps.") == [(212, "witnesses")]
    # coordination alone changes nothing: "women and girls" names no category
    assert cats(model, "Soldiers killed 9 women and girls in the village.") == [(9, "killed")]


def test_breakdown_part_keeps_its_own_category(model) -> None:  # type: ignore[no-untyped-def]
    figs = figures(model, "Researchers interviewed 60 people, including 25 eyewitnesses, in Kharkiv.")
    assert [(f.value, f.category, f.parent == figs[0].id) for f in figs] == [
        (60, "other", False), (25, "witnesses", True)]


def test_verb_after_a_status_noun_wins(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "Officials said 14 hostages had been executed by the militia.") == [(14, "killed")]
    assert cats(model, "In the camp 30 refugees were reportedly wounded by shelling.") == [(30, "injured")]
    # the status noun stays when the verb says nothing of that kind or is further away
    assert cats(model, "Officials said 14 hostages were released on Friday.") == [(14, "hostage")]
    assert cats(model, "Some 5,000 refugees fled the killing in Darfur.") == [(5000, "displaced")]


def test_counts_joined_by_and_share_the_verb_after_them(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "In Sumy, 12 policemen and 30 civilians were wounded by drones.") == [
        (12, "injured"), (30, "injured")]
    assert cats(model, "Around 4,000 Armenians and nearly 9,000 Kurds have fled their villages.") == [
        (4000, "displaced"), (9000, "displaced")]
    # the next count's own noun is not shared backwards
    assert cats(model, "The base holds 3,000 soldiers and 1,200 refugees.") == [(3000, "other"), (1200, "displaced")]


def test_sibling_counts_share_a_cue_but_not_a_noun(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "Among the dead were 8 men and three girls.") == [(8, "killed"), (3, "killed")]
    # "40 refugees" is displaced by its own noun, which "nine children" does not share
    assert cats(model, "The shelter took in 40 refugees and nine children.") == [(40, "displaced"), (9, "other")]


def test_including_far_after_a_whole(model) -> None:  # type: ignore[no-untyped-def]
    text = ("At least 300 people have died in Khartoum since the fighting began, most of them soldiers but including "
            "about 40 children, doctors said.")
    assert cats(model, text) == [(300, "killed"), (40, "killed")]
    # a part with a cue of its own keeps it
    text = ("At least 300 people have died in Khartoum since April, and the fighting has displaced many more, "
            "including some 2,000 refugees.")
    assert cats(model, text) == [(300, "killed"), (2000, "displaced")]


def test_the_victims_refers_back_to_the_act(model) -> None:  # type: ignore[no-untyped-def]
    text = "Militiamen massacred villagers at the well in Tal Afar. Among the victims were 11 boys and six women."
    assert cats(model, text) == [(11, "killed"), (6, "killed")]
    # with no act named before in the paragraph, the victims stay victims
    assert cats(model, "The fighting in Tal Afar went on.\n\nAmong the victims were 11 boys.") == [(11, "victims")]


def test_upper_end_of_an_age_range_is_not_a_count(model) -> None:  # type: ignore[no-untyped-def]
    assert cats(model, "The blast killed 9 pupils aged between 6 and 14 in Kramatorsk.") == [(9, "killed")]
    assert cats(model, "The blast killed 9 pupils aged 6 to 14 in Kramatorsk.") == [(9, "killed")]
