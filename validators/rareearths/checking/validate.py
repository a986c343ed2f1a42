"""Validation, end to end: descriptor, structure and types, constraints and rules, keys.

Each resource is read once (`csv_loader`): one scan checks every row, keeping only the typed
columns later checks need, so a large clean file is never held in memory; keys, foreign keys and
rules are then checked on those tables. Findings are collected from every stage and returned
together, sorted by file and row.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import duckdb

from rareearths.checking.cell_checks import case_collisions
from rareearths.checking.content_checks import rule_findings
from rareearths.checking.csv_loader import SCHEMA, Loaded, load
from rareearths.checking.enrich import enrich
from rareearths.checking.findings import Finding, Report
from rareearths.checking.integrity import integrity_findings
from rareearths.checking.key_checks import key_findings
from rareearths.checking.profile import stage
from rareearths.checking.rules import NO_RULES, RuleSet, SqlRule, rule_finding
from rareearths.opening.package_source import OpenedPackage, Resource, open_target

_SPILL_DIRS: set[Path] = set()
MEMORY_LIMIT = os.environ.get("RAREEARTHS_MEMORY_LIMIT", "1400MB")
KEEP_ALL_BYTES = int(os.environ.get("RAREEARTHS_KEEP_ALL_BYTES", 32 << 20))  # smaller files keep every column


def session(con: duckdb.DuckDBPyConnection) -> None:
    """Settings every connection and cursor validating data needs. DuckDB's common-subexpression
    pass is quadratic in the number of expressions (minutes for 9,000 columns) and finds nothing in
    the loader's queries, whose layers compute each value once. Its IN-clause pass turns a list of
    five values or more into a join with a table of the values, and a join lets a parallel scan
    write rows out of the file's order (which row numbers are): the loader compares short lists
    value by value and matches long ones with one regular expression instead (`constraint_sql`)."""
    con.execute("SET TimeZone = 'UTC'; SET enable_progress_bar = false; "
                "SET disabled_optimizers = 'common_subexpressions,in_clause'")  # fmt: skip


def connect(database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that spills to a temporary folder rather than grow past the limit."""
    con = duckdb.connect(database)
    session(con)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    spill = Path(tempfile.gettempdir()) / f"rareearths-duckdb-{os.getpid()}"
    con.execute(f"SET temp_directory = '{spill}'")
    if spill not in _SPILL_DIRS:  # DuckDB leaves the folder behind; remove it when we exit
        _SPILL_DIRS.add(spill)
        atexit.register(shutil.rmtree, spill, ignore_errors=True)
    return con


def _columns(loaded: Loaded) -> set[str]:
    """The columns of a loaded resource's view (known without asking the catalog)."""
    fields = loaded.resource.schema["fields"]
    return {"_row", *(fields[i]["name"] for i in loaded.kept)}


def _sql_rule_findings(con: duckdb.DuckDBPyConnection, rule: SqlRule, by_name: dict[str, Resource],
                       loaded: dict[str, Loaded]) -> list[Finding]:  # fmt: skip
    for table, cols in rule.needs.items():
        if table not in loaded or not set(cols) <= _columns(loaded[table]):
            return []
    res = by_name[rule.resource]
    return [rule_finding(rule, res.name, res.display_path, r[0], r[1], r[2] if len(r) > 2 else "")
            for r in con.execute(rule.sql).fetchall()]  # fmt: skip


def load_waves(resources: list[Resource]) -> list[list[Resource]]:
    """Resources in waves: each after the ones its foreign keys point at, so that those keys are
    checked during its scan; the resources of one wave do not depend on each other. A cycle is
    broken in the declared order (its keys are then checked after loading)."""
    waves: list[list[Resource]] = []
    done: set[str] = set()
    pending = list(resources)
    names = {r.name for r in resources}
    while pending:
        ready = [r for r in pending if all(fk["reference"]["resource"] in done | {r.name}
                                           or fk["reference"]["resource"] not in names
                                           for fk in r.schema["foreignKeys"])]  # fmt: skip
        wave = ready or pending[:1]
        waves.append(wave)
        done |= {r.name for r in wave}
        pending = [r for r in pending if r not in wave]
    return waves


def load_order(resources: list[Resource]) -> list[Resource]:
    """`load_waves`, one after the other."""
    return [r for wave in load_waves(resources) for r in wave]


def needed_fields(res: Resource, resources: list[Resource], loaded: dict[str, Loaded]) -> set[str]:
    """The fields whose typed values must be kept after the scan: keys, fields other resources'
    foreign keys point at, and the fields of foreign keys (checked after loading)."""
    s = res.schema
    keep = set(s["primaryKey"]) | {c for k in s["uniqueKeys"] for c in k}
    keep |= {f["name"] for f in s["fields"] if (f.get("constraints") or {}).get("unique")}
    for other in resources:
        for fk in other.schema["foreignKeys"]:
            if fk["reference"]["resource"] == res.name:
                keep |= set(fk["reference"]["fields"])
    for fk in s["foreignKeys"]:
        keep |= set(fk["fields"])
    return keep


SMALL_FILE = 4 << 20  # files DuckDB reads with one thread, whose time goes to planning the scan


Loader = Callable[[Resource, duckdb.DuckDBPyConnection], Loaded]


def _load_wave(con: duckdb.DuckDBPyConnection, wave: list[Resource], load_one: Loader) -> list[tuple[Resource, Loaded]]:
    """Load the resources of one wave (which do not depend on each other). Small files two at a time,
    each thread on a cursor of its own: DuckDB plans a query without holding the interpreter lock,
    and planning is most of a small file's scan (the shipped package: 0.35 s to 0.17 s). Large files
    one after the other, each scanned on every core."""
    small = [r for r in wave if r.size() < SMALL_FILE]
    if len(small) < 2:
        return [(res, load_one(res, con)) for res in wave]
    local = threading.local()

    def run(res: Resource) -> Loaded:
        if not hasattr(local, "cursor"):
            local.cursor = con.cursor()
            session(local.cursor)
        return load_one(res, local.cursor)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="rareearths-load") as loaders:
        out = list(zip(small, loaders.map(run, small), strict=True))
    return out + [(res, load_one(res, con)) for res in wave if res not in small]


def _keys(cursor: duckdb.DuckDBPyConnection, resources: list[Resource], loaded: dict[str, Loaded]) -> list[Finding]:
    """Every loaded resource's key findings."""
    found: list[Finding] = []
    with stage("keys"):
        for res in resources:
            if res.name in loaded:
                found += key_findings(cursor, loaded[res.name], loaded)
    return found


def _enrich_keys(cursor: duckdb.DuckDBPyConnection, resources: list[Resource],
                 found: list[Future[list[Finding]]]) -> list[Finding]:  # fmt: skip
    """The key findings, enriched in one go. Run on the keys' own worker after every job in `found`
    (which have finished), and after the rows are read: some keys were found before, when the
    resource's view, which enrichment reads, did not exist yet."""
    with stage("enrich keys"):
        return enrich(cursor, resources, [f for done in found for f in done.result()])


def validate_opened(pkg: OpenedPackage, con: duckdb.DuckDBPyConnection | None = None,
                    rules: RuleSet = NO_RULES, keep_all: bool = False) -> Report:  # fmt: skip
    """Every finding about `pkg`: its Table Schemas, then `rules` (the package's own domain rules).

    `keep_all` keeps every typed column of every resource (for `build`); otherwise large
    resources keep only what their key checks need."""
    report = Report(str(pkg.descriptor_path or (pkg.resources[0].path if pkg.resources else "")))
    report.add(pkg.findings)
    report.unreadable = pkg.unreadable
    con = con or connect()
    by_name = {r.name: r for r in pkg.resources}
    sql_rules = rules.sql_rules_for({r.name: r.schema for r in pkg.resources}, pkg.descriptor)
    wanted = {t for rule in sql_rules for t in rule.needs} | {r.resource for r in rules.row}
    # The keys are set-wise SQL, run with the interpreter lock let go: on a cursor of their own, in
    # a thread, while this one reads the rows and checks the rules and makes the other findings
    # something to act on. A resource's keys start as soon as its table is written, before its
    # failing rows are read (`load`'s `keys_from`, where that cannot change them). Their findings
    # get their own enrichment there, which is the same as one over every finding: what enrich adds
    # depends on each finding alone, but for the advice on a field's distinct bad values, and no
    # type of finding comes from both sides (key checks make primary-key, unique-error and
    # foreign-key findings; the scan's primary-key findings get no advice). The pools, left first,
    # wait for their threads before the cursor closes.
    with (
        closing(con.cursor()) as cursor,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="rareearths-keys") as keys,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        session(cursor)
        integrity: Future[list[Finding]] = pool.submit(integrity_findings, pkg.resources)
        loaded: dict[str, Loaded] = {}
        early: dict[str, Future[list[Finding]]] = {}

        def keys_from(table: Loaded) -> None:
            res = table.resource
            targets = {fk["reference"]["resource"] for fk in res.schema["foreignKeys"]} - {res.name}
            if targets <= loaded.keys():  # (else a cycle of foreign keys: wait for every table)
                early[res.name] = keys.submit(_keys, cursor, [res], {**loaded, res.name: table})

        def load_one(res: Resource, cursor: duckdb.DuckDBPyConnection) -> Loaded:
            keep_everything = keep_all or res.name in wanted or res.size() < KEEP_ALL_BYTES
            keep = None if keep_everything else needed_fields(res, pkg.resources, loaded)
            return load(cursor, res, keep, keys_from=keys_from)

        con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")  # once: two cursors creating it would conflict
        for wave in load_waves([r for r in pkg.resources if r.tabular]):
            for res, result in _load_wave(con, wave, load_one):
                report.add(result.findings)
                report.row_counts[res.name] = result.rows
                if result.table is not None:
                    loaded[res.name] = result
        with stage("integrity"):
            report.add(integrity.result())
        rest = [r for r in pkg.resources if r.name not in early]
        found = [*early.values(), keys.submit(_keys, cursor, rest, loaded)]
        keyed = keys.submit(_enrich_keys, cursor, pkg.resources, found)  # (one worker: after all of them)
        for res in pkg.resources:
            if res.name not in loaded:
                continue
            result = loaded[res.name]
            names = {f["name"] for f in res.schema["fields"]}
            with stage("row rules"):
                report.add(rule_findings(con, result, rules.row_rules_for(res.name, names)))
            with stage("case collisions"):
                report.add(case_collisions(con, result))
        with stage("sql rules"):
            for rule in sql_rules:
                if rule.resource in loaded:
                    report.add(_sql_rule_findings(con, rule, by_name, loaded))
        with stage("profile"):
            report.add(pkg.profile_findings())
        with stage("enrich"):
            report.findings = enrich(con, pkg.resources, report.findings)  # keys and suggestions: the last step
        with stage("keys, waited for"):
            report.add(keyed.result())
    return report


def validate_path(path: Path, schema: Path | None = None, allow_remote: bool = False,
                  rules: RuleSet = NO_RULES) -> Report:  # fmt: skip
    with stage("open"):
        pkg = open_target(path, schema, allow_remote)
    try:
        return validate_opened(pkg, rules=rules)
    finally:
        pkg.close()
