"""CLI commands over extracted records: analyze, allegations, figures, quotes, dates, actors, legal, export, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from counterclaim.cli.ingest_cmds import ingest_options, report_outcome, run_ingest
from counterclaim.cli.options import db_option, json_option, open_ledger, print_json, print_table, shorten
from counterclaim.errors import UsageError
from counterclaim.records import Record
from counterclaim.store import Ledger


def run_analysis(
    ledger: Ledger, force: bool, quiet: bool, not_analysed: list[tuple[str, str]] | None = None
) -> tuple[int, int]:
    from counterclaim.analyze import analyze_ledger
    from counterclaim.extract.pipeline import Extractor

    if quiet or not sys.stderr.isatty():
        return analyze_ledger(ledger, Extractor(), force=force, not_analysed=not_analysed)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "extracting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
    ) as progress:
        task = progress.add_task("extract", total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return analyze_ledger(ledger, Extractor(), force=force, on_progress=on_progress, not_analysed=not_analysed)


def _list_records(
    db: str, type_: str, where: dict[str, Any], as_json: bool, limit: int, columns: list[str],
    row: Any, text_filter: tuple[str, str] | None = None,
) -> None:
    with open_ledger(db, readonly=True) as ledger:
        records = ledger.records(type_, where={k: v for k, v in where.items() if v})
        sources = ledger.first_sources()
    if text_filter and text_filter[1]:
        field_name, needle = text_filter
        records = [r for r in records if needle.lower() in str(getattr(r, field_name) or "").lower()]
    records = records[:limit]
    if as_json:
        print_json([r.export(sources.get(r.doc)) for r in records])
        return
    print_table(columns, [row(r) for r in records])


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
        with open_ledger(db) as ledger:
            if paths:
                report = run_ingest(ledger, paths, max_size, force, quiet or as_json)
                if not as_json and report.inputs:
                    report_outcome(report, False, False)
                out["ingest"] = report.as_dict()
            skipped: list[tuple[str, str]] = []
            done, n_records = run_analysis(ledger, reextract, quiet or as_json, skipped)
            from counterclaim.link.update import update_links  # lineage, incidents, comparisons (incremental)

            out["links"] = update_links(ledger).as_dict()
            out["extracted_documents"] = done
            out["records"] = n_records
            out["not_analysed"] = [{"doc": doc_id, "reason": note} for doc_id, note in skipped]
            out["counts"] = ledger.counts()
        if as_json:
            print_json(out)
        else:
            click.echo(f"extracted: {done} document(s), {n_records} record(s)", err=True)
            notes: dict[str, list[str]] = {}
            for doc_id, note in skipped:
                notes.setdefault(note, []).append(doc_id[:8])
            for note, doc_ids in sorted(notes.items()):
                shown = ", ".join(doc_ids[:5]) + (" ..." if len(doc_ids) > 5 else "")
                click.echo(f"{note}: {len(doc_ids)} document(s) ({shown})", err=True)
        if paths and strict and out["ingest"]["problems"]:
            raise SystemExit(1)

    @cli.command()
    @db_option
    @json_option
    @click.option("--claimant", "--accuser", "claimant", help="Canonical actor making the claim (e.g. Azerbaijan).")
    @click.option("--accused", help="Canonical actor accused (e.g. Armenia).")
    @click.option("--act", help="Act code from the taxonomy (e.g. landmines, war_crime; see docs/data.md).")
    @click.option("--stance", type=click.Choice(["assert", "deny", "call_to_investigate"]))
    @click.option("--limit", default=200, show_default=True)
    def allegations(
        db: str, as_json: bool, claimant: str | None, accused: str | None, act: str | None, stance: str | None,
        limit: int,
    ) -> None:
        """Who accuses whom of what: claimant, accused, act, stance, with the sentence it comes from."""
        _list_records(
            db, "allegation", {"claimant": claimant, "accused": accused, "act": act, "stance": stance}, as_json, limit,
            ["doc", "claimant", "accused", "act", "stance", "evidence", "sentence"],
            lambda r: [r.doc[:8], r.claimant, ", ".join(r.accused), r.act, r.stance, ", ".join(r.evidence),
                       shorten(r.sentence, 90)],
        )

    @cli.command()
    @db_option
    @json_option
    @click.option("--category", help="killed, injured, missing, detained, hostage, displaced, deported, victims ...")
    @click.option("--about", help="Text in what the figure is about (place or incident), e.g. Khojaly.")
    @click.option("--limit", default=200, show_default=True)
    def figures(db: str, as_json: bool, category: str | None, about: str | None, limit: int) -> None:
        """Every figure, who says it (document), and where (sentence)."""
        _list_records(
            db, "figure", {"category": category}, as_json, limit,
            ["doc", "value", "qualifier", "category", "subject", "about", "sentence"],
            lambda r: [r.doc[:8], r.value_text or r.value, r.qualifier, r.category, r.subject, r.about,
                       shorten(r.sentence, 80)],
            text_filter=("about", about or ""),
        )

    @cli.command()
    @db_option
    @json_option
    @click.option("--speaker", help="Text in the speaker's name (e.g. Abdullayeva).")
    @click.option("--limit", default=200, show_default=True)
    def quotes(db: str, as_json: bool, speaker: str | None, limit: int) -> None:
        """Quotes with their speaker, affiliation and reporting verb."""
        _list_records(
            db, "quote", {}, as_json, limit, ["doc", "speaker", "affiliation", "verb", "text"],
            lambda r: [r.doc[:8], r.speaker, r.affiliation, r.verb, shorten(r.text, 90)],
            text_filter=("speaker", speaker or ""),
        )

    @cli.command()
    @db_option
    @json_option
    @click.option("--limit", default=500, show_default=True)
    def dates(db: str, as_json: bool, limit: int) -> None:
        """Dates mentioned in the documents, normalised to ISO with their precision."""
        _list_records(db, "date", {}, as_json, limit, ["doc", "date", "precision", "text", "sentence"],
                      lambda r: [r.doc[:8], r.date, r.precision, r.text, shorten(r.sentence, 80)])

    @cli.command()
    @db_option
    @json_option
    @click.option("--actor", help="Canonical actor name.")
    @click.option("--limit", default=500, show_default=True)
    def actors(db: str, as_json: bool, actor: str | None, limit: int) -> None:
        """Actor mentions with their canonical actor (states, organs, IGOs, courts, persons)."""
        _list_records(db, "actor", {"actor": actor}, as_json, limit, ["doc", "actor", "kind", "text", "role"],
                      lambda r: [r.doc[:8], r.actor, r.kind, r.text, r.role])

    @cli.command()
    @db_option
    @json_option
    @click.option("--limit", default=500, show_default=True)
    def legal(db: str, as_json: bool, limit: int) -> None:
        """Legal instruments cited: treaties, judgments, resolutions, criminal-code articles."""
        _list_records(db, "legal", {}, as_json, limit, ["doc", "instrument", "kind", "text"],
                      lambda r: [r.doc[:8], r.instrument, r.kind, r.text])

    @cli.command()
    @db_option
    @click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
    @click.option("--out", "out", type=click.Path(), help="File (jsonl) or folder (csv, parquet). jsonl: stdout if omitted.")
    @click.option("--type", "types", multiple=True, help="Only these object types (document, figure, allegation ...).")
    def export(db: str, fmt: str, out: str | None, types: tuple[str, ...]) -> None:
        """Export the ledger: JSON Lines, or one CSV / Parquet file per record type (see docs/records.md)."""
        from counterclaim.export import write_jsonl, write_tables

        with open_ledger(db, readonly=True) as ledger:
            if fmt == "jsonl":
                if out:
                    with open(out, "w", encoding="utf-8") as fh:
                        n = write_jsonl(ledger, fh, types or None)
                    click.echo(f"wrote {n} objects to {out}", err=True)
                else:
                    write_jsonl(ledger, sys.stdout, types or None)
                return
            if not out:
                raise UsageError(f"--format {fmt} writes one file per record type: give a folder with --out")
            counts = write_tables(ledger, Path(out), fmt, types or None)
        for name, n in counts.items():
            click.echo(f"wrote {n} rows to {Path(out) / name}", err=True)

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
            for stem, doc_id in stem_ids.items():
                records_by_stem[stem] = ledger.records(doc_id=doc_id)
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

