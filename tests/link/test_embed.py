from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from counterclaim.link.align import align
from counterclaim.link.embed import embed
from counterclaim.link.text import split_sentences
from counterclaim.store import Ledger
from counterclaim.store.links import LinkStore


class CountingEncoder:
    """A stand-in encoder: one fixed random unit vector per distinct sentence; counts what it is asked."""

    name = "counting-test"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, sentences: Sequence[str]) -> NDArray[np.float32]:
        self.seen += list(sentences)
        rows = []
        for s in sentences:
            v = np.random.default_rng(abs(hash(s)) % 2**32).normal(size=8)
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32)


def test_embeddings_are_cached_in_the_ledger(ledger: Ledger) -> None:
    enc = CountingEncoder()
    store = LinkStore(ledger)
    first = embed(["one sentence here", "another one", "one sentence here"], enc, store)
    assert enc.seen == ["one sentence here", "another one"]  # duplicates encoded once
    again = embed(["another one", "one sentence here", "a third"], enc, store)
    assert enc.seen[2:] == ["a third"]  # the rest came from the ledger
    assert np.allclose(again[1], first[0]) and np.allclose(again[0], first[1])
    assert store.get_embeddings([], enc.name) == {}


def test_embeddings_align_what_words_do_not() -> None:
    a = split_sentences("The shelling of the market killed dozens of traders on Monday morning.")
    b = split_sentences("Scores of merchants died when artillery hit the bazaar early that day.")
    assert not align(a, b).pairs
    same = np.ones((1, 4), dtype=np.float32) / 2  # identical unit vectors: cosine 1
    assert align(a, b, same, same).pairs  # a cosine of 1 aligns them by itself
