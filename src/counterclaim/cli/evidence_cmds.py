"""CLI commands of the evidence stage."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this stage's commands to the main group."""
