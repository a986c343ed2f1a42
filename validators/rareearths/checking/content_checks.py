"""Run a resource's pandera schema (constraints + row rules) on its typed DuckDB table.

The schema comes from `to_pandera`; its checks are pandera `Check`s whose functions build ibis
expressions. They are evaluated here in two steps rather than by pandera's executor, which runs
one query per check and then joins each check's output back to the table: first all checks in a
single aggregate query (one scan; clean tables stop here), then, for each check that failed, one
filtered query that returns the offending rows with their Frictionless row numbers. On 1M rows
with 1% bad rows this took content checks from 2.1 s to well under a second (bench/results).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
from pandera.api.ibis.types import IbisData
from pandera.ibis import Check, DataFrameSchema

from rareearths.checking.findings import Finding, text_of
from rareearths.checking.rules import NO_RULES, RowRule, RuleSet, rule_finding
from rareearths.checking.to_pandera import to_pandera
from rareearths.opening.package_source import Resource


@dataclass(frozen=True)
class _Condition:
    """One check of the schema as an ibis boolean: true or null where a row passes."""

    column: str | None
    check: Check | None  # None: the column's `nullable=False`
    ok: ir.BooleanValue


def _rule_check(key: str, rule: RowRule) -> Check:
    return Check(lambda d, r=rule: r.ok(d.table), name=rule.name, error=rule.why, statistics={"rule": key})


def conditions(table: ir.Table, schema: DataFrameSchema) -> list[_Condition]:
    """Every check of a pandera (ibis) schema, as expressions over `table`."""
    out = []
    for name, column in schema.columns.items():
        if not column.nullable:
            out.append(_Condition(name, None, table[name].notnull()))
        out += [_Condition(name, chk, chk._check_fn(IbisData(table, name))) for chk in column.checks]
    out += [_Condition(None, chk, chk._check_fn(IbisData(table, None))) for chk in schema.checks]
    return out


def failed(table: ir.Table, conds: list[_Condition]) -> list[_Condition]:
    """The conditions some row breaks, found in a single aggregate query."""
    if not conds:
        return []
    agg = table.aggregate([c.ok.fill_null(True).all().name(f"c{i}") for i, c in enumerate(conds)])
    row = agg.to_pyarrow().to_pylist()[0]
    return [c for i, c in enumerate(conds) if row[f"c{i}"] is False]


def content_findings(con: duckdb.DuckDBPyConnection, res: Resource, rule_set: RuleSet = NO_RULES) -> list[Finding]:
    table = ibis.duckdb.from_connection(con).table(res.name)
    # one rule name may check several fields of a table (a date and its precision, per date)
    rules = {f"{r.name}:{r.field}": r for r in rule_set.row_rules_for(res.name, set(table.columns))}
    schema = to_pandera(res.schema, res.name, [_rule_check(key, r) for key, r in rules.items()])
    fields = {f["name"]: f for f in res.schema["fields"]}
    out: list[Finding] = []
    for cond in failed(table, conditions(table, schema)):
        stats = (cond.check.statistics or {}) if cond.check is not None else {}
        rule = rules.get(stats.get("rule", ""))
        column = rule.field if rule else cond.column
        bad = table.filter(cond.ok.fill_null(True) == ibis.literal(False)).select("_row", column).order_by("_row")
        for row, value in _rows(bad):
            out.append(_finding(res, row, column, value, cond, rule, fields))
    return out


def _finding(res: Resource, row: int, column: str, value: Any, cond: _Condition, rule: RowRule | None,
             fields: dict[str, dict]) -> Finding:  # fmt: skip
    if rule is not None:
        return rule_finding(rule, res.name, res.display_path, row, value)
    if cond.check is None:
        return Finding(res.name, res.display_path, row, column, "constraint-error",
                       f"field {column!r} is required but the cell is empty")  # fmt: skip
    stats = cond.check.statistics or {}
    constraint, detail = stats.get("constraint"), stats.get("detail")
    text = text_of(value)
    return Finding(res.name, res.display_path, row, column, "constraint-error",
                   f"{text!r} does not conform to the constraint {constraint}={detail!r} of "
                   f"{fields[column].get('type')} field {column!r}", text)  # fmt: skip


def _rows(expr: ir.Table) -> list[tuple]:
    data = expr.to_pyarrow()
    cols = [data.column(i).to_pylist() for i in range(data.num_columns)]
    return list(zip(*cols, strict=True))
