"""Validation, end to end: descriptor, structure and types, constraints and rules, keys.

Each resource is loaded into DuckDB once; every later check reads that table. Findings are
collected from every stage and returned together, sorted by file and row.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from rareearths.checking.cell_checks import cell_findings
from rareearths.checking.content_checks import content_findings
from rareearths.checking.csv_loader import load
from rareearths.checking.enrich import enrich
from rareearths.checking.findings import Finding, Report
from rareearths.checking.key_checks import key_findings
from rareearths.checking.rules import NO_RULES, RuleSet, SqlRule, rule_finding
from rareearths.opening.package_source import OpenedPackage, Resource, open_target

_SPILL_DIRS: set[Path] = set()
MEMORY_LIMIT = os.environ.get("RAREEARTHS_MEMORY_LIMIT", "1400MB")


def connect(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that spills to a temporary folder rather than grow past the limit.

    Validating 10M rows otherwise peaks above 2 GiB; at 1.4 GB of buffer the process stays
    under it, for about 10% more time (bench/results).
    """
    con = duckdb.connect(database)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    spill = Path(tempfile.gettempdir()) / f"rareearths-duckdb-{os.getpid()}"
    con.execute(f"SET temp_directory = '{spill}'")
    if spill not in _SPILL_DIRS:  # DuckDB leaves the folder behind; remove it when we exit
        _SPILL_DIRS.add(spill)
        atexit.register(shutil.rmtree, spill, ignore_errors=True)
    return con


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
    return {r[0] for r in rows}


def _sql_rule_findings(con: duckdb.DuckDBPyConnection, rule: SqlRule, by_name: dict[str, Resource],
                       loaded: set[str]) -> list[Finding]:  # fmt: skip
    for table, cols in rule.needs.items():
        if table not in loaded or not set(cols) <= _columns(con, table):
            return []
    res = by_name[rule.resource]
    return [rule_finding(rule, res.name, res.display_path, r[0], r[1], r[2] if len(r) > 2 else "")
            for r in con.execute(rule.sql).fetchall()]  # fmt: skip


def validate_opened(pkg: OpenedPackage, con: duckdb.DuckDBPyConnection | None = None,
                    rules: RuleSet = NO_RULES) -> Report:  # fmt: skip
    """Every finding about `pkg`: its Table Schemas, then `rules` (the package's own domain rules)."""
    report = Report(str(pkg.descriptor_path or (pkg.resources[0].path if pkg.resources else "")))
    report.add(pkg.findings)
    report.unreadable = pkg.unreadable
    con = con or connect()
    by_name = {r.name: r for r in pkg.resources}
    loaded: set[str] = set()
    for res in pkg.resources:
        result = load(con, res)
        report.add(result.findings)
        report.row_counts[res.name] = result.rows
        if any(f.type in ("source-error",) and f.row is None for f in result.findings) and result.rows == 0:
            continue
        if result.rows or _columns(con, res.name):
            loaded.add(res.name)
    for res in pkg.resources:
        if res.name not in loaded:
            continue
        report.add(content_findings(con, res, rules))
        report.add(cell_findings(con, res))
        report.add(key_findings(con, res, {n: by_name[n] for n in loaded}))
    for rule in rules.sql_rules_for({n: by_name[n].schema for n in loaded}, pkg.descriptor):
        if rule.resource in loaded:
            report.add(_sql_rule_findings(con, rule, by_name, loaded))
    report.findings = _drop_shadowed(report.findings)
    report.findings = enrich(con, pkg.resources, report.findings)  # keys and suggestions: the last step
    return report


def _drop_shadowed(findings: list[Finding]) -> list[Finding]:
    """A cell with a type error is null in the typed table; don't report it again as missing."""
    typed = {(f.path, f.row, f.field) for f in findings if f.type == "type-error"}
    return [f for f in findings if f.type == "type-error" or (f.path, f.row, f.field) not in typed]


def validate_path(path: Path, schema: Path | None = None, allow_remote: bool = False,
                  rules: RuleSet = NO_RULES) -> Report:  # fmt: skip
    pkg = open_target(path, schema, allow_remote)
    try:
        return validate_opened(pkg, rules=rules)
    finally:
        pkg.close()
