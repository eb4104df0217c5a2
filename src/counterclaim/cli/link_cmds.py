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
        """What every source says about one INCIDENT (id prefix or part of its label), ready to cite.

        For each figure category: each value with its document's publisher, title and date, who claims it, and the
        sentence; copies and rewrites (lineage) listed under their original and counted as ONE source. The verdict
        is over independent sources only: agree, compatible (ranges overlap, or "at least" the other), differ,
        single_source. Values are never averaged. Then the incident's allegations: claimant, accused, act, stance.
        Records are the reviewed view (analysts' corrections applied, rejected ones left out); --raw: as extracted.

        \b
        Example:
          counterclaim compare Khojaly --db k.db
          counterclaim compare 73a6e9 --db k.db --json
        """
        from counterclaim.link.compare import incident_report

        with open_ledger(db, readonly=no_update) as ledger:
            _update(ledger, no_update, no_embed)
            report = incident_report(ledger, incident, raw=raw)
        if as_json:
            print_json(report)
            return
        inc = report["incident"]
        click.echo(printable(f"{inc['label']}  ({inc['id']}; {len(inc['docs'])} document(s), "
                             f"{inc.get('sources') or len(inc['docs'])} independent source(s))"))
        if inc.get("lat") is not None:
            click.echo(printable(f"place: {inc['place']} ({inc.get('country')}) {inc['lat']:.4f}, {inc['lon']:.4f}"))
        if inc.get("analyst_decisions"):
            click.echo("analyst decisions: " + "; ".join(d["action"] for d in inc["analyst_decisions"]))
        rows = []
        for c in report["comparisons"]:
            for v in c["values"]:
                who = "  └ copy of " + v["copy_of"][:8] if v.get("copy_of") else v["doc"][:8]
                rows.append([c["category"], f"{c['verdict']} ({c['sources']} src)", who, shorten(v.get("publisher"), 18),
                             v.get("published") or "", v["value_text"] or v["value"], v["qualifier"],
                             shorten(v.get("claimant"), 20), shorten(v.get("sentence"), 60)])
        print_table(["category", "verdict", "document", "publisher", "date", "value", "qualifier", "claimant",
                     "sentence"], rows, title="Figures by source (copies under their original)")
        if report["allegations"]:
            print_table(["claimant", "accused", "act", "stance", "document", "sentence"],
                        [[a["claimant"], ", ".join(a["accused"]), a["act"], a["stance"], a["doc"][:8],
                          shorten(a["sentence"], 70)] for a in report["allegations"]], title="Allegations")

    @cli.group("incident")
    def incident_group() -> None:
        """Analyst decisions on incidents: merge, split, move documents, rename.

        Decisions are stored in the ledger, re-applied after every analysis (so they survive re-analysis), and marked
        in the export (`analyst_decisions` of each incident).

        \b
        Examples:
          counterclaim incident merge 73a6e9 5ada5a --db k.db
          counterclaim incident split 73a6e9 --doc 322b69 --db k.db
          counterclaim incident move-out 73a6e9 --doc 322b69 --db k.db
          counterclaim incident move-in 73a6e9 --doc 4960bf --db k.db
          counterclaim incident rename 73a6e9 "Khojaly massacre" --db k.db
          counterclaim incident decisions --db k.db
        """

    def _decide(db: str, action: str, incident: str, **kw: Any) -> None:
        from counterclaim.link.cluster import decide
        from counterclaim.store.links import LinkStore

        with open_ledger(db) as ledger:
            _update(ledger, False, True)
            decide(ledger, action, incident, **kw)
            decided = [i for i in LinkStore(ledger).incidents() if i.get("decided")]
        click.echo(f"{action.replace('_', ' ')}: done ({len(decided)} incident(s) now carry analyst decisions)")

    @incident_group.command("merge")
    @click.argument("incident")
    @click.argument("others", nargs=-1, required=True)
    @db_option
    def merge(incident: str, others: tuple[str, ...], db: str) -> None:
        """Merge OTHERS (ids or labels) into INCIDENT."""
        _decide(db, "merge", incident, others=list(others))

    @incident_group.command("split")
    @click.argument("incident")
    @click.option("--doc", "docs", multiple=True, required=True, help="A document (id prefix) to split off; repeat.")
    @db_option
    def split(incident: str, docs: tuple[str, ...], db: str) -> None:
        """Split the given documents off INCIDENT into a new incident of their own (together)."""
        _decide(db, "split", incident, docs=list(docs))

    @incident_group.command("move-out")
    @click.argument("incident")
    @click.option("--doc", "docs", multiple=True, required=True, help="A document (id prefix) to take out; repeat.")
    @db_option
    def move_out(incident: str, docs: tuple[str, ...], db: str) -> None:
        """Take documents out of INCIDENT (each becomes its own incident)."""
        _decide(db, "move_out", incident, docs=list(docs))

    @incident_group.command("move-in")
    @click.argument("incident")
    @click.option("--doc", "docs", multiple=True, required=True, help="A document (id prefix) to put in; repeat.")
    @db_option
    def move_in(incident: str, docs: tuple[str, ...], db: str) -> None:
        """Put documents (their incident mentions) into INCIDENT."""
        _decide(db, "move_in", incident, docs=list(docs))

    @incident_group.command("rename")
    @click.argument("incident")
    @click.argument("label")
    @db_option
    def rename(incident: str, label: str, db: str) -> None:
        """Give INCIDENT the analyst's LABEL."""
        _decide(db, "rename", incident, new_label=label)

    @incident_group.command("decisions")
    @db_option
    @json_option
    def decisions(db: str, as_json: bool) -> None:
        """Every analyst decision, oldest first (they are re-applied in this order after each analysis)."""
        from counterclaim.store.incidents import IncidentStore

        with open_ledger(db, readonly=True) as ledger:
            items = IncidentStore(ledger).decisions()
        if as_json:
            print_json(items)
            return
        print_table(["#", "at", "action", "incident", "details"],
                    [[d["id"], d["at"], d["action"], d["args"].get("incident", "")[:8],
                      shorten(", ".join(f"{k}={v}" for k, v in d["args"].items() if k != "incident"), 60)]
                     for d in items], title="Analyst decisions")
