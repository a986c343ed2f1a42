"""Releases on the site: each version's "What changed" page from the row-level diff against the
release before it, and a version not recorded in releases.json shown as unreleased."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

from rareearths.site import changes_page
from tests.conftest import FIXTURES, copy_package, set_cells


def _git(repo: Path, *args: str) -> str:
    cmd = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def _repo_with_a_release(tmp_path: Path) -> Path:
    pkg = copy_package(tmp_path, FIXTURES / "mini" / "data")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "1.0.0")
    version = json.loads(pkg.read_text(encoding="utf-8"))["version"]
    record = {"version": version, "date": "2026-11-25", "commit": _git(tmp_path, "rev-parse", "HEAD")}
    (tmp_path / "releases.json").write_text(json.dumps({"releases": [record]}), encoding="utf-8")
    return pkg


def _next(pkg: Path, part: str) -> str:
    major, minor, patch = (int(x) for x in json.loads(pkg.read_text(encoding="utf-8"))["version"].split("."))
    return f"{major}.{minor + 1}.0" if part == "minor" else f"{major}.{minor}.{patch + 1}"


def _bump(pkg: Path, version: str) -> None:
    descriptor = json.loads(pkg.read_text(encoding="utf-8"))
    descriptor["version"] = version
    pkg.write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_version_not_recorded_is_unreleased_and_diffed_row_by_row(tmp_path: Path):
    pkg = _repo_with_a_release(tmp_path)
    old = json.loads(pkg.read_text(encoding="utf-8"))["version"]
    new = _next(pkg, "minor")
    _bump(pkg, new)
    with open(tmp_path / "data" / "jurisdictions.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["KOR", "South Korea", "대한민국", "country"])
    set_cells(tmp_path / "data" / "jurisdictions.csv", "AUS", {"name_en": "Commonwealth of Australia"})

    assert changes_page.release_label(tmp_path, new) == f"unreleased; the last release is {old} of 2026-11-25"
    assert changes_page.release_label(tmp_path, old) == "released 2026-11-25"
    pages = changes_page.pages(tmp_path, new)
    assert set(pages) == {"index.md", f"{new}.md", f"{old}.md"}
    assert f"| [{new}]({new}.md) | unreleased |" in pages["index.md"]
    page = pages[f"{new}.md"]
    assert page.startswith(f"# What changed in {new} (unreleased)") and "Not released yet" in page
    assert "| `jurisdictions` | changed | 1 | 0 | 1 |" in page
    assert "**1 added:** <code>KOR</code>" in page
    assert (
        "| <code>AUS</code> | <code>name_en</code> | <code>Australia</code> | <code>Commonwealth of Australia</code> |"
        in page
    )
    assert "the version went" in page and ": enough." in page
    first = pages[f"{old}.md"]
    assert first.startswith(f"# What changed in {old} (released 2026-11-25)") and "First release" in first


def test_a_bump_too_small_is_said_on_the_page(tmp_path: Path):
    pkg = _repo_with_a_release(tmp_path)
    new = _next(pkg, "patch")
    _bump(pkg, new)
    with open(tmp_path / "data" / "jurisdictions.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["KOR", "South Korea", "대한민국", "country"])
    page = changes_page.pages(tmp_path, new)[f"{new}.md"]
    assert "too small: the change needs a minor version" in page


def test_without_the_release_commit_the_page_says_so(tmp_path: Path):
    pkg = _repo_with_a_release(tmp_path)
    record = json.loads((tmp_path / "releases.json").read_text(encoding="utf-8"))
    record["releases"][0]["commit"] = "0" * 40
    (tmp_path / "releases.json").write_text(json.dumps(record), encoding="utf-8")
    new = _next(pkg, "minor")
    _bump(pkg, new)
    page = changes_page.pages(tmp_path, new)[f"{new}.md"]
    assert "Row-level diff not available" in page and "not in this clone" in page
