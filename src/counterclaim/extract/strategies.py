"""The named strategies of the allegation builder and their confidence weights (``data/strategies.yaml``).

Every allegation keeps, in ``rules``, the strategies that made it (``"act:trigger"``, ``"claimant:quote"``,
``"accused:agent"``, ``"stance:call"`` ...); its ``confidence`` is the product of their weights. The data file is
the one place where the strategies are listed, described and weighted; ``counterclaim explain`` reads the
descriptions from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from counterclaim.errors import InputError

SECTIONS = ("act", "claimant", "accused", "stance")


@dataclass(frozen=True)
class Strategy:
    name: str  # "claimant:quote"
    weight: float
    doc: str


@dataclass(frozen=True)
class Strategies:
    by_name: dict[str, Strategy]
    min_confidence: float


@lru_cache(maxsize=1)
def strategies() -> Strategies:
    """The strategies file, loaded once."""
    text = resources.files("counterclaim.data").joinpath("strategies.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    out: dict[str, Strategy] = {}
    try:
        for section in SECTIONS:
            for key, spec in (data.get(section) or {}).items():
                w = float(spec["weight"])
                if not 0.0 <= w <= 1.0:
                    raise ValueError(f"weight of {section}:{key} must lie in [0, 1], not {w}")
                out[f"{section}:{key}"] = Strategy(f"{section}:{key}", w, str(spec.get("doc", "")))
        floor = float(data.get("min_confidence", 0.0))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("strategies.yaml", f"bad entry: {exc}", "see docs/data.md, section strategies") from exc
    return Strategies(out, floor)


def confidence(rules: Iterable[str]) -> float:
    """The product of the weights of ``rules`` (unknown names weigh 1.0), rounded to 3 places."""
    table = strategies().by_name
    c = 1.0
    for r in rules:
        s = table.get(r)
        if s is not None:
            c *= s.weight
    return round(c, 3)


def describe(rule: str) -> str:
    """What a rule name means, for ``counterclaim explain``."""
    s = strategies().by_name.get(rule)
    return s.doc if s is not None else ""


def default_min_confidence() -> float:
    return strategies().min_confidence
