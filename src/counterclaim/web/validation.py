"""Values of a record correction (``POST /api/records/{id}``) checked against the record types and the taxonomy.

A correction is refused (400, one line naming the valid values) unless every field holds what extraction itself
could have written: an act of ``data/acts.yaml``, a stance, a figure category or qualifier, an ISO date, a plain
string for names (no objects, lists or numbers where text belongs).
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from counterclaim.errors import UsageError
from counterclaim.records import FigureCategories, Qualifiers, Stances

MAX_TEXT = 500
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

ACTOR_KINDS = ("state", "organ", "igo", "court", "ngo", "person", "group", "outlet")
LEGAL_KINDS = ("treaty", "judgment", "resolution", "criminal_code", "other")
PRECISIONS = ("day", "month", "year")


def _acts() -> tuple[str, ...]:
    from counterclaim.extract.acts import taxonomy

    return tuple(taxonomy())


def _choice(field: str, value: Any, valid: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in valid:
        raise UsageError(f"unknown {field.rsplit('.', 1)[-1]} {_show(value)} ({field}): use one of {', '.join(valid)}")


def _text(field: str, value: Any, optional: bool = True) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{field} must be a non-empty string" + (" or null" if optional else "")
                         + f", not {_show(value)}")
    if len(value) > MAX_TEXT or "\x00" in value:
        raise UsageError(f"{field} must be at most {MAX_TEXT} characters of text")


def _iso_date(field: str, value: Any, optional: bool) -> None:
    if value is None and optional:
        return
    m = _ISO.match(value) if isinstance(value, str) else None
    try:
        if m is None:
            raise ValueError
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        raise UsageError(f"{field} {_show(value)} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY") from None


def _number(field: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise UsageError(f"{field} must be a non-negative number, not {_show(value)}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_changes(type_: str, changes: dict[str, Any]) -> None:
    """Raise :class:`UsageError` for the first value of ``changes`` that a ``type_`` record cannot hold."""
    for field, value in changes.items():
        name = f"{type_}.{field}"
        if field == "act":
            _choice(name, value, _acts())
        elif field == "stance":
            _choice(name, value, Stances)
        elif field == "qualifier":
            _choice(name, value, Qualifiers)
        elif field == "category":
            _choice(name, value, FigureCategories)
        elif field == "precision":
            _choice(name, value, PRECISIONS)
        elif field == "kind":
            _choice(name, value, ACTOR_KINDS if type_ == "actor" else LEGAL_KINDS)
        elif field == "value":
            _number(name, value)
        elif field in ("date", "time"):
            _iso_date(name, value, optional=field == "time")
        else:
            _text(name, value, optional=field not in ("actor", "instrument"))
