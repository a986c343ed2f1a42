"""Table Schema -> pandera (ibis backend) schema, as PUDL derives `to_pandera()` from its metadata.

Value constraints become column checks, and a package's row rules whole-table checks running the
rules' own `ok` test, so a pandera user checks a table as the validator does (the validator runs
the same tests as SQL, in its one scan, for speed: `rule_sql`). Uniqueness and keys are set-wise
and run as SQL (`key_checks`). Each Check carries `statistics` naming its constraint or rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir
from pandera.api.ibis.types import IbisData
from pandera.ibis import Check, Column, DataFrameSchema

from rareearths.opening.descriptor import categories

if TYPE_CHECKING:
    from rareearths.checking.rules import RowRule

IBIS_TYPES = {
    "string": "string",
    "integer": "int64",
    "number": "float64",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp('UTC', 6)",
    "time": "time",
    "year": "int32",
}


def _bound(field: dict[str, Any], value: Any) -> Any:
    """Constraint bounds are written in the field's own type; dates arrive as ISO strings."""
    if field.get("type") == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if field.get("type") == "datetime" and isinstance(value, str):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _check(fn: Any, constraint: str, detail: Any, name: str) -> Check:
    return Check(fn, name=name, error=f"{constraint}={detail!r}", statistics={"constraint": constraint,
                                                                              "detail": detail})  # fmt: skip


def _column_fn(expr: Any) -> Any:
    def fn(data: IbisData) -> ir.BooleanColumn:
        return expr(data.table[data.key])

    return fn


def field_checks(field: dict[str, Any]) -> list[Check]:
    """The checks for one field's constraints (`required` is the Column's `nullable`)."""
    cons = field.get("constraints", {})
    ftype = field.get("type", "any")
    checks: list[Check] = []
    enum = cons.get("enum")
    if enum is not None:
        vals = [_bound(field, v) for v in enum]
        checks.append(_check(_column_fn(lambda c, v=vals: c.isin(v)), "enum", enum, "enum"))
    cats = categories(field)
    if cats is not None:
        checks.append(_check(_column_fn(lambda c, v=cats: c.isin(v)), "categories", cats, "categories"))
    comparable = ftype in ("integer", "number", "date", "datetime", "time", "year")
    for key, op in (("minimum", "__ge__"), ("maximum", "__le__"), ("exclusiveMinimum", "__gt__"),
                    ("exclusiveMaximum", "__lt__")):  # fmt: skip
        if key in cons and comparable:
            bound = _bound(field, cons[key])
            checks.append(_check(_column_fn(lambda c, b=bound, o=op: getattr(c, o)(b)), key, cons[key], key))
    if "pattern" in cons and ftype in ("string", "any"):
        rx = f"^(?:{cons['pattern']})$"
        checks.append(_check(_column_fn(lambda c, r=rx: c.re_search(r)), "pattern", cons["pattern"], "pattern"))
    if ftype in ("string", "any"):
        if "minLength" in cons:
            n = cons["minLength"]
            checks.append(_check(_column_fn(lambda c, n=n: c.length() >= n), "minLength", n, "minLength"))
        if "maxLength" in cons:
            n = cons["maxLength"]
            checks.append(_check(_column_fn(lambda c, n=n: c.length() <= n), "maxLength", n, "maxLength"))
    return checks


def rule_checks(rules: Iterable[RowRule]) -> list[Check]:
    """Row rules as pandera checks on the whole table: a row fails where the rule's test is false
    (null passes, as in the validator)."""
    return [Check(lambda data, r=r: r.ok(data.table).fill_null(True), name=r.name, error=r.why,
                  statistics={"rule": r.name, "field": r.field}) for r in rules]  # fmt: skip


def to_pandera(schema: dict[str, Any], name: str, row_checks: list[Check] | None = None,
               row_column: bool = True) -> DataFrameSchema:  # fmt: skip
    """A pandera schema for the typed DuckDB table of one resource: the validator's (with its `_row`
    column) or, without `row_column`, the built database's."""
    pk = set(schema.get("primaryKey", []))
    columns: dict[str, Column] = {"_row": Column(ibis.dtype("int64"), nullable=False)} if row_column else {}
    for f in schema["fields"]:
        required = bool(f.get("constraints", {}).get("required")) or f["name"] in pk
        dtype = IBIS_TYPES.get(f.get("type", "any"))
        columns[f["name"]] = Column(ibis.dtype(dtype) if dtype else None, checks=field_checks(f),
                                    nullable=not required)  # fmt: skip
    return DataFrameSchema(columns, checks=row_checks or [], name=name, strict=False)
