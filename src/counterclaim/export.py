"""Exporting the ledger: JSON Lines (one object per record), CSV (one file per record type), Parquet.

The objects follow the export contract in docs/records.md: every one has ``type``; records have ``doc`` (document
id) and ``source`` (the path or URL the document was first ingested from). Records are the reviewed view by default
(analysts' corrections applied, rejected records left out, added records in, each with ``status``, ``reviewed_by``,
``reviewed_at``, ``reason``); ``raw`` gives the machine records as extracted.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from counterclaim.docextras import document_extras, record_page
from counterclaim.errors import UsageError
from counterclaim.records import RECORD_TYPES, confident
from counterclaim.store import Ledger
from counterclaim.store.docmeta import fixes, page_maps

FORMATS = ("jsonl", "csv", "parquet")

#: extra object producers (lineage links, incidents, comparisons, evidence) registered by later stages
EXTRA_EXPORTERS: list[Callable[[Ledger], Iterator[dict[str, Any]]]] = []


def _link_objects(ledger: Ledger) -> Iterator[dict[str, Any]]:
    from counterclaim.link.update import export_link_objects

    return export_link_objects(ledger)


def _review_objects(ledger: Ledger) -> Iterator[dict[str, Any]]:
    from counterclaim.store.review import ReviewStore

    for row in ReviewStore(ledger).log():
        yield {**row, "type": "review_decision", "record_type": row["type"]}


EXTRA_EXPORTERS.append(_link_objects)
EXTRA_EXPORTERS.append(_review_objects)


def iter_export(
    ledger: Ledger, types: tuple[str, ...] | None = None, *, raw: bool = False, include_rejected: bool = False,
    min_confidence: float | None = None,
) -> Iterator[dict[str, Any]]:
    """Every exported object: documents first, then records by type, then what later stages register.

    Machine records whose ``confidence`` is under ``min_confidence`` (default: ``min_confidence`` of
    data/strategies.yaml) are left out, unless an analyst reviewed them; pass 0 to export everything."""
    from counterclaim.extract.strategies import default_min_confidence
    from counterclaim.review import detached, overlay

    # raw is the machine view as extracted: every record unless min_confidence is given
    floor = (0.0 if raw else default_min_confidence()) if min_confidence is None else min_confidence
    sources = ledger.first_sources()
    if not types or "document" in types:
        corrections = fixes(ledger.conn)
        for doc in ledger.iter_documents():
            yield {**doc.export(sources.get(doc.id)), **document_extras(doc, corrections.get(doc.id))}
    pages = page_maps(ledger.conn)  # records of a PDF say on which page they are
    for type_ in RECORD_TYPES:
        if types and type_ not in types:
            continue
        offset = 0
        while True:
            batch = ledger.records(type_, limit=2000, offset=offset)
            if not batch:
                break
            if raw:
                for rec in batch:
                    if confident(rec, floor):
                        obj = rec.export(sources.get(rec.doc))
                        if rec.doc in pages:
                            obj["page"] = record_page(pages[rec.doc], rec.start)
                        yield obj
            else:
                for item in overlay(ledger, batch, include_rejected=include_rejected):
                    if item.status != "machine" or confident(item.record, floor):
                        obj = item.export(sources.get(item.record.doc))
                        if item.record.doc in pages:
                            obj["page"] = record_page(pages[item.record.doc], item.record.start)
                        yield obj
            offset += len(batch)
        if not raw:  # added by analysts, or reviewed records a re-extraction no longer finds
            for item in detached(ledger, type_=type_, include_rejected=include_rejected):
                yield item.export(sources.get(item.record.doc))
    for producer in EXTRA_EXPORTERS:
        for obj in producer(ledger):
            if not types or obj.get("type") in types:
                yield obj


def write_jsonl(
    ledger: Ledger, out: TextIO, types: tuple[str, ...] | None = None, *, raw: bool = False,
    include_rejected: bool = False, min_confidence: float | None = None,
) -> int:
    n = 0
    for obj in iter_export(ledger, types, raw=raw, include_rejected=include_rejected, min_confidence=min_confidence):
        out.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_tables(
    ledger: Ledger, out_dir: Path, fmt: str, types: tuple[str, ...] | None = None, *, raw: bool = False,
    include_rejected: bool = False, min_confidence: float | None = None,
) -> dict[str, int]:
    """One file per object type (``document.csv``, ``figure.csv`` ...); returns rows per file."""
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"unknown table format {fmt!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[dict[str, Any]]] = {}
    for obj in iter_export(ledger, types, raw=raw, include_rejected=include_rejected, min_confidence=min_confidence):
        groups.setdefault(obj["type"], []).append({k: _cell(v) for k, v in obj.items()})
    counts = {}
    for type_, rows in groups.items():
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k not in columns]
        path = out_dir / f"{type_}.{fmt}"
        if fmt == "csv":
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
            pq.write_table(table, path)
        counts[path.name] = len(rows)
    return counts
