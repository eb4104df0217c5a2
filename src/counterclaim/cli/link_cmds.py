"""CLI commands of the link stage: lineage, incidents, compare."""

from __future__ import annotations

import sys
from typing import Any

import click

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
from counterclaim.store import Ledger

update_option = click.option(
    "--no-update", is_flag=True,
    help="Show what is stored; do not first link documents added since the last run.",
)
embed_option = click.option(
    "--no-embed", is_flag=True,
    help="Align sentences by their words only (no sentence embedding model; faster, misses loose rewrites).",
)


def _update(ledger: Ledger, no_update: bool, no_embed: bool) -> None:
    if no_update:
        return
    from counterclaim.link.update import update_links

    report = update_links(ledger, use_embeddings=not no_embed)
    if report.documents and sys.stderr.isatty():
        click.echo(f"linked {report.documents} new document(s): {report.candidates} candidate pair(s), "
                   f"{report.links} link(s)", err=True)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("doc", required=False)
    @db_option
    @json_option
    @click.option("--align", "show_align", is_flag=True, help="With DOC: show the aligned sentences of each link.")
    @update_option
    @embed_option
    def lineage(doc: str | None, db: str, as_json: bool, show_align: bool, no_update: bool, no_embed: bool) -> None:
        """How statements travel: clusters of copies, rewrites and partial reuse, with the earliest known source.

        Without DOC, every cluster of linked documents. With DOC (an id prefix), the documents linked to it;
        --align shows, for each, the sentence-by-sentence alignment of the two renderings.

        \b
        Examples:
          counterclaim lineage --db k.db
          counterclaim lineage 112e9c --db k.db --align
        """
        from counterclaim.link.lineage import cluster_report
        from counterclaim.store.links import LinkStore

        with open_ledger(db, readonly=no_update) as ledger:
            _update(ledger, no_update, no_embed)
            store = LinkStore(ledger)
            meta = store.titles()
            if doc is None:
                report = cluster_report(store.links(), meta)
                if as_json:
                    print_json(report)
                    return
                if not report:
                    click.echo("no linked documents (no copies, rewrites or partial reuse found)")
                    return
                rows = []
                for n, cluster in enumerate(report, start=1):
                    for m in cluster["documents"]:  # type: ignore[attr-defined]
                        rows.append([n, m["doc"], m["role"], m["of"] if m["role"] != "original" else "",
                                     f"{m['share']:.2f}", m["published"], shorten(m["title"] or m["publisher"], 50)])
                print_table(["cluster", "document", "role", "of", "share", "published", "title"], rows,
                            title="Lineage (original = earliest known source)")
                return
            target = ledger.get_document(doc)
            links = store.links(target.id)
            out: list[dict[str, Any]] = []
            for lk in links:
                item = {"type": "link", **lk}
                if show_align:
                    texts = {d: ledger.get_document(d).text for d in (lk["doc"], lk["other"])}
                    item["alignment"] = [
                        {**p, "doc_sentence": texts[lk["doc"]][p["doc_start"]:p["doc_end"]],
                         "other_sentence": texts[lk["other"]][p["other_start"]:p["other_end"]]}
                        for p in store.link_pairs(lk["doc"], lk["other"])
                    ]
                out.append(item)
            if as_json:
                print_json({"doc": target.id, "links": out})
                return
            if not out:
                click.echo(f"{target.id}: no copy, rewrite or partial reuse of or by this document")
                return
            for item in out:
                direction = "reuses" if item["doc"] == target.id else "is reused by"
                partner = item["other"] if item["doc"] == target.id else item["doc"]
                click.echo(f"{target.id} {direction} {partner}: {item['kind']} "
                           f"(aligned share {item['share']:.2f} / {item['other_share']:.2f}, {item['pairs']} pairs)")
                if show_align:
                    print_table(
                        ["score", item["doc"][:8], item["other"][:8]],
                        [[f"{p['score']:.2f}", shorten(p["doc_sentence"], 70), shorten(p["other_sentence"], 70)]
                         for p in item["alignment"]],
                    )

    @cli.command()
    @db_option
    @json_option
    @update_option
    @embed_option
    def incidents(db: str, as_json: bool, no_update: bool, no_embed: bool) -> None:
        """Incidents: events (place + time + act) that several records, from one or many documents, describe.

        \b
        Example:
          counterclaim incidents --db k.db
          counterclaim compare <incident id or label> --db k.db
        """
        from counterclaim.store.links import LinkStore

        with open_ledger(db, readonly=no_update) as ledger:
            _update(ledger, no_update, no_embed)
            items = LinkStore(ledger).incidents()
        if as_json:
            print_json([{"type": "incident", **i} for i in items])
            return
        print_table(
            ["id", "label", "place", "start", "end", "acts", "documents", "records"],
            [[i["id"][:8], i["label"], i["place"], i["start"], i["end"], ", ".join(i["acts"]), len(i["docs"]),
              i["records"]] for i in items],
            title="Incidents",
        )

    @cli.command()
    @click.argument("incident")
    @db_option
    @json_option
    @update_option
    @embed_option
    @raw_option
    def compare(incident: str, db: str, as_json: bool, no_update: bool, no_embed: bool, raw: bool) -> None:
        """Every source's figures about one INCIDENT (id prefix or part of its label), per category.

        The verdict says whether the sources agree, differ, or give compatible ranges ("up to 250" and "250").
        Values are never averaged. The incident's allegations and quotes are listed too. Figures are the reviewed
        view (analysts' corrections applied, rejected figures left out); --raw compares the machine figures.

        \b
        Example:
          counterclaim compare Khojaly --db k.db
        """
        from counterclaim.store.links import LinkStore

        with open_ledger(db, readonly=no_update) as ledger:
            _update(ledger, no_update, no_embed)
            store = LinkStore(ledger)
            inc = store.get_incident(incident)
            comparisons = store.comparisons(inc["id"])
            machine = [ledger.get_record(rid) for rid in store.incident_record_ids(inc["id"])]
            if raw:
                records = [rec.export() for rec in machine]
            else:
                from counterclaim.link.reconcile import compare_figures
                from counterclaim.records import Figure
                from counterclaim.review import overlay

                reviewed = overlay(ledger, machine)
                records = [item.export() for item in reviewed]
                if any(item.status != "machine" for item in reviewed):
                    figures = [item.record for item in reviewed if isinstance(item.record, Figure)]
                    comparisons = compare_figures(inc["id"], figures)
        if as_json:
            print_json({"incident": {"type": "incident", **inc},
                        "comparisons": [{"type": "comparison", **c} for c in comparisons], "records": records})
            return
        click.echo(printable(f"{inc['label']}  ({inc['id']}; {len(inc['docs'])} document(s))"))
        rows = []
        for c in comparisons:
            for v in c["values"]:
                rows.append([c["category"], c["verdict"], v["doc"][:8], v["value_text"] or v["value"], v["qualifier"],
                             shorten(v.get("sentence"), 70)])
        print_table(["category", "verdict", "doc", "value", "qualifier", "sentence"], rows, title="Figures by source")
        other = [r for r in records if r["type"] in ("allegation", "quote")]
        if other:
            print_table(["type", "doc", "text"], [[r["type"], r["doc"][:8], shorten(r["sentence"], 90)] for r in other],
                        title="Allegations and quotes")
