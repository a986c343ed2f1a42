"""Seeded generator of a synthetic data package for the validation benchmark.

A fact table of eleven columns that exercises every Table Schema type and constraint the
validator supports, with a foreign key into a 10,000-row reference table. Variants plant errors
in a fixed share of rows (one error per row) and list every one in a manifest, so recall can be
measured exactly. Written by DuckDB in SQL: generating 10M rows takes seconds, not minutes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

REF_ROWS = 10_000
CATEGORIES = ["alpha", "beta", "gamma", "delta", "epsilon"]

FACT_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 1}},
        {"name": "code", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]{3}-[0-9]{4}"}},
        {"name": "category", "type": "string", "constraints": {"enum": CATEGORIES}},
        {"name": "grade", "type": "string", "categories": ["low", "medium", "high"]},
        {"name": "share", "type": "number", "constraints": {"minimum": 0, "maximum": 1}},
        {"name": "score", "type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 100}},
        {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
        {"name": "seen_at", "type": "datetime"},
        {"name": "flag", "type": "boolean"},
        {"name": "note", "type": "string", "constraints": {"maxLength": 20}, "missingValues": ["", "NA"]},
        {"name": "ref_id", "type": "string", "constraints": {"required": True}},
    ],
    "primaryKey": ["id"],
    "foreignKeys": [{"fields": ["ref_id"], "reference": {"resource": "ref", "fields": ["ref_id"]}}],
}
REF_SCHEMA = {
    "fields": [
        {"name": "ref_id", "type": "string", "constraints": {"required": True, "pattern": "R[0-9]{5}"}},
        {"name": "label", "type": "string"},
    ],
    "primaryKey": ["ref_id"],
}

# Planted error kinds: (name, field, finding type, SQL that replaces the field's value).
ERRORS = [
    ("bad-integer", "id", "type-error", "'x' || CAST(i AS VARCHAR)"),
    ("pattern", "code", "constraint-error", "'bad-' || CAST(i % 1000 AS VARCHAR)"),
    ("enum", "category", "constraint-error", "'omega'"),
    ("categories", "grade", "constraint-error", "'extreme'"),
    ("maximum", "share", "constraint-error", "'1.5'"),
    ("exclusive-maximum", "score", "constraint-error", "'100'"),
    ("bad-number", "score", "type-error", "'n/a'"),
    ("bad-date", "day", "type-error", "'2021-02-30'"),
    ("minimum-date", "day", "constraint-error", "'1999-12-31'"),
    ("bad-datetime", "seen_at", "type-error", "'yesterday'"),
    ("bad-boolean", "flag", "type-error", "'maybe'"),
    ("max-length", "note", "constraint-error", "'this note is far too long for the field'"),
    ("required", "ref_id", "constraint-error", "''"),
    ("foreign-key", "ref_id", "foreign-key", "'R99999'"),
    ("primary-key", "id", "primary-key", "CAST(i - 1 AS VARCHAR)"),
]


def _clean_values() -> dict[str, str]:
    """SQL for each field's valid value in row i (deterministic: a hash of i, no RNG state)."""
    h = "hash(i * 7919)"
    return {
        "id": "CAST(i AS VARCHAR)",
        "code": f"chr(65 + CAST({h} % 26 AS INT)) || chr(65 + CAST(({h} >> 8) % 26 AS INT)) || "
        f"chr(65 + CAST(({h} >> 16) % 26 AS INT)) || '-' || lpad(CAST({h} % 10000 AS VARCHAR), 4, '0')",
        "category": f"[{', '.join(repr(c) for c in CATEGORIES)}][1 + CAST({h} % 5 AS INT)]",
        "grade": f"['low', 'medium', 'high'][1 + CAST(({h} >> 4) % 3 AS INT)]",
        "share": f"CAST(round(({h} % 10001) / 10000.0, 4) AS VARCHAR)",
        "score": f"CAST(round(0.01 + ({h} % 9998) / 100.0, 2) AS VARCHAR)",
        "day": f"strftime(DATE '2000-01-01' + CAST({h} % 9000 AS INT), '%Y-%m-%d')",
        "seen_at": f"strftime(TIMESTAMP '2020-01-01 00:00:00' + to_seconds(CAST({h} % 100000000 AS BIGINT)), "
        "'%Y-%m-%dT%H:%M:%SZ')",
        "flag": f"CASE WHEN {h} % 2 = 0 THEN 'true' ELSE 'false' END",
        "note": f"CASE WHEN {h} % 10 = 0 THEN 'NA' WHEN {h} % 10 = 1 THEN '' "
        f"ELSE 'n' || CAST({h} % 997 AS VARCHAR) END",
        "ref_id": f"'R' || lpad(CAST({h} % {REF_ROWS} AS VARCHAR), 5, '0')",
    }


def generate(folder: Path, rows: int, bad_per_mille: float, seed: int = 42) -> dict:
    """Write datapackage.json, schemas, fact.csv, ref.csv and manifest.csv into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schemas").mkdir(exist_ok=True)
    (folder / "schemas" / "fact.json").write_text(json.dumps(FACT_SCHEMA, indent=2), encoding="utf-8")
    (folder / "schemas" / "ref.json").write_text(json.dumps(REF_SCHEMA, indent=2), encoding="utf-8")
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "synthetic-benchmark",
        "version": "1.0.0",
        "resources": [
            {"name": "fact", "type": "table", "path": "fact.csv", "scheme": "file", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": "schemas/fact.json"},
            {"name": "ref", "type": "table", "path": "ref.csv", "scheme": "file", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": "schemas/ref.json"},
        ],
    }  # fmt: skip
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(
        f"COPY (SELECT 'R' || lpad(CAST(i AS VARCHAR), 5, '0') AS ref_id, 'label ' || CAST(i AS VARCHAR) AS label "
        f"FROM range({REF_ROWS}) t(i)) TO '{folder / 'ref.csv'}' (HEADER, DELIMITER ',')"
    )
    clean = _clean_values()
    # A row is bad when a seeded hash falls under the rate; its kind is another hash. A primary-key
    # error repeats the previous row's id, so that row must keep its own valid id: row 2 (the first
    # data row) and every row followed by a primary-key error stay clean.
    rate = int(bad_per_mille * 1000)
    pk = next(j for j, e in enumerate(ERRORS) if e[0] == "primary-key")
    kind = f"CAST(hash(i, {seed} + 1) % {len(ERRORS)} AS INT)"
    next_is_pk = (
        f"(hash(i + 1, {seed}) % 1000000 < {rate} AND CAST(hash(i + 1, {seed} + 1) % {len(ERRORS)} AS INT) = {pk})"
    )
    bad = f"(i > 1 AND hash(i, {seed}) % 1000000 < {rate} AND NOT {next_is_pk})"
    cols = []
    for f in FACT_SCHEMA["fields"]:
        name = f["name"]
        planted = " ".join(f"WHEN {j} THEN {sql}" for j, (_, fld, _, sql) in enumerate(ERRORS) if fld == name)
        if planted:
            cols.append(
                f"CASE WHEN bad THEN CASE kind {planted} ELSE {clean[name]} END ELSE {clean[name]} END AS {name}"
            )
        else:
            cols.append(f"{clean[name]} AS {name}")
    base = f"SELECT i, {bad} AS bad, {kind} AS kind FROM range(1, {rows + 1}) t(i)"
    con.execute(f"CREATE TABLE fact AS SELECT i, bad, kind, {', '.join(cols)} FROM ({base}) ORDER BY i")
    names = ", ".join(f["name"] for f in FACT_SCHEMA["fields"])
    con.execute(
        f"COPY (SELECT {names} FROM fact ORDER BY i) TO '{folder / 'fact.csv'}' (HEADER, DELIMITER ',', QUOTE '\"')"
    )
    kinds = ", ".join(f"({j}, '{n}', '{fld}', '{t}')" for j, (n, fld, t, _) in enumerate(ERRORS))
    con.execute(f"CREATE TABLE kinds AS SELECT * FROM (VALUES {kinds}) v(kind, name, field, type)")
    con.execute(
        f"COPY (SELECT i + 1 AS row, k.field, k.type, k.name FROM fact JOIN kinds k USING (kind) WHERE bad ORDER BY i) "
        f"TO '{folder / 'manifest.csv'}' (HEADER)"
    )
    planted = con.execute("SELECT count(*) FROM fact WHERE bad").fetchone()[0]
    con.close()
    return {"rows": rows, "planted": planted, "bad_per_mille": bad_per_mille}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--bad", type=float, default=0.0, help="share of bad rows in per mille (1 = 0.1%%)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    print(json.dumps(generate(args.folder, args.rows, args.bad, args.seed)))


if __name__ == "__main__":
    main()
