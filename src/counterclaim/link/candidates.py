"""Candidate pairs for lineage without comparing all pairs.

Two cheap, sub-quadratic signals:

* **MinHash-LSH** (datasketch) over the set of a document's content words (stemmed, stop words removed). Copies and
  even rewrites keep most content words (the seed rewrite keeps 45 % of them while sharing 6 % of word 5-grams), so a
  low LSH threshold finds them; each document is hashed once and queried against the index.
* **Rare keys**: numbers, capitalised names and a sample of content-word trigrams (those whose hash is 0 modulo
  ``shingle_sample``, so every document keeps the same ones). A key held by few documents (``rare_key_max_df``)
  pairs them up when they share several (``min_shared_keys``): a rewrite may change half the words but keeps "38",
  "El Fasher" and some runs of three content words; a partial reuse keeps whole sentences, hence many trigrams,
  while sharing too few words overall for MinHash.

Keys held by many documents are skipped, so the work per document is bounded and the whole step grows linearly.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from numpy.typing import NDArray

from counterclaim.link.text import content_words, lineage_data, numbers

_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)*")
SEED = 7


@dataclass(frozen=True)
class Fingerprint:
    """What candidate search needs from one document: its MinHash signature and its keys."""

    doc: str
    signature: NDArray[np.uint64]
    keys: frozenset[str]


def keys_of(text: str, words: list[str] | None = None) -> frozenset[str]:
    """Numbers, capitalised names (not at a sentence start) and sampled content-word trigrams of a text."""
    out = {"#" + n for n in numbers(text)}
    out |= {"@" + m.group(0).lower() for m in _NAME.finditer(text)}
    words = content_words(text) if words is None else words
    sample = int(lineage_data()["thresholds"]["shingle_sample"])
    for i in range(len(words) - 2):
        digest = zlib.crc32(f"{words[i]} {words[i + 1]} {words[i + 2]}".encode())
        if digest % sample == 0:
            out.add(f"~{digest:08x}")
    return frozenset(out)


def fingerprint(doc_id: str, text: str, permutations: int | None = None) -> Fingerprint:
    perms = permutations or int(lineage_data()["thresholds"]["minhash_permutations"])
    mh = _new_minhash(perms)
    seq = content_words(text)
    words = set(seq)
    if words:
        mh.update_batch([w.encode("utf-8") for w in words])
    return Fingerprint(doc_id, np.asarray(mh.hashvalues, dtype=np.uint64), keys_of(text, seq))


def _new_minhash(perms: int, hashvalues: NDArray[np.uint64] | None = None) -> MinHash:
    """A MinHash in datasketch's 32-bit affine scheme (datasketch ≥ 2), the legacy scheme before that."""
    try:
        template = _template(perms)
        if hashvalues is None:
            return MinHash(num_perm=perms, seed=SEED, permutations=template.permutations, scheme="affine32")
        return MinHash(num_perm=perms, seed=SEED, hashvalues=hashvalues.astype(np.uint32), scheme="affine32")
    except TypeError:  # datasketch < 2.0: no schemes
        return MinHash(num_perm=perms, seed=SEED, hashvalues=hashvalues)


@lru_cache(maxsize=4)
def _template(perms: int) -> MinHash:
    """One MinHash whose permutations every other reuses (making them is most of the cost of a new MinHash)."""
    return MinHash(num_perm=perms, seed=SEED, scheme="affine32")


def _minhash(sig: NDArray[np.uint64]) -> MinHash:
    return _new_minhash(len(sig), sig)


def candidate_pairs(
    old: Iterable[Fingerprint], new: Iterable[Fingerprint], max_per_doc: int = 50
) -> set[tuple[str, str]]:
    """Pairs (sorted ids) of possibly related documents with at least one of them in ``new``.

    ``old`` are documents already linked among themselves; only pairs touching a new document are returned, so an
    incremental update costs in proportion to what was added.
    """
    th = lineage_data()["thresholds"]
    old_l, new_l = list(old), list(new)
    if not new_l:
        return set()
    perms = len(new_l[0].signature)
    lsh = MinHashLSH(threshold=float(th["lsh_threshold"]), num_perm=perms)
    for fp in old_l + new_l:
        lsh.insert(fp.doc, _minhash(fp.signature), check_duplication=False)
    pairs: set[tuple[str, str]] = set()
    for fp in new_l:
        for other in lsh.query(_minhash(fp.signature)):
            if other != fp.doc:
                pairs.add((min(fp.doc, other), max(fp.doc, other)))
    pairs |= key_pairs(old_l, new_l, int(th["rare_key_max_df"]), int(th["min_shared_keys"]), max_per_doc)
    by_id = {fp.doc: fp for fp in old_l + new_l}
    return {p for p in pairs if worth_aligning(by_id[p[0]], by_id[p[1]])}


def worth_aligning(a: Fingerprint, b: Fingerprint) -> bool:
    """The final cheap check of a candidate: estimated word Jaccard, or shared content-word trigrams.

    LSH banding and shared names let through many pairs of documents that merely share a topic; those share
    almost no trigram and have a low estimated Jaccard. Copies, rewrites and partial reuses pass one of the two.
    """
    th = lineage_data()["thresholds"]
    same_size = len(a.signature) == len(b.signature) and len(a.signature) > 0
    if same_size and float(np.mean(a.signature == b.signature)) >= float(th["min_jaccard"]):
        return True
    shared = sum(1 for k in a.keys & b.keys if k.startswith("~"))
    return shared >= int(th["min_shared_shingles"])


def key_pairs(
    old: list[Fingerprint], new: list[Fingerprint], max_df: int, min_shared: int, max_per_doc: int
) -> set[tuple[str, str]]:
    """Pairs sharing at least ``min_shared`` keys that at most ``max_df`` documents hold."""
    df: Counter[str] = Counter()
    for fp in old + new:
        df.update(fp.keys)
    postings: dict[str, list[str]] = {}
    for fp in old + new:
        for key in fp.keys:
            if 1 < df[key] <= max_df:
                postings.setdefault(key, []).append(fp.doc)
    pairs: set[tuple[str, str]] = set()
    for fp in new:
        shared: Counter[str] = Counter()
        for key in fp.keys:
            for other in postings.get(key, ()):
                if other != fp.doc:
                    shared[other] += 1
        # ties broken by document id, not by the order a set of keys happened to be walked (the hash seed)
        for other, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:max_per_doc]:
            if n >= min_shared:
                pairs.add((min(fp.doc, other), max(fp.doc, other)))
    return pairs


def recall(found: Iterable[tuple[str, str]], truth: Mapping[tuple[str, str], object]) -> float:
    """Fraction of the true pairs (sorted ids) that the candidate step found."""
    got = {tuple(sorted(p)) for p in found}
    return sum(tuple(sorted(p)) in got for p in truth) / len(truth) if truth else 1.0
