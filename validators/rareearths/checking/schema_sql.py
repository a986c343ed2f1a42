"""Table Schema -> DuckDB: column types and the SQL that casts a text cell to its typed value.

Pure functions. A cast expression yields NULL exactly when the cell does not conform to the
field's type and format, which is how type errors are found (one columnar pass, no Python loop).
"""

from __future__ import annotations

from typing import Any

from rareearths.opening.descriptor import missing_values

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
}
NUMBER_RE = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|INF|-INF"


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


def _full(col: str, pattern: str) -> str:
    return f"regexp_full_match({col}, {lit(pattern)})"


def cast_expr(field: dict[str, Any], col: str) -> str:
    """SQL turning the text in `col` into the field's typed value, NULL where it does not conform."""
    ftype = field.get("type", "any")
    fmt = field.get("format", "default")
    if ftype == "string":
        pattern = STRING_FORMATS.get(fmt)
        return f"CASE WHEN {_full(col, pattern)} THEN {col} END" if pattern else col
    if ftype == "integer":
        text = col
        if field.get("groupChar"):
            text = f"replace({text}, {lit(field['groupChar'])}, '')"
        return f"CASE WHEN {_full(text, '[+-]?[0-9]+')} THEN TRY_CAST({text} AS BIGINT) END"
    if ftype == "number":
        text = col
        if field.get("groupChar"):
            text = f"replace({text}, {lit(field['groupChar'])}, '')"
        if field.get("decimalChar", ".") != ".":
            text = f"replace({text}, {lit(field['decimalChar'])}, '.')"
        return f"CASE WHEN {_full(text, NUMBER_RE)} THEN TRY_CAST({text} AS DOUBLE) END"
    if ftype == "boolean":
        trues = ", ".join(lit(v) for v in field.get("trueValues", DEFAULT_TRUE))
        falses = ", ".join(lit(v) for v in field.get("falseValues", DEFAULT_FALSE))
        return f"CASE WHEN {col} IN ({trues}) THEN TRUE WHEN {col} IN ({falses}) THEN FALSE END"
    if ftype == "date":
        if fmt in ("default", None):
            return f"CASE WHEN {_full(col, '[0-9]{4}-[0-9]{2}-[0-9]{2}')} THEN TRY_CAST({col} AS DATE) END"
        if fmt == "any":
            return f"TRY_CAST({col} AS DATE)"
        return f"CAST(TRY_STRPTIME({col}, {lit(fmt)}) AS DATE)"
    if ftype == "datetime":
        iso = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
        if fmt in ("default", None):
            return f"CASE WHEN {_full(col, iso)} THEN TRY_CAST({col} AS TIMESTAMPTZ) END"
        if fmt == "any":
            return f"TRY_CAST({col} AS TIMESTAMPTZ)"
        return f"CAST(TRY_STRPTIME({col}, {lit(fmt)}) AS TIMESTAMPTZ)"
    if ftype == "time":
        if fmt in ("default", None):
            iso_time = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
            return f"CASE WHEN {_full(col, iso_time)} THEN TRY_CAST({col} AS TIME) END"
        return f"TRY_CAST({col} AS TIME)"
    if ftype == "year":
        return f"CASE WHEN {_full(col, '[0-9]{4}')} THEN TRY_CAST({col} AS INTEGER) END"
    if ftype == "yearmonth":
        return f"CASE WHEN {_full(col, '[0-9]{4}-(0[1-9]|1[0-2])')} THEN {col} END"
    if ftype == "duration":
        dur = r"P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9.]+S)?)?"
        return f"CASE WHEN {_full(col, dur)} THEN {col} END"
    if ftype in ("object", "geojson"):
        return f"CASE WHEN json_valid({col}) AND json_type({col}) = 'OBJECT' THEN {col} END"
    if ftype == "array":
        return f"CASE WHEN json_valid({col}) AND json_type({col}) = 'ARRAY' THEN {col} END"
    if ftype == "geopoint":
        num = r"-?[0-9]+(\.[0-9]+)?"
        return f"CASE WHEN {_full(col, f'{num}, ?{num}')} THEN {col} END"
    return col  # any, list: text is kept as it is


def missing_expr(field: dict[str, Any], col: str) -> str:
    """SQL true where the cell holds one of the field's missing values (or no cell at all)."""
    values = missing_values(field)
    if not values:
        return f"({col} IS NULL)"
    return f"({col} IS NULL OR {col} IN ({', '.join(lit(v) for v in values)}))"


def typed_expr(field: dict[str, Any], col: str) -> str:
    return f"CASE WHEN {missing_expr(field, col)} THEN NULL ELSE {cast_expr(field, col)} END"


def type_label(field: dict[str, Any]) -> str:
    fmt = field.get("format")
    return f"{field.get('type', 'any')}" + (f" ({fmt})" if fmt and fmt != "default" else "")
