"""Table Schema -> DuckDB DDL: typed tables with keys, ENUM types and comments. Pure functions.

The database users attach is derived from the same schemas the validator reads, so a column's
type, its allowed values and its description are written once, in `schemas/`.
"""

from __future__ import annotations

from typing import Any

from rareearths.checking.schema_sql import duckdb_type, ident, lit
from rareearths.opening.descriptor import categories


def enum_values(field: dict[str, Any]) -> list[str] | None:
    """Allowed values of a string field with `enum` or `categories`, else None."""
    if field.get("type") != "string":
        return None
    values = field.get("constraints", {}).get("enum") or categories(field)
    return [str(v) for v in values] if values else None


def enum_type_name(table: str, field: dict[str, Any]) -> str:
    return f"{table}_{field['name']}"


def column_type(table: str, field: dict[str, Any]) -> str:
    return ident(enum_type_name(table, field)) if enum_values(field) else duckdb_type(field)


def create_types(table: str, schema: dict[str, Any]) -> list[str]:
    return [
        f"CREATE TYPE {ident(enum_type_name(table, f))} AS ENUM ({', '.join(lit(v) for v in vals)})"
        for f in schema["fields"]
        if (vals := enum_values(f))
    ]


def create_table(table: str, schema: dict[str, Any]) -> str:
    pk = schema.get("primaryKey", [])
    lines = []
    for f in schema["fields"]:
        required = f.get("constraints", {}).get("required") or f["name"] in pk
        lines.append(f"{ident(f['name'])} {column_type(table, f)}{' NOT NULL' if required else ''}")
    if pk:
        lines.append(f"PRIMARY KEY ({', '.join(ident(c) for c in pk)})")
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        lines.append(
            f"FOREIGN KEY ({', '.join(ident(c) for c in fk['fields'])}) "
            f"REFERENCES {ident(ref['resource'])} ({', '.join(ident(c) for c in ref['fields'])})"
        )
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {ident(table)} (\n  {body}\n)"


def comments(table: str, title: str | None, schema: dict[str, Any]) -> list[str]:
    out = [f"COMMENT ON TABLE {ident(table)} IS {lit(title or table)}"]
    out += [
        f"COMMENT ON COLUMN {ident(table)}.{ident(f['name'])} IS {lit(f.get('description', ''))}"
        for f in schema["fields"]
    ]
    return out


def dependency_order(schemas: dict[str, dict[str, Any]]) -> list[str]:
    """Tables ordered so that every table comes after the tables its foreign keys point to."""
    done: list[str] = []
    pending = dict(schemas)
    while pending:
        ready = [
            name
            for name, s in pending.items()
            if all(fk["reference"]["resource"] in done or fk["reference"]["resource"] == name
                   for fk in s.get("foreignKeys", []))
        ]  # fmt: skip
        if not ready:
            raise ValueError(f"foreign keys form a cycle among: {', '.join(sorted(pending))}")
        for name in sorted(ready, key=list(schemas).index):
            done.append(name)
            pending.pop(name)
    return done


def self_references(table: str, schema: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    return [
        (fk["fields"], fk["reference"]["fields"])
        for fk in schema.get("foreignKeys", [])
        if fk["reference"]["resource"] == table
    ]
