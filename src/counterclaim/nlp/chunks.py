"""Long documents and bad documents in a batch.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters, error E088): the parser needs about 1 GB
of memory per 100,000 characters. A longer document is analysed in parser-sized chunks cut at paragraph boundaries
(a blank line; else a line break, a sentence end, a space), each chunk extracted with the document's metadata, and
every record's span shifted back to the document's offsets (its id, and the ids other records hold of it, follow).

:func:`isolated` keeps one bad document from stopping a batch: when a batch fails, its documents are retried one
by one and the one that fails again is handed to ``on_error`` instead of the records, the rest is analysed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from counterclaim.extract.context import DocInput
from counterclaim.records import Record

#: The most characters of a chunk (spaCy's rule of thumb: about 1 GB of parser memory per 100,000 characters).
CHUNK_CHARS = 100_000

#: chunks of one long document parsed together (about 2.5 GB of parser memory per million characters in a batch)
CHUNKS_PER_CALL = 2
#: short documents read ahead and passed to one ``stream`` call (which batches them itself)
PENDING_DOCS = 256

Stream = Callable[[Iterable[DocInput]], Iterator[tuple[DocInput, list[Record]]]]

# cut points, best first: a paragraph break, a line break, a sentence end, any whitespace
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'’”)\]]*\s+"), re.compile(r"\s+"))


def split_spans(text: str, max_chars: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` spans covering ``text`` in order, each at most ``max_chars`` long, cut after the last
    paragraph break that fits (else a line break, a sentence end, a space; a hard cut only in a run without any)."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > max_chars:
        limit = start + max_chars
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(text, start + max_chars // 4, limit) if m.end() <= limit]
            if ends:
                cut = ends[-1]
                break
        if cut <= start:
            cut = limit
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans


def shift_records(records: list[Record], offset: int) -> list[Record]:
    """The records of a chunk starting at ``offset``, with spans (and so ids) in the document's offsets; the ids
    records hold of each other (a figure's ``parent``, an allegation's ``victims``) are renamed to match."""
    if not offset:
        return records
    moved = [dataclasses.replace(r, start=r.start + offset, end=r.end + offset, id="") for r in records]
    renamed = {old.id: new.id for old, new in zip(records, moved, strict=True)}
    for rec in moved:
        for f in dataclasses.fields(rec):
            if f.name == "id":
                continue
            value: Any = getattr(rec, f.name)
            if isinstance(value, str) and value in renamed:
                setattr(rec, f.name, renamed[value])
            elif isinstance(value, list) and any(isinstance(v, str) and v in renamed for v in value):
                setattr(rec, f.name, [renamed.get(v, v) if isinstance(v, str) else v for v in value])
    return moved


def chunked(
    stream: Stream, inputs: Iterable[DocInput], max_length: int, max_chars: int = CHUNK_CHARS,
    chunks_per_call: int = CHUNKS_PER_CALL,
) -> Iterator[tuple[DocInput, list[Record]]]:
    """``stream`` over ``inputs``, with every input longer than ``max_length`` characters fed as chunks of at most
    ``max_chars``, ``chunks_per_call`` at a time (the parser's memory grows with the characters of a batch), and
    its records gathered back, in document offsets, as one result. Inputs keep their order."""
    pending: list[DocInput] = []
    for inp in inputs:
        if len(inp.text) <= max_length:
            pending.append(inp)
            if len(pending) >= PENDING_DOCS:
                yield from stream(pending)
                pending = []
            continue
        if pending:
            yield from stream(pending)
            pending = []
        spans = split_spans(inp.text, min(max_chars, max_length))
        gathered: list[Record] = []
        for k in range(0, len(spans), max(1, chunks_per_call)):
            group = spans[k:k + max(1, chunks_per_call)]
            parts = [dataclasses.replace(inp, text=inp.text[a:b]) for a, b in group]
            for (a, _), (_, records) in zip(group, stream(parts), strict=True):
                gathered.extend(shift_records(records, a))
        yield inp, gathered
    if pending:
        yield from stream(pending)


def isolated(
    stream: Stream, inputs: Iterable[DocInput], batch_size: int,
    on_error: Callable[[DocInput, Exception], None] | None,
) -> Iterator[tuple[DocInput, list[Record]]]:
    """``stream`` over ``inputs``; without ``on_error`` an exception ends the run. With it, a failing batch is run
    again one document at a time and each document that fails on its own goes to ``on_error``, skipped."""
    if on_error is None:
        yield from stream(inputs)
        return
    it = iter(inputs)
    while batch := list(islice(it, max(1, batch_size))):
        try:
            results = list(stream(batch))
        except Exception:  # any extractor failure: find the document that causes it
            results = []
            for inp in batch:
                try:
                    results.extend(stream([inp]))
                except Exception as exc:
                    on_error(inp, exc)
        yield from results
