"""The interactive pages as a reader uses them, in headless Chromium driven by playwright-core:
type SQL on the Query page and read the answer from the rendered table, check it against the
built database, and confirm that nothing is fetched from outside the site.

Needs Node.js with `npm ci` done (playwright-core, and DuckDB-WASM bundled into docs/vendor/ by
`make js`) and a Chromium binary; each missing piece skips with its reason.
"""

from __future__ import annotations

import csv
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
    plan = {"pages": ["query"], "queries": QUERIES}
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


def test_query_page_explains_bad_sql(query_run: dict[str, Any]):
    bad = query_run["query"]["runs"][2]
    assert bad["rows"] == "error"
    assert "syntax error" in bad["error"] and "SELEC" in bad["error"]


def test_nothing_is_fetched_from_outside_the_site(query_run: dict[str, Any]):
    assert query_run["outside"] == []
    assert query_run["console_errors"] == []
