"""Table Schema types -> DuckDB: column types, and the SQL that reads a text cell as its typed value.

Pure functions. DuckDB's casts are lenient (TRY_CAST reads '1.5' as the integer 2, '1e5' and
'0x10' as integers, ' 021-01-01' as a date), so each type pairs a cheap cast with a cheap
strictness test, and regular expressions run only where no cheaper test exists or only on the
rare cells the cheap test leaves undecided (inside a CASE, which DuckDB evaluates lazily):

- integer: the cast printed back equals the text (`'7' -> 7 -> '7'`); only other spellings
  (`+7`, `007`, digits beyond 64 bits) go on to the regular expression;
- date: the same round trip (ISO dates print as they are written);
- number: the cast, then no blank at either end and no `_` (which DuckDB skips), and only
  `NaN`, `INF`, `-INF` among the non-finite values;
- datetime and time: the cast, then at the usual lengths (`...:ssZ`, `...:ss`) one GLOB: the
  separators at their places and a digit where DuckDB's cast also takes a blank, a sign or a
  dot; other lengths (fractions, offsets) are matched by a pattern. A datetime column whose typed
  value the scan does not need is tested by one strict strptime instead of the cast and the GLOB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMPTZ",
    "time": "TIME",
    "year": "INTEGER",
}
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
STRING_FORMATS = {
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uri": r"[A-Za-z][A-Za-z0-9+.-]*:\S+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "binary": r"[A-Za-z0-9+/]*={0,2}",
}
INTEGER_RE = r"[+-]?[0-9]+"
NUMBER_RE = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|INF|-INF"
DURATION_RE = r"P(([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?)"
YEARMONTH_RE = r"[0-9]{4}-(0[1-9]|1[0-2])"
# What frictionless's isoparse accepts after the seconds (DuckDB's cast also takes '.Z' and '+01:00:00').
ISO_TIME_RE = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?"
ISO_DATETIME_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T" + ISO_TIME_RE
# What `format: any` accepts beyond ISO dates: the spellings dateutil (and so frictionless) reads most often.
ANY_DATE_FORMATS = [
    "%Y-%m-%d", "%Y-%m", "%Y", "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%d.%m.%Y",
    "%b %d %Y", "%b %d, %Y", "%B %d %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%a, %d %b %Y %H:%M:%S %z",
]  # fmt: skip


def ident(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: Any) -> str:
    """A SQL literal for a str, number or bool."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def duckdb_type(field: dict[str, Any]) -> str:
    return DUCKDB_TYPES.get(field.get("type", "any"), "VARCHAR")


def type_label(field: dict[str, Any]) -> str:
    fmt = field.get("format")
    return f"{field.get('type', 'any')}" + (f" ({fmt})" if fmt and fmt != "default" else "")


@dataclass(frozen=True)
class TypedCell:
    """How to read one cell: `lenient` casts the text; `valid` tests the text (and `u`, the lenient value).

    Both are SQL with `{c}` standing for the text and `{u}` for the lenient value. `valid` is None
    when the lenient cast alone decides (the value is valid where it is not null). `typed` turns
    `{u}` into the column's value; it is `{u}` unless the column's type differs from the cast's.
    `quick`, when given, replaces both the test that `{u}` is not null and `valid` in the scan's
    first test of every cell: as cheap as found, false or null where `{u}` is null, and failing
    some valid cells perhaps (the full tests then decide) but never passing an invalid one.
    """

    lenient: str
    valid: str | None = None
    typed: str = "{u}"
    quick: str | None = None
    # `quick` written with `{c}` alone, for a column whose typed value the scan needs for nothing
    # (not kept, no constraint): the lenient cast is then not made for the rows it passes.
    quick_alone: str | None = None

    def is_trivial(self) -> bool:
        """True for a text column that every cell conforms to."""
        return self.lenient == "{c}" and self.valid is None


def _full(pattern: str) -> str:
    return f"regexp_full_match({{c}}, {lit(pattern)})"


def _bare(text: str) -> str:
    """True where a finite number's text has nothing DuckDB's cast skips: blanks around it (all at or
    below ' ', so each end is one comparison: the last character is the first of the reversed text)
    or `_` between digits. Three cheap calls, where a regular expression or a test per blank
    character costs several times as much (bench: 0.1 s against 0.6 s per column of 10M cells)."""
    return f"({text} >= '!' AND reverse({text}) >= '!' AND NOT contains({text}, '_'))"


def _numeric_text(field: dict[str, Any]) -> str:
    """The cell's text with group characters, a decimal comma or (with bareNumber false) the
    leading and trailing non-numeric characters (currency signs, percent) removed."""
    text = "{c}"
    if field.get("bareNumber") is False:
        text = f"regexp_replace({text}, '^[^0-9+.-]+|[^0-9.]+$', '', 'g')"
    if field.get("groupChar"):
        text = f"replace({text}, {lit(field['groupChar'])}, '')"
    if field.get("type") == "number" and field.get("decimalChar", ".") != ".":
        text = f"replace(replace({text}, '.', '\x01'), {lit(field['decimalChar'])}, '.')"
    return text


def strptime_regex(fmt: str) -> str | None:
    """The regular expression Python's strptime matches for `fmt` (as frictionless parses), or None.

    DuckDB's strptime reads `%Y` from one to four digits; Python's (and so frictionless) only
    from exactly four. Checking the text against Python's own pattern keeps them in agreement.
    """
    import _strptime

    try:
        pattern = _strptime._TimeRE_cache.pattern(fmt)  # type: ignore[attr-defined]
    except (KeyError, ValueError, re.error):
        return None
    return pattern


def cell_reader(field: dict[str, Any]) -> TypedCell:
    """How a cell of `field` is read and checked; see `TypedCell`."""
    ftype = field.get("type", "any")
    fmt = field.get("format") or "default"
    if ftype == "string":
        pattern = STRING_FORMATS.get(fmt)
        return TypedCell("{c}", _full(pattern)) if pattern else TypedCell("{c}")
    if ftype == "integer":
        text = _numeric_text(field)
        # the round trip alone fails '+7' and '007', which the pattern then accepts
        return TypedCell(f"TRY_CAST({text} AS BIGINT)",
                         f"CASE WHEN CAST({{u}} AS VARCHAR) = {text} THEN TRUE "
                         f"ELSE regexp_full_match({text}, {lit(INTEGER_RE)}) END",
                         quick=f"CAST({{u}} AS VARCHAR) = {text}")  # fmt: skip
    if ftype == "number":
        text = _numeric_text(field)
        return TypedCell(f"TRY_CAST({text} AS DOUBLE)",
                         f"CASE WHEN isfinite({{u}}) THEN {_bare(text)} "
                         f"ELSE {text} IN ('NaN', 'INF', '-INF') END",
                         quick=f"isfinite({{u}}) AND {_bare(text)}")  # fmt: skip
    if ftype == "boolean":
        trues = ", ".join(lit(str(v)) for v in field.get("trueValues", DEFAULT_TRUE))
        falses = ", ".join(lit(str(v)) for v in field.get("falseValues", DEFAULT_FALSE))
        return TypedCell(f"{{c}} IN ({trues})", f"({{c}} IN ({trues}) OR {{c}} IN ({falses}))",
                         quick=f"{{c}} IN ({', '.join(v for v in (trues, falses) if v) or 'NULL'})")  # fmt: skip
    if ftype == "date":
        if fmt == "default":
            round_trip = "CAST({u} AS VARCHAR) = {c}"  # ISO dates print as they are written
            return TypedCell("TRY_CAST({c} AS DATE)", round_trip, quick=round_trip)
        if fmt == "any":
            formats = "[" + ", ".join(lit(f) for f in ANY_DATE_FORMATS) + "]"
            return TypedCell(f"coalesce(TRY_CAST({{c}} AS DATE), CAST(TRY_STRPTIME({{c}}, {formats}) AS DATE))")
        return _strptime_cell(fmt, "DATE")
    if ftype == "datetime":
        if fmt == "default":  # (a year below 0001 or with a sign: DuckDB reads it as BC)
            valid = f"{{c}} >= '0001' AND {_iso_clock('????-??-??T', ISO_DATETIME_RE)}"
            # strptime reads a four-digit year at most and no blank inside: at 20 characters ending
            # in 'Z', every field has its two digits (a cell it fails goes on to the full test)
            alone = (f"CASE WHEN strlen({{c}}) = 20 AND ends_with({{c}}, 'Z') THEN {{c}} >= '0001' AND "
                     f"try_strptime({{c}}, '%Y-%m-%dT%H:%M:%SZ') IS NOT NULL "
                     f"ELSE TRY_CAST({{c}} AS TIMESTAMPTZ) IS NOT NULL AND {valid} END")  # fmt: skip
            return TypedCell("TRY_CAST({c} AS TIMESTAMPTZ)", valid, quick_alone=alone)
        if fmt == "any":
            return TypedCell("TRY_CAST({c} AS TIMESTAMPTZ)")
        return _strptime_cell(fmt, "TIMESTAMPTZ")
    if ftype == "time":
        if fmt == "default":
            return TypedCell("TRY_CAST({c} AS TIME)", _iso_clock("", ISO_TIME_RE))
        if fmt == "any":
            return TypedCell("TRY_CAST({c} AS TIME)")
        return _strptime_cell(fmt, "TIME")
    if ftype == "year":
        return TypedCell("TRY_CAST({c} AS INTEGER)", _full("[0-9]{4}"))
    if ftype == "yearmonth":
        return TypedCell("{c}", _full(YEARMONTH_RE))
    if ftype == "duration":
        return TypedCell("{c}", f"{{c}} <> 'P' AND NOT ends_with({{c}}, 'T') AND {_full(DURATION_RE)}")
    if ftype in ("object", "geojson"):  # (DuckDB's json functions raise on invalid JSON: test it first)
        return TypedCell("{c}", "CASE WHEN json_valid({c}) THEN json_type({c}) = 'OBJECT' ELSE FALSE END")
    if ftype == "array":
        return TypedCell("{c}", "CASE WHEN json_valid({c}) THEN json_type({c}) = 'ARRAY' ELSE FALSE END")
    if ftype == "geopoint":
        return TypedCell("{c}", _geopoint_valid(fmt))
    return TypedCell("{c}")  # any, list: text is kept as it is


def _iso_clock(date: str, pattern: str) -> str:
    """True where a cell DuckDB has read as a time (`date` '') or datetime (`date` a GLOB of its
    date part) is written as Table Schema's default format has it (frictionless: dateutil's
    isoparse). DuckDB's cast also reads a blank before the hour or after one-digit seconds, a dot
    or 'Z' after them (`...:1.Z`), a one-digit field and an offset with seconds.

    At the two usual lengths, `hh:mm:ssZ` and `hh:mm:ss` at the end, one GLOB tests the separators
    at their places and a digit at the two places where the cast takes something else; a cell of
    any other length (a fraction, an offset) is matched by `pattern`, which costs five times as
    much: the CASE keeps it to those cells."""
    clock = f"{date}[0-9]?:??:?[0-9]"
    n = len(date.replace("[0-9]", "?")) + 8
    return (f"CASE WHEN strlen({{c}}) = {n + 1} THEN {{c}} GLOB '{clock}Z' "
            f"WHEN strlen({{c}}) = {n} THEN {{c}} GLOB '{clock}' "
            f"ELSE regexp_full_match({{c}}, {lit(pattern)}) END")  # fmt: skip


def _strptime_cell(fmt: str, sql_type: str) -> TypedCell:
    """A date, datetime or time in a strptime `format`: DuckDB parses, Python's pattern decides."""
    pattern = strptime_regex(fmt)
    lenient = f"TRY_CAST(TRY_STRPTIME({{c}}, {lit(fmt)}) AS {sql_type})"
    if sql_type == "TIME":
        lenient = f"CAST(TRY_STRPTIME('1900-01-01 ' || {{c}}, {lit('%Y-%m-%d ' + fmt)}) AS TIME)"
    return TypedCell(lenient, f"regexp_full_match({{c}}, {lit(pattern)})" if pattern else None)


def _geopoint_valid(fmt: str) -> str:
    """'lon, lat' (default), '[lon, lat]' (array) or '{"lon": .., "lat": ..}' (object), in range."""
    if fmt == "array":
        lon, lat = "TRY_CAST(json_extract({c}, '$[0]') AS DOUBLE)", "TRY_CAST(json_extract({c}, '$[1]') AS DOUBLE)"
        shape = "CASE WHEN json_valid({c}) THEN json_type({c}) = 'ARRAY' AND json_array_length({c}) = 2 END"
    elif fmt == "object":
        lon, lat = "TRY_CAST(json_extract({c}, '$.lon') AS DOUBLE)", "TRY_CAST(json_extract({c}, '$.lat') AS DOUBLE)"
        shape = "CASE WHEN json_valid({c}) THEN json_type({c}) = 'OBJECT' AND len(json_keys({c})) = 2 END"
    else:
        part = r"\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*"
        lon = "TRY_CAST(trim(split_part({c}, ',', 1)) AS DOUBLE)"
        lat = "TRY_CAST(trim(split_part({c}, ',', 2)) AS DOUBLE)"
        shape = _full(f"{part},{part}")
    return f"CASE WHEN {shape} THEN {lon} BETWEEN -180 AND 180 AND {lat} BETWEEN -90 AND 90 ELSE FALSE END"


def fill(template: str, c: str, u: str = "") -> str:
    """Put the text column `c` and the lenient value `u` into a `TypedCell` template."""
    return template.replace("{c}", c).replace("{u}", u)
