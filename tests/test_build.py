"""`rareearths build`: the database matches the schemas, the derived SQL answers correctly,
the artifacts are reproducible, and an invalid package is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from rareearths.building.build import DB_NAME, build
from rareearths.building.schema_ddl import enum_values
from rareearths.dataset import derived_sql
from rareearths.dataset.rules import RULES
from tests.conftest import ROOT, copy_package, run_cli, set_cells

PKG = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
SCHEMAS = {r["name"]: json.loads((ROOT / r["schema"]).read_text(encoding="utf-8")) for r in PKG["resources"]}


@pytest.fixture(scope="module")
def dist(built_dist: Path) -> Path:
    return built_dist


@pytest.fixture(scope="module")
def db(dist: Path):
    con = duckdb.connect(str(dist / DB_NAME), read_only=True)
    yield con
    con.close()


def test_every_artifact_is_written(dist: Path):
    names = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    expected = {DB_NAME, "SHA256SUMS", f"rare-earth-supply-chain-{PKG['version']}.zip"}
    expected |= {f"parquet/{r}.parquet" for r in SCHEMAS}
    assert names == expected


def test_tables_columns_types_and_comments_match_the_schemas(db):
    for name, schema in SCHEMAS.items():
        cols = db.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
        assert [c[0] for c in cols] == [f["name"] for f in schema["fields"]], name
        for (col, dtype, comment), field in zip(cols, schema["fields"], strict=True):
            assert comment == field["description"], (name, col)
            if vals := enum_values(field):
                assert dtype == "ENUM(" + ", ".join(f"'{v}'" for v in vals) + ")", (name, col)
            else:
                want = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN",
                        "date": "DATE"}[field["type"]]  # fmt: skip
                assert dtype == want, (name, col)
        table_comment = db.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
        assert table_comment


def test_keys_are_constraints(db):
    for name, schema in SCHEMAS.items():
        rows = db.execute(
            "SELECT constraint_type, constraint_column_names, referenced_table FROM duckdb_constraints() "
            "WHERE table_name = ?",
            [name],
        ).fetchall()
        pks = [r[1] for r in rows if r[0] == "PRIMARY KEY"]
        assert pks == [schema["primaryKey"]], name
        fks = sorted((r[1], r[2]) for r in rows if r[0] == "FOREIGN KEY")
        want = sorted((fk["fields"], fk["reference"]["resource"]) for fk in schema.get("foreignKeys", []))
        assert fks == want, name


def test_row_counts_match_the_csvs(db):
    for name in SCHEMAS:
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8") as fh:
            n = sum(1 for _ in fh) - 1
        assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == n


def _in_force(db, day: str) -> set[str]:
    return {r[0] for r in db.execute(f"SELECT control_id FROM controls_in_force(DATE '{day}')").fetchall()}


def test_controls_in_force_respects_suspensions(db):
    nov = _in_force(db, "2025-11-15")
    assert "mofcom-2025-18" in nov  # April 2025 No. 18 was never suspended
    assert not nov & {f"mofcom-2025-{n}" for n in (55, 56, 57, 58, 61, 62)}  # suspended by No. 70
    assert "mofcom-2024-46" in nov  # only a clause suspended


def test_controls_in_force_before_announcement_and_during_2010(db):
    assert "mofcom-2025-61" in _in_force(db, "2025-10-20")  # in force on publication, before No. 70
    assert "mofcom-2025-57" not in _in_force(db, "2025-10-20")  # announced, effective only from 8 Nov
    assert "mofcom-rare-earth-export-quotas-2010-2014" in _in_force(db, "2010-10-01")
    assert "mofcom-rare-earth-export-quotas-2010-2014" not in _in_force(db, "2015-06-01")
    assert "chn-2010-japan-rare-earth-halt" not in _in_force(db, "2010-10-01")  # reported, never in force
    assert "mofcom-2026-1" not in _in_force(db, "2025-12-31")


def test_status_and_its_dates(db):
    rows = dict(
        (r[0], r[1:])
        for r in db.execute(
            "SELECT control_id, status, status_from, status_until FROM control_status_on(DATE '2025-11-15')"
        ).fetchall()  # fmt: skip
    )
    horizon = db.execute("SELECT evidence_horizon()").fetchone()[0]
    assert rows["mofcom-2025-57"] == ("suspended", date(2025, 11, 7), date(2026, 11, 10))
    assert rows["mofcom-2024-46"] == ("partially_suspended", date(2025, 11, 9), horizon)  # holds at the horizon
    assert rows["mofcom-2025-18"] == ("in_force", date(2025, 4, 4), horizon)


def test_latest_dependency_and_deal_views(db):
    latest = db.execute(
        "SELECT ratio_id FROM latest_dependency WHERE importer_code = 'USA' AND metric = 'net_import_reliance'"
    ).fetchall()
    # dependency_ratios: one definition of US net import reliance, 2014 to 2025; MCS 2026 gives 2025 (67%, an
    # estimate), the latest period.
    assert latest == [("usgs-mcs-2026-usa-nir-2025",)]
    # deal_parties of the 2011 loan (US$225m): JOGMEC and JARE lend, Lynas receives, Sojitz arranged it;
    # parties are listed by role (in the order of the role ENUM: lender, ..., recipient, ..., arranger), then id.
    parties = db.execute("SELECT parties FROM deals_with_parties WHERE deal_id = 'jogmec-sojitz-lynas-2011'").fetchone()
    assert parties[0] == "jare (lender); jogmec (lender); lynas (recipient); sojitz (arranger)"
    views = {r[0] for r in db.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"controls_status", "latest_dependency", "deals_with_parties"} <= views


def test_parquet_keeps_types(dist: Path):
    con = duckdb.connect()
    rel = con.execute(f"DESCRIBE SELECT * FROM '{dist / 'parquet' / 'dependency_ratios.parquet'}'").fetchall()
    types = {r[0]: r[1] for r in rel}
    assert types["period_end"] == "DATE" and types["is_projection"] == "BOOLEAN" and types["value"] == "DOUBLE"


def test_zip_is_a_valid_data_package(dist: Path):
    exe = Path(sys.executable).parent / "frictionless"
    zip_path = dist / f"rare-earth-supply-chain-{PKG['version']}.zip"
    proc = subprocess.run([str(exe), "validate", zip_path.name, "--json"], capture_output=True, text=True, cwd=dist)
    assert json.loads(proc.stdout)["valid"], proc.stdout[:2000]


def test_rebuild_is_byte_identical(dist: Path, tmp_path: Path):
    build(ROOT / "datapackage.json", tmp_path, rules=RULES, derived_sql=derived_sql())
    for p in dist.rglob("*"):
        if p.is_file() and p.name != DB_NAME and p.name != "SHA256SUMS":
            assert (tmp_path / p.relative_to(dist)).read_bytes() == p.read_bytes(), p.name


def test_checksums_cover_every_artifact(dist: Path):
    import hashlib

    for line in (dist / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ")
        assert hashlib.sha256((dist / rel).read_bytes()).hexdigest() == digest


def test_invalid_package_is_refused_and_old_artifacts_kept(mini: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert run_cli("build", str(mini), "--out", str(out))[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    set_cells(mini.parent / "data" / "deals.csv", "jare-lynas-equity-2022", {"currency": "dollars"})
    code, output = run_cli("build", str(mini), "--out", str(out))
    assert code == 1 and "build refused" in output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def _git(repo: Path, *args: str) -> str:
    cmd = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def test_released_version_is_immutable_and_recorded_with_its_commit(tmp_path: Path):
    pkg = copy_package(tmp_path)
    code, output = run_cli("build", str(pkg), "--out", str(tmp_path / "d"), "--record")
    assert code == 1 and "not a git repository" in output
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "datapackage.json", "schemas", "data")
    _git(tmp_path, "commit", "-qm", "release")
    assert run_cli("build", str(pkg), "--out", str(tmp_path / "d"), "--record")[0] == 0
    (entry,) = json.loads((tmp_path / "releases.json").read_text(encoding="utf-8"))["releases"]
    assert entry["commit"] == _git(tmp_path, "rev-parse", "HEAD") and entry["version"] == PKG["version"]
    set_cells(tmp_path / "data" / "jurisdictions.csv", "AUS", {"name_en": "Commonwealth of Australia"})
    code, output = run_cli("build", str(pkg), "--out", str(tmp_path / "d"))
    assert code == 1 and "bump the version" in output


def test_recording_refuses_uncommitted_data(tmp_path: Path):
    pkg = copy_package(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "data")
    descriptor = json.loads(pkg.read_text(encoding="utf-8"))
    descriptor["version"] = "9.0.0"
    pkg.write_text(json.dumps(descriptor), encoding="utf-8")
    code, output = run_cli("build", str(pkg), "--out", str(tmp_path / "d"), "--record")
    assert code == 1 and "commit the package's files first" in output
    assert not (tmp_path / "releases.json").exists()


def test_only_the_current_versions_zip_stays(tmp_path: Path):
    pkg = copy_package(tmp_path)
    out = tmp_path / "d"
    (out / "parquet").mkdir(parents=True)
    (out / "rare-earth-supply-chain-0.9.0.zip").write_bytes(b"old")
    (out / "parquet" / "dropped_table.parquet").write_bytes(b"old")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert run_cli("build", str(pkg), "--out", str(out))[0] == 0
    assert sorted(p.name for p in out.glob("*.zip")) == [f"rare-earth-supply-chain-{PKG['version']}.zip"]
    assert not (out / "parquet" / "dropped_table.parquet").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_shipped_release_record_matches_the_data():
    """A recorded version's content is what is shipped; a version not recorded yet is newer than
    every release (it is the next one, shown as unreleased) and CHANGELOG.md says it is unreleased."""
    from rareearths.building.artifacts import content_digest
    from rareearths.building.build import package_members
    from rareearths.building.releases import find_release, load_releases, version_key
    from rareearths.opening.package_source import open_target

    releases = load_releases(ROOT / "releases.json")
    entry = find_release(releases, PKG["version"])
    if entry is None:
        assert all(version_key(r.version) < version_key(PKG["version"]) for r in releases)
        assert f"\n## {PKG['version']} - unreleased\n" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        return
    pkg = open_target(ROOT / "datapackage.json")
    try:
        assert entry.content_sha256 == content_digest(package_members(pkg))
    finally:
        pkg.close()
