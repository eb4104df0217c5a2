"""The content-addressed file store next to the ledger: ``<db stem>.evidence/sha256/ab/cdef...``.

A file is copied (never moved, never opened for writing) into a temporary file inside the store while its SHA-256,
SHA-512 and MD5 are computed in the same pass; the copy is re-read and checked against the SHA-256, made read-only
(0444) and renamed atomically to its final name. A crash leaves at most a stray file under ``tmp/``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from counterclaim.errors import EvidenceError

log = logging.getLogger(__name__)

CHUNK = 1 << 20


@dataclass(frozen=True)
class Digests:
    """The fixity hashes of one file."""

    sha256: str
    sha512: str
    md5: str
    size: int


def store_root(db_path: str | Path) -> Path:
    """The store folder of the ledger at ``db_path``: ``k.db`` -> ``k.evidence``."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".evidence")


def relative_path(sha256: str) -> str:
    """Where a file with this SHA-256 lives, relative to the store root."""
    return f"sha256/{sha256[:2]}/{sha256[2:]}"


def digest_file(path: str | Path) -> Digests:
    """SHA-256, SHA-512 and MD5 of a file, read once."""
    h256, h512, hmd5 = hashlib.sha256(), hashlib.sha512(), hashlib.md5(usedforsecurity=False)
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h256.update(chunk)
            h512.update(chunk)
            hmd5.update(chunk)
            size += len(chunk)
    return Digests(h256.hexdigest(), h512.hexdigest(), hmd5.hexdigest(), size)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def copy_to_temp(source: Path, root: Path) -> tuple[Path, Digests]:
    """Copy ``source`` into ``root/tmp`` while hashing it; return the temporary copy and the digests."""
    if not source.is_file():
        raise EvidenceError(f"cannot register {source}: no such file (give the path of a media file)")
    tmp_dir = root / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    h256, h512, hmd5 = hashlib.sha256(), hashlib.sha512(), hashlib.md5(usedforsecurity=False)
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
    tmp = Path(tmp_name)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(CHUNK):
                h256.update(chunk)
                h512.update(chunk)
                hmd5.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        digests = Digests(h256.hexdigest(), h512.hexdigest(), hmd5.hexdigest(), size)
        if sha256_file(tmp) != digests.sha256:
            raise EvidenceError(f"cannot register {source}: the copy in the store differs from the original "
                                "(disk or filesystem problem); try again")
        return tmp, digests
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EvidenceError(f"cannot register {source}: {exc.strerror or exc} while copying it into {root}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def commit_temp(tmp: Path, root: Path, sha256: str) -> Path:
    """Make the temporary copy read-only and rename it to its content address; return the final path."""
    final = root / relative_path(sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() and sha256_file(final) == sha256:
        tmp.unlink(missing_ok=True)
        return final
    os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(tmp, final)
    return final


def discard_temp(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)


def discard_stored(final: Path) -> None:
    """Remove a copy just moved to its content address whose registration failed (the ledger never knew it)."""
    final.unlink(missing_ok=True)


def stored_files(root: Path) -> list[Path]:
    """Every file under ``root/sha256`` (for finding files the ledger does not know)."""
    base = root / "sha256"
    if not base.is_dir():
        return []
    return sorted(p for p in base.glob("*/*") if p.is_file())
