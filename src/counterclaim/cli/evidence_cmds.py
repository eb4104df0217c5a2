"""CLI commands of the evidence stage: ``counterclaim evidence ...`` and ``counterclaim seal``."""

from __future__ import annotations

import json
import os
from pathlib import Path
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
from counterclaim.errors import EvidenceError, UsageError


def _fmt_gps(gps: dict[str, Any] | None) -> str:
    return f"{gps['lat']:.6f}, {gps['lon']:.6f}" if gps else ""


def _show(info: dict[str, Any]) -> None:
    meta = info["metadata"]
    lines = [
        f"id:            {info['id']}",
        f"file:          {info['filename']} ({info['media_type']}, {info['size']} bytes)",
        f"status:        {info['status']}",
        f"sha256:        {info['sha256']}",
        f"sha512:        {info['sha512']}",
        f"md5:           {info['md5']}",
        f"stored at:     {info['stored_at']}",
        f"original:      {info['original_path']}",
        f"source url:    {info['source_url'] or ''}",
        f"collected by:  {info['collected_by'] or ''}" + (f" at {info['collected_at']}" if info["collected_at"] else ""),
        f"note:          {info['note']}",
    ]
    if info["problem"]:
        lines.append(f"problem:       {info['problem']}")
    lines.append("metadata:")
    for key, value in meta.items():
        if key == "streams" or value in (None, ""):
            continue
        lines.append(f"  {key:<18} {_fmt_gps(value) if key == 'gps' else value}")
    for s in meta.get("streams", []):
        lines.append("  stream:            " + ", ".join(f"{k}={v}" for k, v in s.items() if v not in (None, "")))
    lines.append(f"fingerprints:  {info['fingerprints']}")
    lines.append("verification:")
    for s in info["step_summary"]:
        results = "; ".join(f"{r} ({a})" for a, r in s["results"].items()) or "-"
        lines.append(f"  {s['step']:<22}{'*' if s['required'] else ' '} {results}")
    lines.append("linked:")
    for link in info["links"] or []:
        sentence = f" \"{shorten(link.get('sentence'), 90)}\"" if link.get("sentence") else ""
        lines.append(f"  {link['target_type']} {link['target_id']}{sentence} (by {link['linked_by'] or '-'})")
    if not info["links"]:
        lines.append("  (none)")
    lines.append("custody:")
    for e in info["custody"]:
        lines.append(f"  {e['seq']:>3} {e['at']}  {e['actor']:<16} {e['action']:<13} {shorten(e['note'], 60)}  "
                     f"{e['entry_hash'][:12]}")
    for line in lines:
        click.echo(printable(line))


def register(cli: click.Group) -> None:
    """Add this stage's commands to the main group."""

    @cli.group()
    def evidence() -> None:
        """Media evidence: a content-addressed, read-only store with fixity hashes, technical metadata, perceptual
        fingerprints, a hash-chained chain of custody and Berkeley Protocol verification steps.

        \b
        Typical session:
          counterclaim evidence add clip.mp4 --source-url https://… --collected-by "A. Analyst" --db k.db
          counterclaim evidence verify-step <id> --step geolocation --result confirmed --by "B. Analyst" --db k.db
          counterclaim evidence link <id> --allegation <record id> --db k.db
          counterclaim evidence check --db k.db
        """

    @evidence.command("add")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @db_option
    @click.option("--source-url", help="Where the file was found (post, channel, page).")
    @click.option("--collected-by", help="Who collected it (first custody entry).")
    @click.option("--collected-at", help="When it was collected (ISO date/time; default: not recorded).")
    @click.option("--note", default="", help="Free note kept with the item and in the custody log.")
    @click.option("--force", is_flag=True, help="Register unreadable or corrupt media as a plain file with its hashes.")
    @click.option("--workers", default=min(4, os.cpu_count() or 1), show_default="min(4, CPUs)",
                  help="Files probed and fingerprinted in parallel.")
    @json_option
    def add(paths: tuple[str, ...], db: str, source_url: str | None, collected_by: str | None,
            collected_at: str | None, note: str, force: bool, workers: int, as_json: bool) -> None:
        """Copy PATHS into the evidence store (read-only, under their SHA-256) and register them.

        The original is never modified. Metadata comes from ffprobe (video/audio) or EXIF (images); a file that is
        not readable media is refused unless --force.

        \b
        Example:
          counterclaim evidence add clip.mp4 --source-url https://t.me/x/1 --collected-by "A. Analyst" --db k.db
        """
        from counterclaim.evidence import registry

        out = []
        errors: list[EvidenceError] = []
        with open_ledger(db) as ledger:
            for path, res in registry.add_many(
                ledger, paths, collected_by=collected_by, source_url=source_url, collected_at=collected_at,
                note=note, force=force, workers=workers,
            ):
                if isinstance(res, EvidenceError):
                    errors.append(res)
                    if len(paths) > 1:
                        click.echo(printable(f"counterclaim: refused: {res}"), err=True)
                    continue
                out.append({"id": res.item.id, "status": res.status, "filename": res.item.filename,
                            "media_type": res.item.media_type, "sha256": res.item.sha256, "problem": res.item.problem})
                if not as_json:
                    what = {"new": "registered", "known": "already registered",
                            "restored": "already registered; its damaged stored copy was restored:"}[res.status]
                    warn = f" (unreadable media: {res.item.problem})" if res.item.problem else ""
                    click.echo(printable(f"{what} {res.item.id}  {res.item.media_type}  {path}{warn}"))
        if as_json:
            print_json(out)
        if len(errors) == 1 and len(paths) == 1:
            raise errors[0]
        if errors:
            raise EvidenceError(f"{len(errors)} of {len(paths)} files were refused (listed above); the others are "
                                "registered. Add --force to register refused files with their hashes only")

    @evidence.command("list")
    @db_option
    @json_option
    def list_(db: str, as_json: bool) -> None:
        """Every evidence item with its type, status and link count."""
        from counterclaim.evidence.verify import overall_status
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            rows: list[dict[str, Any]] = []
            for item in store.list_items(ledger.conn):
                rows.append({
                    "id": item.id, "filename": item.filename, "media_type": item.media_type, "size": item.size,
                    "status": overall_status(store.steps(ledger.conn, item.id), item.readable),
                    "links": len(store.links(ledger.conn, item.id)), "collected_by": item.collected_by,
                    "source_url": item.source_url, "added_at": item.added_at, "sha256": item.sha256,
                })
        if as_json:
            print_json(rows)
            return
        print_table(["id", "file", "type", "status", "links", "collected by", "source", "added"],
                    [[r["id"], r["filename"], r["media_type"], r["status"], r["links"], r["collected_by"],
                      shorten(r["source_url"], 40), r["added_at"][:19]] for r in rows])

    @evidence.command()
    @click.argument("item_id")
    @db_option
    @json_option
    def show(item_id: str, db: str, as_json: bool) -> None:
        """Hashes, metadata, verification status, linked allegations and the custody log of one item."""
        from counterclaim.evidence import registry
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            info = registry.details(ledger, store.get_item(ledger.conn, item_id))
        if as_json:
            print_json(info)
        else:
            _show(info)

    @evidence.command()
    @click.argument("item_id")
    @click.option("--allegation", help="An allegation record id (see 'counterclaim allegations --json').")
    @click.option("--incident", help="An incident id.")
    @click.option("--by", default="", help="Who makes the link.")
    @click.option("--note", default="", help="Why the item supports or concerns it.")
    @db_option
    def link(item_id: str, allegation: str | None, incident: str | None, by: str, note: str, db: str) -> None:
        """Link an evidence item to an allegation or an incident (logged in the chain of custody)."""
        from counterclaim.evidence import registry
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            item = store.get_item(ledger.conn, item_id)
            lk = registry.link(ledger, item, allegation=allegation, incident=incident, by=by, note=note)
        click.echo(f"linked {item.id} to {lk.target_type} {lk.target_id}")

    @evidence.command()
    @click.option("--allegation", help="An allegation record id.")
    @click.option("--incident", help="An incident id.")
    @db_option
    @json_option
    def linked(allegation: str | None, incident: str | None, db: str, as_json: bool) -> None:
        """The evidence linked to one allegation or incident, with each item's verification status."""
        from counterclaim.store import evidence as store

        if bool(allegation) == bool(incident):
            raise UsageError("give exactly one of --allegation ID or --incident ID")
        with open_ledger(db) as ledger:
            rows = (store.evidence_for_allegation(ledger.conn, allegation) if allegation
                    else store.evidence_for_incident(ledger.conn, str(incident)))
        if as_json:
            print_json(rows)
            return
        print_table(["id", "file", "type", "status", "linked by", "note"],
                    [[r["id"], r["filename"], r["media_type"], r["status"], r["linked_by"], shorten(r["link_note"], 50)]
                     for r in rows])

    @evidence.command("verify-step")
    @click.argument("item_id")
    @click.option("--step", required=True, help="source_identification, technical_analysis, geolocation, "
                  "chronolocation, identification, content_consistency.")
    @click.option("--result", required=True, type=click.Choice(["confirmed", "inconclusive", "refuted"]))
    @click.option("--by", required=True, help="The analyst.")
    @click.option("--note", default="", help="How (sources, imagery, reasoning).")
    @db_option
    def verify_step(item_id: str, step: str, result: str, by: str, note: str, db: str) -> None:
        """Record a Berkeley Protocol verification step; prints the item's new overall status."""
        from counterclaim.evidence import registry
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            item = store.get_item(ledger.conn, item_id)
            status = registry.verify_step(ledger, item, step, result, by, note)
        click.echo(f"{item.id}: {step} {result} by {by}; status: {status}")

    @evidence.command()
    @db_option
    @json_option
    def head(db: str, as_json: bool) -> None:
        """Print the head of the custody log (ENTRIES:SHA256) to keep outside the ledger.

        The head chains every custody entry of every item in time order. Keep it somewhere the ledger's users
        cannot write (a notebook, an e-mail to yourself, a printed report); later, 'evidence check --head
        ENTRIES:SHA256' proves that no entry was removed, re-hashed or re-chained since, the last ones included.
        Each 'counterclaim seal' records the head too.
        """
        from counterclaim.evidence import custody as chain
        from counterclaim.store import evidence as store

        with open_ledger(db, readonly=True) as ledger:
            current = chain.chain_head(store.all_custody_entries(ledger.conn))
            items = store.count_items(ledger.conn)
        if as_json:
            print_json({**current.export(), "items": items, "text": current.text()})
        else:
            click.echo(current.text())

    @evidence.command()
    @click.argument("item_id")
    @click.option("--by", required=True, help="Who handled the item.")
    @click.option("--action", required=True, help="What happened: transferred, copied, viewed, exported, ...")
    @click.option("--note", default="", help="Details (to whom, why, on which medium).")
    @db_option
    def custody(item_id: str, by: str, action: str, note: str, db: str) -> None:
        """Append an entry to an item's chain of custody."""
        from counterclaim.evidence import registry
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            entry = registry.append(ledger, store.get_item(ledger.conn, item_id), by, action, note)
        click.echo(f"{entry.item} entry {entry.seq}: {entry.action} by {entry.actor} ({entry.entry_hash[:16]})")

    @evidence.command()
    @db_option
    @json_option
    @click.option("--record-by", help="Append a 'checked' custody entry by this person to every intact item.")
    @click.option("--head", "kept_head", metavar="ENTRIES:SHA256",
                  help="A custody head printed earlier by 'evidence head' (kept outside the ledger): check that the "
                       "log still extends it, i.e. nothing was removed, re-hashed or re-chained since.")
    def check(db: str, as_json: bool, record_by: str | None, kept_head: str | None) -> None:
        """Re-hash every stored file and verify every custody chain; report exactly what broke.

        Also checks that item rows (provenance, metadata), verification steps and links are the ones chained in
        the custody log, and that the log still extends every head recorded at a seal (and --head).
        Exit status 0 when everything is intact, 6 when something changed, is missing or was edited.
        """
        from counterclaim.evidence import custody as chain
        from counterclaim.evidence import registry

        try:
            head = chain.parse_head(kept_head) if kept_head else None
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        with open_ledger(db) as ledger:
            report = registry.check(ledger, record=record_by, head=head)
        if as_json:
            print_json(report.export())
        else:
            for p in report.problems:
                click.echo(printable(p.line()))
            click.echo(f"checked {report.items} items, {report.entries} custody entries: "
                       + ("all intact" if report.ok else f"{len(report.problems)} problem(s)"))
        if not report.ok:
            raise EvidenceError(f"check found {len(report.problems)} problem(s) in the evidence store"
                                + ("" if as_json else " (listed above)"))

    @evidence.command()
    @click.argument("item_id")
    @click.option("--max-distance", default=10, show_default=True, help="Hamming distance (of 64 bits) for two "
                  "frames to match (up to 11 costs the same; 12-15 is about 5x slower).")
    @click.option("--min-share", default=0.3, show_default=True, help="Share of frames that must match.")
    @click.option("--bruteforce", is_flag=True, help="Compare with every fingerprint instead of the index (slow).")
    @db_option
    @json_option
    def similar(item_id: str, max_distance: int, min_share: float, bruteforce: bool, db: str, as_json: bool) -> None:
        """Near-duplicates of an item: re-encoded, resized, cropped or trimmed copies (perceptual hashes)."""
        from counterclaim.evidence import fingerprint
        from counterclaim.store import evidence as store

        if not 0 <= max_distance <= 32:
            raise UsageError("--max-distance must be between 0 and 32")
        with open_ledger(db) as ledger:
            item = store.get_item(ledger.conn, item_id)
            if not store.fingerprints(ledger.conn, item.id):
                raise UsageError(f"{item.id} ({item.filename}) has no perceptual fingerprint: it is "
                                 f"{'audio' if item.media_type == 'audio' else 'not readable media'}, "
                                 "so near-duplicates cannot be searched")
            find = fingerprint.similar_bruteforce if bruteforce else fingerprint.similar
            matches = find(ledger.conn, item.id, max_distance, min_share)
            rows = [{"id": m.item, "filename": store.get_item(ledger.conn, m.item).filename, "score": m.score,
                     "min_distance": m.min_distance, "matched_frames": m.matched_frames} for m in matches]
        if as_json:
            print_json(rows)
            return
        print_table(["id", "file", "score", "min distance", "matched frames"],
                    [[r["id"], r["filename"], r["score"], r["min_distance"], r["matched_frames"]] for r in rows])

    @evidence.command("export-log")
    @click.argument("item_ids", nargs=-1)
    @click.option("--out", type=click.Path(dir_okay=False), help="Write the JSON here (default: stdout).")
    @db_option
    def export_log(item_ids: tuple[str, ...], out: str | None, db: str) -> None:
        """The chain of custody of ITEM_IDS (all items when none) as JSON, with the hash format to re-check it."""
        from counterclaim.evidence import registry
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            items = [store.get_item(ledger.conn, i) for i in item_ids] or store.list_items(ledger.conn)
            data = [registry.export_log(ledger, item) for item in items]
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            click.echo(f"wrote the custody log of {len(data)} item(s) to {out}")
        else:
            click.echo(text)

    @evidence.command()
    @click.argument("item_id")
    @click.option("--out", required=True, type=click.Path(dir_okay=False),
                  help="The file to write: .html, or .pdf (printed with a local headless Chromium).")
    @db_option
    def report(item_id: str, out: str, db: str) -> None:
        """A printable HTML (or PDF) report of one item: fixity, metadata, verification, links, custody log."""
        from counterclaim.evidence.report import render_report, write_pdf
        from counterclaim.store import evidence as store

        with open_ledger(db) as ledger:
            html = render_report(ledger, store.get_item(ledger.conn, item_id))
        if out.lower().endswith(".pdf"):
            write_pdf(html, Path(out))
        else:
            Path(out).write_text(html, encoding="utf-8")
        click.echo(f"wrote {out}")

    @cli.command()
    @db_option
    @click.option("--exports", type=click.Path(file_okay=False), help="A folder of export files to include.")
    @click.option("--out", type=click.Path(dir_okay=False), help="Manifest file (default: <db stem>.seal-<time>.json).")
    @click.option("--verify", "verify_path", type=click.Path(dir_okay=False, exists=True),
                  help="Re-check an existing manifest against the ledger (and --exports) instead of writing one.")
    @click.option("--timestamp-token", "token_path", type=click.Path(dir_okay=False, exists=True),
                  help="With --verify: an RFC 3161 timestamp token (.tsr response or .tst token) over the manifest "
                       "file, from a timestamping authority (default: <manifest>.tsr when it exists).")
    @click.option("--tsa-ca", type=click.Path(dir_okay=False, exists=True),
                  help="With a timestamp token: the authority's CA certificate, to check its signature (openssl).")
    @json_option
    def seal(db: str, exports: str | None, out: str | None, verify_path: str | None, token_path: str | None,
             tsa_ca: str | None, as_json: bool) -> None:
        """Write a manifest of every document's and every export file's SHA-256 with the extractor versions.

        The manifest proves later which statement text a record came from. It carries its own hash
        (manifest_sha256) and gets a <manifest>.sha256 file for 'sha256sum -c'. With --verify, re-check one.

        \b
        Example:
          counterclaim export --db k.db --format jsonl > out/ledger.jsonl
          counterclaim seal --db k.db --exports out/
        """
        from counterclaim.evidence import seal as sealing

        with open_ledger(db) as ledger:
            if verify_path:
                problems = sealing.verify_manifest(Path(verify_path), Path(exports) if exports else None, ledger)
                stamp = None
                token = Path(token_path) if token_path else Path(verify_path + ".tsr")
                if token_path or token.is_file():
                    from counterclaim.evidence import timestamp

                    stamp, stamp_problems = timestamp.check(token, Path(verify_path), Path(tsa_ca) if tsa_ca else None)
                    problems += stamp_problems
                elif tsa_ca:
                    raise UsageError("--tsa-ca checks a timestamp token: give --timestamp-token FILE")
                if as_json:
                    print_json({"manifest": verify_path, "ok": not problems, "problems": problems,
                                "timestamp": stamp.export() if stamp else None})
                for p in problems if not as_json else []:
                    click.echo(p)
                if stamp and not as_json:
                    click.echo(f"timestamp: {stamp.time} by {stamp.tsa or 'an unnamed authority'} (RFC 3161, "
                               f"{stamp.algorithm}, serial {stamp.serial}"
                               + (", signature checked)" if tsa_ca else ", signature not checked: give --tsa-ca)"))
                if problems:
                    raise EvidenceError(f"manifest {verify_path} does not match: {len(problems)} problem(s)")
                if not as_json:
                    click.echo(f"manifest {verify_path} matches the ledger" + (" and the exports" if exports else ""))
                return
            res = sealing.seal(ledger, Path(exports) if exports else None, Path(out) if out else None)
        if as_json:
            print_json({"manifest": str(res.path), "manifest_sha256": res.manifest_sha256,
                        "documents": res.documents, "exports": res.exports})
        else:
            click.echo(f"sealed {res.documents} documents and {res.exports} export files in {res.path}")
            click.echo(f"manifest_sha256 {res.manifest_sha256}")
