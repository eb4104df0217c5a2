"""Batch extraction: documents → records, with the spaCy pipeline loaded once per worker.

:class:`Extractor` has the shape of a stateful batch step (model loaded in ``__init__``, pure ``__call__`` on a batch),
so the same code can run on a distributed engine's ``map_batches``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from counterclaim.extract.context import Context, DocInput
from counterclaim.records import Document, Record


def doc_input(doc: Document) -> DocInput:
    return DocInput(
        id=doc.id, text=doc.text, published=doc.published, publisher=doc.publisher, title=doc.title,
        language=doc.language, author=doc.author,
    )


class Extractor:
    def __init__(self, nlp: Language | None = None, batch_size: int = 32) -> None:
        from counterclaim.nlp.pipeline import installed_version, pipeline_version

        self._nlp = nlp
        # the version is known without the model: a run with nothing stale never loads it
        self.version = pipeline_version(nlp) if nlp is not None else installed_version()
        self.batch_size = batch_size

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use (once per extractor)."""
        if self._nlp is None:
            from counterclaim.nlp.pipeline import load_pipeline, pipeline_version

            self._nlp = load_pipeline()
            if pipeline_version(self._nlp) != self.version:  # meta.json and the loaded model disagree
                self.version = pipeline_version(self._nlp)
        return self._nlp

    def __call__(self, batch: list[DocInput]) -> list[list[Record]]:
        return [records for _, records in self.stream(batch)]

    def stream(
        self, inputs: Iterable[DocInput], on_error: Callable[[DocInput, Exception], None] | None = None
    ) -> Iterator[tuple[DocInput, list[Record]]]:
        """Yield ``(input, records)`` per document, in order, processing ``batch_size`` documents at a time.

        A document longer than spaCy's ``max_length`` is analysed in paragraph chunks (``nlp/chunks.py``). With
        ``on_error``, a document whose extraction fails is handed to it and skipped; without, the error is raised.
        """
        from counterclaim.nlp.chunks import chunked, isolated

        def run(batch: Iterable[DocInput]) -> Iterator[tuple[DocInput, list[Record]]]:
            return chunked(self._stream, batch, self.nlp.max_length)

        return isolated(run, inputs, self.batch_size, on_error)

    def _stream(self, inputs: Iterable[DocInput]) -> Iterator[tuple[DocInput, list[Record]]]:
        """The documents through ``nlp.pipe`` as they come (each at most ``nlp.max_length`` characters)."""

        def docs() -> Iterator[Doc]:
            for inp in inputs:
                d = self.nlp.make_doc(inp.text)
                d._.cc = Context(inp, version=self.version)
                yield d

        for sdoc in self.nlp.pipe(docs(), batch_size=self.batch_size):
            ctx: Context = sdoc._.cc
            yield ctx.input, ctx.records()


def extract_text(text: str, published: str | None = None, doc_id: str = "") -> list[Record]:
    """Extract the records of one text (a convenience for tests and notebooks)."""
    return Extractor()([DocInput(id=doc_id, text=text, published=published)])[0]
