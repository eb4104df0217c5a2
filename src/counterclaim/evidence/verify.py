"""Berkeley Protocol verification steps and the overall status derived from them.

Steps and their rules are data (``data/verification_steps.yaml``). For each step only the latest result of each
analyst counts (an analyst may revise a result; the history stays in the ledger and the custody log). The overall
status, first rule that applies:

1. **fabricated**: a step whose ``if_refuted`` is ``fabricated`` (technical analysis) is refuted by someone;
2. **disputed**: any other step is refuted, or analysts disagree on a step (one confirmed, another refuted);
3. **verified**: every ``required`` step is confirmed and nothing is refuted;
4. **partially verified**: at least one step is confirmed;
5. **unreadable media**: nothing confirmed and the file could not be read as media (registered with ``--force``);
6. **unverified**: no step recorded, or only inconclusive results.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from counterclaim.errors import UsageError
from counterclaim.evidence.models import Step

STATUSES = ("unverified", "partially verified", "verified", "disputed", "fabricated", "unreadable media")


@dataclass(frozen=True)
class StepDef:
    """One verification step as defined in the data file."""

    name: str
    label: str
    phase: str
    question: str
    required: bool
    if_refuted: str


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("counterclaim.data").joinpath("verification_steps.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def step_defs() -> dict[str, StepDef]:
    return {
        name: StepDef(name=name, label=d["label"], phase=d["phase"], question=d["question"],
                      required=bool(d.get("required", False)), if_refuted=d.get("if_refuted", "disputed"))
        for name, d in _data()["steps"].items()
    }


def results() -> tuple[str, ...]:
    return tuple(_data()["results"])


def check_step(step: str, result: str) -> None:
    """Refuse an unknown step or result with the list of valid ones."""
    defs = step_defs()
    if step not in defs:
        raise UsageError(f"unknown verification step '{step}': use one of {', '.join(defs)}")
    if result not in results():
        raise UsageError(f"unknown result '{result}': use one of {', '.join(results())}")


def current_results(steps: list[Step]) -> dict[str, dict[str, str]]:
    """step -> analyst -> latest result (steps in the order they were recorded)."""
    out: dict[str, dict[str, str]] = {}
    for s in steps:
        out.setdefault(s.step, {})[s.analyst] = s.result
    return out


def overall_status(steps: list[Step], readable: bool = True) -> str:
    """The item's status from its steps, by the rules in the module docstring."""
    defs = step_defs()
    current = current_results(steps)
    refuted = {name for name, by in current.items() if "refuted" in by.values()}
    confirmed = {name for name, by in current.items() if "confirmed" in by.values()}
    if any(defs[name].if_refuted == "fabricated" for name in refuted if name in defs):
        return "fabricated"
    if refuted:
        return "disputed"
    required = {name for name, d in defs.items() if d.required}
    if required and required <= confirmed:
        return "verified"
    if confirmed:
        return "partially verified"
    if not readable:
        return "unreadable media"
    return "unverified"


def step_summary(steps: list[Step]) -> list[dict[str, Any]]:
    """One row per defined step: its label, whether required, and the current results by analyst."""
    current = current_results(steps)
    return [
        {"step": d.name, "label": d.label, "phase": d.phase, "required": d.required,
         "results": current.get(d.name, {})}
        for d in step_defs().values()
    ]
