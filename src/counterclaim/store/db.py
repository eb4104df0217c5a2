"""Opening the SQLite ledger: WAL mode, foreign keys, and forward migrations per component.

Each pipeline stage owns the tables it writes and declares them as an ordered list of migrations in its own schema
module (``schema_core``, ``schema_link``, ``schema_evidence``). The version of each component is kept in the
``schema_versions`` table; opening a ledger applies the migrations it has not seen yet, each in one transaction.
A ledger written by a newer counterclaim (a version we do not know) is refused rather than guessed at.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from counterclaim.errors import LedgerError

log = logging.getLogger(__name__)

#: (component, module holding ``MIGRATIONS: list[str]``), applied in this order
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("core", "counterclaim.store.schema_core"),
    ("link", "counterclaim.store.schema_link"),
    ("evidence", "counterclaim.store.schema_evidence"),
    ("custody", "counterclaim.store.schema_custody"),
    ("review", "counterclaim.store.schema_review"),
    ("meta", "counterclaim.store.schema_meta"),
)

LEDGER_FORMAT = 1  # PRAGMA user_version: the layout of schema_versions itself


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating if needed) the ledger at ``path`` and bring its schema up to date."""
    path = Path(path)
    try:
        if readonly:
            if not path.exists():
                raise LedgerError(f"no ledger at {path} (run 'counterclaim ingest ... --db {path}' first)")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not readonly and (not names or "schema_versions" in names):
            migrate(conn)
        elif "schema_versions" not in names:
            conn.close()
            raise LedgerError(f"{path} is not a counterclaim ledger (an SQLite file without counterclaim's tables); "
                              "give the --db that 'counterclaim ingest' or 'analyze' created")
        return conn
    except sqlite3.DatabaseError as exc:
        full = "disk is full" in str(exc) or ("disk I/O error" in str(exc) and _low_space(path))
        hint = ("no space left on the disk: free some space and run the command again" if full
                else "is it a counterclaim SQLite file?")
        raise LedgerError(f"cannot open ledger {path}: {exc} ({hint})") from exc


def _low_space(path: Path) -> bool:
    """Less than 1 MiB free where the ledger lives (SQLite reports a full disk as an I/O error when opening)."""
    try:
        return shutil.disk_usage(path.resolve().parent).free < (1 << 20)
    except OSError:
        return False


def _load_migrations(module: str) -> Sequence[str]:
    return list(importlib.import_module(module).MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> dict[str, int]:
    """Apply every pending migration; return the resulting version of each component."""
    fmt = conn.execute("PRAGMA user_version").fetchone()[0]
    if fmt > LEDGER_FORMAT:
        raise LedgerError(f"this ledger was written by a newer counterclaim (format {fmt}); upgrade counterclaim")
    conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    conn.execute(f"PRAGMA user_version = {LEDGER_FORMAT}")
    conn.commit()
    versions: dict[str, int] = {}
    for component, module in COMPONENTS:
        steps = _load_migrations(module)
        row = conn.execute("SELECT version FROM schema_versions WHERE component = ?", (component,)).fetchone()
        current = row[0] if row else 0
        if current > len(steps):
            raise LedgerError(
                f"the ledger's '{component}' schema is version {current}, newer than this counterclaim knows "
                f"({len(steps)}); upgrade counterclaim"
            )
        for number, sql in enumerate(steps[current:], start=current + 1):
            log.info("migrating %s schema to version %d", component, number)
            try:
                conn.execute("BEGIN IMMEDIATE")
                for statement in _split(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    (component, number),
                )
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise LedgerError(f"cannot migrate the ledger's {component} schema to version {number}: {exc}") from exc
        versions[component] = max(current, len(steps))
    return versions


def _split(sql: str) -> list[str]:
    """Split a migration into statements (``sqlite3.complete_statement`` keeps triggers whole)."""
    statements: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
