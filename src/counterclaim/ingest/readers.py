"""Readers: bytes of one input → raw documents (text or HTML plus whatever metadata the format carries).

A reader yields :class:`RawDocument` objects, or :class:`InputError` objects for bad records inside an otherwise
readable input; it raises :class:`InputError` when the whole input is unreadable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from counterclaim.errors import InputError, InputTooLarge
from counterclaim.records import SourceRef


@dataclass
class RawDocument:
    """One document as a reader found it, before cleaning."""

    source: SourceRef
    text: str | None = None
    html: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def decode(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, else refuse binary and undecodable input."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(source, "bad UTF-16 text") from exc
    if b"\x00" in data[:4096]:
        raise InputError(source, "binary file, not text", "only text, HTML, JSONL, WARC and feed files are read")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"not valid UTF-8 text (byte {exc.start})", "convert the file to UTF-8") from exc


def read_path(path: Path, max_bytes: int) -> Iterator[RawDocument | InputError]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLarge(name, f"{size:,} bytes, over the limit of {max_bytes:,}", "raise it with --max-size")
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(name, "permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError(name, "is a directory") from exc
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from exc
    yield from read_bytes(data, name)


def read_stream(stream: BinaryIO, name: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge(name, f"more than {max_bytes:,} bytes", "raise it with --max-size")
    yield from read_bytes(data, name, kind="stdin")


def read_bytes(data: bytes, name: str, kind: str = "text") -> Iterator[RawDocument | InputError]:
    if not data.strip():
        raise InputError(name, "empty file")
    text = decode(data, name)
    yield RawDocument(source=SourceRef(source=name, kind=kind), text=text)
