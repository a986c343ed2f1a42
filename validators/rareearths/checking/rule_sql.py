"""Row rules (written against ibis's table API) -> DuckDB SQL, without importing ibis's compilers.

A row rule is a function of a table (`lambda t: t.value_low <= t.value_high`). Called with a
`SqlTable` instead of an ibis table, it builds the SQL text directly: columns, literals,
comparisons, `&`, `|`, `~`, arithmetic (`+` joins strings, as in ibis), and the methods rules use
(`isnull`, `notnull`, `fill_null`, `coalesce`, `isin`, `abs`, `re_search`, `substr`, `cast`,
`year`, `month`, `day`...). ibis's own compiler imports every SQL dialect
it knows (half a second); this takes microseconds. A rule that uses anything else raises
`Unsupported`, and the caller compiles that rule with ibis instead. Semantics follow ibis's:
comparisons with null are null, `/` is true division, `isin` of an empty list is false.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rareearths.checking.schema_sql import ident, lit

CASTS = {
    "int8": "TINYINT", "int16": "SMALLINT", "int32": "INTEGER", "int64": "BIGINT", "float32": "FLOAT",
    "float64": "DOUBLE", "string": "VARCHAR", "boolean": "BOOLEAN", "date": "DATE",
}  # fmt: skip


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


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, SqlExpr) and value.text_typed)


class SqlExpr:
    """A SQL expression that combines like an ibis value expression. `text_typed`: it is a string
    (so that `+` joins, as ibis's does)."""

    __hash__ = None  # type: ignore[assignment]  # == builds SQL, so instances are not hashable

    def __init__(self, text: str, text_typed: bool = False) -> None:
        self.text = text
        self.text_typed = text_typed

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
        if self.text_typed or _is_text(other):
            return SqlExpr(self._op("||", other).text, text_typed=True)
        return self._op("+", other)

    def __radd__(self, other: Any) -> SqlExpr:
        if self.text_typed or _is_text(other):
            return SqlExpr(self._op("||", other, flip=True).text, text_typed=True)
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
        return SqlExpr(f"coalesce({self.text}, {_sql(value)})", self.text_typed or _is_text(value))

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

    def substr(self, start: int, length: int | None = None) -> SqlExpr:
        """ibis counts from 0, SQL from 1."""
        if not isinstance(start, int) or not (length is None or isinstance(length, int)):
            raise Unsupported("substr with column arguments")
        rest = "" if length is None else f", {length}"
        return SqlExpr(f"substr({self.text}, {start + 1}{rest})", text_typed=True)

    def cast(self, to: str) -> SqlExpr:
        if not isinstance(to, str) or to not in CASTS:
            raise Unsupported(f"cast to {to!r}")
        return SqlExpr(f"CAST({self.text} AS {CASTS[to]})", text_typed=to == "string")

    def year(self) -> SqlExpr:
        return SqlExpr(f"year({self.text})")

    def month(self) -> SqlExpr:
        return SqlExpr(f"month({self.text})")

    def day(self) -> SqlExpr:
        return SqlExpr(f"day({self.text})")

    def length(self) -> SqlExpr:
        return SqlExpr(f"length({self.text})")

    def lower(self) -> SqlExpr:
        return SqlExpr(f"lower({self.text})", text_typed=True)

    def upper(self) -> SqlExpr:
        return SqlExpr(f"upper({self.text})", text_typed=True)

    def __getattr__(self, name: str) -> Any:
        raise Unsupported(f"method {name!r}")


class SqlTable:
    """What a rule receives instead of an ibis table: its columns are SQL expressions. `columns`
    names them; `text` says which are strings."""

    def __init__(self, columns: set[str], text: set[str] | None = None) -> None:
        self._columns = columns
        self._text = text or set()

    def __getattr__(self, name: str) -> SqlExpr:
        if name.startswith("__") or name not in self._columns:
            raise Unsupported(f"column or table method {name!r}")
        return SqlExpr(ident(name), name in self._text)

    def __getitem__(self, name: str) -> SqlExpr:
        return self.__getattr__(name)


def rule_sql(ok: Any, columns: set[str], text: set[str] | None = None) -> str:
    """The SQL of `ok(table)`, a row rule's test; raises `Unsupported` for what is not translated.
    `text` names the string columns."""
    result = ok(SqlTable(columns, text))
    if not isinstance(result, SqlExpr):
        raise Unsupported("the rule does not return a column expression")
    return result.text
