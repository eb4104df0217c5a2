"""Date extraction: formats, ranges, resolution against anchors and the publication date, non-dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.extract.context import Context, DocInput
from counterclaim.extract.dates import find_date_hits, find_dates


def isos(text: str, published: str | None = None) -> list[str]:
    return [iso for _s, _e, iso, _p, _r in find_date_hits(text, published)]


def test_full_dates_in_several_formats() -> None:
    text = "Shelling on 24 February 2022, on March 9, 2022, on 2022-03-16 and on 01.04.2022 hit the city."
    assert isos(text) == ["2022-02-24", "2022-03-09", "2022-03-16", "2022-04-01"]


def test_ranges_give_one_record_per_end() -> None:
    assert isos("Over the night of 25 to 26 February 1992 the town fell.") == ["1992-02-25", "1992-02-26"]
    assert isos("During the first war (1988-1994) many fled.") == ["1988", "1994"]
    assert isos("Fighting raged from 3 March – 5 April 2021.") == ["2021-03-03", "2021-04-05"]
    assert isos("Talks ran July 3-5, 2023 in Jeddah.") == ["2023-07-03", "2023-07-05"]


def test_month_and_event_years() -> None:
    assert isos("In October 2020, missiles struck Ganja.") == ["2020-10"]
    assert isos("the 44-day war of 2020 and the siege since 2014") == ["2020", "2014"]


def test_not_dates() -> None:
    text = (
        "the 1949 Geneva Conventions, a 2003 book, the 90s, the late 1980s, resolution 2334 (2016), "
        "resolution 2334 of 2016, 30 years of occupation, a 44-day war, may 5 people"
    )
    assert isos(text) == []


def test_citation_dates_of_instruments_are_skipped() -> None:
    assert isos("the Geneva Conventions of 12 August 1949 were breached on 3 May 2023") == ["2023-05-03"]


def test_day_month_resolved_from_publication_date() -> None:
    hits = find_date_hits("The investigation started on September 17.", "2022-10-04")
    assert [(iso, res) for _s, _e, iso, _p, res in hits] == [("2022-09-17", True)]
    # late December in an early-January article is the previous year
    assert isos("Strikes on December 29 killed 12.", "2023-01-03") == ["2022-12-29"]


def test_day_month_unresolved_without_publication_date() -> None:
    assert isos("The investigation started on September 17.") == []


def test_day_month_resolved_from_anchor_in_same_passage() -> None:
    text = "On 24 February 2022 the invasion began. On 25 February, a kindergarten was hit."
    assert isos(text) == ["2022-02-24", "2022-02-25"]
    # an anchor in another paragraph does not lend its year
    assert isos("On 24 February 2022 it began.\n\nOn 25 February, a school was hit.") == ["2022-02-24"]


def test_weekdays_resolved_only_with_publication_date() -> None:
    assert isos("the spokesperson said on Tuesday.", "2022-10-04") == ["2022-10-04"]  # 4 Oct 2022 is a Tuesday
    assert isos("the spokesperson said on Monday.", "2022-10-04") == ["2022-10-03"]
    assert isos("the spokesperson said last Tuesday.", "2022-10-04") == ["2022-09-27"]
    assert isos("the spokesperson said on Tuesday.") == []


def test_ambiguous_slashed_date_is_not_guessed() -> None:
    assert isos("on 03/04/2022") == []
    assert isos("on 13/04/2022") == ["2022-04-13"]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_any_written_date_round_trips(day: dt.date, us_style: bool) -> None:
    written = f"{day:%B} {day.day}, {day.year}" if us_style else f"{day.day} {day:%B} {day.year}"
    text = f"Witnesses said the attack took place on {written} near the market."
    hits = find_date_hits(text)
    assert [(iso, text[s:e]) for s, e, iso, _p, _r in hits] == [(day.isoformat(), written)]


def test_find_dates_records_spans_and_sentences() -> None:
    from counterclaim.nlp.pipeline import load_model

    nlp = load_model()
    text = "Intro line.\nOn 7 October 2023, gunmen attacked Kfar Aza. Officials spoke on Tuesday."
    doc = nlp(text)
    recs = find_dates(doc, Context(DocInput(id="d1", text=text, published="2023-10-10")))
    assert [(r.date, r.precision, r.resolved) for r in recs] == [("2023-10-07", "day", False), ("2023-10-10", "day", True)]
    first = recs[0]
    assert text[first.start:first.end] == "7 October 2023" == first.text
    assert first.doc == "d1" and first.sentence.startswith("On 7 October 2023")


def test_year_before_an_event_noun_is_a_date() -> None:
    assert isos("after the 2014 annexation of Crimea and the 2020 Nagorno-Karabakh war") == ["2014", "2020"]
    assert isos("resolution ES-11/1 of 2 March 2022 was adopted") == ["2022-03-02"]


def test_day_month_resolution_looks_back_from_publication() -> None:
    # a wire dateline or event months before a January publication is last year, not a future date
    assert isos("KHARTOUM, June 14 (Wire) - fighting continued.", "2024-01-10") == ["2023-06-14"]
    assert isos("Talks are planned for February 5.", "2024-01-10") == ["2024-02-05"]
    assert isos("The strike on April 11 killed 168 people.", "2024-02-20") == ["2023-04-11"]


def test_month_ranges() -> None:
    assert isos("Sieges lasted from February to April 2022.") == ["2022-02", "2022-04"]
    assert isos("between December 2021 and March 2022 the camps grew") == ["2021-12", "2022-03"]


def test_lists_of_years_after_a_preposition() -> None:
    assert isos("Attacks on hospitals in 2016, 2017 and 2018 were documented.") == ["2016", "2017", "2018"]


def test_case_tigray_wire_dates() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "cases" / "ethiopia_tigray_wire.txt").read_text("utf-8")
    assert isos(text, "2023-11-05") == [
        "2023-11-05", "2020-11-09", "2020-11-10", "2022-11-02", "2020-11-28", "2020-11-29", "2023-10-30", "2021"]
    # without a publication date the dateline "Nov 5" and "on Monday" cannot be resolved
    assert isos(text) == ["2020-11-09", "2020-11-10", "2022-11-02", "2020-11-28", "2020-11-29", "2021"]


def test_day_ranges_without_a_year_resolve_both_ends() -> None:
    text = "From June 3 to 9, monitors recorded shelling of Avdiivka."
    assert isos(text, "2023-06-20") == ["2023-06-03", "2023-06-09"]
    assert isos("Between 14 and 16 August the convoy was held at the checkpoint.", "2021-09-02") == [
        "2021-08-14", "2021-08-16"]
    # without a publication date or anchor the range is not guessed
    assert isos("From June 3 to 9, monitors recorded shelling.") == []
    # "on May 4 and 12 people died": the second number is a count, not the end of a range
    assert isos("The raid on May 4 and 12 people died in it.", "2022-06-01") == ["2022-05-04"]


def test_months_without_a_year_after_a_preposition() -> None:
    # a July article: "since November" looks back to the previous year, "in March" to this one
    assert isos("Aid has been blocked since November, and in March the last bakery closed.", "2017-07-02") == [
        "2016-11", "2017-03"]
    assert isos("The town was retaken at the beginning of February.", "2016-02-20") == ["2016-02"]
    # a bare month word without a preposition is not a date ("May" the verb, "March" the noun)
    assert isos("May God protect them. The March for Peace went ahead.", "2017-07-02") == []
    assert isos("Aid has been blocked since November.") == []


def test_month_pairs_without_a_year() -> None:
    assert isos("Attacks on clinics rose between January and March, the WHO said.", "2019-04-10") == [
        "2019-01", "2019-03"]
    # the first month after the second one lies in the year before
    assert isos("From November to February the camp had no fuel.", "2022-03-15") == ["2021-11", "2022-02"]


def test_press_release_dateline_stands_in_for_the_publication_date() -> None:
    text = (
        "Syria: Barrel bombs on Aleppo markets\n\n"
        "BEIRUT (3 May 2016) – Government helicopters dropped barrel bombs on two markets on 28 April, the "
        "group said on Tuesday."
    )
    assert isos(text) == ["2016-05-03", "2016-04-28", "2016-05-03"]
    text = "(Kyiv, March 9, 2023) – Officials said on Monday that a missile hit the station on March 2."
    assert isos(text) == ["2023-03-09", "2023-03-06", "2023-03-02"]
    # a date inside a sentence is no dateline: nothing stands in for the publication date
    assert isos("Officials in Kyiv said on 9 March 2023 that a missile hit the station on Monday.") == [
        "2023-03-09"]


def test_year_before_a_capitalised_event_noun() -> None:
    assert isos("survivors of the 1995 Massacre in Srebrenica and the 1988 Anfal Campaign") == ["1995"]
    assert isos("the 1994 Genocide against the Tutsi") == ["1994"]


def test_abbreviated_month_names_are_not_bare_months() -> None:
    # "Jan" and "Jun" after "by" are first names, not months
    assert isos("The appeal was made by Jan Egeland in Geneva.", "2017-07-02") == []
    assert isos("The siege lasted until June.", "2017-07-02") == ["2017-06"]
