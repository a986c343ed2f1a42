"""The interactive pages as a reader uses them, in headless Chromium driven by playwright-core:
type SQL on the Query page and read the answer from the rendered table, pick days on the "What
was in force on …" page and read the statuses, check both against the built database, and
confirm that nothing is fetched from outside the site. Screenshots go to tests/artifacts/.

Needs Node.js with `npm ci` done (playwright-core, and DuckDB-WASM bundled into docs/vendor/ by
`make js`) and a Chromium binary; each missing piece skips with its reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest

from rareearths.building.build import DB_NAME
from tests.conftest import ROOT, chromium

ARTIFACTS = ROOT / "tests" / "artifacts"
DRIVER = ROOT / "tests" / "browser" / "site_check.mjs"

IN_FORCE_SQL = "SELECT control_id, status FROM controls_in_force(DATE '2025-11-15') ORDER BY control_id"
QUERIES = [IN_FORCE_SQL, "SELECT count(*) AS deals, count(DISTINCT funder_code) AS funders FROM deals", "SELEC oops"]


def _needs() -> tuple[str, str]:
    binary = chromium()
    if binary is None:
        pytest.skip("no chromium binary (install it with `make browser` or `apt-get install chromium`)")
    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js on PATH: the browser test drives Chromium with playwright-core")
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.skip("node_modules/ is not installed: run `make js` (npm ci from package-lock.json)")
    if not (ROOT / "docs" / "vendor" / "duckdb" / "duckdb.mjs").is_file():
        pytest.skip("DuckDB-WASM is not bundled into docs/vendor/duckdb/: run `make js`")
    return binary, node


def _drive(served: str, plan: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    binary, node = _needs()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    proc = subprocess.run(
        [node, str(DRIVER), binary, served, str(ARTIFACTS), str(plan_file)],
        capture_output=True,
        text=True,
        timeout=150,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _database(built_dist: Path, sql: str) -> tuple[list[str], list[list[str]]]:
    with duckdb.connect(str(built_dist / DB_NAME), read_only=True) as con:
        cur = con.execute(sql)
        return [d[0] for d in cur.description], [["" if v is None else str(v) for v in row] for row in cur.fetchall()]


@pytest.fixture(scope="module")
def query_run(served: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    plan = {"pages": ["home", "charts", "query"], "queries": QUERIES}
    return _drive(served, plan, tmp_path_factory.mktemp("query"))


def test_query_page_answers_typed_sql_like_the_database(query_run: dict[str, Any], built_dist: Path):
    page = query_run["query"]
    assert "failure" not in page, page
    in_force, counts, _bad = page["runs"]
    assert in_force["table"]["columns"] == ["control_id", "status"]
    assert [in_force["table"]["columns"], in_force["table"]["rows"]] == list(_database(built_dist, IN_FORCE_SQL))
    assert ["mofcom-2025-18", "in_force"] in in_force["table"]["rows"]
    columns, rows = _database(built_dist, QUERIES[1])
    assert counts["table"] == {"columns": columns, "rows": rows}
    assert (ROOT / "tests" / "artifacts" / "query.png").stat().st_size > 20_000


def test_query_page_runs_the_first_example_and_offers_its_csv(query_run: dict[str, Any], built_dist: Path):
    page = query_run["query"]
    assert page["first_example"]["rows"], "the preloaded example shows its result on arrival"
    header, *body = list(csv.reader(io.StringIO(page["csv"])))
    assert header == ["control_id", "status"]
    assert body == _database(built_dist, IN_FORCE_SQL)[1]


def test_query_page_makes_every_view_and_macro_of_the_database(query_run: dict[str, Any]):
    page = query_run["query"]
    assert page["setup_error"] == "", page["setup_error"]  # no statement of derived.sql was skipped
    assert page["engine"].startswith("DuckDB v") and "loaded in" in page["engine"]


def test_query_page_explains_bad_sql(query_run: dict[str, Any]):
    bad = query_run["query"]["runs"][2]
    assert bad["rows"] == "error"
    assert "syntax error" in bad["error"] and "SELEC" in bad["error"]


def test_nothing_is_fetched_from_outside_the_site(query_run: dict[str, Any]):
    """Home, charts and the Query page loaded with every request outside the site refused and recorded."""
    assert query_run["home"]["title"].startswith("Rare-earth supply chains") and "failure" not in query_run["charts"]
    assert query_run["outside"] == []
    assert query_run["console_errors"] == []


STATUS_FIELDS = ("control_id", "status", "reason", "by_control_id", "status_from", "status_until", "source_id")


def _status_on(built_dist: Path, day: str) -> list[dict[str, str]]:
    cols = ", ".join(STATUS_FIELDS)
    with duckdb.connect(str(built_dist / DB_NAME), read_only=True) as con:
        rows = con.execute(f"SELECT {cols} FROM control_status_on(DATE '{day}') ORDER BY control_id").fetchall()
    return [{k: "" if v is None else str(v) for k, v in zip(STATUS_FIELDS, r, strict=True)} for r in rows]


def _sample_days(built_dist: Path) -> tuple[str, list[str]]:
    """The horizon and days after it, the edges of every suspension (its last day and the day after),
    and a few days readers ask about."""
    with duckdb.connect(str(built_dist / DB_NAME), read_only=True) as con:
        (horizon,) = con.execute("SELECT evidence_horizon()").fetchone()
        edges = con.execute(
            "SELECT DISTINCT unnest([status_from - 1, status_from, status_until, status_until + 1]) "
            "FROM control_status_periods WHERE status IN ('suspended', 'partially_suspended') ORDER BY 1"
        ).fetchall()
    days = {horizon, horizon + dt.timedelta(days=1), horizon + dt.timedelta(days=400)}
    days |= {e[0] for e in edges}
    days |= {dt.date(2010, 10, 15), dt.date(2025, 11, 15), dt.date(2026, 1, 15), dt.date(2009, 1, 1)}
    return horizon.isoformat(), sorted(d.isoformat() for d in days)


@pytest.fixture(scope="module")
def in_force_run(served: str, site: Path, built_dist: Path, tmp_path_factory: pytest.TempPathFactory):
    if not (site / "generated" / "in-force" / "status-periods.json").is_file():
        pytest.skip("the built database has no control_status_periods view yet (it comes with the model branch)")
    horizon, days = _sample_days(built_dist)
    plan = {"pages": ["in_force"], "dates": days, "screenshot_date": "2025-11-15"}
    return horizon, days, _drive(served, plan, tmp_path_factory.mktemp("in-force"))


def test_in_force_page_agrees_with_control_status_on(in_force_run, built_dist: Path):
    horizon, days, result = in_force_run
    page = result["in_force"]
    assert "failure" not in page, page
    assert page["default_date"] == horizon
    assert len(days) >= 8
    for day in days:
        shown = sorted(
            ({"control_id": r["controlId"], "status": r["status"], "reason": r["reason"], "by_control_id": r["by"],
              "status_from": r["from"], "status_until": r["until"], "source_id": r["source"]}
             for r in page["dates"][day]["rows"]),
            key=lambda r: r["control_id"],
        )  # fmt: skip
        assert shown == _status_on(built_dist, day), day


def test_in_force_page_says_what_a_reader_needs(in_force_run):
    horizon, _days, result = in_force_run
    page = result["in_force"]
    after = (dt.date.fromisoformat(horizon) + dt.timedelta(days=1)).isoformat()
    assert "after the evidence horizon" in page["dates"][after]["summary"]
    assert {r["status"] for r in page["dates"][after]["rows"]} == {"unknown"}
    assert page["dates"]["2009-01-01"]["summary"].startswith("No measure had been announced")
    truce = page["dates"]["2025-11-15"]
    assert truce["shown"]["columns"][:2] == ["Measure", "Status on 2025-11-15"]
    assert any(row[1] == "suspended" for row in truce["shown"]["rows"])
    assert (ARTIFACTS / "in-force.png").stat().st_size > 20_000
    assert result["outside"] == [] and result["console_errors"] == []


def test_macro_parameters_are_renamed_for_the_browsers_older_duckdb():
    from rareearths.site.query_in_browser import rename_macro_parameters, split_statements

    sql = (
        "-- the package's helper\nCREATE MACRO label(d, precision) AS CASE WHEN precision = 'precision' "
        "THEN t.precision ELSE strftime(d, '%Y') END"
    )
    assert rename_macro_parameters(sql) == (
        "CREATE MACRO label(_arg_d, _arg_precision) AS CASE WHEN _arg_precision = 'precision' "
        "THEN t.precision ELSE strftime(_arg_d, '%Y') END"
    )
    assert (
        rename_macro_parameters("CREATE VIEW v AS SELECT precision FROM t")
        == "CREATE VIEW v AS SELECT precision FROM t"
    )
    # the renamed derived SQL builds a database that answers as the original does
    from rareearths.dataset import derived_sql

    statements = split_statements(derived_sql())
    assert any("_arg_" in s.sql for s in statements)


def test_the_browsers_statements_make_the_same_views(built_dist: Path):
    """The Query page's setup, run on the tables alone, answers as the built database does."""
    from rareearths.building.build import package_metadata_sql
    from rareearths.dataset import derived_sql
    from rareearths.site.package import load_package, typed_connection
    from rareearths.site.query_in_browser import split_statements

    package = load_package(ROOT)
    con = typed_connection(package)
    for sql in package_metadata_sql(package.descriptor) + [s.sql for s in split_statements(derived_sql())]:
        con.execute(sql)
    with duckdb.connect(str(built_dist / DB_NAME), read_only=True) as db:
        for query in (
            "SELECT * FROM control_status_periods ORDER BY ALL",
            "SELECT * FROM control_status_on(DATE '2026-01-15') ORDER BY ALL",
            "SELECT * FROM controls_status ORDER BY ALL",
        ):
            assert con.execute(query).fetchall() == db.execute(query).fetchall(), query
