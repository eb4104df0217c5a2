"""Metadata found in the text: datelines, bylines, publisher lines, titles, language."""

from __future__ import annotations

import pytest

from counterclaim.ingest.build import build_document
from counterclaim.ingest.metadata import (
    byline,
    classify_byline,
    dateline_date,
    detect_language,
    find_metadata,
    parse_published,
)
from counterclaim.ingest.readers import RawDocument
from counterclaim.records import SourceRef


@pytest.mark.parametrize(("line", "iso"), [
    ("Press release 04 October 2022", "2022-10-04"),
    ("26 February 2018", "2018-02-26"),
    ("Baku, 12 March 2021", "2021-03-12"),
    ("KYIV, March 3, 2022", "2022-03-03"),
    ("Published: 2023-11-07 14:05", "2023-11-07"),
    ("Statement | 5 Sept. 2019 | Geneva", "2019-09-05"),
    ("Genève, le 12 mars 2021", "2021-03-12"),
    ("Khartoum, 15.04.2023", "2023-04-15"),
])
def test_datelines(line: str, iso: str) -> None:
    assert dateline_date(line) == iso


@pytest.mark.parametrize("line", [
    "In just one night on February 26, 1992, 613 civilians were brutally killed in the town.",
    "31 February 2020",
    "Press release",
    "The ministry said that on 4 October 2022 it had opened an investigation into the videos",
    "12/03/2021",
])
def test_not_datelines(line: str) -> None:
    assert dateline_date(line) is None


@pytest.mark.parametrize(("line", "roles"), [
    ("By Vugar Khalilov", [("author", "Vugar Khalilov")]),
    ("By Azernews", [("publisher", "Azernews")]),
    ("By AFP", [("publisher", "AFP")]),
    ("By Al Jazeera Staff", [("publisher", "Al Jazeera")]),
    ("By Kyiv Independent news desk", [("publisher", "Kyiv Independent")]),
    ("By Jane Doe, Reuters", [("author", "Jane Doe"), ("publisher", "Reuters")]),
    ("By Daniel Brooks, Jerusalem", [("author", "Daniel Brooks")]),  # the reporter's place, not an outlet
    ("By Daniel Brooks, AP", [("author", "Daniel Brooks"), ("publisher", "AP")]),
    ("By Jane Doe and Mohamed al-Hassan", [("author", "Jane Doe, Mohamed al-Hassan")]),
    ("Written by Ludwig van der Berg", [("author", "Ludwig van der Berg")]),
    ("By aljazeera.com", [("publisher", "aljazeera.com")]),
    ("By Maria Petrenko, 24 February 2023 | 10:45", [("author", "Maria Petrenko")]),
    ("By Reuters Staff", [("publisher", "Reuters")]),
    ("By Staff Reporter", []),
])
def test_bylines(line: str, roles: list[tuple[str, str]]) -> None:
    assert byline(line) == roles


@pytest.mark.parametrize("line", [
    "By the end of the war, thousands had fled.",
    "By contrast, the ministry said nothing",
    "Bypassing the checkpoint",
    "by",
])
def test_not_bylines(line: str) -> None:
    assert byline(line) == []


def test_classify_byline_rejects_lowercase() -> None:
    assert classify_byline("the ministry") is None


def test_find_metadata_spans_point_at_evidence() -> None:
    text = "By Example News\nBy Maria Petrenko\nKyiv, 24 February 2023\nShelling hits Kharkiv\n\nBody text here."
    meta = find_metadata(text)
    assert (meta.publisher, meta.author, meta.published, meta.title) == (
        "Example News", "Maria Petrenko", "2023-02-24", "Shelling hits Kharkiv")
    for name, value in (("publisher", "By Example News"), ("author", "By Maria Petrenko"),
                        ("published", "Kyiv, 24 February 2023"), ("title", "Shelling hits Kharkiv")):
        start, end = meta.spans[name]
        assert text[start:end] == value


def test_long_first_line_title_is_cut() -> None:
    first = "word " * 80
    meta = find_metadata(first.strip() + "\nsecond")
    assert meta.title is not None and meta.title.endswith("…") and len(meta.title) <= 121


@pytest.mark.parametrize(("value", "iso"), [
    ("2022-10-04", "2022-10-04"),
    ("2022-10-04T10:00:00Z", "2022-10-04T10:00:00+00:00"),
    ("Tue, 04 Oct 2022 10:00:00 GMT", "2022-10-04T10:00:00+00:00"),
    ("4 October 2022", "2022-10-04"),
    ("yesterday", None),
    ("", None),
])
def test_parse_published(value: str, iso: str | None) -> None:
    assert parse_published(value) == iso


def test_language() -> None:
    assert detect_language("The ministry condemned the shelling of civilian areas and called for an inquiry.") == "en"
    assert detect_language("Le ministère a condamné les bombardements des zones civiles et demandé une enquête.") == "fr"
    assert detect_language("Hi") is None


def _doc(text: str, **kw: str) -> object:
    return build_document(RawDocument(source=SourceRef("t.txt"), text=text, **kw))


def test_source_metadata_wins_over_text() -> None:
    doc = build_document(RawDocument(source=SourceRef("t.txt"), text="By Azernews\n26 February 2018\nBody of the text.",
                                     publisher="Given Publisher", published="2020-01-02"))
    assert doc.publisher == "Given Publisher" and doc.published == "2020-01-02"
    assert "from_text" not in doc.meta or "publisher" not in doc.meta["from_text"]


def test_text_metadata_fills_gaps_and_keeps_lines() -> None:
    doc = build_document(RawDocument(source=SourceRef("t.txt"), text="By Azernews\nBy Vugar Khalilov\nBody text."))
    assert doc.publisher == "Azernews" and doc.author == "Vugar Khalilov"
    assert doc.text.startswith("By Azernews\nBy Vugar Khalilov")  # evidence stays in the text
    start, end = doc.meta["from_text"]["author"]
    assert doc.text[start:end] == "By Vugar Khalilov"


def test_unparseable_source_date_is_kept_raw() -> None:
    doc = build_document(RawDocument(source=SourceRef("t.txt"), text="Body text.", published="sometime soon"))
    assert doc.published is None and doc.meta["published_raw"] == "sometime soon"


def test_byline_with_date_gives_both() -> None:
    meta = find_metadata("By Omar Haddad, 7 November 2023\nStrikes on Jabalia camp\n\nText of the report.")
    assert (meta.author, meta.published, meta.title) == ("Omar Haddad", "2023-11-07", "Strikes on Jabalia camp")


def test_second_dateline_is_not_the_title() -> None:
    meta = find_metadata("Press release 04 October 2022\nUpdated 05 October 2022\nThe real title\n\nBody.")
    assert (meta.published, meta.title) == ("2022-10-04", "The real title")


@pytest.mark.parametrize(("line", "expected"), [
    ("GAZA, Oct 12 (Reuters) - Hamas accused Israel of genocide after an air strike", (None, "Reuters")),
    ("SANA'A, 10 August 2018 - An airstrike by the coalition hit a school bus", ("2018-08-10", None)),
    ("KHARTOUM, June 14 (AFP) — Fighting spread to the west", (None, "AFP")),
    ("ADDIS ABABA, 5 November 2020 (Wire) -- The federal government said", ("2020-11-05", "Wire")),
    ("GENEVA (12 April 2023) – The UN High Commissioner for Human Rights said", ("2023-04-12", None)),
    ("(Nairobi, April 25, 2024) – Burkina Faso's armed forces executed", ("2024-04-25", None)),
    ("(Reuters) - Hamas said", (None, "Reuters")),  # a repost that dropped the place keeps the outlet
    ("MOSCOW, December 30. /TASS/. Russian air defences shot down", (None, "TASS")),
    ("MOSCOW, December 30, 2022. /TASS/. Russian air defences shot down", ("2022-12-30", "TASS")),
    ("KYIV, Ukraine (AP) — Russian missiles struck a shopping centre", (None, "AP")),
    ("GENEVA (Reuters) - The U.N. human rights office said", (None, "Reuters")),
    ("PARIS (AFP) - France condemned", (None, "AFP")),
    ("Addis Ababa (ENA) - The government said", (None, "ENA")),
    ("Riyadh, Jan 22, 2022, SPA -- A statement by the Official Spokesperson", ("2022-01-22", "SPA")),
    ("Damascus, SANA - Syria has categorically rejected the conclusions", (None, "SANA")),
    ("(Nairobi) – The Malian army and armed Islamist groups", (None, None)),
    ("Kyiv (Ukraine) - a city under fire", (None, None)),
    ("Statement (unofficial translation) - the ministry said", (None, None)),
    ("The strike (on 5 May 2022) - the ministry said - hit a school", (None, None)),
    ("However, in 2020 - the ministry said - nothing changed", (None, None)),
    ("Armenia, Azerbaijan and Turkey - a short history", (None, None)),
])
def test_wire_datelines(line: str, expected: tuple[str | None, str | None]) -> None:
    from counterclaim.ingest.metadata import wire_dateline

    assert wire_dateline(line) == expected


def test_wire_dateline_sets_publisher_and_keeps_title() -> None:
    text = "GAZA, Oct 12 (Reuters) - Hamas accused Israel of genocide after an air strike on the camp.\nMore text."
    meta = find_metadata(text)
    assert meta.publisher == "Reuters" and meta.title is not None and meta.title.startswith("GAZA, Oct 12")


@pytest.mark.parametrize(("text", "expected"), [
    # wire datelines give the outlet; titles never come from furniture
    ("RUSSIAN - UKRAINE WAR\n+ ↺ − 16 px\nRussia says Ukraine shelled Donetsk market\n"
     "MOSCOW, December 30. /TASS/. Ukrainian forces shelled a market in Donetsk, killing six civilians, the city "
     "administration said.", ("Russia says Ukraine shelled Donetsk market", "TASS", None)),
    ("War Crimes\nUkraine says Russian troops executed prisoners near Bakhmut\n"
     "KYIV, Ukraine (AP) — Ukraine accused Russian forces on Sunday of executing prisoners of war.",
     ("Ukraine says Russian troops executed prisoners near Bakhmut", "AP", None)),
    ("KEY POINTS\n• The massacre took place in Moura\n• HRW interviewed 27 people\n"
     "Rights group says troops killed 300 civilians in Mali\nGENEVA (Reuters) - Malian troops killed 300.",
     ("Rights group says troops killed 300 civilians in Mali", "Reuters", None)),
    ("Mali: New Wave of Executions\n© 2022 John Emerson / Human Rights Watch\n(Nairobi) – The army killed 107.",
     ("Mali: New Wave of Executions", None, None)),
    ("116 3rd St SE\nCedar Rapids, Iowa 52401\nHome / News / Nation and World\n"
     "Syria denies that air assault targeted camps\nReuters\nMay. 6, 2016 10:30 pm\nBody of the story.",
     ("Syria denies that air assault targeted camps", "Reuters", "2016-05-06")),
    ("Press Statement\n\nMinistry of Foreign Affairs/ Nay Pyi Taw / January 22, 2022\n\nIt has been observed "
     "that some countries issued statements.", ("Press Statement", "Ministry of Foreign Affairs", "2022-01-22")),
    ("Office of the Prosecutor General of Ukraine\nInvestigators document executions of civilians in Bucha\n"
     "Kyiv, 15 April 2022\nProsecutors have documented 403 bodies.",
     ("Investigators document executions of civilians in Bucha", "Office of the Prosecutor General of Ukraine",
      "2022-04-15")),
    ("MINISTRY OF NATIONAL DEFENCE\nRepublic of Colombia\nThe ELN offensive in Catatumbo\nBogotá, 21 January 2025\n"
     "Body.", ("The ELN offensive in Catatumbo", "Ministry of National Defence", "2025-01-21")),
    ("UN Human Rights Chief Condemns Myanmar Attacks\nWednesday, 12 April 2023, 5:39 am\n"
     "Press Release: UN High Commissioner for Human Rights\nGeneva, 11 April 2023\nI am horrified.",
     ("UN Human Rights Chief Condemns Myanmar Attacks", "UN High Commissioner for Human Rights", "2023-04-12")),
    ("Government forces killed at least 21 in Ngarbuh\n\n26, February 2020\n\nBody of the release.",
     ("Government forces killed at least 21 in Ngarbuh", None, "2020-02-26")),
    ("Coalition: reports are baseless\nSaturday 1443/6/19 - 2022/01/22\nBody.",
     ("Coalition: reports are baseless", None, "2022-01-22")),
    (" date 2022-04-03\nStatement on Bucha\nBody of the statement.", ("Statement on Bucha", None, "2022-04-03")),
])
def test_metadata_of_real_page_headers(text: str, expected: tuple[str | None, str | None, str | None]) -> None:
    meta = find_metadata(text)
    assert (meta.title, meta.publisher, meta.published) == expected


def test_original_publisher_of_a_repost() -> None:
    text = ("Syria denies targeting camps\n\nBody of the story, as the wire wrote it.\n\n"
            "This article was originally published by Reuters on 6 May 2016.")
    meta = find_metadata(text)
    assert meta.original_publisher == "Reuters"
    start, end = meta.spans["original_publisher"]
    assert text[start:end].startswith("This article was originally published by Reuters")
    doc = build_document(RawDocument(source=SourceRef("page.html"), text=text, publisher="The Gazette"))
    assert doc.publisher == "The Gazette" and doc.meta["original_publisher"] == "Reuters"


def test_wire_outlet_of_a_repost_on_a_site_is_the_original_publisher() -> None:
    text = "Strike on camp\n\nGENEVA (Reuters) - The U.N. condemned the attack on the camp near Sarmada."
    doc = build_document(RawDocument(source=SourceRef("page.html"), text=text, publisher="The Gazette"))
    assert doc.publisher == "The Gazette" and doc.meta["original_publisher"] == "Reuters"
    plain = build_document(RawDocument(source=SourceRef("story.txt"), text=text))
    assert plain.publisher == "Reuters" and "original_publisher" not in plain.meta


@pytest.mark.parametrize(("text", "publisher"), [
    ("Mali: New Wave of Executions\n(Nairobi) – The Malian army killed at least 107 civilians since December 2021, "
     "Human Rights Watch said today. The victims include traders.", "Human Rights Watch"),
    ("Nigeria: Authorities must investigate drone strike\n5 December 2023\nThe authorities must open an "
     "investigation into the strike in Tudun Biri, Amnesty International said today.", "Amnesty International"),
    ("Strike on camp\nThe army denied the strike.\nLater, the group said today it would appeal, "
     "Human Rights Watch said today.", None),  # not the opening sentence: someone quoted, not the author
    ("Shelling of Kharkiv\nRussian forces shelled Kharkiv overnight, killing five people, Ukrainian President "
     "Volodymyr Zelenskiy said today.", None),  # a person who said something is not the publisher
])
def test_release_names_its_author_in_its_opening(text: str, publisher: str | None) -> None:
    assert find_metadata(text).publisher == publisher
