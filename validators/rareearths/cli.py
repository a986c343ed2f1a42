"""The `rareearths` command line. Every error is a message and an exit code, never a traceback."""

from __future__ import annotations

import functools
import gc
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

import rareearths

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    help="Validate, build and query the rare-earth supply-chain data package.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@functools.cache
def _console(stderr: bool = False) -> Console:
    """rich's console, made when first printed to (importing rich costs every command 0.03 s)."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True) if stderr else Console()


EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


def _version(value: bool) -> None:
    if value:
        _console().print(f"rareearths {rareearths.__version__}")
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
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Fetch resources whose path is an http(s) URL.")
    ] = False,
    limit_errors: Annotated[
        int | None,
        typer.Option(
            "--limit-errors", min=1, metavar="N", help="Stop reporting after N errors (the verdict stays invalid)."
        ),
    ] = None,
) -> None:
    """Check a data package: descriptor, structure, types, constraints, keys and domain rules.

    Text output is a table on a terminal, and one line per finding elsewhere (logs, pipes, CI):
    path:row: field: type: message [primary key].
    """
    from rareearths.opening import profile_check

    profile_check.warm_up()  # frictionless's import on the spare core, while this one imports the loader
    try:
        _validate(path, schema, fmt, strict, allow_remote, limit_errors)
    finally:
        profile_check.discard()  # (unless the check took it)


def _validate(path: Path, schema: Path | None, fmt: Format, strict: bool, allow_remote: bool,
              limit_errors: int | None) -> None:  # fmt: skip
    from rareearths.checking.reporters import render_text, to_github, to_json, to_junit
    from rareearths.checking.validate import validate_path
    from rareearths.dataset.rules import RULES

    # A dirty file's findings are a few hundred thousand small objects made in one go: Python's
    # collector, run every 700 allocations, would walk them again and again with nothing to free
    # (0.3 s of 9 at 100,000 findings). A short command collects a hundred times less often.
    gc.set_threshold(100_000, 50, 100)

    if path.suffix.lower() == ".csv" and schema is None:
        _console(stderr=True).print(f"error: {path} is a CSV file; give its Table Schema with --schema FILE")
        raise typer.Exit(EXIT_USAGE)
    if not path.exists():
        _console(stderr=True).print(f"error: {path} does not exist")
        raise typer.Exit(EXIT_USAGE)
    from rareearths.opening import package_source

    package_source.CHECK_IN_CHILD = True  # frictionless's descriptor check on the other core (profile_check)
    report = validate_path(path, schema, allow_remote, RULES).limited(limit_errors)
    if fmt is Format.json:
        sys.stdout.write(to_json(report, strict) + "\n")
    elif fmt is Format.github:
        sys.stdout.write(to_github(report) + "\n")
    elif fmt is Format.junit:
        sys.stdout.write(to_junit(report) + "\n")
    else:
        render_text(report, _console())
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

    from rareearths.dataset.rules import all_rules

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
        _console().print(table)


@app.command()
def build(
    path: Annotated[Path, typer.Argument(help="The package's datapackage.json.")] = Path("datapackage.json"),
    out: Annotated[Path, typer.Option("--out", help="Folder for the artifacts.")] = Path("dist"),
    record: Annotated[
        bool, typer.Option("--record", help="Record this version and its checksums in releases.json.")
    ] = False,
) -> None:
    """Validate, then build the DuckDB database, Parquet files, the zipped package and SHA256SUMS."""
    import datetime as dt

    from rareearths.building.build import BuildRefused, build
    from rareearths.building.build import record_release as record_in
    from rareearths.checking.reporters import render_text
    from rareearths.dataset import derived_sql
    from rareearths.dataset.rules import RULES

    if not path.exists():
        _console(stderr=True).print(f"error: {path} does not exist")
        raise typer.Exit(EXIT_USAGE)
    releases = path.parent / "releases.json"
    commit = ""
    if record:  # before building: a release records the commit that holds the package's files
        from rareearths.building.build import member_names
        from rareearths.building.releases import committed_head

        try:
            commit = committed_head(path.parent, member_names(path))
        except ValueError as exc:
            _console(stderr=True).print(f"not recorded: {exc}", markup=False)
            raise typer.Exit(EXIT_INVALID) from None
    try:
        result = build(path, out, releases, RULES, derived_sql())
    except BuildRefused as exc:
        if exc.report is not None:
            render_text(exc.report, _console(stderr=True))
        _console(stderr=True).print(f"build refused: {exc}")
        raise typer.Exit(EXIT_INVALID) from None
    for rel, digest in sorted(result.artifacts.items()):
        _console().print(f"{digest[:12]}  {out / rel}", markup=False)
    if record:
        record_in(result, releases, dt.date.today().isoformat(), commit)
        _console().print(f"recorded version {result.version} at commit {commit[:12]} in {releases}")


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


@app.command()
def query(
    sql: Annotated[str | None, typer.Argument(help="SQL to run (SELECT only).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the SQL from a file.")] = None,
    database: Annotated[Path, typer.Option("--db", help="The built database.")] = Path(
        "dist/rare-earth-supply-chain.duckdb"
    ),
    fmt: Annotated[QueryFormat, typer.Option("--format", help="Output format.")] = QueryFormat.table,
) -> None:
    """Run read-only SQL against the built DuckDB database."""
    from rich.table import Table
    from rich.text import Text

    from rareearths.building import query as q

    if (sql is None) == (file is None):
        _console(stderr=True).print("error: give SQL as an argument or with --file, not both")
        raise typer.Exit(EXIT_USAGE)
    if file is not None:
        try:
            sql = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _console(stderr=True).print(f"error: cannot read {file}: {exc}")
            raise typer.Exit(EXIT_USAGE) from None
    try:
        columns, rows = q.run(database, sql or "")
    except FileNotFoundError:
        _console(stderr=True).print(f"error: no database at {database}; build it with `make` or `rareearths build`")
        raise typer.Exit(EXIT_USAGE) from None
    except q.QueryRefused as exc:
        _console(stderr=True).print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        _console(stderr=True).print("interrupted: the query was stopped")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if fmt is QueryFormat.csv:
        sys.stdout.write(q.to_csv(columns, rows))
    elif fmt is QueryFormat.json:
        sys.stdout.write(q.to_json(columns, rows) + "\n")
    elif fmt is QueryFormat.markdown:
        sys.stdout.write(q.to_markdown(columns, rows))
    else:
        table = Table(*columns)
        for r in rows:
            table.add_row(*[Text("" if v is None else str(v)) for v in r])
        _console().print(table)


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(help="Old side: a released version (1.0.0), a git revision of this repository or a path.")
    ],
    new: Annotated[str, typer.Argument(help="New side: a version, a git revision or a path.")] = "datapackage.json",
    fmt: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = DiffFormat.text,
    repo: Annotated[Path, typer.Option("--repo", help="Repository for git revisions.")] = Path("."),
) -> None:
    """Rows added, removed and changed by primary key, schema changes, and the version bump needed.

    Exits 1 when the version change between the sides is smaller than the change needs."""
    from rareearths.diffing import diff_report
    from rareearths.diffing.package_diff import DiffError
    from rareearths.diffing.package_diff import diff as run_diff

    try:
        result = run_diff(old, new, repo)
    except DiffError as exc:
        _console(stderr=True).print(f"error: {exc}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    render = {DiffFormat.text: diff_report.to_text, DiffFormat.markdown: diff_report.to_markdown,
              DiffFormat.json: diff_report.to_json}[fmt]  # fmt: skip
    sys.stdout.write(render(result) + ("" if fmt is not DiffFormat.json else "\n"))
    raise typer.Exit(EXIT_OK if result.version_ok else EXIT_INVALID)


@app.command()
def docs(
    root: Annotated[Path, typer.Option("--root", help="Repository root holding datapackage.json.")] = Path("."),
) -> None:
    """Regenerate the generated Markdown of the documentation site (docs/generated/)."""
    from rareearths.site.generate import generate

    written = generate(root.resolve())
    _console().print(f"wrote {len(written)} generated file(s) under docs/generated/")


def run() -> None:
    """Entry point that turns any unexpected failure into a one-line message and exit code 2."""
    try:
        app()
    except KeyboardInterrupt:
        _console(stderr=True).print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
