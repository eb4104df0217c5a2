"""``counterclaim seal``: a manifest proving which texts and export files the ledger held, and which extractor
versions processed them.

The manifest (JSON) lists every document's SHA-256 (of its stored, normalised text: ``sha256(text.encode('utf-8'))``)
with the extractor version that last processed it, every file under ``--exports`` with its SHA-256 and size, every
evidence item's SHA-256, the head of the custody log (entry count and running hash, see
:mod:`counterclaim.evidence.custody`), and ``manifest_sha256``: the SHA-256 of the canonical JSON (keys sorted, separators ``,``
``:``, UTF-8) of the manifest without that key. A ``<manifest>.sha256`` file in ``sha256sum`` format is written
next to it, and the hash is recorded in the ledger (``evidence_seals``) with the custody head (``evidence_heads``).

:func:`verify_manifest` re-checks a manifest against the ledger: its own hash, its ``.sha256`` file, that the ledger
recorded this very manifest, every document's text, every evidence item it lists, and that the custody log still
extends the head it recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from counterclaim import __version__
from counterclaim.errors import NotFound, UsageError
from counterclaim.evidence.custody import Head, canonical_json, chain_head, verify_head
from counterclaim.evidence.store import sha256_file
from counterclaim.store import Ledger
from counterclaim.store import evidence as db


@dataclass
class SealResult:
    path: Path
    manifest_sha256: str
    documents: int
    exports: int


def export_files(folder: Path) -> list[dict[str, Any]]:
    """Every file under ``folder`` (recursively, sorted), with its path relative to ``folder``."""
    if not folder.is_dir():
        raise UsageError(f"--exports {folder} is not a folder: give the folder 'counterclaim export' wrote into")
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        out.append({"path": path.relative_to(folder).as_posix(), "sha256": sha256_file(path),
                    "size": path.stat().st_size})
    return out


def manifest_hash(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def build_manifest(ledger: Ledger, exports: Path | None, at: str) -> dict[str, Any]:
    documents = db.document_hashes(ledger.conn)
    manifest: dict[str, Any] = {
        "format": "counterclaim-seal/1",
        "created_at": at,
        "counterclaim_version": __version__,
        "ledger": str(ledger.path.resolve()),
        "extractor_versions": db.extractor_versions(ledger.conn),
        "documents": documents,
        "exports_root": str(exports.resolve()) if exports else None,
        "exports": export_files(exports) if exports else [],
        "evidence": [{"id": i.id, "sha256": i.sha256, "filename": i.filename} for i in db.list_items(ledger.conn)],
        "custody_head": chain_head(db.all_custody_entries(ledger.conn)).export(),
    }
    manifest["manifest_sha256"] = manifest_hash(manifest)
    return manifest


def default_path(ledger: Ledger, at: str) -> Path:
    stamp = at.replace(":", "").replace("-", "")[:15]
    return ledger.path.with_name(f"{ledger.path.stem}.seal-{stamp}.json")


def seal(ledger: Ledger, exports: Path | None = None, out: Path | None = None) -> SealResult:
    """Write the manifest (atomically) and its ``.sha256`` file; record the seal in the ledger."""
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = build_manifest(ledger, exports, at)
    out = out or default_path(ledger, at)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".seal-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, out)
    file_hash = hashlib.sha256(data).hexdigest()
    out.with_name(out.name + ".sha256").write_text(f"{file_hash}  {out.name}\n", encoding="utf-8")
    with db.transaction(ledger.conn) as conn:
        db.insert_seal(conn, manifest["manifest_sha256"], str(out.resolve()), len(manifest["documents"]),
                       len(manifest["exports"]), at)
        head = manifest["custody_head"]
        db.insert_head(conn, Head(head["entries"], head["head"]), at, f"seal {manifest['manifest_sha256']}")
    return SealResult(out, manifest["manifest_sha256"], len(manifest["documents"]), len(manifest["exports"]))


def verify_manifest(path: Path, exports: Path | None = None, ledger: Ledger | None = None) -> list[str]:
    """Re-check a manifest: its own hash, every export file (when ``exports`` is given) and every document's text
    (when ``ledger`` is given: the SHA-256 of the text the ledger holds now). Returns the problems found."""
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read manifest {path}: {exc} (give a file written by 'counterclaim seal')") from exc
    problems = []
    if ledger is not None:
        for doc in manifest.get("documents", []):
            try:
                text = ledger.get_document(doc["id"]).text
            except NotFound:
                problems.append(f"document {doc['id']} is no longer in the ledger")
                continue
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if actual != doc["sha256"]:
                problems.append(f"document {doc['id']} text changed: expected {doc['sha256']}, actual {actual}")
    if manifest_hash(manifest) != manifest.get("manifest_sha256"):
        problems.append("the manifest was edited: its content does not hash to manifest_sha256")
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.is_file():
        recorded = sidecar.read_text("utf-8", "replace").split()[:1]
        if recorded != [hashlib.sha256(path.read_bytes()).hexdigest()]:
            problems.append(f"the manifest's bytes do not match {sidecar.name}: the file was rewritten")
    if ledger is not None:
        problems += _against_ledger(manifest, ledger)
    if exports is not None:
        current = {f["path"]: f["sha256"] for f in export_files(exports)}
        for f in manifest.get("exports", []):
            if f["path"] not in current:
                problems.append(f"export file {f['path']} is missing")
            elif current[f["path"]] != f["sha256"]:
                problems.append(f"export file {f['path']} changed: expected {f['sha256']}, actual {current[f['path']]}")
    return problems


def _against_ledger(manifest: dict[str, Any], ledger: Ledger) -> list[str]:
    """What the ledger says about this manifest: it recorded it, holds every item it lists, and its custody log
    still extends the head the manifest recorded."""
    problems: list[str] = []
    recorded = {r["manifest_sha256"]: r for r in db.seals(ledger.conn)}
    claimed = manifest.get("manifest_sha256")
    seal_row = recorded.get(claimed) if isinstance(claimed, str) else None
    if seal_row is None:
        problems.append("the ledger has no record of this seal (manifest_sha256 not in its seals): the manifest was "
                        "forged, or the ledger's seal record was deleted")
    elif (seal_row["documents"], seal_row["exports"]) != (len(manifest.get("documents", [])),
                                                          len(manifest.get("exports", []))):
        problems.append("the ledger recorded this seal with other document/export counts")
    for listed in manifest.get("evidence", []):
        item = db.item_by_sha256(ledger.conn, str(listed.get("sha256")))
        if item is None:
            problems.append(f"evidence item {listed.get('id')} ({listed.get('filename')}) is no longer in the ledger")
        elif (item.id, item.filename) != (listed.get("id"), listed.get("filename")):
            problems.append(f"evidence item {item.id} was edited: the manifest lists it as {listed.get('id')} "
                            f"{listed.get('filename')}")
    head = manifest.get("custody_head")
    if isinstance(head, dict):
        try:
            wrong = verify_head(Head(int(head["entries"]), str(head["head"])), db.all_custody_entries(ledger.conn))
        except (KeyError, TypeError, ValueError):
            wrong = "the manifest's custody_head is malformed"
        if wrong:
            problems.append(f"custody log: {wrong}")
    return problems
