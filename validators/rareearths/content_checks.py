"""Run a resource's pandera schema (constraints + row rules) on its typed DuckDB table.

pandera says which checks failed; the offending rows are then located by joining each check's
boolean output back onto the table by position (DuckDB keeps scan order for a positional join),
so every finding carries the Frictionless row number.
"""

from __future__ import annotations

from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
from pandera.api.ibis.types import IbisData
from pandera.errors import SchemaErrorReason, SchemaErrors
from pandera.ibis import Check, DataFrameSchema

from rareearths.domain_rules import RowRule, row_rules_for
from rareearths.findings import Finding
from rareearths.package_source import Resource
from rareearths.to_pandera import to_pandera

OK = "__ok__"


def _rule_check(rule: RowRule) -> Check:
    return Check(lambda d, r=rule: r.ok(d.table), name=rule.name, error=rule.why, statistics={"rule": rule.name})


def _failing(table: ir.Table, output: Any, limit: int | None) -> ir.Table:
    if isinstance(output, ir.Table):
        ok_col = output.columns[-1]
        joined = table.join(output.rename({OK: ok_col}), how="positional")
    else:
        joined = table.join(output.name(OK).as_table(), how="positional")
    bad = joined.filter(joined[OK].fill_null(True) == ibis.literal(False))
    return bad.limit(limit) if limit else bad


def content_findings(con: duckdb.DuckDBPyConnection, res: Resource, limit: int | None = None) -> list[Finding]:
    backend = ibis.duckdb.from_connection(con)
    table = backend.table(res.name)
    rules = {r.name: r for r in row_rules_for(res.name, set(table.columns))}
    schema = to_pandera(res.schema, res.name, [_rule_check(r) for r in rules.values()])
    if _all_pass(table, schema):
        return []
    try:
        schema.validate(table, lazy=True)
        return []
    except SchemaErrors as exc:
        errors = exc.schema_errors
    fields = {f["name"]: f for f in res.schema["fields"]}
    out: list[Finding] = []
    for err in errors:
        column = getattr(err.schema, "name", None) if err.schema is not schema else None
        if err.reason_code == SchemaErrorReason.SERIES_CONTAINS_NULLS:
            bad = table.filter(table[column].isnull()).select("_row")
            for (row,) in _rows(bad, limit):
                out.append(Finding(res.name, res.display_path, row, column, "constraint-error",
                                   f"field {column!r} is required but the cell is empty"))  # fmt: skip
            continue
        check = err.check
        stats = getattr(check, "statistics", None) or {}
        if err.reason_code == SchemaErrorReason.WRONG_DATATYPE or check is None or err.check_output is None:
            out.append(Finding(res.name, res.display_path, None, column, "schema-error", str(err).split("\n")[0]))
            continue
        if "rule" in stats:
            rule = rules[stats["rule"]]
            bad = _failing(table, err.check_output, limit).select("_row", rule.field)
            for row, value in _rows(bad, None):
                out.append(Finding(res.name, res.display_path, row, rule.field, rule.name, rule.why,
                                   _text(value), rule.severity, rule.name))  # fmt: skip
            continue
        constraint, detail = stats.get("constraint"), stats.get("detail")
        bad = _failing(table, err.check_output, limit).select("_row", column)
        ftype = fields[column].get("type")
        for row, value in _rows(bad, None):
            out.append(Finding(res.name, res.display_path, row, column, "constraint-error",
                               f"{_text(value)!r} does not conform to the constraint {constraint}={detail!r}"
                               f" of {ftype} field {column!r}", _text(value)))  # fmt: skip
    return out


def _all_pass(table: ir.Table, schema: DataFrameSchema) -> bool:
    """Every check of the schema, evaluated in a single aggregate query.

    pandera runs one query per check (about 170 for this package, each compiled by ibis); when
    nothing fails, which is the usual case, this one query answers instead, built from the very
    same check functions. pandera runs only when something is to be located and reported.
    """
    conditions = []
    for name, column in schema.columns.items():
        if not column.nullable:
            conditions.append(table[name].notnull())
        conditions += [chk._check_fn(IbisData(table, name)) for chk in column.checks]
    conditions += [chk._check_fn(IbisData(table, None)) for chk in schema.checks]
    if not conditions:
        return True
    agg = table.aggregate([c.fill_null(True).all().name(f"c{i}") for i, c in enumerate(conditions)])
    row = agg.to_pyarrow().to_pylist()[0]
    return all(v is not False for v in row.values())


def _rows(expr: ir.Table, limit: int | None) -> list[tuple]:
    tbl = expr.limit(limit) if limit else expr
    data = tbl.to_pyarrow()
    cols = [data.column(i).to_pylist() for i in range(data.num_columns)]
    return list(zip(*cols, strict=True))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
