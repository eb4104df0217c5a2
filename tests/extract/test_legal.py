"""Legal references: treaties by alias, resolutions, judgments and cases, national criminal codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from counterclaim.errors import CounterclaimError
from counterclaim.extract.context import Context, DocInput
from counterclaim.extract.legal import build_legal_data, find_legal_hits, find_legal_refs

CASES = Path(__file__).resolve().parents[1] / "cases"


def refs(text: str) -> list[tuple[str, str, str]]:
    return [(text[s:e], name, kind) for s, e, name, kind in find_legal_hits(text)]


def names(text: str) -> list[str]:
    return [name for _s, _e, name, _k in find_legal_hits(text)]


def test_treaties_by_full_name_acronym_and_year() -> None:
    text = ("a violation of the 1949 Geneva Conventions, the International Covenant on Civil and Political Rights, "
            "the ICESCR and the Convention on the Rights of the Child")
    assert refs(text) == [
        ("1949 Geneva Conventions", "Geneva Conventions (1949)", "treaty"),
        ("International Covenant on Civil and Political Rights", "ICCPR (1966)", "treaty"),
        ("ICESCR", "ICESCR (1966)", "treaty"),
        ("Convention on the Rights of the Child", "Convention on the Rights of the Child (1989)", "treaty"),
    ]


def test_treaty_articles_and_specific_conventions() -> None:
    text = "a grave breach of the Fourth Geneva Convention and a war crime under Article 8(2)(b) of the Rome Statute"
    assert names(text) == ["Geneva Convention IV (1949)", "Rome Statute (1998), Article 8(2)(b)"]
    assert names("bound by the Ottawa Convention and the Mine Ban Treaty") == ["Ottawa Convention (1997)"] * 2
    assert names("Articles 6, 7 and 8 of the Statute of the International Criminal Court") == [
        "Rome Statute (1998), Article 6", "Rome Statute (1998), Article 7", "Rome Statute (1998), Article 8"]
    assert names("common Article 3 of the Geneva Conventions; Article 2(4) of the UN Charter") == [
        "Geneva Conventions (1949), Article 3", "UN Charter (1945), Article 2(4)"]


def test_acronyms_are_case_sensitive_and_weak_ones_need_context() -> None:
    assert names("the cat and the crc were seen") == []
    assert names("Article 3 of the ECHR prohibits torture") == ["ECHR (1950), Article 3"]
    assert names("the ECHR ruled against Russia") == []


def test_security_council_and_general_assembly_resolutions() -> None:
    text = ("UN Security Council resolutions 822, 853, 874 and 884 (1993) demand withdrawal; "
            "the General Assembly adopted resolution ES-11/1 of 2 March 2022.")
    assert names(text) == [
        "UNSC Resolution 822 (1993)", "UNSC Resolution 853 (1993)", "UNSC Resolution 874 (1993)",
        "UNSC Resolution 884 (1993)", "UNGA Resolution ES-11/1 (2022)",
    ]
    assert names("The Security Council referred Darfur to the ICC by resolution 1593 (2005).") == [
        "UNSC Resolution 1593 (2005)"]
    assert names("in line with the relevant resolutions of the UN Security Council") == ["UNSC resolutions"]


def test_judgments_orders_and_cases() -> None:
    text = "In its judgment of 22 April 2010, the European Court of Human Rights found a violation."
    assert refs(text) == [("judgment of 22 April 2010", "European Court of Human Rights, judgment of 2010-04-22",
                           "judgment")]
    assert names("The ICJ, in its order of 23 January 2020 in The Gambia v. Myanmar, imposed measures.") == [
        "International Court of Justice, order of 2020-01-23", "The Gambia v. Myanmar"]
    assert names("the Grand Chamber in Chiragov and Others v. Armenia held") == ["Chiragov and Others v. Armenia"]


def test_criminal_code_articles() -> None:
    assert names("charged under Article 438 of the Criminal Code of Ukraine") == ["Criminal Code of Ukraine, Article 438"]
    assert names("Articles 103 and 107 of the Criminal Code of the Republic of Azerbaijan") == [
        "Criminal Code of Azerbaijan, Article 103", "Criminal Code of Azerbaijan, Article 107"]
    assert names("under the Russian Criminal Code") == ["Russian Criminal Code"]


def test_not_legal_references() -> None:
    text = "international humanitarian law, customary law, the Convention, Article 51, the Statute of limitations"
    assert names(text) == []


def test_malformed_data_says_what_to_fix() -> None:
    with pytest.raises(CounterclaimError, match="docs/data.md"):
        build_legal_data({"instruments": [{"aliases": ["X"]}]})


def test_records_from_a_case_file() -> None:
    from counterclaim.nlp.pipeline import load_model

    text = (CASES / "ukraine_mfa_statement.txt").read_text("utf-8")
    doc = load_model()(text)
    recs = find_legal_refs(doc, Context(DocInput(id="u", text=text)))
    assert [r.instrument for r in recs] == [
        "Geneva Convention IV (1949)", "Additional Protocol I (1977)", "Rome Statute (1998), Article 8",
        "Criminal Code of Ukraine, Article 438", "UNGA Resolution ES-11/1 (2022)",
    ]
    for r in recs:
        assert text[r.start:r.end] == r.text and r.text in r.sentence and r.doc == "u"
