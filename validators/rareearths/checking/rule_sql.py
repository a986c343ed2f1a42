"""Row rules (written against ibis's table API) -> DuckDB SQL, without importing ibis's compilers.

A row rule is a function of a table (`lambda t: t.value_low <= t.value_high`). Called with a
`SqlTable` instead of an ibis table, it builds the SQL text directly: columns, literals,
comparisons, `&`, `|`, `~`, arithmetic, and the few methods rules use (`isnull`, `notnull`,
`fill_null`, `coalesce`, `isin`, `abs`, `re_search`). ibis's own compiler imports every SQL dialect
it knows (half a second); this takes microseconds. A rule that uses anything else raises
`Unsupported`, and the caller compiles that rule with ibis instead. Semantics follow ibis's:
comparisons with null are null, `/` is true division, `isin` of an empty list is false.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rareearths.checking.schema_sql import ident, lit


class Unsupported(Exception):
    """The rule uses something this translator does not know; compile it with ibis."""


def _sql(value: Any) -> str:
    if isinstance(value, SqlExpr):
        return value.text
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float | str):
        return lit(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMPTZ {lit(value.isoformat())}"
    if isinstance(value, dt.date):
        return f"DATE {lit(value.isoformat())}"
    raise Unsupported(f"literal {value!r}")


class SqlExpr:
    """A SQL expression that combines like an ibis value expression."""

    __hash__ = None  # type: ignore[assignment]  # == builds SQL, so instances are not hashable

    def __init__(self, text: str) -> None:
        self.text = text

    def _op(self, op: str, other: Any, flip: bool = False) -> SqlExpr:
        a, b = (_sql(other), self.text) if flip else (self.text, _sql(other))
        return SqlExpr(f"({a} {op} {b})")

    def __eq__(self, other: Any) -> SqlExpr:  # type: ignore[override]
        return self._op("=", other)

    def __ne__(self, other: Any) -> SqlExpr:  # type: ignore[override]
        return self._op("<>", other)

    def __lt__(self, other: Any) -> SqlExpr:
        return self._op("<", other)

    def __le__(self, other: Any) -> SqlExpr:
        return self._op("<=", other)

    def __gt__(self, other: Any) -> SqlExpr:
        return self._op(">", other)

    def __ge__(self, other: Any) -> SqlExpr:
        return self._op(">=", other)

    def __and__(self, other: Any) -> SqlExpr:
        return self._op("AND", other)

    def __rand__(self, other: Any) -> SqlExpr:
        return self._op("AND", other, flip=True)

    def __or__(self, other: Any) -> SqlExpr:
        return self._op("OR", other)

    def __ror__(self, other: Any) -> SqlExpr:
        return self._op("OR", other, flip=True)

    def __invert__(self) -> SqlExpr:
        return SqlExpr(f"(NOT {self.text})")

    def __add__(self, other: Any) -> SqlExpr:
        return self._op("+", other)

    def __radd__(self, other: Any) -> SqlExpr:
        return self._op("+", other, flip=True)

    def __sub__(self, other: Any) -> SqlExpr:
        return self._op("-", other)

    def __rsub__(self, other: Any) -> SqlExpr:
        return self._op("-", other, flip=True)

    def __mul__(self, other: Any) -> SqlExpr:
        return self._op("*", other)

    def __rmul__(self, other: Any) -> SqlExpr:
        return self._op("*", other, flip=True)

    def __truediv__(self, other: Any) -> SqlExpr:
        return SqlExpr(f"(CAST({self.text} AS DOUBLE) / {_sql(other)})")

    def __neg__(self) -> SqlExpr:
        return SqlExpr(f"(- {self.text})")

    def __bool__(self) -> bool:
        raise Unsupported("a rule cannot branch on a column's value in Python")

    def isnull(self) -> SqlExpr:
        return SqlExpr(f"({self.text} IS NULL)")

    def notnull(self) -> SqlExpr:
        return SqlExpr(f"({self.text} IS NOT NULL)")

    def fill_null(self, value: Any) -> SqlExpr:
        return SqlExpr(f"coalesce({self.text}, {_sql(value)})")

    fillna = fill_null

    def coalesce(self, *others: Any) -> SqlExpr:
        return SqlExpr(f"coalesce({', '.join([self.text, *(_sql(o) for o in others)])})")

    def isin(self, values: Any) -> SqlExpr:
        values = list(values)
        if not values:
            return SqlExpr("FALSE")
        return SqlExpr(f"({self.text} IN ({', '.join(_sql(v) for v in values)}))")

    def notin(self, values: Any) -> SqlExpr:
        return ~self.isin(values)

    def abs(self) -> SqlExpr:
        return SqlExpr(f"abs({self.text})")

    def re_search(self, pattern: str) -> SqlExpr:
        return SqlExpr(f"regexp_matches({self.text}, {lit(pattern)})")

    def __getattr__(self, name: str) -> Any:
        raise Unsupported(f"method {name!r}")


class SqlTable:
    """What a rule receives instead of an ibis table: its columns are SQL expressions."""

    def __init__(self, columns: set[str]) -> None:
        self._columns = columns

    def __getattr__(self, name: str) -> SqlExpr:
        if name.startswith("__") or name not in self._columns:
            raise Unsupported(f"column or table method {name!r}")
        return SqlExpr(ident(name))

    def __getitem__(self, name: str) -> SqlExpr:
        return self.__getattr__(name)


def rule_sql(ok: Any, columns: set[str]) -> str:
    """The SQL of `ok(table)`, a row rule's test; raises `Unsupported` for what is not translated."""
    result = ok(SqlTable(columns))
    if not isinstance(result, SqlExpr):
        raise Unsupported("the rule does not return a column expression")
    return result.text
