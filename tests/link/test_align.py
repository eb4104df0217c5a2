from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from counterclaim.ingest.clean import normalise
from counterclaim.link.align import align, dice
from counterclaim.link.lineage import link_kind
from counterclaim.link.text import content_words, normalised_body, split_sentences

from .texts import FURNITURE_COPY, ORIGINAL, PARTIAL, REWRITE, UNRELATED_SAME_TOPIC


def kind(a: str, b: str) -> str | None:
    a, b = normalise(a), normalise(b)
    return link_kind(align(split_sentences(a), split_sentences(b)), normalised_body(a) == normalised_body(b))


def test_sentence_spans_are_exact() -> None:
    for sent in split_sentences(PARTIAL):
        assert PARTIAL[sent.start : sent.end] == sent.text


def test_furniture_lines_are_not_sentences() -> None:
    texts = [s.text for s in split_sentences(normalise(FURNITURE_COPY.replace("\n\nAll rights", "\nAll rights")))]
    assert not any("Share this page" in t or "Facebook" in t for t in texts)


def test_content_words_drop_stop_words_and_stem() -> None:
    assert content_words("The civilians were killed") == content_words("civilian killing")
    assert "the" not in content_words("The market")


def test_exact_copy_is_duplicate() -> None:
    assert kind(ORIGINAL, ORIGINAL) == "duplicate"


def test_copy_with_furniture_is_duplicate() -> None:
    assert kind(FURNITURE_COPY, ORIGINAL) == "duplicate"


def test_paraphrase_is_rewrite() -> None:
    assert kind(REWRITE, ORIGINAL) == "rewrite"


def test_partial_reuse_is_partial() -> None:
    assert kind(PARTIAL, ORIGINAL) == "partial"


def test_unrelated_text_on_same_topic_is_not_linked() -> None:
    assert kind(UNRELATED_SAME_TOPIC, ORIGINAL) is None
    assert kind(UNRELATED_SAME_TOPIC, REWRITE) is None


def test_shares_of_partial_reuse_are_asymmetric() -> None:
    al = align(split_sentences(PARTIAL), split_sentences(ORIGINAL))
    assert 0.2 < al.share_a < 0.5
    assert 0.3 < al.share_b < 0.6
    assert al.sentences_a == 3


@given(st.lists(st.text(min_size=1, max_size=8), max_size=10), st.lists(st.text(min_size=1, max_size=8), max_size=10))
def test_dice_bounds_and_symmetry(a: list[str], b: list[str]) -> None:
    assert 0.0 <= dice(a, b) <= 1.0
    assert dice(a, b) == dice(b, a)


@given(st.text(max_size=400))
def test_split_sentences_never_breaks_on_any_text(text: str) -> None:
    for sent in split_sentences(text, min_words=1):
        assert text[sent.start : sent.end] == sent.text
