"""Primary keys, unique fields, unique keys and foreign keys, as set-wise SQL over the typed tables."""

from __future__ import annotations

import duckdb

from rareearths.checking.findings import Finding
from rareearths.checking.schema_sql import ident
from rareearths.opening.package_source import Resource

CAP = 1_000_000  # findings of one kind per key; beyond this the table is broken, not the rows


def _key_text(cols: list[str], alias: str = "") -> str:
    parts = [f"coalesce(CAST({alias}{ident(c)} AS VARCHAR), '')" for c in cols]
    return parts[0] if len(parts) == 1 else "concat_ws(', ', " + ", ".join(parts) + ")"


def duplicates(con: duckdb.DuckDBPyConnection, res: Resource, cols: list[str], kind: str) -> list[Finding]:
    """Rows whose key repeats an earlier row's; rows with a null in the key are left to `required`."""
    keys = ", ".join(ident(c) for c in cols)
    not_null = " AND ".join(f"{ident(c)} IS NOT NULL" for c in cols)
    sql = f"""
        SELECT _row, first_row, {_key_text(cols)} FROM (
            SELECT _row, {keys}, min(_row) OVER (PARTITION BY {keys}) AS first_row,
                   count(*) OVER (PARTITION BY {keys}) AS n
            FROM {ident(res.name)} WHERE {not_null}
        ) WHERE n > 1 AND _row > first_row ORDER BY _row LIMIT {CAP}"""
    label = "primary key" if kind == "primary-key" else ("unique key" if len(cols) > 1 else "unique field")
    field = ",".join(cols)
    return [
        Finding(
            res.name, res.display_path, row, field, kind, f"{label} ({field}) = ({key}) repeats row {first}", key
        )  # fmt: skip
        for row, first, key in con.execute(sql).fetchall()
    ]


def foreign_key(con: duckdb.DuckDBPyConnection, res: Resource, fk: dict, target: Resource | None) -> list[Finding]:
    cols = fk["fields"]
    ref = fk["reference"]
    field = ",".join(cols)
    if target is None:
        return []  # reported once as a schema error by package_source
    ref_cols = ref["fields"]
    on = " AND ".join(f"c.{ident(a)} = p.{ident(b)}" for a, b in zip(cols, ref_cols, strict=True))
    not_null = " AND ".join(f"c.{ident(a)} IS NOT NULL" for a in cols)
    sql = f"""SELECT c._row, {_key_text(cols, "c.")} FROM {ident(res.name)} c
              ANTI JOIN {ident(target.name)} p ON {on}
              WHERE {not_null} ORDER BY c._row LIMIT {CAP}"""
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.Error as exc:  # mismatched types between the two sides
        msg = f"foreign key ({field}) cannot be compared with {ref['resource']}({','.join(ref_cols)}): {exc}"
        return [Finding(res.name, res.display_path, None, field, "schema-error", msg.split("\n")[0])]
    where = f"{ref['resource']}.{','.join(ref_cols)}"
    return [
        Finding(res.name, res.display_path, row, field, "foreign-key", f"({key}) is not a value of {where}", key)
        for row, key in rows
    ]


def key_findings(con: duckdb.DuckDBPyConnection, res: Resource, by_name: dict[str, Resource]) -> list[Finding]:
    schema = res.schema
    out: list[Finding] = []
    if schema["primaryKey"]:
        out += duplicates(con, res, schema["primaryKey"], "primary-key")
    for f in schema["fields"]:
        if f.get("constraints", {}).get("unique") and [f["name"]] != schema["primaryKey"]:
            out += duplicates(con, res, [f["name"]], "unique-error")
    for key in schema["uniqueKeys"]:
        if key != schema["primaryKey"]:
            out += duplicates(con, res, key, "unique-error")
    for fk in schema["foreignKeys"]:
        out += foreign_key(con, res, fk, by_name.get(fk["reference"]["resource"]))
    return out
