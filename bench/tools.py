"""Child-process entry points for the tools the benchmark runs through Python APIs, not a CLI.

Each runs in its own process so its wall time and peak RSS are measured alone:
`python bench/tools.py pandera FOLDER` prints the failures as JSON records `{row, field, type}`;
`python bench/tools.py floor FOLDER` prints the aggregates of a typed DuckDB scan;
`python bench/tools.py text FOLDER` those of a scan that reads every column as text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

# Table Schema type -> DuckDB type for the floor: the cheapest typed read of every column.
DUCKDB_TYPES = {
    "integer": "BIGINT",
    "number": "DOUBLE",
    "string": "VARCHAR",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "boolean": "BOOLEAN",
}
# Aggregates that touch every column, so DuckDB cannot skip parsing any of them.
AGGREGATES = {
    "integer": "max({c})",
    "number": "sum({c})",
    "string": "max(length({c}))",
    "date": "min({c})",
    "datetime": "max({c})",
    "boolean": "count_if({c})",
}


def _fields(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / "schemas" / "fact.json").read_text(encoding="utf-8"))["fields"]


def floor(folder: Path) -> dict[str, Any]:
    """The DuckDB floor: a typed read_csv that casts every column, aggregated over all of them.

    `ignore_errors` lets the dirty variants run too (bad rows are skipped); no checks are made.
    """
    import duckdb

    fields = _fields(folder)
    columns = "{" + ", ".join(f"'{f['name']}': '{DUCKDB_TYPES[f['type']]}'" for f in fields) + "}"
    aggs = ", ".join(AGGREGATES[f["type"]].format(c=f["name"]) for f in fields)
    sql = (
        f"SELECT count(*), {aggs} FROM read_csv('{folder / 'fact.csv'}', header = true, columns = {columns}, "
        "nullstr = ['', 'NA'], ignore_errors = true)"
    )
    row = duckdb.connect().execute(sql).fetchone()
    return {"rows": row[0], "aggregates": [str(v) for v in row[1:]]}


def text(folder: Path) -> dict[str, Any]:
    """Every column read as text, with no check: what strict checking cannot avoid reading."""
    import duckdb

    fields = _fields(folder)
    columns = "{" + ", ".join(f"'{f['name']}': 'VARCHAR'" for f in fields) + "}"
    aggs = ", ".join(f"max(length({f['name']}))" for f in fields)
    sql = f"SELECT count(*), {aggs} FROM read_csv('{folder / 'fact.csv'}', header = true, columns = {columns})"
    row = duckdb.connect().execute(sql).fetchone()
    return {"rows": row[0], "aggregates": [str(v) for v in row[1:]]}


def _pandera_type(check: str) -> str:
    """Map a pandera check name onto the Table Schema error types of the manifest."""
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        return "type-error"
    if check == "field_uniqueness":
        return "primary-key"
    return "constraint-error"


def pandera(folder: Path) -> list[dict[str, Any]]:
    """pandera on pandas, with the schema pandera itself derives from the Table Schema.

    The descriptor is marked v2 because frictionless refuses `exclusiveMinimum` in a v1 schema.
    Missing values mirror the schema's (`""` everywhere, `"NA"` too in `note`); `lazy=True`
    collects every failure instead of stopping at the first.
    """
    import pandas as pd
    import pandera.errors
    from pandera.io.pandas_io import from_frictionless_schema

    descriptor = json.loads((folder / "schemas" / "fact.json").read_text(encoding="utf-8"))
    descriptor["$schema"] = "https://datapackage.org/profiles/2.0/tableschema.json"
    schema = from_frictionless_schema(descriptor)
    na = {f["name"]: f.get("missingValues", [""]) for f in descriptor["fields"]}
    df = pd.read_csv(folder / "fact.csv", keep_default_na=False, na_values=na)
    try:
        schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return [
            {
                "row": None if pd.isna(idx) else int(idx) + 2,
                "field": None if pd.isna(col) else str(col),
                "type": _pandera_type(str(check)),
            }
            for idx, col, check in zip(cases["index"], cases["column"], cases["check"], strict=True)
        ]
    return []


def main() -> None:
    tool, folder = sys.argv[1], Path(sys.argv[2])
    result = {"floor": floor, "text": text}.get(tool, pandera)(folder)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
