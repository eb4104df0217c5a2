"""Checking the filters of listing commands, so that a typo is refused with the valid values instead of silently
returning nothing: dates (``--since yesterday``, ``--since 2024-13-45``), acts, figure categories, actor names
(the nearest names in the ledger are suggested)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date

import click

from counterclaim.errors import UsageError

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, a real calendar date."""
    if value is None:
        return None
    m = _ISO.match(value.strip())
    try:
        if m is None:
            raise ValueError
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2023-03-14)") from None
    return value.strip()


def act_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback: an act code of ``data/acts.yaml``."""
    if value is None:
        return None
    from counterclaim.extract.acts import taxonomy

    acts = list(taxonomy())
    if value not in acts:
        near = difflib.get_close_matches(value, acts, n=1)
        hint = f"did you mean '{near[0]}'? " if near else ""
        raise click.BadParameter(f"unknown act {value!r}: {hint}use one of {', '.join(acts)}")
    return value


def known_name(value: str, names: Iterable[str], what: str) -> None:
    """Refuse an actor name the ledger does not hold, suggesting the nearest ones."""
    known = sorted({n for n in names if n})
    if value in known or value.lower() in {n.lower() for n in known}:
        return
    near = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    if near:
        raise UsageError(f"no {what} named '{value}' in this ledger; did you mean {' or '.join(repr(n) for n in near)}?")
    raise UsageError(f"no {what} named '{value}' in this ledger (see 'counterclaim actors' for the names it holds)")
