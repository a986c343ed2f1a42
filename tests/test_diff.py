"""`rareearths diff`: exactly the planted changes, the bump they need, from paths or git revisions."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from rareearths.diffing.package_diff import ResourceDiff, required_bump, version_bump
from tests.conftest import FIXTURES, ROOT, copy_package, json_findings, run_cli, set_cells


def _plant(pkg: Path) -> None:
    """The changes test_diff expects: one of each kind."""
    data, schemas = pkg.parent / "data", pkg.parent / "schemas"
    with open(data / "jurisdictions.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(["KOR", "South Korea", "대한민국", "country"])
    set_cells(data / "export_controls.csv", "mofcom-2025-57", {"title_en": "Holmium and four others"})
    rows = (data / "deal_parties.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data / "deal_parties.csv").write_text("".join(r for r in rows if ",sojitz,investor," not in r), encoding="utf-8")
    schema = json.loads((schemas / "materials.json").read_text(encoding="utf-8"))
    next(f for f in schema["fields"] if f["name"] == "atomic_number")["type"] = "number"
    (schemas / "materials.json").write_text(json.dumps(schema), encoding="utf-8")
    descriptor = json.loads(pkg.read_text(encoding="utf-8"))
    descriptor["version"] = "1.1.0"
    pkg.write_text(json.dumps(descriptor), encoding="utf-8")


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    old = copy_package(tmp_path / "v1", FIXTURES / "mini" / "data")
    new = copy_package(tmp_path / "v2", FIXTURES / "mini" / "data")
    for p in (old, new):
        d = json.loads(p.read_text(encoding="utf-8"))
        d["version"] = "1.0.0"
        p.write_text(json.dumps(d), encoding="utf-8")
    _plant(new)
    return old, new


def test_reports_exactly_the_planted_changes(versions: tuple[Path, Path]):
    old, new = versions
    code, out = run_cli("diff", str(old), str(new), "--format", "json")
    assert code == 1  # the planted change needs a major bump and got a minor one
    doc = json.loads(out)
    changed = {r["name"]: r for r in doc["resources"] if r["status"] != "same"}
    assert set(changed) == {"jurisdictions", "export_controls", "deal_parties", "materials"}
    assert changed["jurisdictions"]["rows_added"] == [["KOR"]]
    assert changed["deal_parties"]["rows_removed"] == [["jogmec-sojitz-lynas-2011", "sojitz", "investor"]]
    (change,) = changed["export_controls"]["rows_changed"]
    assert change["key"] == ["mofcom-2025-57"]
    assert change["changes"] == {
        "title_en": {
            "old": "Export controls on certain medium and heavy rare-earth items (Ho, Er, Tm, Eu, Yb)",
            "new": "Holmium and four others",
        }  # fmt: skip
    }
    assert changed["materials"]["fields_retyped"] == [{"field": "atomic_number", "old": "integer", "new": "number"}]
    assert changed["materials"]["rows_changed"] == []  # 66 and 66.0 are the same value
    assert (doc["required_bump"], doc["actual_bump"], doc["version_ok"]) == ("major", "minor", False)


def test_markdown_output_for_a_pull_request(versions: tuple[Path, Path]):
    old, new = versions
    out = run_cli("diff", str(old), str(new), "--format", "markdown")[1]
    assert "| `jurisdictions` | changed | 1 | 0 | 0 |" in out
    assert "needs a major bump" in out
    assert "- changed `mofcom-2025-57`: `title_en`" in out


def test_git_revisions(tmp_path: Path, versions: tuple[Path, Path]):
    old, new = versions
    repo = tmp_path / "repo"
    shutil.copytree(old.parent, repo)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    shutil.rmtree(repo / "data")
    shutil.rmtree(repo / "schemas")
    shutil.copytree(new.parent / "data", repo / "data")
    shutil.copytree(new.parent / "schemas", repo / "schemas")
    shutil.copy(new, repo / "datapackage.json")
    subprocess.run([*git, "commit", "-qam", "v2"], check=True)
    code, out = run_cli("diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format", "json")
    assert code == 1
    assert json.loads(out)["required_bump"] == "major"
    assert run_cli("diff", "no-such-rev", "HEAD", "--repo", str(repo))[0] == 2
    # a released version resolves to the commit releases.json records for it
    first = subprocess.run([*git, "rev-parse", "HEAD~1"], check=True, capture_output=True, text=True).stdout.strip()
    record = {"releases": [{"version": "1.0.0", "date": "2026-01-01", "commit": first, "content_sha256": ""}]}
    (repo / "releases.json").write_text(json.dumps(record), encoding="utf-8")
    code, out = run_cli("diff", "1.0.0", "HEAD", "--repo", str(repo), "--format", "json")
    assert code == 1 and json.loads(out)["old_version"] == "1.0.0" and json.loads(out)["required_bump"] == "major"
    assert run_cli("diff", "v1.0.0", "HEAD~1", "--repo", str(repo))[0] == 0  # same content, same version


def test_exit_code_says_whether_the_bump_is_enough(versions: tuple[Path, Path]):
    old, new = versions
    descriptor = json.loads(new.read_text(encoding="utf-8"))
    descriptor["version"] = "2.0.0"
    new.write_text(json.dumps(descriptor), encoding="utf-8")
    code, out = run_cli("diff", str(old), str(new))
    assert code == 0 and "change needs: major; ok" in out
    descriptor["version"] = "1.0.1"
    new.write_text(json.dumps(descriptor), encoding="utf-8")
    code, out = run_cli("diff", str(old), str(new))
    assert code == 1 and "too small: this change needs a major bump" in out


def test_the_first_release_is_recorded_with_its_commit():
    """`rareearths diff 1.0.0` works in this repository: 1.0.0's commit holds what was released."""
    from rareearths.building.artifacts import content_digest
    from rareearths.building.build import package_members
    from rareearths.building.releases import find_release, git, has_commit, load_releases
    from rareearths.diffing.package_diff import _git_side
    from rareearths.opening.package_source import open_target

    release = find_release(load_releases(ROOT / "releases.json"), "1.0.0")
    assert release is not None and release.commit and len(release.commit) == 40
    if git(ROOT, "rev-parse", "HEAD") is None or not has_commit(ROOT, release.commit):
        pytest.skip("not a full git clone: the release commit is not here")
    with tempfile.TemporaryDirectory() as tmp:
        pkg = open_target(_git_side(release.commit, ROOT, Path(tmp)))
        try:
            assert content_digest(package_members(pkg)) == release.content_sha256
            assert pkg.descriptor["version"] == "1.0.0"
        finally:
            pkg.close()


@pytest.mark.parametrize(
    ("change", "bump"),
    [
        ({"status": "removed"}, "major"),
        ({"fields_removed": ["x"]}, "major"),
        ({"fields_retyped": [{"field": "x", "old": "integer", "new": "string"}]}, "major"),
        ({"fields_added": ["x"]}, "minor"),
        ({"rows_added": [["a"]]}, "minor"),
        ({"rows_changed": [{"key": ["a"], "changes": {}}]}, "patch"),
        ({}, "none"),
    ],
)
def test_version_rules(change: dict, bump: str):
    assert required_bump([ResourceDiff("t", **change)]) == bump


def test_version_bump_reading():
    assert version_bump("1.0.0", "2.0.0") == "major"
    assert version_bump("1.0.0", "1.1.0") == "minor"
    assert version_bump("1.0.0", "1.0.1") == "patch"
    assert version_bump("1.0.0", "1.0.0") == "none"


def test_planted_package_is_still_readable(versions: tuple[Path, Path]):
    """The planted v2 is a realistic edit: it validates apart from the planted retype's knock-on."""
    _, new = versions
    code, findings = json_findings("validate", str(new))
    assert code in (0, 1) and all(f["type"] != "source-error" for f in findings)
