"""Allegations: the act lexicon, stance cues and the sentence rules, on texts from several conflicts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterclaim.extract.acts import compile_phrases, find_acts, phrase_regex, taxonomy
from counterclaim.extract.context import DocInput
from counterclaim.extract.stance import evidence_kinds, hedged, is_call
from counterclaim.records import Allegation

CASES = Path(__file__).resolve().parents[1] / "cases"

ISSUE_CODES = {
    "war_crime", "crime_against_humanity", "genocide", "ethnic_cleansing", "attack_on_civilians",
    "killing_of_civilians", "execution_of_pows", "mistreatment_of_pows", "torture", "hostage_taking",
    "enforced_disappearance", "deportation", "landmines", "indiscriminate_attack", "attack_on_infrastructure",
    "sexual_violence", "use_of_mercenaries", "terrorism", "aggression_occupation", "disinformation", "other",
}


# ---- the taxonomy and the phrase syntax -------------------------------------------------------------------------

def test_taxonomy_has_every_code_of_the_issue_documented() -> None:
    acts = taxonomy()
    assert set(acts) == ISSUE_CODES
    for act in acts.values():
        assert act.label and act.description, act.code
        assert act.triggers is not None, f"{act.code} has no trigger"
        assert set(act.suppresses) <= ISSUE_CODES


words = st.lists(st.from_regex(r"[a-z]{2,8}", fullmatch=True), min_size=1, max_size=4)


@given(words, st.sampled_from([" ", "  ", "-", " - "]))
def test_a_phrase_matches_its_own_words_with_any_separator(ws: list[str], sep: str) -> None:
    pat = re.compile(phrase_regex(" ".join(ws)), re.I)
    assert pat.search("x " + sep.join(ws).upper() + " y")


@given(words)
def test_a_phrase_does_not_match_inside_a_longer_word(ws: list[str]) -> None:
    pat = re.compile(phrase_regex(" ".join(ws)), re.I)
    assert not pat.search("q" + " ".join(ws))


def test_prefix_alternatives_and_gaps() -> None:
    pat = compile_phrases(["shell* ~3 civilian*|homes"])
    assert pat is not None
    assert pat.search("troops shelled the homes")
    assert pat.search("shelling of peaceful civilians")
    assert not pat.search("shelling of the military base near the homes")  # more than 3 words in between


def test_unknown_macro_is_a_readable_error() -> None:
    from counterclaim.errors import InputError

    with pytest.raises(InputError, match="unknown macro @nope"):
        phrase_regex("@nope crimes", {})


def _acts(text: str, **kw: object) -> set[str]:
    return {h.act for h in find_acts(text, **kw)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian troops executed Ukrainian prisoners of war near Bakhmut.", {"execution_of_pows"}),
        ("The RSF committed ethnic cleansing and rape in West Darfur.", {"ethnic_cleansing", "sexual_violence"}),
        ("The strike on the Kakhovka dam destroyed critical infrastructure.", {"attack_on_infrastructure"}),
        ("Houthi-laid landmines continue killing civilians in Taiz.", {"landmines"}),  # the mines absorb the killing
        ("The army used cluster munitions in Idlib.", {"indiscriminate_attack"}),
        ("Wagner mercenaries took part in the assault.", {"use_of_mercenaries"}),
        ("Civilians were shelled as they queued for bread.", {"attack_on_civilians"}),
        ("Hundreds of civilians were massacred in Axum.", {"killing_of_civilians"}),
        ("The junta's propaganda spreads fake news.", {"disinformation"}),
        ("Children were forcibly transferred to Russia.", {"deportation"}),
        ("The troops took part in a counter-terrorism operation.", set()),
        ("The talks took place in the capital.", set()),
    ],
)
def test_find_acts(text: str, expected: set[str]) -> None:
    assert _acts(text) == expected


def test_weak_trigger_counts_only_alone() -> None:
    assert _acts("The crimes committed by the junta must be investigated.") == {"war_crime"}
    assert _acts("The crimes committed by the junta include torture.") == {"torture"}


def test_treaty_names_are_not_triggers() -> None:
    text = "Myanmar is a party to the Convention against Torture."
    start = text.index("Convention")
    assert _acts(text) == {"torture"}
    assert _acts(text, blocked=[(start, len(text) - 1)]) == set()


def test_frame_only_triggers_need_a_frame() -> None:
    text = "Kyiv's claims regarding civilians are false."
    assert "attack_on_civilians" not in _acts(text)
    assert "attack_on_civilians" in _acts(text, in_frame=[(0, len(text))])


# ---- stance cues -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("We urge the ICC to investigate these crimes.", True),
        ("These killings need to be investigated.", True),
        ("Those responsible must be held accountable.", True),
        ("The UN called for the perpetrators to be brought to justice.", True),
        ("Not a single person has been brought to justice for these crimes.", False),
        ("What appeals have they made regarding the investigation of these crimes?", False),
        ("The ministry is responsible for the landmine victims.", False),
        ("The army shelled the town.", False),
    ],
)
def test_is_call(text: str, call: bool) -> None:
    assert is_call(text) is call


def test_hedges_and_evidence() -> None:
    assert hedged("crimes allegedly committed by the army")
    assert not hedged("crimes committed by the army")
    assert set(evidence_kinds("A video posted on Telegram and witnesses confirm it.")) >= {"video", "social_media", "witnesses"}


# ---- whole documents through the pipeline ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def extract():  # type: ignore[no-untyped-def]
    from counterclaim.extract.pipeline import Extractor

    ex = Extractor()

    def run(text: str, publisher: str | None = None) -> list[Allegation]:
        recs = ex([DocInput(id="t", text=text, publisher=publisher)])[0]
        return [r for r in recs if isinstance(r, Allegation)]

    return run


def tuples(records: list[Allegation]) -> set[tuple[str | None, str, str, str]]:
    return {(r.claimant, acc, r.act, r.stance) for r in records for acc in (r.accused or [""])}


CASE_EXPECTED = {
    "allegations_ukraine_mfa.txt": {
        ("Ukraine", "Russia", "attack_on_civilians", "assert"),
        ("Ukraine", "Russia", "killing_of_civilians", "assert"),
        ("Ukraine", "Russia", "attack_on_infrastructure", "assert"),
        ("Russia", "Russia", "attack_on_civilians", "deny"),
        ("Ukraine", "Russia", "disinformation", "assert"),
        ("Ukraine", "Russia", "war_crime", "call_to_investigate"),
    },
    "allegations_gaza_news.txt": {
        ("Hamas", "Israel", "genocide", "assert"),
        ("Israel", "Israel", "genocide", "deny"),
        ("Israel", "Hamas", "other", "assert"),
        ("Israel", "Hamas", "hostage_taking", "assert"),
    },
    "allegations_sudan_statement.txt": {
        ("Sudan", "Rapid Support Forces", "ethnic_cleansing", "assert"),
        ("Sudan", "Rapid Support Forces", "attack_on_infrastructure", "assert"),
        ("Sudan", "Rapid Support Forces", "use_of_mercenaries", "assert"),
        ("Rapid Support Forces", "Rapid Support Forces", "killing_of_civilians", "deny"),
    },
    "allegations_tigray_wire.txt": {
        ("Tigray People's Liberation Front", "Eritrea", "killing_of_civilians", "assert"),
        ("Ethiopia", "Eritrea", "killing_of_civilians", "deny"),  # an ally's denial keeps the accused
        ("Human Rights Watch", "Eritrea", "killing_of_civilians", "call_to_investigate"),
        ("Human Rights Watch", "Eritrea", "crime_against_humanity", "assert"),  # quote: accused from context
    },
    "allegations_syria_mfa.txt": {
        ("Syria", "Syria", "indiscriminate_attack", "deny"),
        ("United States", "Syria", "indiscriminate_attack", "assert"),
        ("United Kingdom", "Syria", "indiscriminate_attack", "assert"),
        ("France", "Syria", "indiscriminate_attack", "assert"),
        ("Syria", "United States", "aggression_occupation", "assert"),
        ("Syria", "France", "disinformation", "assert"),
    },
    "allegations_myanmar_ngo.txt": {
        ("Amnesty International", "Myanmar", "attack_on_civilians", "assert"),
        ("Amnesty International", "Myanmar", "killing_of_civilians", "assert"),
        ("Amnesty International", "Myanmar", "attack_on_infrastructure", "assert"),
        ("Amnesty International", "Myanmar", "war_crime", "call_to_investigate"),
    },
    "allegations_israel_mfa.txt": {
        ("Israel", "Hamas", "terrorism", "assert"),
        ("Israel", "Hamas", "killing_of_civilians", "assert"),
        ("Israel", "Hamas", "hostage_taking", "assert"),
        ("Israel", "Hamas", "other", "assert"),
        ("Hamas", "Israel", "attack_on_infrastructure", "assert"),  # the claim the denial answers
        ("Israel", "Israel", "attack_on_infrastructure", "deny"),
        ("Israel", "Israel", "attack_on_civilians", "deny"),
    },
    "allegations_russia_mfa.txt": {
        ("Russia", "Ukraine", "attack_on_civilians", "assert"),
        ("Ukraine", "Russia", "killing_of_civilians", "assert"),  # "the accusations of the Ukrainian side"
        ("Russia", "Russia", "killing_of_civilians", "deny"),  # "... are a staged provocation"
        ("Russia", "Russia", "attack_on_civilians", "deny"),  # "do not strike civilian targets"
        ("Russia", "Ukraine", "war_crime", "call_to_investigate"),
    },
    "allegations_sudan_wire.txt": {
        ("Sudan", "Rapid Support Forces", "attack_on_civilians", "assert"),
        ("Rapid Support Forces", "Rapid Support Forces", "attack_on_civilians", "deny"),
        ("Rapid Support Forces", "Sudan", "killing_of_civilians", "assert"),  # a counter-claim, not a denial
    },
    "allegations_ukraine_pows.txt": {
        ("Ukraine", "Russia", "execution_of_pows", "assert"),
        ("Ukraine", "Russia", "mistreatment_of_pows", "assert"),
        ("Russia", "Russia", "mistreatment_of_pows", "deny"),
    },
    "allegations_mixed_wire.txt": {
        ("Ethiopia", "Ethiopia", "other", "deny"),  # denied blocking humanitarian aid
        ("Ethiopia", "Tigray People's Liberation Front", "other", "assert"),  # looting
        ("Ukraine", "Russia", "hostage_taking", "assert"),
        ("Hamas", "Israel", "attack_on_infrastructure", "assert"),
        ("Hamas", "Israel", "crime_against_humanity", "assert"),
    },
    "allegations_sudan_both_sides.txt": {
        ("Human Rights Watch", "Sudan", "war_crime", "assert"),
        ("Human Rights Watch", "Rapid Support Forces", "war_crime", "assert"),
        ("Human Rights Watch", "Sudan", "attack_on_civilians", "assert"),
        ("United Nations", "Sudan", "attack_on_civilians", "call_to_investigate"),  # "both parties"
        ("United Nations", "Rapid Support Forces", "attack_on_civilians", "call_to_investigate"),
    },
    "allegations_qa_briefing.txt": {("Ukraine", "Russia", "attack_on_infrastructure", "assert")},
    # definite anaphora ("the army" after "Ethiopian federal troops") and a self-denial of the act of a noun
    "allegations_ethiopia_anaphora.txt": {
        ("Amnesty International", "Ethiopia", "attack_on_civilians", "assert"),
        ("Ethiopia", "Tigray People's Liberation Front", "other", "assert"),
        ("Fano", "Fano", "killing_of_civilians", "deny"),
    },
    # an organ "run by" a group speaks for the group; "dismissed reports of X as false news spread by Y"
    "allegations_yemen_runby.txt": {
        ("Houthis", "Saudi-led coalition", "attack_on_infrastructure", "assert"),
        ("Saudi-led coalition", "Saudi-led coalition", "attack_on_civilians", "deny"),
        ("Saudi-led coalition", "Houthis", "disinformation", "assert"),
    },
    # an NGO's finding; a passive accusation whose subject has a relative clause naming another party; a headline
    # about the government is not the government's statement; a dateline's city is no party
    "allegations_syria_ngo_wire.txt": {
        ("Amnesty International", "Syria", "killing_of_civilians", "assert"),
        ("Human Rights Watch", "Syria", "indiscriminate_attack", "assert"),
    },
    # a "Country:" headline label; "the army" is the last actor called an army (a non-state one); a denial of "the
    # report" reaches back to the claims against the denier; lies are the other side's
    "allegations_libya_wire.txt": {
        ("United Nations", "Libyan National Army", "killing_of_civilians", "assert"),
        ("Libyan National Army", "Libyan National Army", "killing_of_civilians", "deny"),
        ("Libyan National Army", "Government of National Accord", "disinformation", "assert"),
    },
    # a bracketed dateline before the report; "part of a campaign against civilians"; a call about "these killings"
    # is about the killings alleged before; the lies are the dismissed report's author's
    "allegations_chechnya_ngo.txt": {
        ("Human Rights Watch", "Russia", "killing_of_civilians", "assert"),
        ("Human Rights Watch", "Russia", "war_crime", "assert"),
        ("Human Rights Watch", "Russia", "attack_on_civilians", "assert"),
        ("Human Rights Watch", "Russia", "killing_of_civilians", "call_to_investigate"),
        ("Russia", "Human Rights Watch", "disinformation", "assert"),
        ("Russia", "Russia", "killing_of_civilians", "deny"),
    },
    # a person's state from the title before the name; "She accused ..." is the speaker's; an accusation and a call
    # in one sentence; "rejected the allegations as baseless" denies and calls them lies; listed agents
    "allegations_kashmir_wire.txt": {
        ("Pakistan", "India", "attack_on_civilians", "assert"),
        ("Pakistan", "India", "attack_on_civilians", "call_to_investigate"),
        ("India", "India", "attack_on_civilians", "deny"),
        ("India", "Pakistan", "disinformation", "assert"),
        ("India", "Pakistan", "attack_on_civilians", "assert"),
    },
}
# tuples the rules must NOT produce (a claimant never asserts an act against itself in these texts)
CASE_FORBIDDEN = {
    "allegations_ukraine_mfa.txt": {("Russia", "Ukraine", "disinformation", "assert")},
    "allegations_gaza_news.txt": {("Israel", "Israel", "other", "assert")},
    "allegations_sudan_statement.txt": {("Sudan", "Sudan", "ethnic_cleansing", "assert")},
    "allegations_tigray_wire.txt": {("Human Rights Watch", "Tigray People's Liberation Front", "killing_of_civilians",
                                     "call_to_investigate")},
    "allegations_syria_mfa.txt": {("Syria", "Syria", "indiscriminate_attack", "assert")},
    "allegations_myanmar_ngo.txt": {("Amnesty International", "", "attack_on_infrastructure", "assert")},
    "allegations_israel_mfa.txt": {("Israel", "Israel", "attack_on_infrastructure", "assert")},
    "allegations_russia_mfa.txt": {("Russia", "Russia", "attack_on_civilians", "assert")},
    "allegations_sudan_wire.txt": {("Rapid Support Forces", "Rapid Support Forces", "killing_of_civilians", "deny")},
    "allegations_ukraine_pows.txt": {("Ukraine", "Ukraine", "war_crime", "assert")},
    "allegations_mixed_wire.txt": {("Israel", "Hamas", "crime_against_humanity", "assert")},
    "allegations_sudan_both_sides.txt": {("Rapid Support Forces", "Sudan", "war_crime", "assert")},
    # the answer is the (unnamed) spokesperson's, not the Ukrainian minister's from the question
    "allegations_qa_briefing.txt": {("Ukraine", "Russia", "attack_on_civilians", "assert")},
    "allegations_ethiopia_anaphora.txt": {("Amnesty International", "", "attack_on_civilians", "assert")},
    "allegations_yemen_runby.txt": {("Yemen", "Saudi-led coalition", "attack_on_infrastructure", "assert"),
                                    ("Saudi-led coalition", "Saudi-led coalition", "disinformation", "assert")},
    "allegations_libya_wire.txt": {("Libya", "Libya", "killing_of_civilians", "assert"),
                                   ("United Nations", "Libya", "killing_of_civilians", "assert"),
                                   ("Libya", "Government of National Accord", "disinformation", "assert")},
    "allegations_chechnya_ngo.txt": {("Human Rights Watch", "Russia", "attack_on_civilians", "call_to_investigate"),
                                     ("Russia", "Human Rights Watch", "killing_of_civilians", "deny"),
                                     ("Human Rights Watch", "Council of Europe", "killing_of_civilians",
                                      "call_to_investigate")},
    "allegations_kashmir_wire.txt": {("India", "India", "attack_on_civilians", "assert"),
                                     ("Pakistan", "Pakistan", "attack_on_civilians", "assert")},
    "allegations_syria_ngo_wire.txt": {("Syria", "Lebanon", "indiscriminate_attack", "assert"),
                                       ("Human Rights Watch", "rebels", "indiscriminate_attack", "assert"),
                                       ("Human Rights Watch", "Syria", "attack_on_civilians", "assert")},
}


@pytest.mark.parametrize("name", sorted(CASE_EXPECTED))
def test_cases_from_other_conflicts(extract, name: str) -> None:  # type: ignore[no-untyped-def]
    got = tuples(extract((CASES / name).read_text("utf-8")))
    missing = CASE_EXPECTED[name] - got
    assert not missing, f"missing {missing}; got {got}"
    assert not (CASE_FORBIDDEN[name] & got)


def test_denial_is_the_deniers_own_record(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Press release of the Ministry of Foreign Affairs of Ukraine\n\n"
        "Russia's defence ministry denied that its aircraft struck the market in Kostiantynivka."
    )
    got = tuples(extract(text))
    assert ("Russia", "Russia", "attack_on_civilians", "deny") in got
    assert not any(t[3] == "assert" and t[2] == "attack_on_civilians" for t in got)


def test_reported_accusation_keeps_its_claimant(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Statement of the Ministry of Foreign Affairs of Israel\n\n"
        "We reacted to the statement of the Iranian foreign ministry, which accused the Israeli side of war crimes."
    )
    assert ("Iran", "Israel", "war_crime", "assert") in tuples(extract(text))


def test_record_fields_and_spans(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Statement of the Ministry of Foreign Affairs of Ukraine\n\n"
        "On 14 April 2023, Russian forces shelled residential buildings in Sloviansk, killing 15 civilians, "
        "according to witnesses and a video posted on Telegram."
    )
    recs = extract(text)
    killing = next(r for r in recs if r.act == "killing_of_civilians")
    assert text[killing.start:killing.end] == killing.text
    assert killing.sentence in text and killing.start >= text.index(killing.sentence)
    assert killing.claimant == "Ukraine" and killing.accused == ["Russia"]
    assert killing.time == "2023-04-14"
    assert {"witnesses", "video", "social_media"} <= set(killing.evidence)
    assert killing.place == "Sloviansk"


def test_dateline_and_treaty_places_are_not_actors(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "KYIV, March 3 (Wire) - Ukraine's foreign ministry said Russian troops executed prisoners of war near "
        "Bakhmut, which is a war crime under the Rome Statute."
    )
    got = tuples(extract(text))
    assert ("Ukraine", "Russia", "execution_of_pows", "assert") in got
    assert not any("Italy" in t for t in got)  # "Rome" in "Rome Statute"


def test_a_speaker_who_is_no_known_actor_is_not_replaced_by_another(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "GAZA, Oct 18 (Wire) - Local health officials said that 30 civilians were killed in the strike, "
        "while Israel's military denied that its aircraft hit the hospital."
    )
    got = tuples(extract(text))
    assert not any(t[0] == "Israel" and t[3] == "assert" for t in got)
    assert ("Israel", "Israel", "attack_on_infrastructure", "deny") in got


def test_peoples_count_as_victims(extract) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Statement of the Ministry of Foreign Affairs of Ukraine\n\n"
        "Russian forces have killed hundreds of Ukrainians in occupied Mariupol."
    )
    assert ("Ukraine", "Russia", "killing_of_civilians", "assert") in tuples(extract(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia has been accused of war crimes by Ukraine and Western governments.",
         {("Ukraine", "Russia", "war_crime", "assert"), ("Western states", "Russia", "war_crime", "assert")}),
        ("The Tatmadaw said the Arakan Army was responsible for the massacre of Rohingya villagers in Buthidaung.",
         {("Myanmar", "Arakan Army", "killing_of_civilians", "assert")}),
        ("The EU and the United States condemned the shelling of civilians in Kharkiv by Russian forces.",
         {("European Union", "Russia", "attack_on_civilians", "assert"),
          ("United States", "Russia", "attack_on_civilians", "assert")}),
        ("Toivo Klaar, EU special representative for the South Caucasus and the crisis in Georgia, accused Russia "
         "of war crimes.", {("European Union", "Russia", "war_crime", "assert")}),  # no claim by Georgia
        ("Ukraine and Poland accused Russia of deporting Ukrainian children.",
         {("Ukraine", "Russia", "deportation", "assert"), ("Poland", "Russia", "deportation", "assert")}),
        ("The Independent International Commission of Inquiry on Ukraine found that Russian forces committed "
         "wilful killing and the unlawful deportation of children.",
         {("United Nations", "Russia", "killing_of_civilians", "assert"),
          ("United Nations", "Russia", "deportation", "assert")}),
    ],
)
def test_single_sentences(extract, text: str, expected: set[tuple[str, str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    assert tuples(extract(text)) == expected


def test_reporter_and_evidence(extract) -> None:  # type: ignore[no-untyped-def]
    text = (CASES / "allegations_gaza_news.txt").read_text("utf-8")
    recs = extract(text)
    assert {r.reporter for r in recs} == {"Reuters"}
    statement = (
        "Statement of the Ministry of Foreign Affairs of Ukraine\n\n"
        "Russia's claims that Ukrainian forces shelled civilians in Donetsk are false."
    )
    recs = extract(statement)
    assert {(r.claimant, r.reporter) for r in recs} == {("Russia", "Ukraine"), ("Ukraine", None)}


def test_a_pipeline_without_parser_gives_no_error() -> None:
    import spacy

    from counterclaim.extract.allegations import find_allegations
    from counterclaim.extract.context import Context

    nlp = spacy.blank("en")
    for text in ("", "Russian forces shelled residential areas of Kharkiv."):
        assert find_allegations(nlp(text), Context(DocInput(id="x", text=text))) == []
