""" "What changed": one page per release, from the row-level diff against the release before it.

Each release's content is read from the commit `releases.json` records for it; the version in the
working tree, when not recorded yet, is the next release and is labelled unreleased. Rows are
named by primary key: added, removed, and corrected (same key, other values, with each change).
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rareearths.building.releases import Release, find_release, has_commit, load_releases, previous_release
from rareearths.diffing.package_diff import DiffError, PackageDiff, ResourceDiff, _git_side, diff_packages
from rareearths.opening.package_source import open_target
from rareearths.site.markup import cell, code, md_table

MAX_ROWS = 200


@dataclass(frozen=True)
class Version:
    """A version the site describes: a release, or the working tree's version before it is recorded."""

    version: str
    date: str  # release date; empty when unreleased
    commit: str | None  # None: the working tree

    @property
    def released(self) -> bool:
        return bool(self.date)

    @property
    def label(self) -> str:
        return f"released {self.date}" if self.released else "unreleased"


def versions(root: Path, current: str) -> list[Version]:
    """Every release, newest first, with the working tree's version on top when it is not recorded."""
    releases = load_releases(root / "releases.json")
    out = [Version(r.version, r.date, r.commit) for r in reversed(releases)]
    if find_release(releases, current) is None:
        out.insert(0, Version(current, "", None))
    return out


def release_label(root: Path, current: str) -> str:
    """ "released 2026-11-25", or "unreleased" (with the last release) for a version not recorded yet."""
    releases = load_releases(root / "releases.json")
    rel = find_release(releases, current)
    if rel is not None:
        return f"released {rel.date}"
    last = previous_release(releases, current)
    return "unreleased" + (f"; the last release is {last.version} of {last.date}" if last else "")


def _keys(rows: list[list[str]]) -> str:
    shown = ", ".join(code(", ".join(k)) for k in rows[:MAX_ROWS])
    more = f" and {len(rows) - MAX_ROWS} more" if len(rows) > MAX_ROWS else ""
    return shown + more


def _schema_changes(r: ResourceDiff) -> list[str]:
    out = [f"field {code(f)} added" for f in r.fields_added]
    out += [f"field {code(f)} removed" for f in r.fields_removed]
    out += [f"field {code(t['field'])}: type {t['old']} → {t['new']}" for t in r.fields_retyped]
    if r.primary_key_changed:
        out.append("primary key changed")
    return out


def _value(v: str | None) -> str:
    return "(empty)" if v in (None, "") else code(v if len(v) <= 80 else v[:79] + "…")


def resource_section(r: ResourceDiff) -> list[str]:
    lines = [f"### `{r.name}`", ""]
    if r.status == "added":
        return [*lines, f"New table, {len(r.rows_added)} rows.", ""]
    if r.status == "removed":
        return [*lines, "Table removed.", ""]
    lines += [f"- {c}" for c in _schema_changes(r)]
    if r.rows_added:
        lines.append(f"- **{len(r.rows_added)} added:** {_keys(r.rows_added)}")
    if r.rows_removed:
        lines.append(f"- **{len(r.rows_removed)} removed:** {_keys(r.rows_removed)}")
    if r.rows_changed:
        lines += ["", f"**{len(r.rows_changed)} corrected** (same key, other values):", ""]
        rows = [
            [code(", ".join(c["key"])), code(field), _value(v["old"]), _value(v["new"])]
            for c in r.rows_changed[:MAX_ROWS]
            for field, v in c["changes"].items()
        ]
        lines.append(md_table(["Row", "Field", "Was", "Now"], rows))
        if len(r.rows_changed) > MAX_ROWS:
            lines.append(f"… and {len(r.rows_changed) - MAX_ROWS} more rows: run `rareearths diff`.")
    return [*lines, ""]


def diff_section(d: PackageDiff) -> str:
    verdict = "enough" if d.version_ok else f"**too small: the change needs a {d.required_bump} version**"
    summary = [
        [
            f"`{r.name}`",
            r.status,
            str(len(r.rows_added)),
            str(len(r.rows_removed)),
            str(len(r.rows_changed)),
            cell("; ".join(_schema_changes(r))),
        ]
        for r in d.resources
        if r.status != "same"
    ]
    lines = [
        f"Compared with {d.old_version}: the change needs a **{d.required_bump}** version and the version went "
        f"{d.old_version} → {d.new_version} ({d.actual_bump}): {verdict}.",
        "",
    ]
    if not summary:
        return "\n".join([*lines, "No table changed.", ""])
    lines += [md_table(["Table", "Status", "Added", "Removed", "Corrected", "Schema"], summary), ""]
    for r in d.resources:
        if r.status != "same":
            lines += resource_section(r)
    return "\n".join(lines)


def _row_counts(descriptor: Path) -> list[list[str]]:
    pkg = open_target(descriptor)
    try:
        out = []
        for res in pkg.resources:
            with open(res.path, encoding="utf-8", newline="") as fh:
                out.append([f"`{res.name}`", str(max(sum(1 for _ in csv.reader(fh)) - 1, 0))])
        return out
    finally:
        pkg.close()


def _folder(tmp: str, name: str) -> Path:
    folder = Path(tmp) / name
    folder.mkdir()
    return folder


@cache
def _diff_markdown(root: Path, old_commit: str, new_commit: str | None, old: str, new: str) -> str:
    """The diff between two commits (or a commit and the working tree), as Markdown; cached per process."""
    with tempfile.TemporaryDirectory(prefix="rareearths-changes-") as tmp:
        old_path = _git_side(old_commit, root, _folder(tmp, "old"))
        new_path = _git_side(new_commit, root, _folder(tmp, "new")) if new_commit else root / "datapackage.json"
        sides = [open_target(old_path), open_target(new_path)]
        try:
            return diff_section(diff_packages(sides[0], sides[1], old, new))
        finally:
            for pkg in sides:
                pkg.close()


@cache
def _first_markdown(root: Path, commit: str | None) -> str:
    with tempfile.TemporaryDirectory(prefix="rareearths-changes-") as tmp:
        path = _git_side(commit, root, _folder(tmp, "first")) if commit else root / "datapackage.json"
        return "First release: every row is new.\n\n" + md_table(["Table", "Rows"], _row_counts(path))


def release_page(root: Path, v: Version, before: Release | None) -> str:
    title = f"# What changed in {v.version} ({v.label})"
    lines = [title, ""]
    if not v.released:
        lines += [
            '!!! warning "Not released yet"',
            f"    Version {v.version} is the working copy: it is not recorded in `releases.json`, so "
            "it may still change. Releases are recorded with `rareearths build --record`.",
            "",
        ]
    if v.commit:
        lines += [f"Content: commit `{v.commit[:12]}`.", ""]
    try:
        if v.commit and not has_commit(root, v.commit):
            raise DiffError(f"commit {v.commit[:12]} is not in this clone")
        if before is None:
            lines.append(_first_markdown(root, v.commit))
        elif not before.commit or not has_commit(root, before.commit):
            raise DiffError(f"the commit of {before.version} is not in this clone")
        else:
            lines.append(_diff_markdown(root, before.commit, v.commit, before.version, v.version))
    except DiffError as exc:
        lines += [
            '!!! note "Row-level diff not available"',
            f"    {exc}. In a full clone of the repository, run `rareearths diff` to see it.",
        ]
    return "\n".join(lines) + "\n"


def index_page(items: list[Version]) -> str:
    rows = [[f"[{v.version}]({v.version}.md)", v.label] for v in items]
    return "\n".join(
        [
            "# What changed",
            "",
            "Each version against the release before it, row by row: tables and fields added or removed, "
            "rows added, removed and corrected, by primary key. The same comparison runs on the command line "
            "as `rareearths diff OLD NEW` (versions, git revisions or paths). The reasons are in the "
            "[changelog](../../changelog.md).",
            "",
            md_table(["Version", "Status"], rows),
        ]
    )


def pages(root: Path, current: str) -> dict[str, str]:
    """`index.md` and one page per version, by file name under `changes/`."""
    releases = load_releases(root / "releases.json")
    items = versions(root, current)
    out = {"index.md": index_page(items)}
    for v in items:
        out[f"{v.version}.md"] = release_page(root, v, previous_release(releases, v.version))
    return out
