"""CLI command correcting a document's metadata: fix-meta."""

from __future__ import annotations

import click

from counterclaim.cli.options import db_option, json_option, open_ledger, print_json
from counterclaim.docextras import clean_corrections
from counterclaim.errors import UsageError
from counterclaim.store.docmeta import FIXABLE, set_fix, undo_fix


def register(cli: click.Group) -> None:
    @cli.command("fix-meta")
    @click.argument("doc_id")
    @db_option
    @json_option
    @click.option("--title", help="The document's title as it should read.")
    @click.option("--published", help="Publication date (YYYY-MM-DD, or a written date such as '4 October 2022').")
    @click.option("--publisher", help="Who published it (outlet, ministry, NGO).")
    @click.option("--author", help="Who wrote or signed it.")
    @click.option("--language", help="ISO 639-1 code (en, fr, uk ...) when detection got it wrong.")
    @click.option("--note", help="Why (kept with the correction).")
    @click.option("--undo", "undo", multiple=True, type=click.Choice(FIXABLE),
                  help="Drop the correction of this field and restore the extracted value (repeatable).")
    def fix_meta(
        doc_id: str, db: str, as_json: bool, title: str | None, published: str | None, publisher: str | None,
        author: str | None, language: str | None, note: str | None, undo: tuple[str, ...],
    ) -> None:
        """Correct a document's title, date, publisher, author or language.

        The correction is stored beside the value ingest found, wins over it everywhere (docs, filters, the
        extractor's date resolution when analysed again with --reextract, the export), survives re-ingesting and re-analysing, and
        is shown as a correction by 'show' and in the export ('corrections').

        \b
        Examples:
          counterclaim fix-meta 04d9196b --title "Statement on Kharkiv" --published 2022-03-02 --db k.db
          counterclaim fix-meta 04d9196b --publisher "MFA of Ukraine" --note "letterhead on page 1" --db k.db
          counterclaim fix-meta 04d9196b --undo title --db k.db
        """
        values = {"title": title, "published": published, "publisher": publisher, "author": author,
                  "language": language}
        if all(v is None for v in values.values()) and not undo:
            raise UsageError("nothing to correct: give --title, --published, --publisher, --author or --language")
        changes = clean_corrections(values)
        with open_ledger(db) as ledger:
            doc = ledger.get_document(doc_id)
            with ledger.transaction() as conn:
                done = [set_fix(conn, doc.id, k, v, note) for k, v in changes.items()]
                undone = [f for f in undo if undo_fix(conn, doc.id, f)]
        if as_json:
            print_json({"doc": doc.id, "corrected": done, "undone": undone})
            return
        for fix in done:
            was = fix["extracted"] if fix["extracted"] is not None else "none"
            click.echo(f"{doc.id} {fix['field']}: {fix['value']} (extracted: {was})")
        for field in undone:
            click.echo(f"{doc.id} {field}: back to the extracted value")
