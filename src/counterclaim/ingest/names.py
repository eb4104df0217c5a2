"""File names as counterclaim stores and shows them.

A POSIX file name is bytes; Python hands the bytes that are not UTF-8 over as lone surrogates, which SQLite (and a
UTF-8 terminal) cannot take. :func:`shown_path` keeps such a name readable and lossless: the undecodable bytes
become ``\\xNN`` escapes (``os.fsencode`` gives the bytes back; ``\\xNN`` is written only for them), so the ledger
can store it, messages can print it, and two different names never collapse into one.
"""

from __future__ import annotations

import os


def shown_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text safe to store and print (undecodable bytes escaped as ``\\xNN``)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text
