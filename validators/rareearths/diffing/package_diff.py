"""`rareearths diff OLD NEW`: rows added, removed and changed by primary key, schema changes, and
the version bump the change needs (the rules in CONTRIBUTING.md).

Each side is a package path (descriptor, folder or zip), a released version (the commit that
`releases.json` records for it) or a git revision of this repository.
Both sides are loaded with the validator's loader into one DuckDB database and compared in SQL.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from rareearths.building.releases import RELEASES_FILE, find_release, load_releases
from rareearths.checking.csv_loader import load
from rareearths.checking.schema_sql import ident
from rareearths.checking.validate import connect
from rareearths.opening.package_source import OpenedPackage, open_target

BUMPS = ["none", "patch", "minor", "major"]


class DiffError(Exception):
    """A side cannot be opened."""


@dataclass
class ResourceDiff:
    name: str
    status: str = "same"  # same, added, removed, changed
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    fields_retyped: list[dict[str, str]] = field(default_factory=list)
    primary_key_changed: bool = False
    rows_added: list[list[str]] = field(default_factory=list)
    rows_removed: list[list[str]] = field(default_factory=list)
    rows_changed: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PackageDiff:
    old: str
    new: str
    old_version: str
    new_version: str
    resources: list[ResourceDiff]
    required_bump: str = "none"
    actual_bump: str = "none"

    @property
    def version_ok(self) -> bool:
        return BUMPS.index(self.actual_bump) >= BUMPS.index(self.required_bump)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["version_ok"] = self.version_ok
        return d


def version_bump(old: str, new: str) -> str:
    """Which part of a semantic version changed from `old` to `new` (none if not increased)."""
    try:
        o = [int(x) for x in old.split("-")[0].split(".")[:3]]
        n = [int(x) for x in new.split("-")[0].split(".")[:3]]
    except ValueError:
        return "none"
    if n <= o:
        return "none"
    return "major" if n[0] > o[0] else "minor" if n[1] > o[1] else "patch"


def required_bump(diffs: list[ResourceDiff]) -> str:
    need = "none"

    def at_least(level: str) -> None:
        nonlocal need
        if BUMPS.index(level) > BUMPS.index(need):
            need = level

    for d in diffs:
        if d.status == "removed" or d.fields_removed or d.fields_retyped or d.primary_key_changed:
            at_least("major")
        if d.status == "added" or d.fields_added or d.rows_added or d.rows_removed:
            at_least("minor")
        if d.rows_changed:
            at_least("patch")
    return need


def _git_side(spec: str, repo: Path, tmp: Path) -> Path:
    try:
        subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
                       check=True, capture_output=True)  # fmt: skip
        archive = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", spec],
                                 check=True, capture_output=True).stdout  # fmt: skip
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise DiffError(f"{spec!r} is neither a package path nor a git revision of {repo}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "datapackage.json"


def _load_side(con: duckdb.DuckDBPyConnection, alias: str, pkg: OpenedPackage) -> None:
    con.execute(f"ATTACH ':memory:' AS {alias}")
    con.execute(f"USE {alias}")
    try:
        for res in pkg.resources:
            load(con, res)
    finally:
        con.execute("USE memory")


def _fields(pkg: OpenedPackage) -> dict[str, dict[str, dict]]:
    return {r.name: {f["name"]: f for f in r.schema["fields"]} for r in pkg.resources}


def _key_text(cols: list[str], alias: str) -> str:
    return "[" + ", ".join(f"CAST({alias}.{ident(c)} AS VARCHAR)" for c in cols) + "]"


NUMERIC = {"integer", "number", "year"}


def _comparable(col: str, alias: str, types: tuple[str, str]) -> str:
    """Compare values, not spellings: 66 and 66.0 are equal; unlike types meet as text."""
    same = types[0] == types[1] or set(types) <= NUMERIC
    return f"{alias}.{ident(col)}" if same else f"CAST({alias}.{ident(col)} AS VARCHAR)"


def _rows_diff(
    con: duckdb.DuckDBPyConnection,
    name: str,
    pk: list[str],
    common: dict[str, tuple[str, str]],
    d: ResourceDiff,
) -> None:
    o, n = f"old.main.{ident(name)}", f"new.main.{ident(name)}"
    on = " AND ".join(f"a.{ident(c)} IS NOT DISTINCT FROM b.{ident(c)}" for c in pk)
    for target, left, right in ((d.rows_added, n, o), (d.rows_removed, o, n)):
        rows = con.execute(
            f"SELECT {_key_text(pk, 'a')} FROM {left} a ANTI JOIN {right} b ON {on} ORDER BY 1"
        ).fetchall()
        target.extend(r[0] for r in rows)
    others = [c for c in common if c not in pk]
    if not others:
        return
    changed = " OR ".join(
        f"{_comparable(c, 'a', common[c])} IS DISTINCT FROM {_comparable(c, 'b', common[c])}" for c in others
    )
    cols = ", ".join(f"CAST(a.{ident(c)} AS VARCHAR), CAST(b.{ident(c)} AS VARCHAR)" for c in others)
    rows = con.execute(
        f"SELECT {_key_text(pk, 'a')}, {cols} FROM {o} a JOIN {n} b ON {on} WHERE {changed} ORDER BY 1"
    ).fetchall()
    for r in rows:
        changes = {}
        for i, c in enumerate(others):
            old, new = r[1 + 2 * i], r[2 + 2 * i]
            if old != new and not (set(common[c]) <= NUMERIC and old and new and float(old) == float(new)):
                changes[c] = {"old": old, "new": new}
        d.rows_changed.append({"key": r[0], "changes": changes})


def diff_packages(old: OpenedPackage, new: OpenedPackage, old_label: str, new_label: str) -> PackageDiff:
    con = connect()
    _load_side(con, "old", old)
    _load_side(con, "new", new)
    of, nf = _fields(old), _fields(new)
    opk = {r.name: r.schema["primaryKey"] for r in old.resources}
    npk = {r.name: r.schema["primaryKey"] for r in new.resources}
    diffs = []
    for name in sorted(set(of) | set(nf)):
        d = ResourceDiff(name)
        if name not in of:
            d.status = "added"
            keys = _key_text(npk[name] or ["_row"], "a")
            rows = con.execute(f"SELECT {keys} FROM new.main.{ident(name)} a ORDER BY 1").fetchall()
            d.rows_added = [r[0] for r in rows]
        elif name not in nf:
            d.status = "removed"
        else:
            d.fields_added = [f for f in nf[name] if f not in of[name]]
            d.fields_removed = [f for f in of[name] if f not in nf[name]]
            d.fields_retyped = [
                {"field": f, "old": of[name][f].get("type", "any"), "new": nf[name][f].get("type", "any")}
                for f in of[name] if f in nf[name] and of[name][f].get("type") != nf[name][f].get("type")
            ]  # fmt: skip
            d.primary_key_changed = opk[name] != npk[name]
            if not d.primary_key_changed and opk[name]:
                common = {
                    f: (of[name][f].get("type", "any"), nf[name][f].get("type", "any"))
                    for f in nf[name] if f in of[name]
                }  # fmt: skip
                _rows_diff(con, name, opk[name], common, d)
            touched = (d.fields_added or d.fields_removed or d.fields_retyped or d.primary_key_changed
                       or d.rows_added or d.rows_removed or d.rows_changed)  # fmt: skip
            d.status = "changed" if touched else "same"
        diffs.append(d)
    con.close()
    ov, nv = str(old.descriptor.get("version", "")), str(new.descriptor.get("version", ""))
    result = PackageDiff(old_label, new_label, ov, nv, diffs)
    result.required_bump = required_bump(diffs)
    result.actual_bump = version_bump(ov, nv)
    return result


def release_commit(spec: str, repo: Path) -> str | None:
    """The commit recorded in `repo`'s releases.json for a version such as `1.0.0` or `v1.0.0`."""
    release = find_release(load_releases(repo / RELEASES_FILE), spec)
    if release is None:
        return None
    if not release.commit:
        raise DiffError(f"releases.json records no commit for version {release.version}")
    return release.commit


def diff(old_spec: str, new_spec: str, repo: Path) -> PackageDiff:
    """Each side is a package path, a released version (its commit in releases.json) or a git revision."""
    with tempfile.TemporaryDirectory(prefix="rareearths-diff-") as tmp:
        sides = []
        for i, spec in enumerate((old_spec, new_spec)):
            path = Path(spec)
            if not path.exists():
                folder = Path(tmp) / str(i)
                folder.mkdir()
                path = _git_side(release_commit(spec, repo) or spec, repo, folder)
            pkg = open_target(path)
            if pkg.unreadable or not pkg.resources:
                msg = pkg.findings[0].message if pkg.findings else "no resources"
                raise DiffError(f"cannot open {spec!r}: {msg}")
            sides.append(pkg)
        try:
            return diff_packages(sides[0], sides[1], old_spec, new_spec)
        finally:
            for pkg in sides:
                pkg.close()
