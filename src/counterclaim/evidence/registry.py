"""The evidence registry's operations over a :class:`~counterclaim.store.Ledger`: add, link, verify, check.

Adding a file: copy into the store's ``tmp/`` while hashing, probe the copy (ffprobe / Pillow + EXIF), fingerprint
it, refuse unreadable media unless ``force``, rename the copy to its content address (read-only), then write the
item, its fingerprints and the first custody entry in one transaction. Whatever fails, the store and the ledger
stay consistent: at worst an unregistered file remains in the store (``check`` lists it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from counterclaim.errors import EvidenceError, NotFound, UsageError
from counterclaim.evidence import custody, fingerprint, verify
from counterclaim.evidence import store as files
from counterclaim.evidence.models import EvidenceItem, Link, Step
from counterclaim.evidence.probe import ProbeResult, probe
from counterclaim.store import Ledger
from counterclaim.store import evidence as db

log = logging.getLogger(__name__)

SYSTEM_ACTOR = "counterclaim"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class AddOutcome:
    """What ``add`` did: ``new`` item, ``known`` (the same bytes were registered before), or ``restored`` (known,
    and its missing or changed stored copy was replaced by these bytes)."""

    item: EvidenceItem
    status: str


@dataclass
class Prepared:
    """A file copied into the store's tmp/, hashed, probed and fingerprinted, not yet in the ledger."""

    source: Path
    tmp: Path
    digests: files.Digests
    probe: ProbeResult | None = None
    prints: list[fingerprint.Fingerprint] = field(default_factory=list)
    error: EvidenceError | None = None


def prepare(root: Path, path: str | Path, force: bool, known: frozenset[str] = frozenset()) -> Prepared:
    """The slow, ledger-free part of adding a file (safe to run in worker threads). A file whose SHA-256 is in
    ``known`` is not probed. Refused media comes back with ``error`` set and its temporary copy removed."""
    source = Path(path)
    tmp, digests = files.copy_to_temp(source, root)
    prepared = Prepared(source, tmp, digests)
    if digests.sha256 in known:
        return prepared
    try:
        prepared.probe, prepared.prints = _probe_and_fingerprint(tmp, source, force)
    except EvidenceError as exc:
        files.discard_temp(tmp)
        prepared.error = exc
    except BaseException:
        files.discard_temp(tmp)
        raise
    return prepared


def commit(
    ledger: Ledger, prepared: Prepared, *, collected_by: str | None = None, source_url: str | None = None,
    collected_at: str | None = None, note: str = "",
) -> AddOutcome:
    """Move a prepared copy to its content address and register it (item, fingerprints, first custody entry)."""
    if prepared.error:
        raise prepared.error
    source, tmp, digests = prepared.source, prepared.tmp, prepared.digests
    root = files.store_root(ledger.path)
    try:
        known_item = db.item_by_sha256(ledger.conn, digests.sha256)
        if known_item is not None:
            restored = _restore_if_damaged(ledger, root, known_item, tmp, source, collected_by)
            files.discard_temp(tmp)
            _record_recollection(ledger, known_item, source, collected_by, source_url, collected_at, note)
            return AddOutcome(known_item, "restored" if restored else "known")
        if prepared.probe is None:  # known when prepared, gone since: probe now
            prepared.probe, prepared.prints = _probe_and_fingerprint(tmp, source, force=True)
        existed = (root / files.relative_path(digests.sha256)).exists()
        final = files.commit_temp(tmp, root, digests.sha256)
    except BaseException:
        files.discard_temp(tmp)
        raise
    result_probe, prints = prepared.probe, prepared.prints
    at = now()
    item = EvidenceItem(
        id=digests.sha256[:16], sha256=digests.sha256, sha512=digests.sha512, md5=digests.md5, size=digests.size,
        filename=source.name, original_path=str(source.resolve()), stored_path=str(final.relative_to(root)),
        media_type=result_probe.media_type, readable=result_probe.readable, problem=result_probe.problem,
        source_url=source_url, collected_by=collected_by, collected_at=collected_at, note=note,
        metadata_raw=result_probe.raw, metadata=result_probe.normalised, added_at=at,
    )
    entry_note = "; ".join(p for p in (
        f"from {item.original_path}", f"source {source_url}" if source_url else "",
        f"collected {collected_at}" if collected_at else "", note,
        f"unreadable media registered with --force: {item.problem}" if item.problem else "",
    ) if p)
    try:
        with db.transaction(ledger.conn) as conn:
            db.insert_item(conn, item)
            db.insert_fingerprints(conn, item.id, prints)
            db.append_custody(conn, item.id, item.sha256, at, collected_by or SYSTEM_ACTOR, "registered", entry_note,
                              record=db.stored_item_record(conn, item.id))
    except BaseException:  # the ledger refused (disk full, locked ...): leave no unregistered copy behind
        if not existed:
            files.discard_stored(final)
        raise
    log.info("registered %s as %s (%s, %d fingerprints)", source, item.id, item.media_type, len(prints))
    return AddOutcome(item, "new")


def add(
    ledger: Ledger, path: str | Path, *, collected_by: str | None = None, source_url: str | None = None,
    collected_at: str | None = None, note: str = "", force: bool = False,
) -> AddOutcome:
    """Register the file at ``path`` (see module docstring); raises EvidenceError for refused media."""
    known = frozenset(db.known_sha256(ledger.conn))
    prepared = prepare(files.store_root(ledger.path), path, force, known)
    return commit(ledger, prepared, collected_by=collected_by, source_url=source_url, collected_at=collected_at,
                  note=note)


def add_many(
    ledger: Ledger, paths: Sequence[str | Path], *, collected_by: str | None = None, source_url: str | None = None,
    collected_at: str | None = None, note: str = "", force: bool = False, workers: int = 1,
) -> Iterator[tuple[str | Path, AddOutcome | EvidenceError]]:
    """Register many files: copying, probing and fingerprinting run in ``workers`` threads (ffmpeg/ffprobe are
    separate processes), ledger writes stay in this thread. Yields ``(path, outcome or refusal)`` in input order."""
    root = files.store_root(ledger.path)
    known = frozenset(db.known_sha256(ledger.conn))
    meta: dict[str, Any] = {"collected_by": collected_by, "source_url": source_url, "collected_at": collected_at,
                            "note": note}

    def safe_prepare(path: str | Path) -> Prepared | EvidenceError:
        try:
            return prepare(root, path, force, known)
        except EvidenceError as exc:  # e.g. no such file: refuse this one, go on with the others
            return exc

    if workers <= 1:
        for path in paths:
            yield path, _commit_or_error(ledger, safe_prepare(path), meta)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for path, prepared in zip(paths, pool.map(safe_prepare, paths), strict=True):
            yield path, _commit_or_error(ledger, prepared, meta)


def _commit_or_error(
    ledger: Ledger, prepared: Prepared | EvidenceError, meta: dict[str, Any]
) -> AddOutcome | EvidenceError:
    if isinstance(prepared, EvidenceError):
        return prepared
    if prepared.error:
        return prepared.error
    return commit(ledger, prepared, **meta)


def _restore_if_damaged(
    ledger: Ledger, root: Path, item: EvidenceItem, tmp: Path, source: Path, actor: str | None
) -> bool:
    """The stored copy of a known item is missing or changed, and ``tmp`` holds the right bytes (same SHA-256,
    checked when copied): put them back and say so in the custody log."""
    stored = root / item.stored_path
    if stored.is_file() and files.sha256_file(stored) == item.sha256:
        return False
    problem = "missing" if not stored.is_file() else "changed"
    if stored.exists():
        os.chmod(stored, 0o644)
    files.commit_temp(tmp, root, item.sha256)
    with db.transaction(ledger.conn) as conn:
        db.append_custody(conn, item.id, item.sha256, now(), actor or SYSTEM_ACTOR, "restored",
                          f"stored copy was {problem}; restored from {source.resolve()} (same SHA-256)")
    log.warning("restored the %s stored copy of %s from %s", problem, item.id, source)
    return True


def _record_recollection(
    ledger: Ledger, item: EvidenceItem, source: Path, collected_by: str | None, source_url: str | None,
    collected_at: str | None, note: str,
) -> None:
    """The same bytes collected again (another post, another analyst): a custody entry, when there is news."""
    if not (collected_by or source_url or collected_at or note):
        return
    detail = "; ".join(p for p in (
        f"from {source.resolve()}", f"source {source_url}" if source_url else "",
        f"collected {collected_at}" if collected_at else "", note,
    ) if p)
    with db.transaction(ledger.conn) as conn:
        db.append_custody(conn, item.id, item.sha256, now(), collected_by or SYSTEM_ACTOR, "collected again", detail)


def _probe_and_fingerprint(tmp: Path, source: Path, force: bool) -> tuple[ProbeResult, list[fingerprint.Fingerprint]]:
    if tmp.stat().st_size == 0:
        result = ProbeResult("unreadable", problem="the file is empty (0 bytes)")
    else:
        result = probe(tmp)
    prints: list[fingerprint.Fingerprint] = []
    if result.media_type == "image":
        prints = fingerprint.image_fingerprints(tmp)
    elif result.media_type == "video":
        prints = fingerprint.video_fingerprints(tmp, result.normalised.get("duration_s"))
        if not prints:
            result = ProbeResult("unreadable", raw=result.raw, normalised=result.normalised,
                                 problem="ffprobe reads the container but no video frame decodes (truncated or corrupt)")
    if result.problem:  # name the user's file, not the temporary copy the tools read
        result.problem = result.problem.replace(f"{tmp}: ", "").replace(str(tmp), source.name)
    if result.problem and not force:
        raise EvidenceError(f"cannot register {source}: unsupported or corrupt media: {result.problem} "
                            "(add --force to register it as a file with its hashes only)")
    if result.problem:
        result.media_type = "unreadable"
    return result, prints


def append(ledger: Ledger, item: EvidenceItem, actor: str, action: str, note: str = "") -> custody.CustodyEntry:
    """Append a custody entry (e.g. 'transferred', 'exported', 'viewed') for ``item``."""
    if not actor.strip():
        raise UsageError("say who handled the item (--by NAME)")
    with db.transaction(ledger.conn) as conn:
        return db.append_custody(conn, item.id, item.sha256, now(), actor.strip(), action, note)


def link(
    ledger: Ledger, item: EvidenceItem, *, allegation: str | None = None, incident: str | None = None,
    by: str = "", note: str = "",
) -> Link:
    """Link an item to an allegation record (validated) or an incident id (free text)."""
    if bool(allegation) == bool(incident):
        raise UsageError("give exactly one of --allegation ID or --incident ID")
    if allegation:
        record = ledger.get_record(allegation)
        if record.TYPE != "allegation":
            raise NotFound(f"record {allegation} is a {record.TYPE}, not an allegation "
                           "(see 'counterclaim allegations' for allegation ids)")
        target_type, target_id = "allegation", allegation
    else:
        target_type, target_id = "incident", str(incident).strip()
    with db.transaction(ledger.conn) as conn:
        at = db.next_at(conn, now())
        new = Link(item=item.id, target_type=target_type, target_id=target_id, linked_by=by, note=note, at=at)
        if db.insert_link(conn, new):
            db.append_custody(conn, item.id, item.sha256, at, by or SYSTEM_ACTOR, "linked",
                              f"{target_type} {target_id}" + (f": {note}" if note else ""), record=db.link_record(new))
    return new


def verify_step(ledger: Ledger, item: EvidenceItem, step: str, result: str, by: str, note: str = "") -> str:
    """Record a verification step; return the item's new overall status."""
    verify.check_step(step, result)
    if not by.strip():
        raise UsageError("say which analyst did the step (--by NAME)")
    with db.transaction(ledger.conn) as conn:
        at = db.next_at(conn, now())
        row = Step(item=item.id, step=step, result=result, analyst=by.strip(), note=note, at=at)
        db.insert_step(conn, row)
        db.append_custody(conn, item.id, item.sha256, at, by.strip(), "verification",
                          f"{step}: {result}" + (f": {note}" if note else ""), record=db.step_record(row))
    return status(ledger, item)


def status(ledger: Ledger, item: EvidenceItem) -> str:
    return verify.overall_status(db.steps(ledger.conn, item.id), readable=item.readable)


# -- check ----------------------------------------------------------------------------------------------------
@dataclass
class Problem:
    """One thing ``check`` found wrong."""

    item: str | None
    kind: str  # changed | missing | chain: edited | chain: broken link | ... | unregistered file | writable
    detail: str

    def line(self) -> str:
        return f"{self.item or '-'}\t{self.kind}\t{self.detail}"


@dataclass
class CheckReport:
    items: int = 0
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    head: dict[str, Any] = field(default_factory=dict)  # the log's head now: {entries, head}

    @property
    def ok(self) -> bool:
        return not self.problems

    def export(self) -> dict[str, Any]:
        return {"items": self.items, "custody_entries": self.entries, "ok": self.ok, "head": self.head,
                "problems": [p.__dict__ for p in self.problems]}


def check_item(root: Path, item: EvidenceItem, entries: list[custody.CustodyEntry]) -> list[Problem]:
    problems: list[Problem] = []
    path = root / item.stored_path
    if item.stored_path != files.relative_path(item.sha256) or item.id != item.sha256[:16]:
        problems.append(Problem(item.id, "changed", f"the ledger row was edited: id/path {item.id} "
                                f"{item.stored_path} do not match sha256 {item.sha256}"))
    if not path.is_file():
        problems.append(Problem(item.id, "missing", f"stored file {path} is missing ({item.filename})"))
    else:
        actual = files.digest_file(path)
        if actual.sha256 != item.sha256:
            problems.append(Problem(item.id, "changed", f"stored file {path} ({item.filename}) changed: expected "
                                    f"sha256 {item.sha256}, actual {actual.sha256}"))
        elif actual.sha512 != item.sha512 or actual.md5 != item.md5:
            problems.append(Problem(item.id, "changed", "the ledger's SHA-512/MD5 of the item were edited"))
        if os.stat(path).st_mode & 0o222:
            problems.append(Problem(item.id, "writable", f"stored file {path} is writable (expected read-only 0444)"))
    for p in custody.verify_chain(item.id, item.sha256, entries):
        problems.append(Problem(item.id, f"chain: {p.kind}", p.detail))
    return problems


def check_records(item: EvidenceItem, entries: list[custody.CustodyEntry], steps: list[Step],
                  links: list[Link], records_since: str | None) -> list[Problem]:
    """The item's row, its verification steps and its links against the records chained in its custody log.

    ``records_since``: the time of the log's first entry with a record (None: no entry has one yet, a ledger
    written before records were chained). What was written before that time has no record to compare: an item
    registered before is not compared, nor its steps and links made before."""
    if records_since is None or not entries:
        return []
    legacy = entries[0].at < records_since
    steps = [s for s in steps if not legacy or s.at >= records_since]
    links = [lk for lk in links if not legacy or lk.at >= records_since]
    problems: list[Problem] = []
    if entries[0].action != "registered":
        problems.append(Problem(item.id, "chain: out of order", (
            f"the chain starts with '{entries[0].action}', not with 'registered': it was reordered")))
    registered = next((e for e in entries if e.action == "registered" and e.record), None)
    if not legacy and (registered is None or registered.record != db.item_record(item)):
        problems.append(Problem(item.id, "provenance edited", (
            f"the item's row ({item.filename}: source URL, collector, dates, note, metadata, hashes) is not the one "
            f"registered in custody entry {registered.seq if registered else 1}: it was edited in the ledger")))
    for kind, action, rows, hash_of in (
        ("verification step", "verification", steps, db.step_record),
        ("link", "linked", links, db.link_record),
    ):
        chained = [e for e in entries if e.action == action and e.record]
        by_record: dict[str, list[custody.CustodyEntry]] = {}
        for e in chained:
            by_record.setdefault(e.record, []).append(e)
        for row in rows:
            digest = hash_of(row)  # type: ignore[arg-type]
            matched = by_record.get(digest)
            if not matched:
                problems.append(Problem(item.id, f"{kind} not in chain", (
                    f"{kind} {_describe(row)} is not recorded in the chain of custody: it was edited or added "
                    "in the ledger")))
                continue
            entry = matched.pop(0)
            if entry.at != row.at:
                problems.append(Problem(item.id, "chain: out of order", (
                    f"custody entry {entry.seq} records the {kind} of {row.at} but is dated {entry.at}: the chain "
                    "was reordered")))
        for left in by_record.values():
            for e in left:
                problems.append(Problem(item.id, f"{kind} deleted", (
                    f"custody entry {e.seq} ({e.action}: {e.note}) records a {kind} the ledger no longer holds")))
    return problems


def _describe(row: Step | Link) -> str:
    if isinstance(row, Step):
        return f"'{row.step}: {row.result}' by {row.analyst} at {row.at}"
    return f"to {row.target_type} {row.target_id} at {row.at}"


GUARDS = tuple(f"evidence_{t}_no_{op}" for t in ("custody", "heads", "steps", "links", "items")
               for op in ("update", "delete"))


def check_head(ledger: Ledger, entries: list[custody.CustodyEntry], kept: custody.Head | None) -> list[Problem]:
    """Every custody head recorded in the ledger (at each seal) and ``kept`` (one the analyst kept elsewhere) must
    still be a prefix of the log; the append-only guards must be in place."""
    problems: list[Problem] = []
    heads = [(h, f"recorded {at} ({reason})") for h, at, reason in db.recorded_heads(ledger.conn)]
    if kept is not None:
        heads.append((kept, "given with --head"))
    for head, where in heads:
        wrong = custody.verify_head(head, entries)
        if wrong:
            problems.append(Problem(None, "custody head", f"head {head.entries}:{head.head[:16]}… {where}: {wrong}"))
    present = {r[0] for r in ledger.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [g for g in GUARDS if g not in present]
    if missing:
        problems.append(Problem(None, "guard removed", f"append-only triggers removed from the ledger: "
                                f"{', '.join(missing)}"))
    return problems


def check(ledger: Ledger, *, record: str | None = None, head: custody.Head | None = None) -> CheckReport:
    """Re-hash every stored file and recompute every custody chain, the records chained in it (item rows, steps,
    links) and the log's recorded heads (and ``head``, one kept elsewhere). ``record``: append a 'checked' entry
    to each intact item's chain, by that actor."""
    root = files.store_root(ledger.path)
    report = CheckReport()
    known: set[str] = set()
    everything = db.all_custody_entries(ledger.conn)
    report.head = custody.chain_head(everything).export()
    by_item: dict[str, list[custody.CustodyEntry]] = {}
    for e in everything:
        by_item.setdefault(e.item, []).append(e)
    steps: dict[str, list[Step]] = {}
    for s in db.all_steps(ledger.conn):
        steps.setdefault(s.item, []).append(s)
    links: dict[str, list[Link]] = {}
    for lk in db.all_links(ledger.conn):
        links.setdefault(lk.item, []).append(lk)
    items = db.list_items(ledger.conn)
    records_since = min((e.at for e in everything if e.record), default=None)
    for orphan in sorted((set(by_item) | set(steps) | set(links)) - {i.id for i in items}):
        report.problems.append(Problem(orphan, "item deleted", (
            f"custody entries, steps or links name item {orphan}, which is no longer registered")))
    report.problems += check_head(ledger, everything, head)
    for item in items:
        report.items += 1
        known.add(item.stored_path)
        entries = sorted(by_item.get(item.id, []), key=lambda e: e.seq)
        report.entries += len(entries)
        problems = check_item(root, item, entries)
        problems += check_records(item, entries, steps.get(item.id, []), links.get(item.id, []), records_since)
        report.problems += problems
        if record and not problems:
            append(ledger, item, record, "checked", "fixity and chain of custody verified")
    for path in files.stored_files(root):
        rel = str(path.relative_to(root))
        if rel not in known:
            report.problems.append(Problem(None, "unregistered file", f"{path} is in the store but not in the ledger"))
    return report


def export_log(ledger: Ledger, item: EvidenceItem) -> dict[str, Any]:
    """An item's chain of custody with its hashes, as JSON-ready data (``hash_format`` says how to re-check it)."""
    entries = db.custody_entries(ledger.conn, item.id)
    return {
        "item": item.id, "filename": item.filename, "sha256": item.sha256, "sha512": item.sha512, "md5": item.md5,
        "hash_format": "entry_hash = sha256(canonical JSON of the entry without entry_hash: keys sorted, "
                       "separators ',' ':', UTF-8); prev_hash of entry 1 = 64 zeros; record (when present) = "
                       "sha256(canonical JSON of the item row / step / link the entry records)",
        "chain_ok": not custody.verify_chain(item.id, item.sha256, entries),
        "entries": [e.export() for e in entries],
    }


def details(ledger: Ledger, item: EvidenceItem) -> dict[str, Any]:
    """Everything about one item: hashes, metadata, custody, steps, status, links (with allegation text)."""
    steps = db.steps(ledger.conn, item.id)
    out = item.export()
    out["status"] = verify.overall_status(steps, readable=item.readable)
    out["steps"] = [s.export() for s in steps]
    out["step_summary"] = verify.step_summary(steps)
    out["custody"] = [e.export() for e in db.custody_entries(ledger.conn, item.id)]
    out["fingerprints"] = len(db.fingerprints(ledger.conn, item.id))
    out["stored_at"] = str(files.store_root(ledger.path) / item.stored_path)
    linked = []
    for lk in db.links(ledger.conn, item.id):
        entry = lk.export()
        entry["sentence"] = entry["doc"] = None
        if lk.target_type == "allegation":
            try:
                rec = ledger.get_record(lk.target_id)
                entry["sentence"] = rec.sentence
                entry["doc"] = rec.doc
            except NotFound:
                pass  # the allegation was re-extracted away; the link stays, without its sentence
        linked.append(entry)
    out["links"] = linked
    return out
