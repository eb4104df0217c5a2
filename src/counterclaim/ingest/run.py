"""Driving an ingest: walk the inputs, read each, store each document in its own transaction.

Resume: every document is committed on its own, and an input read to the end is recorded in ``inputs_done`` with
its size and modification time. A run killed at any point leaves a consistent ledger (SQLite WAL, one transaction per
document); running the same command again skips the inputs already complete and re-reads the one that was cut,
whose documents already stored are recognised by their text hash and change nothing.
"""

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
STDIN = "-"

#: events passed to ``on_event(kind, message)``: input (an input is being read), skip (unchanged since an earlier
#: run), new / new_source / known (a document was stored, got a source, or was already there), problem
EventHandler = Callable[[str, str], None]


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

    @property
    def changed_nothing(self) -> bool:
        """True when the ledger gained no document and no source: everything was already there."""
        return self.new == 0 and self.new_sources == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "inputs": self.inputs, "skipped_inputs": self.skipped_inputs, "documents": self.documents,
            "new": self.new, "new_sources": self.new_sources, "known": self.known,
            "changed_nothing": self.changed_nothing,
            "problems": [{"source": s, "reason": r} for s, r in self.problems],
        }


def iter_files(paths: Sequence[str], exclude: Sequence[Path] = ()) -> Iterator[Path | str | InputError]:
    """Files under ``paths`` (directories recursively, sorted, hidden files skipped); ``-`` stands for stdin.

    Paths in ``exclude`` (the ledger and its WAL files) are skipped. A path that does not exist, or a folder that
    cannot be listed, comes out as an :class:`InputError`.
    """
    skip = {_real(p) for p in exclude}
    skip_names = {Path(p).name for p in skip}
    for p in paths:
        if p == STDIN:
            yield STDIN
            continue
        path = Path(p).expanduser()
        if path.is_dir():
            errors: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=errors.append):
                while errors:
                    yield _walk_error(errors.pop())
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    file = Path(root) / name
                    if not name.startswith(".") and (name not in skip_names or _real(file) not in skip):
                        yield file
            while errors:
                yield _walk_error(errors.pop())
        elif not path.exists() and not path.is_symlink():
            yield InputError(p, "no such file or directory", "check the path")
        elif _real(path) not in skip:
            yield path


def _real(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def _walk_error(exc: OSError) -> InputError:
    name = exc.filename or "?"
    reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    return InputError(str(name), f"cannot list folder: {reason}")


def count_inputs(paths: Sequence[str], exclude: Sequence[Path] = ()) -> int:
    """How many inputs :func:`iter_files` will give (for a progress bar's total)."""
    return sum(1 for _ in iter_files(paths, exclude))


def ledger_files(ledger: Ledger) -> list[Path]:
    """The ledger file and its SQLite companions, never read as inputs."""
    return [ledger.path] + [ledger.path.with_name(ledger.path.name + s) for s in ("-wal", "-shm", "-journal")]


def ingest_paths(
    ledger: Ledger,
    paths: Sequence[str],
    options: IngestOptions | None = None,
    on_event: EventHandler | None = None,
) -> IngestReport:
    """Ingest every input under ``paths`` into ``ledger``. ``on_event(kind, message)`` reports progress and problems.

    Each document is committed on its own, and an input read to the end is marked done, so a killed run loses at
    most the document being written and a re-run skips what is complete.
    """
    options = options or IngestOptions()
    report = IngestReport()
    emit = on_event or (lambda kind, msg: None)
    for item in iter_files(paths, exclude=ledger_files(ledger)):
        if isinstance(item, InputError):
            report.inputs += 1
            _problem(ledger, report, emit, item)
            continue
        report.inputs += 1
        name = "<stdin>" if item == STDIN else str(item)
        emit("input", name)
        stat = None
        real = ""
        if isinstance(item, Path):
            try:
                stat = item.stat()
            except OSError as exc:
                _problem(ledger, report, emit, InputError(name, exc.strerror or str(exc)))
                continue
            real = _real(item)
            if not options.force and ledger.input_done(real, stat.st_size, stat.st_mtime):
                report.skipped_inputs += 1
                emit("skip", name)
                continue
        raws: Iterator[RawDocument | InputError] = (
            read_stream(sys.stdin.buffer, name, options.max_bytes) if item == STDIN
            else read_path(Path(item), options.max_bytes)
        )
        count = _ingest_input(ledger, raws, name, report, emit)
        if stat is not None and count is not None:
            ledger.mark_input_done(real, stat.st_size, stat.st_mtime, count)
    return report


def _ingest_input(
    ledger: Ledger, raws: Iterator[RawDocument | InputError], name: str, report: IngestReport, emit: EventHandler
) -> int | None:
    """Store the documents of one input; the number stored, or None when the input could not be read to the end."""
    count = 0
    try:
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
            where = f"{raw.source.source} [{raw.source.locator}]" if raw.source.locator else raw.source.source
            emit(result.status, f"{where} → {result.doc_id}")
    except InputError as exc:
        _problem(ledger, report, emit, exc)
        return None
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AttributeError, OSError) as exc:
        # a reader library failing on hostile input; reported like any unreadable input, details in the debug log
        log.debug("reading %s failed", name, exc_info=True)
        _problem(ledger, report, emit, InputError(name, f"could not be read ({type(exc).__name__}: {exc})"))
        return None
    return count


def _problem(ledger: Ledger, report: IngestReport, emit: EventHandler, exc: InputError) -> None:
    report.problems.append((exc.source, exc.reason))
    ledger.record_problem(exc.source, exc.reason)
    emit("problem", str(exc))
