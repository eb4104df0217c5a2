"""Driving an ingest: walk the inputs, read each, store each document in its own transaction.

Resume: every document is committed on its own, and an input read to the end is recorded in ``inputs_done`` with
its size and modification time. A run killed at any point leaves a consistent ledger (SQLite WAL, one transaction per
document); running the same command again skips the inputs already complete and re-reads the one that was cut,
whose documents already stored are recognised by their text hash and change nothing.
"""

from __future__ import annotations

import logging
import os
import stat as stat_
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from counterclaim.errors import InputError
from counterclaim.ingest.names import shown_path
from counterclaim.ingest.prepare import Failed, Job, Preparer, default_jobs
from counterclaim.ingest.readers import read_path, read_stream
from counterclaim.store import Ledger

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
STDIN = "-"

#: events passed to ``on_event(kind, message)``: input (once per input, when its turn comes: for a progress bar),
#: skip (unchanged since an earlier run), new / new_source / known (a document was stored, got a source, or was
#: already there), problem
EventHandler = Callable[[str, str], None]


@dataclass
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES  # larger inputs (of text) are refused with a clear error
    force: bool = False  # re-read inputs already read to the end by an earlier run
    jobs: int = 0  # worker processes preparing small files of large runs; 0: one per CPU (at most 4); 1: none


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
            seen = {_real(path)}  # symlinked folders are followed, each real folder read once (no loops)
            for root, dirs, files in os.walk(path, onerror=errors.append, followlinks=True):
                while errors:
                    yield _walk_error(errors.pop())
                dirs[:] = [d for d in sorted(dirs) if not d.startswith(".") and _first_visit(Path(root) / d, seen)]
                for name in sorted(files):
                    file = Path(root) / name
                    if not name.startswith(".") and (name not in skip_names or _real(file) not in skip):
                        yield file
            while errors:
                yield _walk_error(errors.pop())
        elif not path.exists() and not path.is_symlink():
            yield InputError(shown_path(p), "no such file or directory", "check the path")
        elif _real(path) not in skip:
            yield path


def _first_visit(folder: Path, seen: set[str]) -> bool:
    real = _real(folder)
    if real in seen:
        log.info("%s: already read (a symbolic link back into the same folders); not read twice", shown_path(folder))
        return False
    seen.add(real)
    return True


def _real(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())


def _walk_error(exc: OSError) -> InputError:
    name = exc.filename or "?"
    reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    return InputError(shown_path(str(name)), f"cannot list folder: {reason}")


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
    most the document being written and a re-run skips what is complete. Small files of a large run are prepared
    by worker processes (``options.jobs``); the ledger is written here, in input order.
    """
    options = options or IngestOptions()
    report = IngestReport()
    emit = on_event or (lambda kind, msg: None)
    jobs = options.jobs if options.jobs > 0 else default_jobs()
    with Preparer(jobs, options.max_bytes) as preparer:
        for item in iter_files(paths, exclude=ledger_files(ledger)):
            report.inputs += 1
            if isinstance(item, InputError):
                emit("input", item.source)
                _problem(ledger, report, emit, item)
                continue
            if item == STDIN:
                raws = read_stream(sys.stdin.buffer, "<stdin>", options.max_bytes)
                preparer.add(Job(name="<stdin>", path=None, raws=raws), size=None)
            else:
                path = Path(item)
                name = shown_path(path)
                try:
                    stat = path.stat()
                except OSError as exc:
                    emit("input", name)
                    _problem(ledger, report, emit, InputError(name, exc.strerror or str(exc)))
                    continue
                if not stat_.S_ISREG(stat.st_mode):  # a FIFO, socket or device would block or never end
                    emit("input", name)
                    _problem(ledger, report, emit, InputError(
                        name, f"not a regular file ({_file_kind(stat.st_mode)}): skipped",
                        "copy its content to a file, or pipe it in with '-'"))
                    continue
                real = shown_path(_real(path))
                if not options.force and ledger.input_done(real, stat.st_size, stat.st_mtime):
                    report.skipped_inputs += 1
                    emit("input", name)
                    emit("skip", name)
                    continue
                job = Job(name=name, path=path, raws=read_path(path, options.max_bytes), payload=(real, stat))
                preparer.add(job, size=stat.st_size)
            while preparer.full():
                _store_input(ledger, preparer, report, emit)
        while preparer.pending:
            _store_input(ledger, preparer, report, emit)
    return report


def _file_kind(mode: int) -> str:
    for test, kind in ((stat_.S_ISFIFO, "a named pipe"), (stat_.S_ISSOCK, "a socket"), (stat_.S_ISCHR, "a character device"),
                       (stat_.S_ISBLK, "a block device"), (stat_.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a file"


def _store_input(ledger: Ledger, preparer: Preparer, report: IngestReport, emit: EventHandler) -> None:
    """Write the oldest prepared input to the ledger, then mark it done when it was read to the end."""
    job, items = preparer.next()
    emit("input", job.name)
    count = 0
    complete = True
    for item in items:
        if isinstance(item, Failed):
            _problem(ledger, report, emit, item.error)
            complete = False
        elif isinstance(item, InputError):
            _problem(ledger, report, emit, item)
        else:
            doc, source = item
            result = ledger.add_document(doc, source)
            count += 1
            report.doc_ids.append(result.doc_id)
            if result.status == "new":
                report.new += 1
            elif result.status == "new_source":
                report.new_sources += 1
            else:
                report.known += 1
            where = f"{source.source} [{source.locator}]" if source.locator else source.source
            emit(result.status, f"{where} → {result.doc_id}")
    if complete and isinstance(job.payload, tuple):
        real, stat = job.payload
        ledger.mark_input_done(real, stat.st_size, stat.st_mtime, count)


def _problem(ledger: Ledger, report: IngestReport, emit: EventHandler, exc: InputError) -> None:
    report.problems.append((exc.source, exc.reason))
    ledger.record_problem(exc.source, exc.reason)
    emit("problem", str(exc))
