"""The ``counterclaim`` command: a thin shell over the library.

Each stage registers its commands from its own module (``ingest_cmds``, ``records_cmds``, ``link_cmds``,
``evidence_cmds``, ``web_cmds``). Project errors become one line on stderr and an exit code.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys

import click

from counterclaim import __version__
from counterclaim.cli import (
    evidence_cmds,
    ingest_cmds,
    link_cmds,
    meta_cmds,
    records_cmds,
    review_cmds,
    web_cmds,
)
from counterclaim.cli.options import printable
from counterclaim.errors import CounterclaimError


def disk_full(exc: BaseException) -> bool:
    """True for 'no space left on device' / 'quota exceeded', from the OS or from SQLite."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc)


class Group(click.Group):
    """Turns :class:`CounterclaimError` into ``counterclaim: error: <message>`` and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CounterclaimError as exc:
            click.echo(f"counterclaim: error: {printable(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except (OSError, sqlite3.OperationalError) as exc:
            if not disk_full(exc):
                raise
            where = f" writing {exc.filename}" if isinstance(exc, OSError) and exc.filename else ""
            click.echo(f"counterclaim: error: no space left on the disk{printable(where)}; the ledger is consistent "
                       "(every write is one transaction): free some space and run the command again", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("counterclaim: interrupted; the ledger is consistent, run the command again to resume", err=True)
            ctx.exit(130)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="counterclaim")
@click.option("-v", "--verbose", count=True, help="Log what happens (-vv for debug detail).")
def cli(verbose: int) -> None:
    """Turn statements, press releases and reports about alleged war crimes into a ledger of sourced claims.

    \b
    Typical session:
      counterclaim analyze ~/cases/karabakh/ --db karabakh.db   # ingest + extract
      counterclaim docs --db karabakh.db                        # what is in the ledger
      counterclaim allegations --db karabakh.db --accused Armenia
      counterclaim export --db karabakh.db --format jsonl > ledger.jsonl

    Every command takes --db (default ./counterclaim.db); listing commands take --json.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


for module in (ingest_cmds, records_cmds, link_cmds, evidence_cmds, web_cmds, review_cmds, meta_cmds):
    module.register(cli)


def main() -> None:
    cli(prog_name="counterclaim")
