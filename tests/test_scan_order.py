"""The scan keeps the file's order: row numbers are the loaded table's row order, and DuckDB
keeps a parallel scan's order only when no join is in the query. Enums are where one could
creep in (DuckDB's optimizer turns an IN list of five values or more into a join), so an enum is
compared value by value when short and matched by one regular expression when long."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rareearths.checking import csv_loader
from rareearths.checking.csv_header import read_header
from rareearths.checking.scan_plan import read_csv_sql, scan_sql
from rareearths.checking.validate import connect, validate_path
from rareearths.opening.package_source import open_target

SHORT = ["alpha", "beta", "gamma", "delta", "epsilon"]
LONG = [*SHORT, "a.b", "x|y", "(z)", "中文", "it's", 'q"r', "back\\slash", *(f"v{i}" for i in range(20))]


def _package(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["short,long", *(f'{a},"{b.replace(chr(34), chr(34) * 2)}"' for a, b in rows)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    fields = [
        {"name": "short", "type": "string", "constraints": {"enum": SHORT}},
        {"name": "long", "type": "string", "constraints": {"enum": LONG}},
    ]
    resource = {"name": "d", "path": "d.csv", "format": "csv", "schema": {"fields": fields}}
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    return path


def test_no_join_in_the_scan_of_short_and_long_enums(tmp_path: Path) -> None:
    pkg = open_target(_package(tmp_path, [("alpha", "a.b")]))
    res = pkg.resources[0]
    con = connect()
    header = read_header(res)
    plans, _ = csv_loader.plan_scan(con, res, len(header.labels or []), None)
    source = read_csv_sql([str(res.files[0])], res.dialect, 2, header.skip_lines, False, "", False, "r")
    query = scan_sql(plans[0], "t", source, res.dialect, False).removeprefix("CREATE TABLE t AS ")
    plan = "\n".join(row[1] for row in con.execute(f"EXPLAIN {query}").fetchall())
    assert "Join" not in plan and "JOIN" not in plan
    pkg.close()


@pytest.mark.parametrize("value", LONG)
def test_every_value_of_a_long_enum_is_accepted(tmp_path: Path, value: str) -> None:
    assert validate_path(_package(tmp_path, [("alpha", value)])).findings == []


@pytest.mark.parametrize("value", ["aXb", "x", "z", "中", "v1 ", "V1", "alpha|beta", ""])
def test_other_values_break_a_long_enum(tmp_path: Path, value: str) -> None:
    found = [(f.type, f.row, f.field) for f in validate_path(_package(tmp_path, [("omega", value)])).findings]
    expected = [("constraint-error", 2, "short")] + ([("constraint-error", 2, "long")] if value else [])
    assert sorted(found) == sorted(expected)
