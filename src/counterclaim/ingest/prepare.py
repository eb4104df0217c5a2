"""Preparing documents (read, clean, metadata, language) in this process or in worker processes.

Reading and cleaning are CPU work; writing the ledger is not parallel (one SQLite writer). For large runs of small
files, :class:`Preparer` sends each file to a pool of worker processes and hands the prepared results back **in input
order**, so the ledger is written exactly as a sequential run would write it and resume keeps working (an input is
marked done only after all its documents are stored, by the writing process). Big files (WARC, long JSONL) are never
sent to a worker: they are streamed in this process, so memory stays flat.

Workers are started with ``spawn`` (no fork of a process that holds a SQLite connection or a progress thread).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from counterclaim.errors import InputError, InputTooLarge
from counterclaim.ingest.build import build_document
from counterclaim.ingest.readers import RawDocument, read_path
from counterclaim.records import Document, SourceRef

log = logging.getLogger(__name__)

#: files up to this size may be prepared by a worker (their documents travel back to the writer in one piece)
WORKER_MAX_BYTES = 1024 * 1024
#: how many inputs are read sequentially before a pool is worth starting
POOL_AFTER_INPUTS = 1000
#: inputs in flight (prepared but not yet written) at most: bounds memory when the writer is slower
WINDOW = 256


@dataclass
class Failed:
    """The input as a whole could not be read (after the documents already yielded, if any)."""

    error: InputError


Prepared = tuple[Document, SourceRef] | InputError | Failed


def prepare(raws: Iterator[RawDocument | InputError], name: str) -> Iterator[Prepared]:
    """Documents of one input, ready to store; bad records as :class:`InputError`; a final :class:`Failed`."""
    try:
        for raw in raws:
            if isinstance(raw, InputError):  # one bad record inside a good file (a JSONL line, a WARC record)
                yield raw
                continue
            try:
                yield build_document(raw), raw.source
            except InputError as exc:
                yield exc
    except InputError as exc:
        yield Failed(exc)
    except (RecursionError, MemoryError, ValueError, LookupError, TypeError, AttributeError, OSError) as exc:
        # a reader library failing on hostile input; reported like any unreadable input, details in the debug log
        log.debug("reading %s failed", name, exc_info=True)
        yield Failed(InputError(name, f"could not be read ({type(exc).__name__}: {exc})"))


# -- workers: results must pickle, and InputError's constructor takes (source, reason, hint) ---------------------
_Wire = tuple[Document, SourceRef] | tuple[str, str, str, str | None]


def _to_wire(item: Prepared) -> _Wire:
    if isinstance(item, Failed):
        return ("failed", item.error.source, item.error.reason, item.error.hint)
    if isinstance(item, InputError):
        kind = "too_large" if isinstance(item, InputTooLarge) else "error"
        return (kind, item.source, item.reason, item.hint)
    return item


def _from_wire(item: _Wire) -> Prepared:
    if isinstance(item[0], Document):
        return item
    kind, source, reason, hint = item
    if kind == "failed":
        return Failed(InputError(source, reason, hint))
    return (InputTooLarge if kind == "too_large" else InputError)(source, reason, hint)


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops them (no traceback from every worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def prepare_file(path: str, max_bytes: int) -> list[_Wire]:
    """Worker entry point: every prepared item of one (small) file."""
    return [_to_wire(item) for item in prepare(read_path(Path(path), max_bytes), path)]


# -- the preparer -------------------------------------------------------------------------------------------------
@dataclass
class Job:
    """One input on its way: a file for a worker (``future``) or one to stream here."""

    name: str
    path: Path | None
    raws: Iterator[RawDocument | InputError] | None = None
    future: AsyncResult[list[_Wire]] | None = None
    payload: object = None  # whatever the caller needs back with the result (stat, resolved path)


def default_jobs() -> int:
    """Worker processes to use: the CPUs this process may run on, at most 4 (the writer is the limit beyond)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


class Preparer:
    """Prepares inputs in order, in worker processes once a run is large enough; ``jobs=1`` never starts any."""

    def __init__(self, jobs: int, max_bytes: int) -> None:
        self.jobs = jobs
        self.max_bytes = max_bytes
        self.pool: Pool | None = None
        self.pending: deque[Job] = deque()
        self.seen = 0
        self._pool_failed = False

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def _ensure_pool(self) -> Pool | None:
        if self.pool is None and not self._pool_failed and self.jobs > 1 and self.seen > POOL_AFTER_INPUTS:
            try:
                self.pool = multiprocessing.get_context("spawn").Pool(self.jobs, initializer=_worker_init)
            except (OSError, ValueError) as exc:  # no semaphores / shared memory here: stay sequential
                log.info("cannot start worker processes (%s); reading sequentially", exc)
                self._pool_failed = True
        return self.pool

    def add(self, job: Job, size: int | None) -> None:
        """Queue an input; ``size`` (bytes on disk, None for stdin) decides whether a worker may take it."""
        self.seen += 1
        pool = self._ensure_pool() if job.path is not None and size is not None and size <= WORKER_MAX_BYTES else None
        if pool is not None and job.path is not None:
            job.future = pool.apply_async(prepare_file, (str(job.path), self.max_bytes))
        self.pending.append(job)

    def full(self) -> bool:
        return len(self.pending) >= (WINDOW if self.pool is not None else 1)

    def next(self) -> tuple[Job, Iterator[Prepared]]:
        """The oldest queued input and its prepared items (computed by a worker, or streamed here now)."""
        job = self.pending.popleft()
        if job.future is not None:
            try:
                items = job.future.get()
            except Exception as exc:  # the worker died or its result could not travel back
                log.debug("worker failed on %s", job.name, exc_info=True)
                return job, iter([Failed(InputError(job.name, f"could not be read (worker failed: {exc})"))])
            return job, (_from_wire(item) for item in items)
        assert job.raws is not None
        return job, prepare(job.raws, job.name)
