"""Driving an ingest: walk the inputs, read each, store each document in its own transaction."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from counterclaim.errors import InputError
from counterclaim.ingest.build import build_document
from counterclaim.ingest.readers import RawDocument, read_path, read_stream
from counterclaim.store import Ledger

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES  # larger inputs (of text) are refused with a clear error
    force: bool = False  # re-read inputs already read to the end by an earlier run


@dataclass
class IngestReport:
    new: int = 0
    new_sources: int = 0
    known: int = 0
    inputs: int = 0
    skipped_inputs: int = 0  # unchanged since an earlier complete run
    problems: list[tuple[str, str]] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return self.new + self.new_sources + self.known

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs, "skipped_inputs": self.skipped_inputs, "new": self.new,
            "new_sources": self.new_sources, "known": self.known,
            "problems": [{"source": s, "reason": r} for s, r in self.problems],
        }


def iter_files(paths: Sequence[str]) -> Iterator[Path | str]:
    """Files under ``paths`` (directories recursively, sorted, hidden files skipped); ``-`` stands for stdin."""
    for p in paths:
        if p == "-":
            yield "-"
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def ingest_paths(
    ledger: Ledger,
    paths: Sequence[str],
    options: IngestOptions | None = None,
    on_event: Callable[[str, str], None] | None = None,
) -> IngestReport:
    """Ingest every input under ``paths`` into ``ledger``. ``on_event(kind, message)`` reports progress and problems.

    Each document is committed on its own, and an input read to the end is marked done, so a killed run loses at
    most the document being written and a re-run skips what is complete.
    """
    options = options or IngestOptions()
    report = IngestReport()
    emit = on_event or (lambda kind, msg: None)
    for item in iter_files(paths):
        report.inputs += 1
        name = str(item)
        stat = None
        if isinstance(item, Path):
            try:
                stat = item.stat()
            except OSError as exc:
                _problem(ledger, report, emit, InputError(name, exc.strerror or str(exc)))
                continue
            if not options.force and ledger.input_done(str(item.resolve()), stat.st_size, stat.st_mtime):
                report.skipped_inputs += 1
                emit("skip", name)
                continue
        try:
            raws: Iterator[RawDocument | InputError] = (
                read_stream(sys.stdin.buffer, "<stdin>", options.max_bytes) if item == "-"
                else read_path(Path(item), options.max_bytes)
            )
            count = 0
            for raw in raws:
                if isinstance(raw, InputError):  # one bad record inside a good file (a JSONL line, a WARC record)
                    _problem(ledger, report, emit, raw)
                    continue
                try:
                    doc = build_document(raw)
                except InputError as exc:
                    _problem(ledger, report, emit, exc)
                    continue
                result = ledger.add_document(doc, raw.source)
                count += 1
                report.doc_ids.append(result.doc_id)
                if result.status == "new":
                    report.new += 1
                elif result.status == "new_source":
                    report.new_sources += 1
                else:
                    report.known += 1
                emit(result.status, f"{raw.source.source} → {result.doc_id}")
        except InputError as exc:
            _problem(ledger, report, emit, exc)
            continue
        if stat is not None:
            ledger.mark_input_done(str(Path(item).resolve()), stat.st_size, stat.st_mtime, count)
    return report


def _problem(ledger: Ledger, report: IngestReport, emit: Callable[[str, str], None], exc: InputError) -> None:
    report.problems.append((exc.source, exc.reason))
    ledger.record_problem(exc.source, exc.reason)
    emit("problem", str(exc))
