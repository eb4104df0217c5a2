"""Extraction over the ledger: run the extractor on new or stale documents and store their records."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from counterclaim.coverage import analysis_note
from counterclaim.extract.context import DocInput
from counterclaim.extract.pipeline import Extractor, doc_input
from counterclaim.store import Ledger


def analyze_ledger(
    ledger: Ledger,
    extractor: Extractor | None = None,
    *,
    force: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    not_analysed: list[tuple[str, str]] | None = None,
) -> tuple[int, int]:
    """Extract records for documents never extracted or extracted by another version (all with ``force``).

    Returns ``(documents processed, records written)``. Each document's records are replaced in one transaction,
    so an interrupted run leaves every document either fully old or fully new, and a re-run continues. A document
    whose extraction fails is skipped (left stale, tried again next run) and reported to ``on_skip(id, reason)``;
    without ``on_skip`` the error is raised. A document in a language the pipeline does not read is not extracted
    but marked done with no records; ``(id, note)`` of each is appended to ``not_analysed`` ("not analysed:
    language fr").
    """
    extractor = extractor or Extractor()
    ids = [d["id"] for d in ledger.documents()] if force else ledger.stale_documents(extractor.version)
    total = len(ids)
    done = records = skipped = 0

    def inputs() -> Iterator[DocInput]:
        for doc in ledger.iter_documents(ids):
            note = analysis_note(doc.language)
            if note is None:
                yield doc_input(doc)
                continue
            ledger.replace_records(doc.id, extractor.version, [])
            if not_analysed is not None:
                not_analysed.append((doc.id, note))

    def skip(inp: DocInput, exc: Exception) -> None:
        nonlocal skipped
        skipped += 1
        if on_skip:
            on_skip(inp.id, f"{type(exc).__name__}: {exc}")
        if on_progress:
            on_progress(done + skipped, total)

    for inp, recs in extractor.stream(inputs(), on_error=skip if on_skip else None):
        ledger.replace_records(inp.id, extractor.version, recs)
        done += 1
        records += len(recs)
        if on_progress:
            on_progress(done + skipped, total)
    return done, records
