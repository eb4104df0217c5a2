"""SQL of incremental incidents: mentions, groups (indexed by country + start), seen documents, analyst decisions.

Tables from ``schema_link`` migration 2. Records are read one document at a time, groups by index look-ups: nothing
here loads the whole ledger.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from counterclaim.errors import LedgerError, NotFound
from counterclaim.records import Record, record_from_row
from counterclaim.store.ledger import Ledger

if TYPE_CHECKING:
    from counterclaim.link.gazetteer import Place
    from counterclaim.link.incidents import Group, Mention

OPEN_END = "9999-12-31"
MAX_SPAN = 367  # days: a group's core interval is never longer (see incidents.MAX_EVENT_DAYS)
#: how many days before a mention a group of each precision can start and still overlap it: groups are looked up
#: per precision, so a day-precise strike is compared with the incidents of that week, not of that year
PRECISION_SPAN = {"day": 8, "month": 32, "year": MAX_SPAN}
NEAR_DEG = 0.5  # degrees: the grid of the place index (55 km of latitude; near_km is 25)


def _shift(iso: str, n: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=n)).isoformat()


def _place(raw: str | None) -> Place | None:
    from counterclaim.link.gazetteer import Place

    if not raw:
        return None
    d = json.loads(raw)
    return Place(d["name"], d["country"], d.get("admin1"), d.get("lat"), d.get("lon"), d.get("feature", "U"),
                 d.get("geonameid"), int(d.get("population") or 0), d.get("entry"))


def _place_json(p: Place | None) -> str | None:
    return None if p is None else json.dumps(p.export(), ensure_ascii=False)


class IncidentStore:
    """Incident tables of one ledger (same connection; callers hold the transaction)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.conn = ledger.conn
        self.examined = 0  # candidate groups returned by look-ups (the work per mention, for benchmarks)

    # -- documents to (re)group -------------------------------------------------------------------------------
    def reset(self) -> None:
        for table in ("comparisons", "incident_records", "incidents", "incident_mentions", "incident_groups",
                      "incident_docs"):
            self.conn.execute(f"DELETE FROM {table}")

    def changed_documents(self) -> tuple[list[tuple[str, str]], list[str]]:
        """(documents whose extraction is new or changed since they were grouped, with its stamp; documents gone)."""
        changed = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT e.doc_id, e.version || '|' || e.at || '|' || e.records FROM extractions e"
            " LEFT JOIN incident_docs i ON i.doc = e.doc_id"
            " WHERE i.seen IS NULL OR i.seen != e.version || '|' || e.at || '|' || e.records ORDER BY e.doc_id")]
        gone = [r[0] for r in self.conn.execute(
            "SELECT doc FROM incident_docs WHERE doc NOT IN (SELECT doc_id FROM extractions)")]
        return changed, gone

    def mark_seen(self, doc: str, stamp: str | None) -> None:
        if stamp is None:
            self.conn.execute("DELETE FROM incident_docs WHERE doc = ?", (doc,))
        else:
            self.conn.execute("INSERT OR REPLACE INTO incident_docs(doc, seen) VALUES (?, ?)", (doc, stamp))

    def document_records(self, doc: str) -> list[Record]:
        rows = self.conn.execute("SELECT * FROM records WHERE doc_id = ? ORDER BY start, type", (doc,))
        return [_record(r) for r in rows]

    def records_by_id(self, ids: Sequence[str]) -> list[Record]:
        out: list[Record] = []
        for i in range(0, len(ids), 500):
            chunk = list(ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            out += [_record(r) for r in self.conn.execute(f"SELECT * FROM records WHERE id IN ({marks})", chunk)]
        return out

    def drop_documents(self, docs: Iterable[str]) -> list[int]:
        """Remove the mentions of ``docs`` and dissolve the groups they were in; return the orphaned mention ids."""
        orphans: list[int] = []
        for doc in docs:
            groups = [r[0] for r in self.conn.execute(
                "SELECT DISTINCT grp FROM incident_mentions WHERE doc = ? AND grp IS NOT NULL", (doc,))]
            self.conn.execute("DELETE FROM incident_mentions WHERE doc = ?", (doc,))
            for gid in groups:
                orphans += [r[0] for r in self.conn.execute("SELECT id FROM incident_mentions WHERE grp = ?", (gid,))]
                self.conn.execute("UPDATE incident_mentions SET grp = NULL WHERE grp = ?", (gid,))
                self.conn.execute("DELETE FROM incidents WHERE grp = ?", (gid,))
                self.conn.execute("DELETE FROM incident_groups WHERE id = ?", (gid,))
        return sorted(set(orphans))

    # -- mentions ---------------------------------------------------------------------------------------------
    def insert_mention(self, m: Mention) -> int:
        cur = self.conn.execute(
            "INSERT INTO incident_mentions(doc, start, end, records, families, acts, specific, place, place_key,"
            " countries, t0, t1, prec, time_text, background, grp) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (m.doc, m.start, m.end, json.dumps(m.records), json.dumps(sorted(m.families)), json.dumps(sorted(m.acts)),
             json.dumps(sorted(m.specific)), _place_json(m.place), m.place.key if m.located and m.place else None,
             json.dumps(m.countries), m.t0, m.t1, m.prec, m.time_text, int(m.background), m.grp),
        )
        m.id = int(cur.lastrowid or 0)
        return m.id

    def mention(self, mid: int) -> Mention:
        row = self.conn.execute("SELECT * FROM incident_mentions WHERE id = ?", (mid,)).fetchone()
        return _mention(row)

    def mentions_of_group(self, gid: int) -> list[Mention]:
        return [_mention(r) for r in self.conn.execute(
            "SELECT * FROM incident_mentions WHERE grp = ? ORDER BY doc, start", (gid,))]

    def mentions_of_document(self, doc: str) -> list[Mention]:
        return [_mention(r) for r in self.conn.execute(
            "SELECT * FROM incident_mentions WHERE doc = ? ORDER BY start", (doc,))]

    def mention_at(self, doc: str, start: int) -> Mention | None:
        row = self.conn.execute("SELECT * FROM incident_mentions WHERE doc = ? AND start = ?", (doc, start)).fetchone()
        return None if row is None else _mention(row)

    def set_group(self, mid: int, gid: int | None) -> None:
        self.conn.execute("UPDATE incident_mentions SET grp = ? WHERE id = ?", (gid, mid))

    def tied(self, m: Mention) -> list[tuple[int, int | None]]:
        """Mentions (id, group) in sentences that lineage aligned with this one: renderings of the same statement."""
        rows = self.conn.execute(
            "SELECT im.id, im.grp FROM link_pairs p"
            " JOIN incident_mentions im ON im.doc = p.other AND im.start < p.other_end AND p.other_start < im.end"
            " WHERE p.doc = ? AND p.doc_start < ? AND ? < p.doc_end"
            " UNION "
            "SELECT im.id, im.grp FROM link_pairs p"
            " JOIN incident_mentions im ON im.doc = p.doc AND im.start < p.doc_end AND p.doc_start < im.end"
            " WHERE p.other = ? AND p.other_start < ? AND ? < p.other_end LIMIT 20",
            (m.doc, m.end, m.start, m.doc, m.end, m.start),
        ).fetchall()
        return [(int(r[0]), r[1]) for r in rows if r[0] != m.id]

    def groups_with_document(self, doc: str) -> set[int]:
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT grp FROM incident_mentions WHERE doc = ? AND grp IS NOT NULL", (doc,))}

    # -- groups -----------------------------------------------------------------------------------------------
    def candidates(self, m: Mention) -> list[Group]:
        """Groups that may hold the mention, found by index look-ups only (never a scan of a country's groups):

        * timed and located: groups in the place's grid cells (0.5°, the 3 × 3 around it), its region (admin1) or
          its own name, whose core interval starts within a year before the mention's end;
        * timed, day-precise: unplaced groups of the country starting that week (an unplaced mention of the same
          day may join a placed incident and the other way round);
        * open ("since 2020"): open groups of the country starting that year;
        * untimed: untimed groups of the same place, or (unplaced) untimed groups with a specific act.
        """
        rows: dict[int, sqlite3.Row] = {}
        countries: list[str | None] = list(m.countries) or [None]
        queries: list[tuple[str, tuple[Any, ...]]] = []
        closed = bool(m.t0 and m.t1 and m.t1 != OPEN_END)
        if closed and m.t0 and m.t1:
            hi = _shift(m.t1, 1)
            if m.located and m.place:
                cells = place_cells(m.place)
                marks = ",".join("?" * len(cells))
                for prec, span in PRECISION_SPAN.items():  # a group starts at most its precision's span earlier
                    lo = _shift(m.t0, -span)
                    queries.append((f"cell IN ({marks}) AND prec = ? AND t0 BETWEEN ? AND ?", (*cells, prec, lo, hi)))
                    if m.place.admin1:
                        queries.append(("country IS ? AND admin1 = ? AND prec = ? AND t0 BETWEEN ? AND ?",
                                        (m.place.country, m.place.admin1, prec, lo, hi)))
            if m.prec == "day":
                for country in countries:
                    queries.append(("country IS ? AND t0 BETWEEN ? AND ?", (country, _shift(m.t0, -8), hi)))
        elif m.t0:
            for country in countries:
                queries.append(("country IS ? AND t0 BETWEEN ? AND ? AND t1 = ?",
                                (country, m.t0[:4] + "-01-01", m.t0[:4] + "-12-31", OPEN_END)))
        for country in countries:
            if m.located and m.place:
                queries.append(("country IS ? AND place_key = ? AND t0 IS NULL", (country, m.place.key)))
                if not m.t0:
                    queries.append(("country IS ? AND place_key = ?", (country, m.place.key)))
            else:
                queries.append(("country IS ? AND cell IS NULL AND t0 IS NULL AND specific != '[]'", (country,)))
        for where, params in queries:
            for r in self.conn.execute(f"SELECT * FROM incident_groups WHERE {where} LIMIT 1000", params):
                rows[r["id"]] = r
        self.examined += len(rows)
        return [_group(r) for r in rows.values()]

    def new_group(self, g: Group) -> int:
        cur = self.conn.execute(
            "INSERT INTO incident_groups(country, place, place_key, admin1, lat, lon, cell, t0, t1, prec, families,"
            " specific, dirty) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)", _group_params(g))
        g.id = int(cur.lastrowid or 0)
        return g.id

    def save_group(self, g: Group) -> None:
        self.conn.execute(
            "UPDATE incident_groups SET country=?, place=?, place_key=?, admin1=?, lat=?, lon=?, cell=?, t0=?, t1=?,"
            " prec=?, families=?, specific=?, dirty=1 WHERE id = ?", (*_group_params(g), g.id))

    def group(self, gid: int) -> Group:
        row = self.conn.execute("SELECT * FROM incident_groups WHERE id = ?", (gid,)).fetchone()
        if row is None:
            raise NotFound(f"no incident group {gid}")
        return _group(row)

    def delete_group(self, gid: int) -> None:
        self.conn.execute("UPDATE incident_mentions SET grp = NULL WHERE grp = ?", (gid,))
        self.conn.execute("DELETE FROM incidents WHERE grp = ?", (gid,))
        self.conn.execute("DELETE FROM incident_groups WHERE id = ?", (gid,))

    def mark_dirty(self, gid: int) -> None:
        self.conn.execute("UPDATE incident_groups SET dirty = 1 WHERE id = ?", (gid,))

    def dirty_groups(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM incident_groups WHERE dirty = 1 ORDER BY id")]

    def publish(self, gid: int, incident: dict[str, Any] | None, comparisons: Sequence[dict[str, Any]]) -> None:
        """Replace the stored incident of a group (None: the group is not listed) and its comparisons."""
        self.conn.execute("DELETE FROM incidents WHERE grp = ?", (gid,))
        self.conn.execute("UPDATE incident_groups SET dirty = 0 WHERE id = ?", (gid,))
        if incident is None:
            return
        inc = incident
        self.conn.execute("DELETE FROM incidents WHERE id = ?", (inc["id"],))
        self.conn.execute(
            "INSERT INTO incidents(id, label, place, start, end, acts, docs, grp, country, admin1, lat, lon, feature,"
            " sources, decided) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (inc["id"], inc["label"], inc["place"], inc["start"], inc["end"], json.dumps(inc["acts"]),
             json.dumps(inc["docs"]), gid, inc["country"], inc["admin1"], inc["lat"], inc["lon"], inc["feature"],
             inc["sources"], inc["decided"]))
        self.conn.executemany(
            "INSERT OR IGNORE INTO incident_records(incident, record, doc, type) VALUES (?,?,?,?)",
            [(inc["id"], r["id"], r["doc"], r["type"]) for r in inc["records"]])
        self.conn.executemany(
            "INSERT INTO comparisons(incident, category, vals, verdict) VALUES (?,?,?,?)",
            [(c["incident"], c["category"], json.dumps(c["values"], ensure_ascii=False), c["verdict"])
             for c in comparisons])

    def incident_of_group(self, gid: int) -> str | None:
        row = self.conn.execute("SELECT id FROM incidents WHERE grp = ?", (gid,)).fetchone()
        return None if row is None else str(row[0])

    def incident_group(self, incident_id: str) -> int:
        row = self.conn.execute("SELECT grp FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is None or row[0] is None:
            raise NotFound(f"no incident {incident_id}")
        return int(row[0])

    # -- lineage and documents --------------------------------------------------------------------------------
    def copies_among(self, docs: Sequence[str]) -> list[tuple[str, str]]:
        """Links between documents of the list that make one a copy of the other: duplicates, rewrites, and partial
        reuse that makes up at least half of one of them (a wire story's sentences in another outlet's page)."""
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(
            f"SELECT doc, other FROM links WHERE (kind IN ('duplicate', 'rewrite') OR max(share, other_share) >= 0.5)"
            f" AND doc IN ({marks}) AND other IN ({marks})", [*docs, *docs])
        return [(r[0], r[1]) for r in rows]

    def document_meta(self, docs: Sequence[str]) -> dict[str, dict[str, Any]]:
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(
            f"SELECT id, title, publisher, published, url FROM documents WHERE id IN ({marks})", list(docs))
        return {r[0]: {"title": r[1], "publisher": r[2], "published": r[3], "url": r[4]} for r in rows}

    def groups_of_documents(self, docs: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for d in docs:
            out |= self.groups_with_document(d)
        return out

    # -- analyst decisions ------------------------------------------------------------------------------------
    def add_decision(self, action: str, doc: str, start: int, args: dict[str, Any]) -> None:
        try:
            self.conn.execute("INSERT INTO incident_decisions(action, doc, start, args) VALUES (?,?,?,?)",
                              (action, doc, start, json.dumps(args, ensure_ascii=False)))
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot store the decision: {exc}") from exc

    def decisions(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT id, action, doc, start, args, at FROM incident_decisions ORDER BY id")
        return [{"id": r[0], "action": r[1], "doc": r[2], "start": r[3], "args": json.loads(r[4]), "at": r[5]}
                for r in rows]

    def iter_groups(self) -> Iterator[int]:
        for r in self.conn.execute("SELECT id FROM incident_groups ORDER BY id").fetchall():
            yield r[0]


def group_cell(p: Place) -> str:
    """The index cell of a group's place: a 0.5° grid square, its region (admin1), or its name."""
    if p.feature == "P" and p.lat is not None and p.lon is not None:
        return f"g:{math.floor(p.lat / NEAR_DEG)}:{math.floor(p.lon / NEAR_DEG)}"
    if p.feature == "R" and p.admin1:
        return f"a:{p.country}:{p.admin1}"
    return f"k:{p.key}"


def place_cells(p: Place) -> list[str]:
    """The cells where a group at the same or a nearby place can be: the 3 × 3 grid squares around a town (0.5° is
    more than ``near_km``), its region's cell, and its own name's."""
    cells = [group_cell(p)]
    if p.feature == "P" and p.lat is not None and p.lon is not None:
        y, x = math.floor(p.lat / NEAR_DEG), math.floor(p.lon / NEAR_DEG)
        cells = [f"g:{y + dy}:{x + dx}" for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    if p.admin1:
        cells.append(f"a:{p.country}:{p.admin1}")
    return cells


def _group_params(g: Group) -> tuple[Any, ...]:
    located = g.located and g.place is not None
    p = g.place
    return (g.country, _place_json(p), p.key if located and p else None, p.admin1 if located and p else None,
            p.lat if located and p else None, p.lon if located and p else None,
            group_cell(p) if located and p else None, g.t0, g.t1, g.prec,
            json.dumps(sorted(g.families)), json.dumps(sorted(g.specific)))


def _group(r: sqlite3.Row) -> Group:
    from counterclaim.link.incidents import Group

    return Group(r["id"], r["country"], _place(r["place"]), r["t0"], r["t1"], r["prec"], set(json.loads(r["families"])),
                 set(json.loads(r["specific"])))


def _mention(r: sqlite3.Row) -> Mention:
    from counterclaim.link.incidents import Mention

    return Mention(r["doc"], r["start"], r["end"], "", [tuple(x) for x in json.loads(r["records"])],
                   set(json.loads(r["families"])), set(json.loads(r["acts"])), _place(r["place"]),
                   json.loads(r["countries"]), r["t0"], r["t1"], r["prec"], r["time_text"], bool(r["background"]),
                   r["grp"], r["id"])


def _record(row: sqlite3.Row) -> Record:
    base = {k: row[k] for k in ("id", "start", "end", "sentence", "version")}
    base["doc"] = row["doc_id"]
    return record_from_row(row["type"], base, json.loads(row["data"]))
