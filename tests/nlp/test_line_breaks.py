"""Sentence boundaries at paragraph breaks, set before the parser (counterclaim.nlp.line_breaks)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counterclaim.nlp.line_breaks import mark_line_breaks

HEADLINE = (
    "Eritrean troops massacred civilians in Axum, says Amnesty International\n\n"
    "26 February 2021\n\n"
    "Eritrean troops systematically killed hundreds of civilians, Amnesty International said.\n"
)


def _starts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def test_headline_dateline_and_paragraph_are_separate_sentences(nlp) -> None:  # type: ignore[no-untyped-def]
    sents = _starts(nlp(HEADLINE))
    assert sents[0] == "Eritrean troops massacred civilians in Axum, says Amnesty International"
    assert "26 February 2021" in sents
    # the paragraph's speech verb governs its own clause: the headline is not part of its tree
    doc = nlp(HEADLINE)
    said = next(t for t in doc if t.text == "said")
    assert all(t.i > said.sent.start - 1 for t in said.subtree)
    assert said.sent.start > next(t for t in doc if t.text == "2021").i


def test_hard_wrapped_running_text_stays_one_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The ministry said that the strike on the market in the\ncity killed at least twelve people on Monday.\n"
    assert len(_starts(nlp(text))) == 1


def test_the_component_runs_before_the_parser(nlp) -> None:  # type: ignore[no-untyped-def]
    names = nlp.pipe_names
    assert names.index("counterclaim_line_breaks_v1") < names.index("parser")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Word", "word", ".", ":", "\n", "\n\n", " ", "12", "”"]), max_size=40))
def test_any_text_gets_consistent_boundaries(nlp, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(parts)
    doc = nlp.make_doc(text)
    mark_line_breaks(doc)  # never raises, whatever the whitespace
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_sent_start and not tok.is_space:
            assert "\n" in prev.text + prev.whitespace_


def test_the_installed_version_is_the_loaded_pipelines() -> None:
    """An analyze with nothing to do reads the version from the package's meta.json instead of loading the model;
    both must give the same version, or every document would look stale (or never stale)."""
    from counterclaim.nlp.pipeline import installed_version, load_pipeline, pipeline_version

    assert installed_version() == pipeline_version(load_pipeline())
