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
    ("(Reuters) - Hamas said", (None, None)),
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
