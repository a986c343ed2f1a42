"""`rareearths query`: read-only, refuses what would write or reach outside, and the example
queries in queries/ give their expected answers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from rareearths.building.build import DB_NAME, build
from rareearths.building.query import read_query_file
from rareearths.dataset import derived_sql
from rareearths.dataset.rules import RULES
from tests.conftest import FIXTURES, ROOT, run_cli

QUERIES = sorted((ROOT / "queries").glob("*.sql"))
ANSWERS = FIXTURES / "query_answers"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(ROOT / "datapackage.json", out, rules=RULES, derived_sql=derived_sql())
    return out / DB_NAME


def _csv(db: Path, sql_file: Path) -> list[dict[str, str]]:
    code, out = run_cli("query", "--file", str(sql_file), "--db", str(db), "--format", "csv")
    assert code == 0, out
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize("sql_file", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_query_is_documented_and_answers(db: Path, sql_file: Path):
    meta = read_query_file(sql_file)
    assert meta.get("title") and meta.get("description")
    rows = _csv(db, sql_file)
    with open(ANSWERS / f"{sql_file.stem}.csv", encoding="utf-8", newline="") as fh:
        assert rows == list(csv.DictReader(fh))


def test_every_query_has_an_answer_file_and_none_reads_the_clock():
    """Answers hold at the evidence horizon, whatever the date of the run."""
    for q in QUERIES:
        text = q.read_text(encoding="utf-8").lower()
        assert "current_date" not in text and "now()" not in text and "today()" not in text, q.name
    assert {p.stem for p in ANSWERS.glob("*.csv")} == {q.stem for q in QUERIES}


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x (a INT)",
        "INSERT INTO sources (source_id) VALUES ('x')",
        "DELETE FROM deals",
        "ATTACH '/tmp/other.duckdb' AS o",
        "COPY deals TO '/tmp/deals.csv'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM 'https://example.org/x.parquet'",
        "SET enable_external_access = true",
        "SELECT 1; DROP TABLE deals",
    ],
)
def test_writes_and_outside_access_are_refused(db: Path, sql: str):
    code, out = run_cli("query", sql, "--db", str(db))
    assert code == 1
    assert "error" in out.lower() and "Traceback" not in out


def test_formats(db: Path):
    sql = "SELECT jurisdiction_code, name_en FROM jurisdictions WHERE jurisdiction_code = 'JPN'"
    assert run_cli("query", sql, "--db", str(db), "--format", "json")[1].strip().startswith("[")
    assert "| JPN | Japan |" in run_cli("query", sql, "--db", str(db), "--format", "markdown")[1]
    assert "Japan" in run_cli("query", sql, "--db", str(db))[1]


def test_missing_database_says_how_to_build(tmp_path: Path):
    code, out = run_cli("query", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "make" in out
