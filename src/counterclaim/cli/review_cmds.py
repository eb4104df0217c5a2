"""``counterclaim review``: analysts confirm, correct, reject and add records; the audit log; gold export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from counterclaim.cli.options import db_option, json_option, open_ledger, print_json, print_table, shorten
from counterclaim.errors import UsageError

raw_option = click.option(
    "--raw", is_flag=True,
    help="The machine view: records as extracted, without analysts' corrections and rejections.",
)
by_option = click.option("--by", "by", help="Analyst's name for the log (default: $COUNTERCLAIM_ANALYST or login).")
new_actor_option = click.option(
    "--allow-new-actor", is_flag=True, help="Accept an actor the actor dictionary does not know (kept as typed).",
)


def record_summary(rec: Any) -> str:
    """One line saying what a record claims."""
    t = rec.TYPE
    if t == "allegation":
        return f"{rec.claimant} → {', '.join(rec.accused) or '?'}: {rec.act} ({rec.stance})"
    if t == "figure":
        return f"{rec.value_text or rec.value} {rec.category} ({rec.qualifier}) {rec.subject or ''}".strip()
    if t == "quote":
        return f"{rec.speaker}: {shorten(rec.text, 60)}"
    if t == "date":
        return f"{rec.date} ({rec.precision})"
    if t == "actor":
        return f"{rec.actor} ({rec.kind})"
    if t == "legal":
        return f"{rec.instrument} ({rec.kind})"
    return ""


def _echo_decision(item: Any, as_json: bool) -> None:
    if as_json:
        print_json(item.export())
        return
    click.echo(f"{item.record.id}  {item.status}  {record_summary(item.record)}  "
               f"(by {item.subject.reviewed_by if item.subject else '?'})")


def register(cli: click.Group) -> None:
    @cli.group()
    def review() -> None:
        """Analysts' review: confirm, correct, reject and add records; the audit log; gold export.

        Decisions are kept apart from the machine records and survive re-analysis: after 'analyze' re-extracts a
        document, each decision re-attaches to the record at the same span; one whose record is gone is kept and
        listed as orphaned ('review list --status orphaned'). Every reader of the ledger (allegations, figures,
        quotes, show, compare, export, the workbench) shows the reviewed view; --raw shows the machine view.

        \b
        Example:
          counterclaim review list --db k.db --doc 04d9 --type allegation
          counterclaim review correct c4379ed2 --set accused=Russia --reason "the text names Russia" --db k.db
          counterclaim review reject 5be1a0c3 --reason "a date, not an allegation" --db k.db
          counterclaim review log --db k.db
        """

    @review.command(name="list")
    @db_option
    @json_option
    @click.option("--doc", "doc", help="Only this document (id or unique prefix).")
    @click.option("--type", "type_", help="Only this record type (allegation, figure, quote, date, actor, legal).")
    @click.option("--act", help="Only allegations of this act code.")
    @click.option("--incident", help="Only records of this incident (id prefix or part of its label).")
    @click.option("--status", default="unreviewed", show_default=True,
                  type=click.Choice(["unreviewed", "reviewed", "machine", "confirmed", "corrected", "rejected", "added",
                                     "orphaned", "all"]),
                  help="Which records: the queue (unreviewed), the reviewed ones, one status, orphaned decisions.")
    @click.option("--limit", default=200, show_default=True)
    def list_(db: str, as_json: bool, doc: str | None, type_: str | None, act: str | None, incident: str | None,
              status: str, limit: int) -> None:
        """The review queue: records to review, lowest confidence first (else by document, type and position).

        Progress per document is printed on stderr ("12 of 31 reviewed"); orphaned decisions are always announced.
        """
        from counterclaim.review import progress, queue, record_class, review_view

        if type_:
            record_class(type_)
        with open_ledger(db, readonly=True) as ledger:
            doc_id = ledger.get_document(doc).id if doc else None
            items = review_view(ledger, type_, doc_id=doc_id, include_rejected=True)
            allowed: set[str] | None = None
            if incident:
                from counterclaim.store.links import LinkStore

                store = LinkStore(ledger)
                allowed = set(store.incident_record_ids(store.get_incident(incident)["id"]))
            counts = progress(ledger)
        if act:
            items = [i for i in items if getattr(i.record, "act", None) == act]
        if allowed is not None:
            items = [i for i in items if i.record.id in allowed or (i.subject and i.subject.record_id in allowed)]
        orphans = sum(1 for i in items if i.orphaned)
        items = queue(items, status)
        items = items[:limit]
        if as_json:
            print_json([i.export() for i in items])
        else:
            print_table(["id", "doc", "type", "status", "record", "sentence"],
                        [[i.record.id, i.record.doc[:8], i.record.TYPE, i.status + (" (orphaned)" if i.orphaned else ""),
                          shorten(record_summary(i.record), 60), shorten(i.record.sentence, 70)] for i in items])
        docs = [doc_id] if doc_id else sorted(counts)
        for d in docs:
            c = counts.get(d)
            if c and (doc_id or c["reviewed"] or c["added"]):
                click.echo(f"{d[:8]}: {c['reviewed']} of {c['records']} reviewed"
                           + (f", {c['added']} added" if c["added"] else ""), err=True)
        if orphans and status != "orphaned":
            click.echo(f"counterclaim: {orphans} decision(s) lost their record in a re-extraction; "
                       "see 'counterclaim review list --status orphaned'", err=True)

    def _decide(record_id: str, db: str, action: str, as_json: bool, **kwargs: Any) -> None:
        from counterclaim.review import Reviewer

        with open_ledger(db) as ledger:
            item = Reviewer(ledger).decide(record_id, action, **kwargs)
        _echo_decision(item, as_json)

    @review.command()
    @click.argument("record_ids", nargs=-1, required=True)
    @db_option
    @json_option
    @by_option
    @click.option("--reason", help="Why (optional for a confirmation).")
    def confirm(record_ids: tuple[str, ...], db: str, as_json: bool, by: str | None, reason: str | None) -> None:
        """Confirm RECORD_IDS as extracted (or as corrected)."""
        for record_id in record_ids:
            _decide(record_id, db, "confirm", as_json, by=by, reason=reason)

    @review.command()
    @click.argument("record_ids", nargs=-1, required=True)
    @db_option
    @json_option
    @by_option
    @click.option("--reason", required=True, help="Why the record is wrong (kept in the log and in exports).")
    def reject(record_ids: tuple[str, ...], db: str, as_json: bool, by: str | None, reason: str) -> None:
        """Reject RECORD_IDS: hidden from every view and export (export --include-rejected keeps them)."""
        for record_id in record_ids:
            _decide(record_id, db, "reject", as_json, by=by, reason=reason)

    @review.command()
    @click.argument("record_id")
    @db_option
    @json_option
    @by_option
    @new_actor_option
    @click.option("--set", "sets", multiple=True, required=True, metavar="FIELD=VALUE",
                  help="New value of a field (repeat); lists comma-separated: --set accused=Russia,Belarus.")
    @click.option("--reason", help="Why (kept in the log and in exports).")
    def correct(record_id: str, db: str, as_json: bool, by: str | None, allow_new_actor: bool, sets: tuple[str, ...],
                reason: str | None) -> None:
        """Correct fields of RECORD_ID (acts checked against the taxonomy, actors against the actor dictionary).

        \b
        Example:
          counterclaim review correct c4379ed2 --set accused=Russia --set act=torture --reason "..." --db k.db
        """
        from counterclaim.review import parse_sets

        _decide(record_id, db, "correct", as_json, by=by, reason=reason, changes=parse_sets(sets),
                allow_new_actor=allow_new_actor)

    @review.command()
    @click.argument("doc_id")
    @db_option
    @json_option
    @by_option
    @new_actor_option
    @click.option("--type", "type_", required=True, help="Record type: allegation, figure, quote, date, actor, legal.")
    @click.option("--start", type=int, required=True, help="Start of the span (character offset in the text).")
    @click.option("--end", type=int, required=True, help="End of the span (exclusive).")
    @click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="A field of the record (repeat).")
    @click.option("--reason", help="Why (kept in the log).")
    def add(doc_id: str, db: str, as_json: bool, by: str | None, allow_new_actor: bool, type_: str, start: int,
            end: int, sets: tuple[str, ...], reason: str | None) -> None:
        """Add a record the extractor missed, standing on text[START:END] of DOC_ID.

        \b
        Example:
          counterclaim review add 04d9196b --type allegation --start 812 --end 940 \\
            --set claimant=Azerbaijan --set accused=Armenia --set act=landmines --db k.db
        """
        from counterclaim.review import Reviewer, parse_sets

        with open_ledger(db) as ledger:
            item = Reviewer(ledger).add(doc_id, type_, start, end, parse_sets(sets), by=by, reason=reason,
                                        allow_new_actor=allow_new_actor)
        _echo_decision(item, as_json)

    @review.command()
    @db_option
    @json_option
    @click.option("--doc", "doc", help="Only decisions on this document.")
    @click.option("--limit", type=int, help="Only the last N entries.")
    def log(db: str, as_json: bool, doc: str | None, limit: int | None) -> None:
        """The audit log: every decision (who, when, before, after, reason), oldest first; never edited."""
        from counterclaim.store.review import ReviewStore

        with open_ledger(db, readonly=True) as ledger:
            doc_id = ledger.get_document(doc).id if doc else None
            rows = ReviewStore(ledger).log(doc_id=doc_id, limit=limit)
        if as_json:
            print_json(rows)
            return

        def fmt(d: dict[str, Any]) -> str:
            return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in d.items())

        print_table(["#", "at", "analyst", "action", "record", "type", "before", "after", "reason"],
                    [[r["seq"], r["at"], r["analyst"], r["action"], r["subject"], r["type"], shorten(fmt(r["before"]), 50),
                      shorten(fmt(r["after"]), 50), shorten(r["reason"], 50)] for r in rows])

    @review.command()
    @db_option
    @json_option
    def progress(db: str, as_json: bool) -> None:
        """Per document: how many records are reviewed, added, orphaned."""
        from counterclaim.review import progress as counts

        with open_ledger(db, readonly=True) as ledger:
            rows = counts(ledger)
            titles = {d["id"]: d["title"] for d in ledger.documents()}
        if as_json:
            print_json([{"doc": d, "title": titles.get(d), **c} for d, c in sorted(rows.items())])
            return
        print_table(["doc", "reviewed", "records", "added", "orphaned", "title"],
                    [[d[:8], c["reviewed"], c["records"], c["added"], c["orphaned"], shorten(titles.get(d), 60)]
                     for d, c in sorted(rows.items())])

    @review.command(name="export-gold")
    @click.argument("doc_ids", nargs=-1, required=True)
    @db_option
    @click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Folder to write into.")
    @click.option("--force", is_flag=True, help="Export documents with records nobody has reviewed yet.")
    def export_gold(doc_ids: tuple[str, ...], db: str, out: str, force: bool) -> None:
        """Write reviewed documents as gold: <stem>.txt + <stem>.gold.json (shared/gold/seeds/README.md format).

        The gold holds the reviewed view (corrections applied, rejected left out, added records in), so
        'counterclaim eval DIR' scores the extractor against your own analysts. A document with unreviewed records
        is refused unless --force.
        """
        from counterclaim.gold_export import export_gold as write

        with open_ledger(db, readonly=True) as ledger:
            written = write(ledger, list(doc_ids), Path(out), allow_unreviewed=force)
        for path in written:
            click.echo(f"wrote {path}", err=True)


def check_export_flags(raw: bool, include_rejected: bool) -> None:
    if raw and include_rejected:
        raise UsageError("--raw already shows every machine record; --include-rejected applies to the reviewed view")
