"""Sentence alignment of two documents and the aligned share of each.

Two sentences align when they say the same thing: lexically (Dice overlap of their content words) or, when sentence
embeddings are given, by the mean of embedding cosine and lexical overlap (cosine alone pairs any two sentences on
the same topic). Each sentence is matched to its best partner on the
other side; a rewrite that merges two sentences into one therefore aligns both of them. The aligned *share* of a
document is the fraction of its content words that sit in aligned sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from counterclaim.link.text import Sentence, lineage_data


@dataclass(frozen=True)
class AlignedPair:
    """Sentence ``a`` of the first document aligned with sentence ``b`` of the second."""

    a: int
    b: int
    score: float  # the similarity that aligned them (the larger of lexical and combined lexical/embedding scores)
    lexical: float  # Dice overlap of content words: 1.0 for verbatim copies


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[AlignedPair, ...]
    share_a: float
    share_b: float
    verbatim: float  # fraction of aligned pairs that are (near) verbatim copies
    prose_share_a: float = 0.0  # the shares counting prose sentences only (furniture lines left out)
    prose_share_b: float = 0.0

    @property
    def sentences_a(self) -> int:
        return len({p.a for p in self.pairs})

    @property
    def sentences_b(self) -> int:
        return len({p.b for p in self.pairs})


def dice(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice coefficient of two bags of words taken as sets."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def lexical_matrix(a: Sequence[Sentence], b: Sequence[Sentence]) -> NDArray[np.float64]:
    out = np.zeros((len(a), len(b)))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i, j] = dice(x.words, y.words)
    return out


def align(
    a: Sequence[Sentence],
    b: Sequence[Sentence],
    emb_a: NDArray[np.float32] | None = None,
    emb_b: NDArray[np.float32] | None = None,
) -> Alignment:
    """Align the sentences of two documents; embeddings (unit rows, one per sentence) are optional."""
    th = lineage_data()["thresholds"]
    if not a or not b:
        return Alignment((), 0.0, 0.0, 0.0)
    lex = lexical_matrix(a, b)
    ok = lex >= th["lexical_similarity"]
    score = lex.copy()
    if emb_a is not None and emb_b is not None and len(emb_a) == len(a) and len(emb_b) == len(b):
        cos = (emb_a @ emb_b.T).astype(np.float64)
        combined = (cos + lex) / 2
        ok |= (combined >= th["combined_similarity"]) | (cos >= th["embedding_alone"])
        score = np.maximum(score, combined)
    masked = np.where(ok, score, -1.0)
    chosen: dict[tuple[int, int], None] = {}
    for i in range(len(a)):
        j = int(masked[i].argmax())
        if masked[i, j] >= 0:
            chosen[(i, j)] = None
    for j in range(len(b)):
        i = int(masked[:, j].argmax())
        if masked[i, j] >= 0:
            chosen[(i, j)] = None
    pairs = tuple(
        AlignedPair(i, j, round(float(score[i, j]), 4), round(float(lex[i, j]), 4)) for i, j in sorted(chosen)
    )
    in_a, in_b = {p.a for p in pairs}, {p.b for p in pairs}
    prose_a, prose_b = [s for s in a if s.prose], [s for s in b if s.prose]
    return Alignment(
        pairs, _share(a, in_a), _share(b, in_b), _verbatim(pairs), _share(prose_a, in_a), _share(prose_b, in_b)
    )


def _share(sentences: Sequence[Sentence], aligned: set[int]) -> float:
    total = sum(s.weight for s in sentences)
    if not total:
        return 0.0
    return round(sum(s.weight for s in sentences if s.index in aligned) / total, 4)


def _verbatim(pairs: Sequence[AlignedPair]) -> float:
    if not pairs:
        return 0.0
    th: float = lineage_data()["thresholds"]["verbatim_similarity"]
    return round(sum(p.lexical >= float(th) for p in pairs) / len(pairs), 4)
