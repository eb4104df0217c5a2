"""Project exceptions. Every error a user can see derives from :class:`CounterclaimError`.

::

    CounterclaimError              base; ``str(exc)`` is a one-line message written for the user
    ├── InputError                 one input (file, line, record) cannot be read; carries ``source`` and ``reason``
    │   └── InputTooLarge          the input is over the configured size limit
    ├── LedgerError                the SQLite ledger cannot be opened, migrated or written
    │   └── NotFound               no record / document matches what the user asked for
    ├── ModelError                 the spaCy pipeline or an embedding model cannot be loaded
    ├── EvidenceError              a media file cannot be registered or checked
    └── UsageError                 options that do not fit together

Third-party errors (sqlite3, lxml, spaCy, warcio, ...) are converted at the boundary with ``raise ... from exc``.
"""

from __future__ import annotations


class CounterclaimError(Exception):
    """Base class; the CLI prints ``str(exc)`` as one line and exits with :attr:`exit_code`."""

    exit_code = 1


class InputError(CounterclaimError):
    """An input cannot be read. ``source`` names the file (and line/record); ``reason`` says why."""

    exit_code = 2

    def __init__(self, source: str, reason: str, hint: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.hint = hint
        message = f"cannot read {source}: {reason}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class InputTooLarge(InputError):
    """The input is larger than ``--max-size``."""


class LedgerError(CounterclaimError):
    """The ledger cannot be opened, migrated or written."""

    exit_code = 3


class NotFound(LedgerError):
    """Nothing in the ledger matches what was asked for."""

    exit_code = 4


class ModelError(CounterclaimError):
    """A language model cannot be loaded."""

    exit_code = 5


class EvidenceError(CounterclaimError):
    """A media file cannot be registered, read or checked."""

    exit_code = 6


class UsageError(CounterclaimError):
    """Options that do not fit together."""

    exit_code = 2
