"""Regenerate docs/cli.md from the click commands' own help texts: `python scripts/gen_cli_docs.py`."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim.cli import cli

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render(command: click.Command, path: list[str], level: int) -> list[str]:
    ctx = click.Context(command, info_name=" ".join(path))
    lines = [f"{'#' * level} `{' '.join(path)}`", "", "```text", command.get_help(ctx).rstrip(), "```", ""]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            lines += render(command.commands[name], [*path, name], level + 1)
    return lines


def main() -> None:
    lines = [
        "# The `counterclaim` command",
        "",
        "Generated from the commands' own `--help` by `scripts/gen_cli_docs.py`; every command takes `--db`",
        "(default `./counterclaim.db`, or `$COUNTERCLAIM_DB`). Errors print one line `counterclaim: error: ...` and",
        "exit non-zero: 1 general, 2 bad input or usage, 3 ledger, 4 not found, 5 model, 6 evidence.",
        "",
    ]
    for name in sorted(cli.commands):
        lines += render(cli.commands[name], ["counterclaim", name], 2)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
