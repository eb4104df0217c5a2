"""Shared fixtures. Tests build their own inputs in tmp_path; the demo corpus is examples/seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seeds"


@pytest.fixture
def ledger(tmp_path: Path):  # type: ignore[no-untyped-def]
    from counterclaim.store import Ledger

    with Ledger(tmp_path / "test.db") as led:
        yield led


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The full pipeline, loaded once for the whole test session."""
    from counterclaim.nlp import load_pipeline

    return load_pipeline()
