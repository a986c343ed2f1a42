"""`rareearths.connect()` and `rareearths.table()`: the built database for Python users."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import rareearths
from rareearths.building.build import DB_NAME
from tests.conftest import ROOT


def test_connect_is_read_only_and_has_the_views(built_dist: Path):
    con = rareearths.connect(built_dist / DB_NAME)
    try:
        assert con.execute("SELECT count(*) FROM controls_in_force(DATE '2025-11-15')").fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM deals")
    finally:
        con.close()


def test_table_has_proper_dtypes(built_dist: Path):
    deals = rareearths.table("deals", built_dist / DB_NAME)
    assert len(deals) == duckdb.connect(str(built_dist / DB_NAME), read_only=True).table("deals").shape[0]
    assert pd.api.types.is_datetime64_any_dtype(deals["announced_on"])
    assert isinstance(deals["status"].dtype, pd.CategoricalDtype) and "disbursed" in deals["status"].cat.categories
    assert pd.api.types.is_float_dtype(deals["amount"])
    untyped = [c for c in deals.columns if pd.api.types.is_object_dtype(deals[c])]
    assert untyped == [], untyped
    ratios = rareearths.table("dependency_ratios", built_dist / DB_NAME)
    assert pd.api.types.is_datetime64_any_dtype(ratios["period_end"])
    assert pd.api.types.is_bool_dtype(ratios["is_estimate"])


def test_views_too_and_unknown_names_are_refused(built_dist: Path):
    assert len(rareearths.table("latest_dependency", built_dist / DB_NAME)) > 0
    with pytest.raises(KeyError, match="no table or view 'nope'"):
        rareearths.table("nope", built_dist / DB_NAME)


def test_a_missing_database_says_how_to_get_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RAREEARTHS_DB", str(tmp_path / "none.duckdb"))
    with pytest.raises(FileNotFoundError, match="build it with `make`"):
        rareearths.connect()
    monkeypatch.setenv("RAREEARTHS_DB", str(tmp_path / ".." / tmp_path.name / "none.duckdb"))
    with pytest.raises(FileNotFoundError):
        rareearths.table("deals")


def test_importing_the_package_does_not_import_duckdb_or_pandas():
    code = "import sys, rareearths; print(sorted(m for m in ('duckdb', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_pandera_schema_passes_the_built_table_and_fails_a_broken_row(built_dist: Path):
    import ibis
    import pandera.errors

    schema = rareearths.pandera_schema("dependency_ratios", ROOT / "datapackage.json")
    why = next(c.error for c in schema.checks if c.name == "range-ordered")
    con = duckdb.connect()
    con.execute(f"ATTACH '{built_dist / DB_NAME}' AS built (READ_ONLY)")
    con.execute("CREATE TABLE dependency_ratios AS SELECT * FROM built.dependency_ratios")
    table = ibis.duckdb.from_connection(con).table("dependency_ratios")
    schema.validate(table, lazy=True)  # the shipped rows pass
    con.execute(
        "UPDATE dependency_ratios SET value_low = 0.9, value_high = 0.1 "
        "WHERE ratio_id = (SELECT min(ratio_id) FROM dependency_ratios)"
    )
    with pytest.raises(pandera.errors.SchemaErrors) as exc:
        schema.validate(table, lazy=True)
    assert why in set(exc.value.failure_cases["check"].map(str))
    with pytest.raises(KeyError, match="tables:"):
        rareearths.pandera_schema("no_such_table", ROOT / "datapackage.json")
