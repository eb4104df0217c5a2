"""All SQL of the link component: fingerprints, links and aligned pairs, sentence embeddings, incidents, comparisons.

The tables are created by ``schema_link``. Lists and dicts are stored as JSON text; vectors as float32 bytes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from counterclaim.errors import LedgerError, NotFound
from counterclaim.store.ledger import Ledger


class LinkStore:
    """Link tables of one ledger (same connection, same transactions)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.conn = ledger.conn

    # -- state -----------------------------------------------------------------------------------------------
    def state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM link_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        with self.ledger.transaction() as conn:
            conn.execute(
                "INSERT INTO link_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def records_fingerprint(self) -> str:
        """Changes whenever extracted records change (count and last extraction time)."""
        row = self.conn.execute("SELECT count(*), coalesce(max(at), ''), coalesce(sum(records), 0) FROM extractions")
        n, at, recs = row.fetchone()
        return f"{n}:{at}:{recs}"

    # -- documents and fingerprints ---------------------------------------------------------------------------
    def published(self) -> dict[str, str | None]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, published FROM documents")}

    def titles(self) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT id, title, publisher, published FROM documents")
        return {r[0]: {"title": r[1], "publisher": r[2], "published": r[3]} for r in rows}

    def unfingerprinted(self, version: str) -> list[str]:
        """Documents never fingerprinted, or fingerprinted by another lineage version."""
        rows = self.conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN link_fingerprints f ON f.doc_id = d.id "
            "WHERE f.version IS NULL OR f.version != ? ORDER BY d.id",
            (version,),
        )
        return [r[0] for r in rows]

    def fingerprints(self, version: str) -> list[tuple[str, NDArray[np.uint64], list[str]]]:
        rows = self.conn.execute("SELECT doc_id, signature, keys FROM link_fingerprints WHERE version = ?", (version,))
        return [(r[0], np.frombuffer(r[1], dtype=np.uint64), json.loads(r[2])) for r in rows]

    def save_links(
        self,
        fingerprints: Sequence[tuple[str, NDArray[np.uint64], Iterable[str]]],
        version: str,
        links: Sequence[dict[str, Any]],
        *,
        reset: bool = False,
    ) -> None:
        """Store new fingerprints and links (each with its ``pairs`` spans) in one transaction.

        With ``reset`` every earlier link is dropped first (a new lineage version recomputes everything).
        """
        try:
            with self.ledger.transaction() as conn:
                if reset:
                    conn.execute("DELETE FROM link_pairs")
                    conn.execute("DELETE FROM links")
                conn.executemany(
                    "INSERT OR REPLACE INTO link_fingerprints(doc_id, signature, keys, version) VALUES (?,?,?,?)",
                    [(d, sig.astype(np.uint64).tobytes(), json.dumps(sorted(keys)), version) for d, sig, keys in fingerprints],
                )
                for link in links:
                    conn.execute("DELETE FROM link_pairs WHERE (doc = ? AND other = ?) OR (doc = ? AND other = ?)",
                                 (link["doc"], link["other"], link["other"], link["doc"]))
                    conn.execute("DELETE FROM links WHERE (doc = ? AND other = ?) OR (doc = ? AND other = ?)",
                                 (link["doc"], link["other"], link["other"], link["doc"]))
                    conn.execute(
                        "INSERT INTO links(doc, other, kind, share, other_share, pairs, method) VALUES (?,?,?,?,?,?,?)",
                        (link["doc"], link["other"], link["kind"], link["share"], link["other_share"],
                         len(link["pairs"]), link.get("method", "lexical")),
                    )
                    conn.executemany(
                        "INSERT INTO link_pairs(doc, other, doc_start, doc_end, other_start, other_end, score, lexical)"
                        " VALUES (?,?,?,?,?,?,?,?)",
                        [(link["doc"], link["other"], p["doc_start"], p["doc_end"], p["other_start"], p["other_end"],
                          p["score"], p["lexical"]) for p in link["pairs"]],
                    )
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot store lineage links: {exc}") from exc

    def links(self, doc: str | None = None) -> list[dict[str, Any]]:
        """Stored links (all, or those touching ``doc``), strongest kinds first."""
        sql = "SELECT doc, other, kind, share, other_share, pairs, method FROM links"
        params: tuple[str, ...] = ()
        if doc:
            sql += " WHERE doc = ? OR other = ?"
            params = (doc, doc)
        sql += " ORDER BY CASE kind WHEN 'duplicate' THEN 0 WHEN 'rewrite' THEN 1 ELSE 2 END, doc, other"
        return [dict(r) for r in self.conn.execute(sql, params)]

    def link_pairs(self, doc: str, other: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT doc_start, doc_end, other_start, other_end, score, lexical FROM link_pairs"
            " WHERE doc = ? AND other = ? ORDER BY doc_start, other_start",
            (doc, other),
        )
        return [dict(r) for r in rows]

    def aligned_spans(self, kinds: Sequence[str] = ("duplicate", "rewrite")) -> list[tuple[str, int, int, str, int, int]]:
        """Every aligned sentence pair of links of the given kinds: (doc, start, end, other, start, end)."""
        marks = ",".join("?" * len(kinds))
        rows = self.conn.execute(
            "SELECT p.doc, p.doc_start, p.doc_end, p.other, p.other_start, p.other_end FROM link_pairs p"
            f" JOIN links l ON l.doc = p.doc AND l.other = p.other WHERE l.kind IN ({marks})",
            list(kinds),
        )
        return [tuple(r) for r in rows]

    # -- embeddings -------------------------------------------------------------------------------------------
    def get_embeddings(self, hashes: Sequence[str], model: str) -> dict[str, NDArray[np.float32]]:
        out: dict[str, NDArray[np.float32]] = {}
        for i in range(0, len(hashes), 500):
            chunk = list(hashes[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for h, blob in self.conn.execute(
                f"SELECT hash, vector FROM sentence_embeddings WHERE model = ? AND hash IN ({marks})", [model, *chunk]
            ):
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_embeddings(self, items: dict[str, NDArray[np.float32]], model: str) -> None:
        if self.conn.in_transaction:  # called inside a larger unit of work
            self._put(self.conn, items, model)
            return
        with self.ledger.transaction() as conn:
            self._put(conn, items, model)

    @staticmethod
    def _put(conn: sqlite3.Connection, items: dict[str, NDArray[np.float32]], model: str) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO sentence_embeddings(hash, model, vector) VALUES (?,?,?)",
            [(h, model, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()],
        )

    # -- incidents and comparisons ------------------------------------------------------------------------------
    def replace_incidents(
        self, incidents: Sequence[dict[str, Any]], comparisons: Sequence[dict[str, Any]]
    ) -> None:
        """Replace every incident, its member records and its comparisons, atomically."""
        try:
            with self.ledger.transaction() as conn:
                conn.execute("DELETE FROM comparisons")
                conn.execute("DELETE FROM incident_records")
                conn.execute("DELETE FROM incidents")
                for inc in incidents:
                    conn.execute(
                        "INSERT INTO incidents(id, label, place, start, end, acts, docs) VALUES (?,?,?,?,?,?,?)",
                        (inc["id"], inc["label"], inc["place"], inc["start"], inc["end"], json.dumps(inc["acts"]),
                         json.dumps(inc["docs"])),
                    )
                    conn.executemany(
                        "INSERT OR IGNORE INTO incident_records(incident, record, doc, type) VALUES (?,?,?,?)",
                        [(inc["id"], r["id"], r["doc"], r["type"]) for r in inc["records"]],
                    )
                conn.executemany(
                    "INSERT INTO comparisons(incident, category, vals, verdict) VALUES (?,?,?,?)",
                    [(c["incident"], c["category"], json.dumps(c["values"], ensure_ascii=False), c["verdict"])
                     for c in comparisons],
                )
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot store incidents: {exc}") from exc

    def count_incidents(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM incidents").fetchone()[0])

    def incidents(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT i.*, (SELECT count(*) FROM incident_records r WHERE r.incident = i.id) AS records FROM incidents i"
            " ORDER BY i.start IS NULL, i.start, i.label"
        )
        return [_incident(r) for r in rows]

    def get_incident(self, key: str) -> dict[str, Any]:
        """The incident whose id starts with ``key``, or whose label contains it (one match required)."""
        rows = self.conn.execute(
            "SELECT i.*, (SELECT count(*) FROM incident_records r WHERE r.incident = i.id) AS records FROM incidents i"
            " WHERE i.id LIKE ? || '%' OR lower(i.label) LIKE '%' || lower(?) || '%' LIMIT 6",
            (key, key),
        ).fetchall()
        exact = [r for r in rows if r["id"] == key or r["label"].lower() == key.lower()]
        rows = exact or rows
        if not rows:
            raise NotFound(f"no incident matches '{key}' (list them with 'counterclaim incidents')")
        if len(rows) > 1:
            labels = "; ".join(f"{r['id'][:8]} {r['label']}" for r in rows[:5])
            raise NotFound(f"'{key}' matches several incidents ({labels}); give its id")
        return _incident(rows[0])

    def incident_record_ids(self, incident: str) -> list[str]:
        rows = self.conn.execute("SELECT record FROM incident_records WHERE incident = ? ORDER BY doc, type", (incident,))
        return [r[0] for r in rows]

    def comparisons(self, incident: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT incident, category, vals, verdict FROM comparisons"
        params: tuple[str, ...] = ()
        if incident:
            sql += " WHERE incident = ?"
            params = (incident,)
        sql += " ORDER BY incident, category"
        return [
            {"incident": r[0], "category": r[1], "values": json.loads(r[2]), "verdict": r[3]}
            for r in self.conn.execute(sql, params)
        ]


def _incident(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["acts"] = json.loads(out["acts"])
    out["docs"] = json.loads(out["docs"])
    return out
