"""A resource's row rules (the package's domain rules that compare fields of one row), in one query.

Rules are written against ibis's table API (`rules.RowRule`). `rule_sql` turns them into DuckDB
SQL directly; only a rule using what it does not translate is compiled by ibis (imported then, and
only then: ibis's compiler imports every SQL dialect it knows, which costs half a second). All of a
table's rules run in a single query over its typed view that returns only the rows breaking one.

A rule that reads a cell with a type error is not reported: the cell is null in the typed view,
the rule would fail only because of it, and the type error already says what is wrong.
"""

from __future__ import annotations

from typing import Any

import duckdb

from rareearths.checking.csv_loader import Loaded
from rareearths.checking.findings import Finding
from rareearths.checking.rule_sql import Unsupported, rule_sql
from rareearths.checking.rules import RowRule, rule_finding
from rareearths.checking.schema_sql import duckdb_type, ident

IBIS_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "int64",
    "DOUBLE": "float64",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMPTZ": "timestamp('UTC', 6)",
    "TIME": "time",
    "INTEGER": "int32",
}


def rules_sql(name: str, fields: list[dict[str, Any]], rules: list[RowRule]) -> str:
    """One query over the view `name`: `_row`, then for each rule its field's value and whether the
    row breaks it; only rows that break at least one."""
    columns = {f["name"] for f in fields}
    text = {f["name"] for f in fields if duckdb_type(f) == "VARCHAR"}
    try:
        tests = [rule_sql(rule.ok, columns, text) for rule in rules]
    except Unsupported:
        return _ibis_rules_sql(name, fields, rules)
    cols = ["_row"]
    for j, (rule, test) in enumerate(zip(rules, tests, strict=True)):
        cols += [f"{ident(rule.field)} AS v{j}", f"coalesce({test}, TRUE) = FALSE AS b{j}"]
    broken = " OR ".join(f"b{j}" for j in range(len(rules)))
    return f"SELECT * FROM (SELECT {', '.join(cols)} FROM {ident(name)}) WHERE {broken} ORDER BY _row"


def _ibis_rules_sql(name: str, fields: list[dict[str, Any]], rules: list[RowRule]) -> str:
    """`rules_sql` compiled by ibis, for rules `rule_sql` does not translate."""
    import ibis

    t = ibis.table({"_row": "int64", **{f["name"]: IBIS_TYPES[duckdb_type(f)] for f in fields}}, name=name)
    cols: dict[str, Any] = {"_row": t["_row"]}
    for j, rule in enumerate(rules):
        cols[f"v{j}"] = t[rule.field]
        cols[f"b{j}"] = rule.ok(t).fill_null(True) == ibis.literal(False)
    sql = ibis.to_sql(t.select(**cols), dialect="duckdb")
    broken = " OR ".join(f"b{j}" for j in range(len(rules)))
    return f"SELECT * FROM ({sql}) WHERE {broken} ORDER BY _row"


def rule_findings(con: duckdb.DuckDBPyConnection, loaded: Loaded, rules: list[RowRule]) -> list[Finding]:
    res = loaded.resource
    names = {f["name"] for f in res.schema["fields"]}
    rules = [r for r in rules if set(r.columns) <= names and r.field in names]
    if not rules or loaded.table is None or len(loaded.kept) != len(res.schema["fields"]):
        return []
    out = []
    try:
        found = con.execute(rules_sql(res.name, res.schema["fields"], rules)).fetchall()
    except duckdb.Error:  # a translation DuckDB cannot bind: let ibis compile the rules instead
        found = con.execute(_ibis_rules_sql(res.name, res.schema["fields"], rules)).fetchall()
    for row, *values in found:
        for j, rule in enumerate(rules):
            if values[2 * j + 1] and not any((row, c) in loaded.type_errors for c in rule.columns):
                out.append(rule_finding(rule, res.name, res.display_path, row, values[2 * j]))
    return out
