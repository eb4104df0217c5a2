"""Quotes: direct quotes with speakers (pronouns, surnames, multi-paragraph), Q&A answers, scare quotes, spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterclaim.extract.context import Context, DocInput
from counterclaim.extract.quote_marks import OPENERS, quoted_spans
from counterclaim.records import Quote

CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    """The model with only the components under test (actors, quotes): others' work cannot break these tests."""
    import counterclaim.nlp.components  # noqa: F401  (registers the factories)
    from counterclaim.extract.actors import add_actor_ruler
    from counterclaim.nlp.pipeline import load_model

    model = load_model()
    add_actor_ruler(model)
    for name in ("counterclaim_actors_v1", "counterclaim_quotes_v1"):
        model.add_pipe(name)
    return model


def run(nlp, text: str) -> list[Quote]:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    doc._.cc = Context(DocInput(id="t", text=text))
    quotes: list[Quote] = nlp(doc)._.cc.quotes
    for q in quotes:
        assert text[q.start:q.end] == q.text
        assert q.text and q.text[0] not in OPENERS and q.text[-1] not in "”»\""
    return quotes


def case(name: str) -> str:
    return (CASES / name).read_text("utf-8")


def test_multi_paragraph_quote_with_pronoun(nlp) -> None:  # type: ignore[no-untyped-def]
    text = case("quotes_ukraine_mfa.txt")
    quotes = [q for q in run(nlp, text) if q.direct]
    assert [q.speaker for q in quotes] == ["Oleg Nikolenko", "Oleg Nikolenko"]
    assert quotes[0].text.startswith("Russia once again deliberately targeted")
    assert quotes[0].text.endswith("held to account.")
    assert quotes[1].text.startswith("We call on our partners")
    assert quotes[1].verb == "said" and quotes[1].direct
    assert quotes[0].affiliation == "Ukraine"
    assert all("military infrastructure" not in q.text for q in quotes)  # a scare quote


def test_wire_report_told_reporters_and_spokesman_of_a_group(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_wire_sudan.txt"))
    direct = [q for q in quotes if q.direct]
    assert [q.speaker for q in direct] == ["Volker Perthes", "Rapid Support Forces"]
    assert direct[0].verb is not None and direct[0].verb.startswith("told reporters")
    assert direct[0].affiliation == "United Nations"
    assert direct[1].text.startswith("Our forces did not target any civilians")


def test_qa_answers_go_to_the_person_named_in_the_header(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_qa_briefing.txt"))
    answers = [q for q in quotes if q.verb == "answer"]
    assert [q.speaker for q in answers] == ["Wang Lin", "Wang Lin"]
    assert answers[0].text.startswith("We have noted the relevant reports.")
    assert answers[0].text.rstrip().endswith("protect the safety of civilians.")
    assert not any("Human rights groups say" in q.text for q in quotes)  # the question is not an answer


def test_answer_marker_names_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Briefing on the situation in Tigray\n\nQuestion: Are aid convoys reaching Mekelle?\n\n"
        "Answer (Redwan Hussein): Convoys are moving every day and the government guarantees their safety.\n"
    )
    quotes = run(nlp, text)
    assert [(q.speaker, q.text[:7]) for q in quotes] == [("Redwan Hussein", "Convoys")]


def test_scare_quotes_are_not_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for q in run(nlp, case("quotes_scare_gaza.txt")) if q.direct]
    assert [q.speaker for q in quotes] == ["Mahmoud Basal"]
    assert quotes[0].text.startswith("The building was a school")


def test_institution_as_speaker_and_surname_resolution(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Sergei Lavrov, the Russian Foreign Minister, met his counterpart in Ankara.\n\n"
        "\u201cWe are ready to discuss a ceasefire if our security interests are respected,\u201d Lavrov said.\n\n"
        "The Ukrainian Foreign Ministry dismissed the remarks. \u201cThese words are propaganda meant to cover up "
        "the deportation of children,\u201d the ministry stressed."
    )
    quotes = [q for q in run(nlp, text) if q.direct]
    assert [q.speaker for q in quotes] == ["Sergei Lavrov", "Ministry of Foreign Affairs of Ukraine"]
    assert quotes[1].verb == "stressed"


def test_speaker_from_the_clause_before_the_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In its order of 23 January 2020, the International Court of Justice found that the Rohingya remained at "
        "\u201ca real risk of irreparable prejudice to their rights under the Convention\u201d in Rakhine State."
    )
    quotes = [q for q in run(nlp, text) if q.direct]
    assert [q.speaker for q in quotes] == ["International Court of Justice"]


def test_indirect_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "KHARTOUM, June 14 (Wire) - Fighting in El Geneina has killed hundreds of civilians this week, a United Nations "
        "official said on Wednesday.\n\n"
        "The Sudanese army denied that its aircraft had bombed the market in Nyala.\n\n"
        "According to the International Committee of the Red Cross, two of its volunteers were killed in Omdurman."
    )
    quotes = run(nlp, text)
    assert all(not q.direct for q in quotes)
    got = {(q.speaker, q.text.split()[0], q.verb) for q in quotes}
    assert ("United Nations", "Fighting", "said") in got  # the dateline is not part of the reported clause
    assert ("armed forces of Sudan", "its", "denied") in got  # "that" is not part of it either
    assert ("International Committee of the Red Cross", "two", "according to") in got


def test_reporting_clause_of_a_direct_quote_is_not_indirect_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "\u201cThe shelling of the hospital was deliberate and systematic,\u201d Dmytro Lubinets, the Ombudsman of Ukraine, said."
    quotes = run(nlp, text)
    assert [(q.speaker, q.direct) for q in quotes] == [("Dmytro Lubinets", True)]


def test_quoted_spans_multi_paragraph() -> None:
    text = "\u201cFirst part of it.\n\n\u201cSecond part,\u201d he said. A \"short\" word."
    spans = quoted_spans(text)
    assert [text[s.start:s.end] for s in spans] == ["First part of it.", "Second part,", "short"]
    assert [s.closed for s in spans] == [False, True, True]
    assert spans[1].continues and not spans[0].continues


def test_apostrophes_are_not_quote_marks() -> None:
    text = "The army\u2019s statement said \u2018we will return\u2019 and Kyiv\u2019s reply came."
    assert [text[s.start:s.end] for s in quoted_spans(text)] == ["we will return"]


@given(st.text(alphabet=st.sampled_from(list("ab .,\n") + list(OPENERS) + list("”»’")), max_size=80))
def test_quoted_spans_are_inside_the_text(text: str) -> None:
    for s in quoted_spans(text):
        assert 0 < s.start < s.end <= len(text)
        assert text[s.start - 1] in OPENERS or text[s.start - 1] == "'"
        assert "\n" not in text[s.start:s.end]


def test_wire_report_speakers(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for q in run(nlp, case("quotes_ukraine_wire.txt")) if q.direct]
    got = [(q.speaker, q.text.split()[0]) for q in quotes]
    assert got == [
        ("Volodymyr Zelensky", "They"),  # "“...,” Zelensky said in his nightly video address, “...”": both halves
        ("Volodymyr Zelensky", "and"),
        ("Ministry of Defence of Russia", "The"),  # an organ: "<role> of <state>"
        ("President of Russia", "The"),  # "The Kremlin said:"
        ("António Guterres", "We"),  # "said UN Secretary-General António Guterres"
        ("a survivor", "He"),  # an unnamed witness keeps its description; the nested ‘run’ is inside the quote
        ("Dmitry Peskov", "These"),  # "He told reporters:" → the person, not the Kremlin of his apposition
    ]
    assert quotes[0].verb is not None and quotes[0].verb.startswith("said")
    assert quotes[2].verb == "said in a statement"


def test_briefing_with_named_answers(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_briefing_names.txt"))
    assert [(q.speaker, q.text.split()[0]) for q in quotes] == [("Maria Zakharova", "This"), ("Maria Zakharova", "We")]
    assert quotes[0].text.endswith("to expose it.")  # the answer stops at the next question


def test_interview_q_a_labels(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_interview_ethiopia.txt"))
    assert [(q.speaker, q.direct) for q in quotes] == [("Demeke Mekonnen", True), ("Demeke Mekonnen", True)]
    assert quotes[0].affiliation == "Ethiopia"
    assert quotes[1].text.startswith("These reports are not accurate")


def test_titles_nouns_and_generic_speakers(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_sudan_report.txt"))
    direct = [(q.speaker, q.text.split()[0], q.verb) for q in quotes if q.direct]
    assert direct == [
        ("Agnès Callamard", "Entire", "according to"),  # "...,” according to ..., X."
        ("Abdel Fattah al-Burhan", "We", "said"),  # the person, not the army of his apposition
        ("Residents", "a", "described"),  # an unnamed group keeps its description
    ]  # the report's title in quote marks is not a quote ("report" there is a noun, not a reporting verb)
    indirect = [q for q in quotes if not q.direct]
    assert [(q.speaker, q.verb) for q in indirect] == [("Amnesty International", "found")]


def test_pronoun_gender_picks_the_right_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Josep Borrell, the EU foreign policy chief, met Ms. Liz Throssell, the OHCHR spokeswoman, in Geneva.\n\n"
        '"Civilians in Gaza must be protected and humanitarian access must be allowed immediately," she said.\n\n'
        '"The European Union will continue to support the work of the International Criminal Court," he added.'
    )
    quotes = [q for q in run(nlp, text) if q.direct]
    assert [q.speaker for q in quotes] == ["Liz Throssell", "Josep Borrell"]
    assert quotes[1].affiliation == "European Union"


def test_straight_single_quotes_british_style(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "'The government is dropping barrels packed with explosives on neighbourhoods,' said Ole Solvang, "
        "senior emergencies researcher at Human Rights Watch.\n\n"
        "Abu Mohammed, a resident of the district, said: 'My neighbour's house was destroyed in the strike.'"
    )
    quotes = [q for q in run(nlp, text) if q.direct]
    assert [(q.speaker, q.text.split()[0]) for q in quotes] == [("Ole Solvang", "The"), ("Abu Mohammed", "My")]
    assert quotes[0].affiliation == "Human Rights Watch"
    assert quotes[1].text.endswith("in the strike.")  # the apostrophe of "neighbour's" does not close the quote


def test_postposed_speaker_title_then_name(nlp) -> None:  # type: ignore[no-untyped-def]
    """``,” said the ministry's spokesperson, X. “...”``: the person after the title speaks (for the body of the
    title), and the next quote of the paragraph continues the same speaker."""
    quotes = [q for q in run(nlp, case("quotes_postposed_titles_russia.txt")) if q.direct]
    got = [(q.speaker, q.affiliation, q.text.split()[0]) for q in quotes]
    assert got[:4] == [
        ("Maria Zakharova", "Russia", "The"),  # "said the ministry's spokesperson, Maria Zakharova."
        ("Maria Zakharova", "Russia", "These"),  # the next sentence of her speech
        ("Oleh Nikolenko", "Ukraine", "Russia"),  # "said the spokesperson of the Ministry, Oleh Nikolenko." (not the Ministry)
        ("Oleh Nikolenko", "Ukraine", "The"),
    ]
    assert [(q.speaker, q.text.split()[0]) for q in quotes[4:]] == [
        ("Wang Wenbin", "China"),  # "said Foreign Ministry spokesman Wang Wenbin"
        ("John Smith", "We"),  # "said John Smith, a spokesman for the ministry"
    ]


def test_postposed_rank_and_name_and_a_place_in_a_title(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for q in run(nlp, case("quotes_postposed_titles_sudan.txt")) if q.direct]
    got = [(q.speaker, q.text.split()[0]) for q in quotes]
    assert got == [
        ("Nabil Abdallah", "Our"),  # "the army's spokesman, Brig. Gen. Nabil Abdallah, said": "Brig." ends no sentence
        ("Nabil Abdallah", "The"),
        ("Mariam Osman", "What"),  # "a spokeswoman for the Sudan Doctors Network": no person named "Sudan Doctors"
        ("Mariam Osman", "The"),
    ]
    assert quotes[0].affiliation == "Sudan"  # "the army" is the Sudanese Armed Forces named before


def test_place_as_a_speakers_first_name(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for q in run(nlp, case("actors_place_first_names.txt")) if q.direct]
    got = [(q.speaker, q.affiliation, q.text.split()[0]) for q in quotes]
    assert got == [
        ("Paris Delacroix", "International Federation for Human Rights", "Hospitals"),  # not France
        ("Paris Delacroix", "International Federation for Human Rights", "Every"),
        ("Israel Katz", "Israel", "We"),  # "Katz said": the person named before, whose state is Israel
        ("Tirana Hassan", "Human Rights Watch", "The"),  # "Hassan said": not Albania
    ]


def test_a_quote_after_another_sentence_does_not_continue_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        '"The strike hit a school where displaced families were sheltering," said Tirana Hassan, the executive '
        'director of Human Rights Watch. Officials disputed the figures. "The numbers are still being verified by '
        'our teams on the ground."\n\n'
        '"Our units struck only military targets," said the army\'s spokesman, Col. Ahmed Saleh. The ministry added: '
        '"Any civilian casualties will be investigated by the competent authorities."'
    )
    quotes = [q for q in run(nlp, text) if q.direct]
    # "The numbers ...": another sentence came between; "Any civilian ...": "The ministry added:" (a body never named)
    assert [(q.speaker, q.text.split()[0]) for q in quotes] == [("Tirana Hassan", "The"), ("Ahmed Saleh", "Our")]


def test_title_then_name_after_the_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = [q for q in run(nlp, case("quotes_title_after_verb_balkans.txt")) if q.direct]
    got = [(q.speaker, q.text.split()[0]) for q in quotes]
    assert got == [
        ("Irfan Ljubijankić", "The"),  # "said Minister of Foreign Affairs Irfan Ljubijankić": the person, not a title
        ("Irfan Ljubijankić", "We"),  # the next sentence of his speech
        ("Irfan Ljubijankić", "Every"),  # "he said": the minister named before
        ("Irfan Ljubijankić", "We"),  # "Ljubijankić told reporters": the surname
        ("Yasushi Akashi", "The"),  # "said UN Special Envoy for the Former Yugoslavia Yasushi Akashi in Zagreb"
        ("United Nations", "All"),  # "said the Office of the UN High Commissioner ...": a UN body speaks as the UN
        ("Human Rights Watch", "This"),  # "said Human Rights Watch in a report": no title, no person
    ]
    assert quotes[0].role == "Minister of Foreign Affairs"
    assert quotes[4].affiliation == "United Nations"


def test_interview_without_question_labels(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_interview_unlabelled_drc.txt"))
    answers = [q for q in quotes if q.verb == "answer"]
    assert [(q.speaker, q.text.split()[0]) for q in answers] == [
        ("Claudine Mwamba", "We"), ("Claudine Mwamba", "No."), ("Claudine Mwamba", "A"),
    ]  # "We spoke to Dr. Claudine Mwamba, ...": the interviewee; the questions are no quotes
    assert answers[-1].text.endswith("will die.")  # the last answer stops at its paragraph: not the editor's note
    assert not any(q.text.startswith(("What have", "Do you")) for q in quotes)


def test_questions_in_an_article_are_not_an_interview(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_rhetorical_questions_yemen.txt"))
    assert not [q for q in quotes if q.verb == "answer" or q.direct]  # no one is introduced as answering


def test_interview_needs_two_answered_questions(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "We spoke to Alice Mugabo, a lawyer for the families, outside the court in Arusha.\n\n"
        "Will the verdict change anything?\n"
        "The families have waited twenty years for this day, and they want the truth about the killings.\n\n"
        "The tribunal will deliver its judgment on Monday.\n"
    )
    assert not [q for q in run(nlp, text) if q.verb == "answer"]


def test_interview_with_bold_name_labels(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_interview_bold_labels_ukraine.txt"))
    answers = [q for q in quotes if q.verb == "answer"]
    assert [(q.speaker, q.text.split()[0]) for q in answers] == [("Serhiy Bolvinov", "We"), ("Serhiy Bolvinov", "The")]
    assert "Kharkiv Today" not in {q.speaker for q in quotes}  # the interviewer's label marks a question
    assert not any("**" in q.text for q in quotes)


def test_bold_q_and_a_labels(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = run(nlp, case("quotes_interview_bold_qa_mali.txt"))
    assert [(q.speaker, q.text.split()[0]) for q in quotes] == [
        ("Boubacar Sidiki Samaké", "At"), ("Boubacar Sidiki Samaké", "Witnesses"),
    ]
