"""CLI commands over documents: ingest, docs, show, summary, problems."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from counterclaim.cli.filters import iso_date
from counterclaim.cli.options import (
    db_option,
    json_option,
    open_ledger,
    print_json,
    print_table,
    printable,
    shorten,
)
from counterclaim.cli.review_cmds import raw_option
from counterclaim.coverage import analysis_note
from counterclaim.docextras import document_extras, record_page
from counterclaim.errors import InputError
from counterclaim.ingest import IngestOptions, IngestReport, ingest_paths
from counterclaim.ingest.run import STDIN, count_inputs, ledger_files
from counterclaim.store import Ledger
from counterclaim.store.docmeta import fixes


def parse_size(text: str) -> int:
    """'10MB', '512k', '2000000' → bytes."""
    units = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}
    s = text.strip().lower()
    num = s.rstrip("kmgb")
    unit = s[len(num):]
    try:
        return int(float(num) * units[unit])
    except (ValueError, KeyError) as exc:
        raise click.BadParameter(f"{text!r} is not a size like 10MB or 512k") from exc


def ingest_options(func: Callable[..., object]) -> Callable[..., object]:
    func = click.option("--max-size", default="10MB", show_default=True, help="Refuse inputs larger than this.")(func)
    func = click.option("--strict", is_flag=True, help="Exit non-zero if any input could not be read.")(func)
    func = click.option("--force", is_flag=True, help="Re-read inputs an earlier run already read to the end.")(func)
    return func


def refuse_if_nothing_exists(paths: tuple[str, ...]) -> None:
    """No input exists at all (a typo): one line, and no empty ledger created for it."""
    if paths and STDIN not in paths and not any(os.path.lexists(os.path.expanduser(p)) for p in paths):
        from counterclaim.ingest.names import shown_path

        missing = ", ".join(shown_path(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
        raise InputError(missing, "no such file or directory", "check the path; no ledger was created or changed")


def run_ingest(
    ledger: Ledger, paths: tuple[str, ...], max_size: str, force: bool, quiet: bool, jobs: int = 0
) -> IngestReport:
    """Ingest with a progress bar on a terminal (none when piped or quiet); one line on stderr per problem."""
    options = IngestOptions(max_bytes=parse_size(max_size), force=force, jobs=jobs)
    show_progress = sys.stderr.isatty() and not quiet
    progress = None
    task = None
    if show_progress:
        from rich.console import Console
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        total = count_inputs(list(paths), ledger_files(ledger)) if STDIN not in paths else None
        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )
        progress.start()
        task = progress.add_task("ingesting", total=total)

    counts = {"documents": 0, "inputs": 0}

    def on_event(kind: str, message: str) -> None:
        if kind == "problem":
            if progress is not None:
                progress.console.print(f"[yellow]skipped[/]: {escape(printable(message))}", highlight=False,
                                       soft_wrap=True)
            else:
                click.echo(f"counterclaim: skipped: {printable(message)}", err=True)
        elif kind == "input":
            counts["inputs"] += 1
            if progress is not None and task is not None:
                progress.update(task, completed=counts["inputs"] - 1,
                                description=f"ingesting ({counts['documents']} documents)")
        elif kind in ("new", "new_source", "known"):
            counts["documents"] += 1

    try:
        return ingest_paths(ledger, list(paths), options, on_event=on_event)
    finally:
        if progress is not None:
            progress.stop()


def report_outcome(report: IngestReport, as_json: bool, strict: bool) -> None:
    """The summary (one line on stderr, or JSON on stdout) and the exit code.

    Exit 0 when something was ingested (or everything was already there); 1 when no input was found or none
    could be read; with ``strict``, 1 as soon as any input or record had a problem.
    """
    if as_json:
        print_json(report.as_dict())
    else:
        parts = [f"{report.new} new document(s)"]
        if report.new_sources:
            parts.append(f"{report.new_sources} known text(s) from a new source")
        if report.known:
            parts.append(f"{report.known} already in the ledger")
        if report.skipped_inputs:
            parts.append(f"{report.skipped_inputs} input(s) unchanged since the last run")
        if report.problems:
            parts.append(f"{len(report.problems)} problem(s) (see 'counterclaim problems')")
        line = "ingested: " + ", ".join(parts)
        if report.changed_nothing and (report.known or report.skipped_inputs):
            line += "; nothing changed: it was all in the ledger already (use --force to re-read inputs)"
        click.echo(line, err=True)
    nothing = report.documents == 0 and report.skipped_inputs == 0
    if report.inputs == 0:
        click.echo("counterclaim: error: no input files found", err=True)
        raise SystemExit(1)
    if nothing and report.problems:
        if not as_json:
            click.echo("counterclaim: error: nothing could be ingested", err=True)
        raise SystemExit(1)
    if strict and report.problems:
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
    @db_option
    @ingest_options
    @json_option
    @click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
    @click.option("-j", "--jobs", default=0, show_default=True, type=click.IntRange(min=0),
                  help="Worker processes reading small files of large runs (0: one per CPU, at most 4; 1: none).")
    def ingest(
        paths: tuple[str, ...], db: str, max_size: str, strict: bool, force: bool, as_json: bool, quiet: bool,
        jobs: int,
    ) -> None:
        """Read documents into the ledger.

        PATHS are files or folders (read recursively), or - for stdin. Plain text and Markdown, HTML pages,
        JSON Lines (one document per line: text or html, plus url, title, published, publisher), WARC / WARC.gz,
        and RSS / Atom feeds are recognised by content and extension.

        A document's id is the hash of its cleaned text: ingesting the same text again changes nothing, and the
        same text from another source is recorded as a second source. Each unreadable input gets one line and the
        rest goes on; the exit code is 0 when anything was ingested (use --strict to fail on any problem).
        An interrupted run can simply be run again: it resumes.

        \b
        Examples:
          counterclaim ingest ~/cases/karabakh/ --db karabakh.db
          curl -s https://example.org/statement.html | counterclaim ingest - --db k.db
        """
        refuse_if_nothing_exists(paths)
        with open_ledger(db) as ledger:
            report = run_ingest(ledger, paths, max_size, force, quiet or as_json, jobs)
        report_outcome(report, as_json, strict)

    @cli.command()
    @db_option
    @json_option
    @click.option("--limit", default=50, show_default=True, help="How many documents to list.")
    @click.option("--offset", default=0, help="Skip this many documents first.")
    @click.option("--publisher", help="Only documents whose publisher contains this text.")
    @click.option("--language", help="Only documents in this language (ISO 639-1 code, e.g. en).")
    @click.option("--since", callback=iso_date, help="Only documents published on or after this date (YYYY-MM-DD).")
    @click.option("--until", callback=iso_date, help="Only documents published on or before this date.")
    def docs(
        db: str, as_json: bool, limit: int, offset: int, publisher: str | None, language: str | None,
        since: str | None, until: str | None,
    ) -> None:
        """List documents: id, date, publisher, title, language, chars, and a note for documents in a language
        the extractors do not read ("not analysed: language fr")."""
        with open_ledger(db, readonly=True) as ledger:
            rows = ledger.documents(
                limit=limit, offset=offset, publisher=publisher, language=language, since=since, until=until
            )
        for r in rows:
            r["analysis"] = analysis_note(r["language"])
        if as_json:
            print_json(rows)
            return
        print_table(
            ["id", "date", "publisher", "title", "lang", "chars", "note"],
            [[r["id"], r["published"], shorten(r["publisher"], 30), shorten(r["title"], 60), r["language"], r["chars"],
              r["analysis"] or ""] for r in rows],
        )

    @cli.command()
    @click.argument("query")
    @db_option
    @json_option
    @click.option("--limit", default=20, show_default=True)
    def search(query: str, db: str, as_json: bool, limit: int) -> None:
        """Full-text search over document titles and text ("quoted phrases" allowed)."""
        with open_ledger(db, readonly=True) as ledger:
            rows = ledger.documents(query=query, limit=limit)
        if as_json:
            print_json(rows)
            return
        print_table(["id", "date", "publisher", "title"],
                    [[r["id"], r["published"], shorten(r["publisher"], 30), shorten(r["title"], 70)] for r in rows])

    @cli.command()
    @click.argument("doc_id")
    @db_option
    @json_option
    @click.option("--text/--no-text", default=True, help="Print the document text.")
    @raw_option
    def show(doc_id: str, db: str, as_json: bool, text: bool, raw: bool) -> None:
        """Show one document (by id or a unique prefix of it): metadata, sources, text and records.

        Records are the reviewed view (with their review status); --raw shows the machine records.
        """
        from counterclaim.review import Reviewed, review_view

        with open_ledger(db, readonly=True) as ledger:
            doc = ledger.get_document(doc_id)
            sources = ledger.sources(doc.id)
            items = [Reviewed(r) for r in ledger.records(doc_id=doc.id)] if raw else review_view(ledger, doc_id=doc.id)
            records = [i.record for i in items]
            extras = document_extras(doc, fixes(ledger.conn, doc.id).get(doc.id))
        pages = doc.meta.get("pages")
        if as_json:
            out = {**doc.export(sources[0]["source"] if sources else None), **extras}
            out["text"] = doc.text
            out["sources"] = sources
            out["records"] = [i.record.export() if raw else i.export() for i in items]
            if pages:
                for obj in out["records"]:
                    obj["page"] = record_page(pages, obj["start"])
            print_json(out)
            return
        click.echo(f"id:        {doc.id}")
        click.echo(f"sha256:    {doc.sha256}")
        corrections = extras["corrections"]
        for label, value in (("title", doc.title), ("publisher", doc.publisher),
                             ("original_publisher", extras["original_publisher"]), ("author", doc.author),
                             ("published", doc.published), ("language", doc.language), ("url", doc.url),
                             ("encoding", extras["encoding"]), ("pages", extras["pages"]),
                             ("analysis", extras["analysis"])):
            if value:
                fix = corrections.get(label)
                if fix:
                    was = fix["extracted"] if fix["extracted"] is not None else "none"
                    value = f"{value}  [corrected {fix['at']}; extracted: {was}]"
                click.echo(f"{label + ':':<11}{printable(value)}")
        for s in sources:
            where = f" [{s['locator']}]" if s["locator"] else ""
            click.echo(printable(f"source:    {s['source']}{where} ({s['kind']}, {s['added_at']})"))
        if records:
            by_type: dict[str, int] = {}
            for r in records:
                by_type[r.TYPE] = by_type.get(r.TYPE, 0) + 1
            click.echo("records:   " + ", ".join(f"{n} {t}" for t, n in sorted(by_type.items())))
            reviewed = sum(1 for i in items if i.status != "machine")
            if reviewed:
                click.echo(f"reviewed:  {reviewed} of {len(items)} (review list --doc {doc.id[:8]})")
        if text:
            click.echo("")
            click.echo(printable(doc.text))

    @cli.command()
    @db_option
    @json_option
    def summary(db: str, as_json: bool) -> None:
        """Counts of documents, sources, problems and records in the ledger."""
        with open_ledger(db, readonly=True) as ledger:
            counts = ledger.counts()
        if as_json:
            print_json(counts)
            return
        click.echo(f"ledger {db}")
        for key, n in counts.items():
            click.echo(f"  {key:<12}{n}")

    @cli.command()
    @db_option
    @json_option
    @click.option("--limit", default=100, show_default=True)
    def problems(db: str, as_json: bool, limit: int) -> None:
        """Inputs that could not be read, newest first, with the reason."""
        with open_ledger(db, readonly=True) as ledger:
            rows = ledger.problems(limit)
        if as_json:
            print_json(rows)
            return
        print_table(["at", "source", "reason"], [[r["at"], r["source"], r["reason"]] for r in rows])
