"""Incidents: records from different documents that describe the same event (place + time + act)."""

from __future__ import annotations

from typing import Any

from counterclaim.store import Ledger


def build_incidents(ledger: Ledger) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every incident (with its member records) and every figure comparison, from the ledger's records."""
    return [], []
