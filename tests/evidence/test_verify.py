from __future__ import annotations

import pytest

from counterclaim.errors import UsageError
from counterclaim.evidence.models import Step
from counterclaim.evidence.verify import check_step, overall_status, step_defs


def s(step: str, result: str, analyst: str = "A") -> Step:
    return Step(item="x", step=step, result=result, analyst=analyst, note="", at="t")


REQUIRED = [name for name, d in step_defs().items() if d.required]


def test_no_steps_or_only_inconclusive_is_unverified() -> None:
    assert overall_status([]) == "unverified"
    assert overall_status([s("geolocation", "inconclusive")]) == "unverified"
    assert overall_status([], readable=False) == "unreadable media"


def test_some_confirmed_is_partial_all_required_is_verified() -> None:
    assert overall_status([s("geolocation", "confirmed")]) == "partially verified"
    assert overall_status([s(n, "confirmed") for n in REQUIRED[:-1]]) == "partially verified"
    assert overall_status([s(n, "confirmed") for n in REQUIRED]) == "verified"


def test_refuted_technical_analysis_is_fabricated_other_refuted_is_disputed() -> None:
    everything = [s(n, "confirmed") for n in REQUIRED]
    assert overall_status([*everything, s("technical_analysis", "refuted", "B")]) == "fabricated"
    assert overall_status([*everything, s("chronolocation", "refuted", "B")]) == "disputed"
    assert overall_status([s("identification", "refuted")]) == "disputed"


def test_latest_result_of_an_analyst_counts() -> None:
    steps = [s("geolocation", "refuted"), s("geolocation", "confirmed")]
    assert overall_status(steps) == "partially verified"
    assert overall_status([*steps, s("geolocation", "refuted", "B")]) == "disputed"


def test_unknown_step_or_result_refused_with_choices() -> None:
    with pytest.raises(UsageError, match="geolocation"):
        check_step("geolocatoin", "confirmed")
    with pytest.raises(UsageError, match="confirmed"):
        check_step("geolocation", "yes")


def test_berkeley_protocol_steps_present() -> None:
    assert {"source_identification", "technical_analysis", "geolocation", "chronolocation",
            "identification"} <= set(step_defs())
