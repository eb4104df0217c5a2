"""CLI commands over extracted records: analyze, allegations, figures, quotes, dates, actors, legal, export, eval."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from counterclaim.cli.filters import act_code, known_name
from counterclaim.cli.ingest_cmds import ingest_options, refuse_if_nothing_exists, report_outcome, run_ingest
from counterclaim.cli.options import (
    db_option,
    json_option,
    min_confidence_option,
    open_ledger,
    print_json,
    print_table,
    printable,
    shorten,
)
from counterclaim.cli.review_cmds import check_export_flags, raw_option
from counterclaim.errors import UsageError
from counterclaim.records import FigureCategories, Record, confident
from counterclaim.store import Ledger


def run_analysis(
    ledger: Ledger, force: bool, quiet: bool, skipped: list[dict[str, str]] | None = None,
    not_analysed: list[tuple[str, str]] | None = None,
) -> tuple[int, int]:
    """Extract new or stale documents; a document whose extraction fails gets one line (and a row in ``skipped``)
    and the rest goes on; documents in a language the pipeline does not read go to ``not_analysed``."""
    from counterclaim.analyze import analyze_ledger
    from counterclaim.extract.pipeline import Extractor

    def on_skip(doc_id: str, reason: str) -> None:
        if skipped is not None:
            skipped.append({"doc": doc_id, "reason": reason})
        ledger.record_problem(f"document {doc_id}", f"extraction failed, skipped: {reason}")
        click.echo(f"skipped document {doc_id}: extraction failed ({reason}); the others go on", err=True)

    if quiet or not sys.stderr.isatty():
        return analyze_ledger(ledger, Extractor(), force=force, on_skip=on_skip, not_analysed=not_analysed)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "extracting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
    ) as progress:
        task = progress.add_task("extract", total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return analyze_ledger(ledger, Extractor(), force=force, on_progress=on_progress, on_skip=on_skip,
                              not_analysed=not_analysed)


def actor_names(ledger: Ledger) -> set[str]:
    """Every actor name the ledger's records use (mentions, claimants, accused)."""
    names: set[str] = set()
    for r in ledger.records("actor"):
        names.add(getattr(r, "actor", ""))
    for r in ledger.records("allegation"):
        names.add(getattr(r, "claimant", None) or "")
        names.update(getattr(r, "accused", []) or [])
    return names


def _list_records(
    db: str, type_: str, where: dict[str, Any], as_json: bool, limit: int, columns: list[str],
    row: Any, text_filter: tuple[str, str] | None = None, raw: bool = False, min_confidence: float | None = None,
) -> None:
    """List records of one type: the reviewed view (corrections applied, rejected hidden, with ``status``) unless
    ``raw``, which lists the machine records as extracted. Machine records under ``min_confidence`` (default: the
    data file's) are hidden; records an analyst reviewed always show."""
    from counterclaim.extract.strategies import default_min_confidence
    from counterclaim.review import Reviewed, matches, review_view

    # --raw is the machine view as extracted: every record unless --min-confidence is given
    floor = (0.0 if raw else default_min_confidence()) if min_confidence is None else min_confidence
    with open_ledger(db, readonly=True) as ledger:
        if raw:
            items = [Reviewed(r) for r in ledger.records(type_, where={k: v for k, v in where.items() if v})]
        else:  # filters match the corrected values
            items = [i for i in review_view(ledger, type_) if matches(i.record, where)]
        items = [i for i in items if i.status != "machine" or confident(i.record, floor)]
        records = [i.record for i in items]
        sources = ledger.first_sources()
        names = [k for k in ("claimant", "accused", "actor") if where.get(k)]
        if names and not records:  # nothing found for a name: a typo is refused with the nearest names
            for key in names:
                known_name(str(where[key]), actor_names(ledger), "actor")
    if text_filter and text_filter[1]:
        field_name, needle = text_filter
        items = [i for i in items if needle.lower() in str(getattr(i.record, field_name) or "").lower()]
    items = items[:limit]
    if as_json:
        print_json([i.record.export(sources.get(i.record.doc)) if raw else i.export(sources.get(i.record.doc))
                    for i in items])
        return
    if raw:
        print_table(columns, [row(i.record) for i in items])
    else:
        print_table([*columns[:1], "status", *columns[1:]], [[*(v := row(i.record))[:1], i.status, *v[1:]] for i in items])


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
    @db_option
    @ingest_options
    @json_option
    @click.option("--reextract", is_flag=True, help="Extract every document again, not only new or stale ones.")
    @click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
    def analyze(
        paths: tuple[str, ...], db: str, max_size: str, strict: bool, force: bool, as_json: bool,
        reextract: bool, quiet: bool,
    ) -> None:
        """Ingest PATHS (if given) and extract records from every new or stale document.

        A document is stale when the extractor version that processed it differs from the running one (an upgrade
        of counterclaim, its rules or the spaCy model); current documents are skipped.

        \b
        Example:
          counterclaim analyze ~/cases/karabakh/ --db karabakh.db
        """
        out: dict[str, Any] = {}
        refuse_if_nothing_exists(paths)
        with open_ledger(db) as ledger:
            if paths:
                report = run_ingest(ledger, paths, max_size, force, quiet or as_json)
                if not as_json and report.inputs:
                    report_outcome(report, False, False)
                out["ingest"] = report.as_dict()
            skipped: list[dict[str, str]] = []
            not_analysed: list[tuple[str, str]] = []
            from counterclaim.store.review import ReviewStore

            orphans_before = len(ReviewStore(ledger).subjects(orphaned=True))
            done, n_records = run_analysis(ledger, reextract, quiet or as_json, skipped, not_analysed)
            orphans = len(ReviewStore(ledger).subjects(orphaned=True))
            out["review"] = {"orphaned": orphans, "newly_orphaned": max(0, orphans - orphans_before)}
            from counterclaim.link.update import update_links  # lineage, incidents, comparisons (incremental)

            out["links"] = update_links(ledger).as_dict()
            out["extracted_documents"] = done
            out["records"] = n_records
            out["skipped"] = skipped
            out["not_analysed"] = [{"doc": doc_id, "reason": note} for doc_id, note in not_analysed]
            out["counts"] = ledger.counts()
        if as_json:
            print_json(out)
        else:
            click.echo(f"extracted: {done} document(s), {n_records} record(s)", err=True)
            if out["review"]["newly_orphaned"]:
                click.echo(f"review: {out['review']['newly_orphaned']} decision(s) lost their record in this "
                           "re-extraction and are kept as orphaned; see 'counterclaim review list --status orphaned'",
                           err=True)
            notes: dict[str, list[str]] = {}
            for doc_id, note in not_analysed:
                notes.setdefault(note, []).append(doc_id[:8])
            for note, doc_ids in sorted(notes.items()):
                shown = ", ".join(doc_ids[:5]) + (" ..." if len(doc_ids) > 5 else "")
                click.echo(f"{note}: {len(doc_ids)} document(s) ({shown})", err=True)
        if strict and (skipped or (paths and out["ingest"]["problems"])):
            raise SystemExit(1)

    @cli.command()
    @db_option
    @json_option
    @click.option("--claimant", "--accuser", "claimant", help="Canonical actor making the claim (e.g. Azerbaijan).")
    @click.option("--accused", help="Canonical actor accused (e.g. Armenia).")
    @click.option("--act", callback=act_code, help="Act code from the taxonomy (e.g. landmines, war_crime; see docs/data.md).")
    @click.option("--stance", type=click.Choice(["assert", "deny", "call_to_investigate"]))
    @click.option("--limit", default=200, show_default=True)
    @min_confidence_option
    @raw_option
    def allegations(
        db: str, as_json: bool, claimant: str | None, accused: str | None, act: str | None, stance: str | None,
        limit: int, min_confidence: float | None, raw: bool,
    ) -> None:
        """Who accuses whom of what: claimant, accused, act, stance, with the sentence it comes from.

        Each allegation has a confidence from the strategies that made it (`counterclaim explain ID` shows them);
        those under --min-confidence are hidden."""
        _list_records(
            db, "allegation", {"claimant": claimant, "accused": accused, "act": act, "stance": stance}, as_json, limit,
            ["id", "doc", "claimant", "accused", "act", "stance", "conf", "sentence"],
            lambda r: [r.id[:10], r.doc[:8], r.claimant, ", ".join(r.accused), r.act, r.stance, f"{r.confidence:.2f}",
                       shorten(r.sentence, 80)],
            raw=raw, min_confidence=min_confidence,
        )

    @cli.command()
    @db_option
    @json_option
    @click.option("--category", type=click.Choice(FigureCategories),
                  help="killed, injured, missing, detained, hostage, displaced, deported, victims ...")
    @click.option("--about", help="Text in what the figure is about (place or incident), e.g. Khojaly.")
    @click.option("--limit", default=200, show_default=True)
    @raw_option
    def figures(db: str, as_json: bool, category: str | None, about: str | None, limit: int, raw: bool) -> None:
        """Every figure, who says it (document), and where (sentence)."""
        _list_records(
            db, "figure", {"category": category}, as_json, limit,
            ["doc", "value", "qualifier", "category", "subject", "about", "sentence"],
            lambda r: [r.doc[:8], r.value_text or r.value, r.qualifier, r.category, r.subject, r.about,
                       shorten(r.sentence, 80)],
            text_filter=("about", about or ""), raw=raw,
        )

    @cli.command()
    @db_option
    @json_option
    @click.option("--speaker", help="Text in the speaker's name (e.g. Abdullayeva).")
    @click.option("--limit", default=200, show_default=True)
    @raw_option
    def quotes(db: str, as_json: bool, speaker: str | None, limit: int, raw: bool) -> None:
        """Quotes with their speaker, affiliation and reporting verb."""
        _list_records(
            db, "quote", {}, as_json, limit, ["doc", "speaker", "affiliation", "verb", "text"],
            lambda r: [r.doc[:8], r.speaker, r.affiliation, r.verb, shorten(r.text, 90)],
            text_filter=("speaker", speaker or ""), raw=raw,
        )

    @cli.command()
    @db_option
    @json_option
    @click.option("--limit", default=500, show_default=True)
    @raw_option
    def dates(db: str, as_json: bool, limit: int, raw: bool) -> None:
        """Dates mentioned in the documents, normalised to ISO with their precision."""
        _list_records(db, "date", {}, as_json, limit, ["doc", "date", "precision", "text", "sentence"],
                      lambda r: [r.doc[:8], r.date, r.precision, r.text, shorten(r.sentence, 80)], raw=raw)

    @cli.command()
    @db_option
    @json_option
    @click.option("--actor", help="Canonical actor name.")
    @click.option("--limit", default=500, show_default=True)
    @raw_option
    def actors(db: str, as_json: bool, actor: str | None, limit: int, raw: bool) -> None:
        """Actor mentions with their canonical actor (states, organs, IGOs, courts, persons)."""
        _list_records(db, "actor", {"actor": actor}, as_json, limit, ["doc", "actor", "kind", "text", "role"],
                      lambda r: [r.doc[:8], r.actor, r.kind, r.text, r.role], raw=raw)

    @cli.command()
    @db_option
    @json_option
    @click.option("--limit", default=500, show_default=True)
    @raw_option
    def legal(db: str, as_json: bool, limit: int, raw: bool) -> None:
        """Legal instruments cited: treaties, judgments, resolutions, criminal-code articles."""
        _list_records(db, "legal", {}, as_json, limit, ["doc", "instrument", "kind", "text"],
                      lambda r: [r.doc[:8], r.instrument, r.kind, r.text], raw=raw)

    @cli.command()
    @db_option
    @click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
    @click.option("--out", "out", type=click.Path(), help="File (jsonl) or folder (csv, parquet). jsonl: stdout if omitted.")
    @click.option("--type", "types", multiple=True, help="Only these object types (document, figure, allegation ...).")
    @min_confidence_option
    @raw_option
    @click.option("--include-rejected", is_flag=True,
                  help="Keep records analysts rejected (status 'rejected', with the reason).")
    def export(
        db: str, fmt: str, out: str | None, types: tuple[str, ...], min_confidence: float | None, raw: bool,
        include_rejected: bool,
    ) -> None:
        """Export the ledger: JSON Lines, or one CSV / Parquet file per record type (see docs/records.md).

        Records are the reviewed view (analysts' corrections applied, rejected records left out, added records in),
        each with status, reviewed_by, reviewed_at and reason; the review log is exported as review_decision
        objects. --raw exports the machine records as extracted. Machine records under --min-confidence are left
        out (records an analyst reviewed never are).
        """
        from counterclaim.export import write_jsonl, write_tables

        check_export_flags(raw, include_rejected)
        view: dict[str, Any] = {"raw": raw, "include_rejected": include_rejected, "min_confidence": min_confidence}
        with open_ledger(db, readonly=True) as ledger:
            if fmt == "jsonl":
                if out:  # written beside, then renamed: a full disk or an interruption leaves no half file
                    part = Path(out).with_name(Path(out).name + ".part")
                    try:
                        with open(part, "w", encoding="utf-8") as fh:
                            n = write_jsonl(ledger, fh, types or None, **view)
                        os.replace(part, out)
                    finally:
                        part.unlink(missing_ok=True)
                    click.echo(f"wrote {n} objects to {out}", err=True)
                else:
                    write_jsonl(ledger, sys.stdout, types or None, **view)
                return
            if not out:
                raise UsageError(f"--format {fmt} writes one file per record type: give a folder with --out")
            counts = write_tables(ledger, Path(out), fmt, types or None, **view)
        for name, n in counts.items():
            click.echo(f"wrote {n} rows to {Path(out) / name}", err=True)

    @cli.command()
    @click.argument("record_id")
    @db_option
    @json_option
    def explain(record_id: str, db: str, as_json: bool) -> None:
        """Why a record exists: the strategies (rules) that made it, what each means, its weight and the confidence.

        RECORD_ID is a record id or its first characters (the first column of `counterclaim allegations`). The rules
        and weights are listed in the package's data/strategies.yaml (docs/data.md).

        \b
        Example:
          counterclaim allegations --db k.db --accused Armenia
          counterclaim explain 3f2a9c01 --db k.db
        """
        from counterclaim.extract.strategies import describe, strategies

        with open_ledger(db, readonly=True) as ledger:
            record = ledger.find_record(record_id)
            doc = ledger.get_document(record.doc)
            source = ledger.first_sources().get(record.doc)
        table = strategies().by_name
        rules = [str(r) for r in getattr(record, "rules", []) or []]
        explained = [{"rule": r, "weight": table[r].weight if r in table else None, "means": describe(r)} for r in rules]
        out = {**record.export(source), "explained": explained, "document_title": doc.title,
               "span_text": doc.text[record.start:record.end]}
        if as_json:
            print_json(out)
            return
        click.echo(printable(f"{record.TYPE} {record.id}  in {doc.id[:12]} ({doc.title or 'untitled'}), "
                             f"characters {record.start}-{record.end}: “{out['span_text']}”"))
        for key in ("claimant", "accused", "act", "stance", "speaker", "value", "category", "confidence"):
            if hasattr(record, key):
                value = getattr(record, key)
                click.echo(printable(f"  {key:<11}{', '.join(value) if isinstance(value, list) else value}"))
        click.echo(printable(f"  sentence   {shorten(record.sentence, 200)}"))
        if not explained:
            click.echo("  (this record type keeps no rules)")
        for e in explained:
            weight = "" if e["weight"] is None else f"x{e['weight']:.2f} "
            click.echo(printable(f"  {e['rule']:<34}{weight}{e['means']}"))

    @cli.command(name="eval")
    @click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
    @db_option
    @json_option
    @click.option("--texts", multiple=True, type=click.Path(exists=True, file_okay=False),
                  help="Folder with the <stem>.txt files, when they are not beside the gold files.")
    @click.option("--details", is_flag=True, help="List every missed gold item and every extra prediction.")
    @click.option("--floors", type=click.Path(exists=True, dir_okay=False),
                  help="JSON {type: minimum F1}; exit 1 if any score is below.")
    def eval_cmd(gold_dir: str, db: str, as_json: bool, texts: tuple[str, ...], details: bool, floors: str | None) -> None:
        """Score extraction against gold annotations: precision / recall / F1 per record type.

        GOLD_DIR holds <stem>.gold.json files (format: shared/gold/seeds/README.md) with the <stem>.txt texts
        beside them or in --texts. The texts are ingested and analysed into --db (use a scratch ledger).
        Matching rules: docs/eval.md.
        """
        from counterclaim.evaluate import check_floors, evaluate, find_gold
        from counterclaim.extract.strategies import default_min_confidence
        from counterclaim.ingest import IngestOptions, ingest_paths

        gold_docs = find_gold(Path(gold_dir), [Path(t) for t in texts])
        records_by_stem: dict[str, list[Record]] = {}
        with open_ledger(db) as ledger:
            stem_ids: dict[str, str] = {}
            for gd in gold_docs:
                report = ingest_paths(ledger, [str(gd.text_path)], IngestOptions(force=True))
                if not report.doc_ids:
                    raise UsageError(f"{gd.text_path} could not be ingested: {report.problems}")
                stem_ids[gd.stem] = report.doc_ids[0]
            run_analysis(ledger, True, True)  # always re-extract: scores must reflect the running code
            floor = default_min_confidence()  # score what a user gets by default
            for stem, doc_id in stem_ids.items():
                records_by_stem[stem] = [r for r in ledger.records(doc_id=doc_id) if confident(r, floor)]
        scores = evaluate(gold_docs, records_by_stem)
        failures = check_floors(scores, json.loads(Path(floors).read_text())) if floors else []
        if as_json:
            print_json({t: s.as_dict(details) for t, s in scores.items()} | {"failures": failures})
        else:
            print_table(["type", "precision", "recall", "F1", "tp", "predicted", "gold"],
                        [[t, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", s.tp, s.predicted, s.gold]
                         for t, s in scores.items()])
            if details:
                for t, s in scores.items():
                    for m in s.misses:
                        click.echo(f"MISS  {t}: {json.dumps(m, ensure_ascii=False)}")
                    for e in s.extras:
                        click.echo(f"EXTRA {t}: {json.dumps(e, ensure_ascii=False)}")
            for line in failures:
                click.echo(f"counterclaim: below floor: {line}", err=True)
        if failures:
            raise SystemExit(1)

