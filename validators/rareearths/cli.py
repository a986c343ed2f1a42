"""The `rareearths` command line. Every error is a message and an exit code, never a traceback."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rareearths import __version__

app = typer.Typer(
    help="Validate, build and query the rare-earth supply-chain data package.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


def _version(value: bool) -> None:
    if value:
        console.print(f"rareearths {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Validate, build and query the rare-earth supply-chain data package."""


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="datapackage.json, a folder holding one, a .zip, or a CSV file.")] = Path(
        "datapackage.json"
    ),
    schema: Annotated[Path | None, typer.Option("--schema", help="Table Schema JSON for a single CSV file.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check a data package: descriptor, structure, types, constraints, keys and domain rules."""
    from rareearths.reporters import render_text, to_github, to_json, to_junit
    from rareearths.validate import validate_path

    if path.suffix.lower() == ".csv" and schema is None:
        err_console.print(f"error: {path} is a CSV file; give its Table Schema with --schema FILE")
        raise typer.Exit(EXIT_USAGE)
    if not path.exists():
        err_console.print(f"error: {path} does not exist")
        raise typer.Exit(EXIT_USAGE)
    report = validate_path(path, schema)
    if fmt is Format.json:
        sys.stdout.write(to_json(report, strict) + "\n")
    elif fmt is Format.github:
        sys.stdout.write(to_github(report) + "\n")
    elif fmt is Format.junit:
        sys.stdout.write(to_junit(report) + "\n")
    else:
        render_text(report, console)
    if report.unreadable:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_OK if report.valid(strict) else EXIT_INVALID)


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def rules(
    fmt: Annotated[RulesFormat, typer.Option("--format", help="Output format.")] = RulesFormat.text,
) -> None:
    """List every domain rule with its table, severity and the reason it exists."""
    import json

    from rich.table import Table

    from rareearths.domain_rules import all_rules

    items = [
        {"name": r.name, "table": r.resource, "field": r.field, "severity": str(r.severity), "why": r.why}
        for r in all_rules()
    ]
    if fmt is RulesFormat.json:
        sys.stdout.write(json.dumps(items, indent=2) + "\n")
    elif fmt is RulesFormat.markdown:
        lines = ["| Rule | Table | Field | Severity | Why |", "|---|---|---|---|---|"]
        lines += [f"| `{i['name']}` | `{i['table']}` | `{i['field']}` | {i['severity']} | {i['why']} |" for i in items]
        sys.stdout.write("\n".join(lines) + "\n")
    else:
        table = Table("Rule", "Table", "Field", "Severity", "Why")
        for i in items:
            table.add_row(i["name"], i["table"], i["field"], i["severity"], i["why"])
        console.print(table)


def run() -> None:
    """Entry point that turns any unexpected failure into a one-line message and exit code 2."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
