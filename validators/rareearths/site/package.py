"""Read the package once for every page: descriptor, Table Schemas and the raw CSV rows.

Pages show cells exactly as the CSV holds them (the CSV is the published form), so rows are read
as text with the csv module; charts that need typed values use `typed_connection`.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb

from rareearths.building.build import write_package_metadata
from rareearths.checking.schema_sql import duckdb_type, ident, lit


@dataclass(frozen=True)
class Resource:
    """One table of the package: its descriptor entry, Table Schema and rows as text."""

    name: str
    title: str
    path: Path
    schema: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema.get("fields", []))

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    @property
    def foreign_keys(self) -> list[dict[str, Any]]:
        """Foreign keys with `fields` and `reference.fields` always lists; a missing resource means self."""
        out = []
        for fk in self.schema.get("foreignKeys", []):
            ref = fk.get("reference", {})
            fields = fk.get("fields", [])
            ref_fields = ref.get("fields", [])
            out.append(
                {
                    "fields": [fields] if isinstance(fields, str) else list(fields),
                    "resource": ref.get("resource") or self.name,
                    "ref_fields": [ref_fields] if isinstance(ref_fields, str) else list(ref_fields),
                }
            )
        return out

    @cached_property
    def rows(self) -> list[dict[str, str]]:
        with open(self.path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Package:
    """The descriptor and its table resources, in descriptor order."""

    root: Path
    descriptor: dict[str, Any]
    resources: tuple[Resource, ...]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def slug(self) -> str:
        return str(self.descriptor.get("name", "data-package"))

    def resource(self, name: str) -> Resource:
        for res in self.resources:
            if res.name == name:
                return res
        raise KeyError(name)

    def names(self) -> list[str]:
        return [r.name for r in self.resources]


def _load_json_or_path(root: Path, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    return json.loads((root / str(value)).read_text(encoding="utf-8"))


def load_package(root: Path) -> Package:
    """Read `datapackage.json` under `root`; schemas given as paths are resolved from the root."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = []
    for entry in descriptor.get("resources", []):
        path = entry.get("path")
        if not isinstance(path, str) or "schema" not in entry:
            continue
        resources.append(
            Resource(
                name=entry["name"],
                title=entry.get("title", entry["name"]),
                path=root / path,
                schema=_load_json_or_path(root, entry["schema"]),
            )
        )
    return Package(root=root, descriptor=descriptor, resources=tuple(resources))


def typed_connection(package: Package, derived_sql: str = "") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one table per resource, cast to the Table Schema's types, and, where
    `derived_sql` is given, `package_metadata` and the package's views and macros as the build makes them."""
    con = duckdb.connect()
    for res in package.resources:
        columns = "{" + ", ".join(f"{lit(f['name'])}: {lit(duckdb_type(f))}" for f in res.fields) + "}"
        con.execute(
            f"CREATE TABLE {ident(res.name)} AS SELECT * FROM read_csv({lit(str(res.path))}, header = true, "
            f"auto_detect = false, columns = {columns}, nullstr = '', quote = '\"', escape = '\"')"
        )
    if derived_sql:
        write_package_metadata(con, package.descriptor)
        con.execute(derived_sql)
    return con
