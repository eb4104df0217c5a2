"""Options and output helpers shared by every command."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from counterclaim.store import DEFAULT_DB, Ledger

F = TypeVar("F", bound=Callable[..., Any])

db_option = click.option(
    "--db", "db", default=DEFAULT_DB, show_default=True, envvar="COUNTERCLAIM_DB",
    type=click.Path(dir_okay=False), help="The ledger: one SQLite file (created if missing).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of a table.")
min_confidence_option = click.option(
    "--min-confidence", "min_confidence", type=click.FloatRange(0.0, 1.0), default=None,
    help="Hide machine records whose confidence is below this (0 shows all; default: min_confidence in the "
         "package's data/strategies.yaml, none with --raw; records an analyst reviewed always show). "
         "`counterclaim explain ID` says how a record got its confidence.",
)


def open_ledger(db: str, readonly: bool = False) -> Ledger:
    return Ledger(db, readonly=readonly)


_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0, 32), 127, *range(0x80, 0xA0)] if c not in (9, 10)}


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters (ESC sequences that recolour, move the cursor,
    retitle the window or hide what follows; NUL, BEL, C1 codes) shown as ``\\xNN``; tabs and newlines kept."""
    return text.translate(_CONTROLS)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> None:
    """A table on a terminal (rich), tab-separated lines when piped."""
    if not sys.stdout.isatty():
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join("" if v is None else printable(str(v).replace("\t", " ").replace("\n", " "))
                                  for v in row))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:  # Text: a title like "[red]..." is shown as written, never read as rich markup
        table.add_row(*(Text("" if v is None else printable(str(v))) for v in row))
    Console().print(table)


def shorten(text: str | None, width: int = 80) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
