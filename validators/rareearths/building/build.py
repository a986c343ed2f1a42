"""`rareearths build`: the typed DuckDB database, Parquet files, the zipped package and checksums.

Refuses an invalid package. Everything is written into a staging folder inside `dist/` and then
renamed into place file by file, so an interrupted build leaves the previous artifacts whole.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from rareearths.building.artifacts import content_digest, publish, remove_stale, sha256, write_zip
from rareearths.building.releases import release_entry, version_key
from rareearths.building.schema_ddl import comments, create_table, create_types, dependency_order, self_references
from rareearths.building.zip_readme import zip_extras
from rareearths.checking.findings import Report
from rareearths.checking.rules import NO_RULES, RuleSet
from rareearths.checking.schema_sql import ident, lit
from rareearths.checking.validate import connect, validate_opened
from rareearths.opening.package_source import OpenedPackage, open_target

DB_NAME = "rare-earth-supply-chain.duckdb"


class BuildRefused(Exception):
    """The package is invalid, or a released version's content changed."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class BuildResult:
    version: str
    artifacts: dict[str, str] = field(default_factory=dict)  # relative path -> sha256
    content_sha256: str = ""


def _insert(con: duckdb.DuckDBPyConnection, name: str, schema: dict) -> None:
    """Copy the validated table into the database in primary-key order.

    Rows that point at a parent in the same table go in after their parent (DuckDB checks a
    foreign key row by row), one level of the hierarchy at a time.
    """
    cols = ", ".join(ident(f["name"]) for f in schema["fields"])
    order = ", ".join(ident(c) for c in schema["primaryKey"]) or "_row"
    src = f"memory.main.{ident(name)}"
    refs = self_references(name, schema)
    if not refs:
        con.execute(f"INSERT INTO {ident(name)} SELECT {cols} FROM {src} ORDER BY {order}")
        return
    while True:
        ready = " AND ".join(
            "(" + " OR ".join(f"s.{ident(c)} IS NULL" for c in fk_cols) + " OR EXISTS (SELECT 1 FROM "
            f"{ident(name)} t WHERE "
            + " AND ".join(f"t.{ident(r)} = s.{ident(c)}" for c, r in zip(fk_cols, ref_cols, strict=True))
            + "))"
            for fk_cols, ref_cols in refs
        )
        pk_match = " AND ".join(f"t.{ident(c)} = s.{ident(c)}" for c in schema["primaryKey"])
        new = (
            f"SELECT {', '.join('s.' + ident(f['name']) for f in schema['fields'])} FROM {src} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {ident(name)} t WHERE {pk_match}) AND {ready} ORDER BY {order}"
        )
        inserted = con.execute(f"INSERT INTO {ident(name)} {new}").fetchone()[0]
        if not inserted:
            return


def package_metadata_sql(descriptor: dict) -> list[str]:
    """Table `package_metadata` (key, value): name, title, version and created, and every other top-level
    property of the descriptor whose value is text or a number (a package's own properties, such as the
    date up to which its sources were checked, can then be read by its derived SQL). The browser's
    Query page runs the same statements."""
    keys = ["name", "title", "version", "created"]
    keys += sorted(k for k, v in descriptor.items() if k not in keys and isinstance(v, str | int | float))
    rows = ", ".join(f"({lit(k)}, {lit(str(descriptor.get(k, '')))})" for k in keys)
    return [
        f"CREATE TABLE package_metadata AS SELECT * FROM (VALUES {rows}) AS m(key, value)",
        "COMMENT ON TABLE package_metadata IS 'The descriptor''s name, title, version, creation date and its other "
        "top-level text properties, one row each.'",
    ]


def write_package_metadata(con: duckdb.DuckDBPyConnection, descriptor: dict) -> None:
    for stmt in package_metadata_sql(descriptor):
        con.execute(stmt)


def build_database(con: duckdb.DuckDBPyConnection, pkg: OpenedPackage, target: Path, derived_sql: str = "") -> None:
    """Create the database file from the validated in-memory tables of `con`, then run the package's
    own `derived_sql` (views and macros) on it."""
    schemas = {r.name: r.schema for r in pkg.resources}
    titles = {r["name"]: r.get("title") for r in pkg.descriptor.get("resources", [])}
    con.execute(f"ATTACH {lit(str(target))} AS out")
    con.execute("USE out")
    try:
        for name in dependency_order(schemas):
            for stmt in create_types(name, schemas[name]):
                con.execute(stmt)
            con.execute(create_table(name, schemas[name]))
            _insert(con, name, schemas[name])
            for stmt in comments(name, titles.get(name), schemas[name]):
                con.execute(stmt)
        write_package_metadata(con, pkg.descriptor)
        if derived_sql:
            con.execute(derived_sql)
        con.execute("CHECKPOINT")
    finally:
        con.execute("USE memory")
        con.execute("DETACH out")


def write_parquet(con: duckdb.DuckDBPyConnection, pkg: OpenedPackage, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for res in pkg.resources:
        cols = ", ".join(ident(f["name"]) for f in res.schema["fields"])
        order = ", ".join(ident(c) for c in res.schema["primaryKey"]) or "_row"
        path = folder / f"{res.name}.parquet"
        con.execute(
            f"COPY (SELECT {cols} FROM memory.main.{ident(res.name)} ORDER BY {order}) TO {lit(str(path))} "
            "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)"
        )
        out.append(path)
    return out


def package_members(pkg: OpenedPackage) -> list[tuple[str, Path]]:
    """The descriptor, its schema files and its data files, by their paths inside the package."""
    base = pkg.basepath
    members = [("datapackage.json", pkg.descriptor_path)]
    for raw in pkg.descriptor.get("resources", []):
        for key in ("path", "schema"):
            if isinstance(raw.get(key), str):
                members.append((raw[key], base / raw[key]))
    return members


def member_names(descriptor: Path) -> list[str]:
    """The package's files (descriptor, schemas, data) by their paths relative to the descriptor's folder."""
    pkg = open_target(descriptor)
    try:
        return list(dict.fromkeys([descriptor.name, *(name for name, _ in package_members(pkg))]))
    finally:
        pkg.close()


def check_release(result: BuildResult, releases_file: Path) -> None:
    """A released version is immutable: its content must still be what was released."""
    if not releases_file.exists():
        return
    releases = json.loads(releases_file.read_text(encoding="utf-8"))
    for rel in releases.get("releases", []):
        if rel["version"] == result.version and rel["content_sha256"] != result.content_sha256:
            raise BuildRefused(
                f"version {result.version} was released with different content; bump the version in "
                "datapackage.json and add a CHANGELOG entry (see CONTRIBUTING.md)"
            )


def record_release(result: BuildResult, releases_file: Path, date: str, commit: str) -> None:
    """Add or replace this version's entry: date, the commit holding its content, digest and checksums."""
    releases = {"releases": []}
    if releases_file.exists():
        releases = json.loads(releases_file.read_text(encoding="utf-8"))
    kept = [r for r in releases["releases"] if r["version"] != result.version]
    artifacts = {k: v for k, v in result.artifacts.items() if not k.endswith(".duckdb")}
    entry = release_entry(result.version, date, commit, result.content_sha256, artifacts)
    releases["releases"] = sorted([*kept, entry], key=lambda r: version_key(r["version"]))
    tmp = releases_file.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(releases, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, releases_file)


def _clear_stale_staging(dist: Path) -> None:
    """Remove what killed builds left behind (their process no longer exists)."""
    for folder in dist.glob(".staging-*"):
        try:
            os.kill(int(folder.name.rsplit("-", 1)[1]), 0)
        except (ValueError, ProcessLookupError):
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            pass  # another user's live build


def build(descriptor: Path, dist: Path, releases_file: Path | None = None, rules: RuleSet = NO_RULES,
          derived_sql: str = "") -> BuildResult:  # fmt: skip
    pkg = open_target(descriptor)
    try:
        con = connect()
        report = validate_opened(pkg, con, rules)
        if not report.valid():
            raise BuildRefused("the package is invalid; nothing was built", report)
        version = str(pkg.descriptor.get("version", "0.0.0"))
        members = package_members(pkg)
        result = BuildResult(version, content_sha256=content_digest(members))
        if releases_file is not None:
            check_release(result, releases_file)
        dist.mkdir(parents=True, exist_ok=True)
        _clear_stale_staging(dist)
        staging = dist / f".staging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            con.execute("SET threads = 1")  # one writer thread: Parquet row order and bytes are stable
            build_database(con, pkg, staging / DB_NAME, derived_sql)
            parquet = write_parquet(con, pkg, staging / "parquet")
            zip_name = f"{pkg.descriptor.get('name', 'package')}-{version}.zip"
            write_zip(staging / zip_name, members, zip_extras(pkg))
            rels = [DB_NAME, *[f"parquet/{p.name}" for p in parquet], zip_name]
            result.artifacts = {rel: sha256(staging / rel) for rel in rels}
            sums = "".join(f"{digest}  {rel}\n" for rel, digest in sorted(result.artifacts.items()))
            (staging / "SHA256SUMS").write_text(sums, encoding="utf-8")
            publish(staging, dist, [*rels, "SHA256SUMS"])
            remove_stale(dist, rels, ["*.zip", "parquet/*.parquet"])
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            con.close()
        return result
    finally:
        pkg.close()
