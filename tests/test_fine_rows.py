"""The scan tests each row once, cheaply (`scan_plan.fine_sql`), and evaluates every condition only
for the rows that fail that test. The cheap test may send a good row to the full one ('+7', 'NaN'),
never let a bad row through: validating with every row sent to the full test gives the same
findings and the same typed values, on hand-picked edge cells and on random ones."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rareearths.checking import scan_plan
from rareearths.checking.csv_loader import load
from rareearths.checking.validate import connect, validate_path
from rareearths.opening.package_source import open_target

FIELDS = [
    {"name": "id", "type": "integer", "constraints": {"minimum": 1}},
    {"name": "code", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]{2}[0-9]"}},
    {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b", "c", "d", "e", "f"]}},
    {"name": "share", "type": "number", "constraints": {"minimum": 0, "exclusiveMaximum": 1}},
    {"name": "count", "type": "integer", "missingValues": ["", "NA"]},
    {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
    {"name": "at", "type": "datetime"},
    {"name": "flag", "type": "boolean", "constraints": {"required": True}},
    {"name": "note", "type": "string", "constraints": {"maxLength": 4}},
    {"name": "year", "type": "year"},
]
GOOD = ["1", "AB1", "a", "0.5", "3", "2001-02-03", "2001-02-03T04:05:06Z", "true", "hi", "2001"]
EDGES = [
    "", " ", "NA", "0", "-1", "+7", "007", "1.5", "1e3", "0x10", "1_000", " 12", "12 ", "NaN", "INF", "-INF",
    "inf", "1.0", ".5", "5.", "0.999", "1", "2021-2-3", "2021-02-30", "1999-12-31", "2000-01-01", " 2000-01-01",
    "2001-02-03T04:05:06+02:00", "2001-02-03 04:05:06", "2001-02-03T04:05:06", "2001-02-03T04:05:6Z",
    "0000-02-03T04:05:06Z", "2001-02-03T04:05:06.5+02:00", "2001-02-03T04:05:06.Z", "true", "True", "t", "yes", "0",
    "abcde", "=1", "+a", "-", "@x", "中文", "e\u0301", "AB1", "ab1", "AB12", "a", "f", "g", "2001", "01", "99999",
]  # fmt: skip


def _package(tmp_path: Path, rows: list[list[str]], pk: bool) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[f["name"] for f in FIELDS], *rows])
    (tmp_path / "t.csv").write_text(out.getvalue(), encoding="utf-8")
    schema = {"fields": FIELDS, **({"primaryKey": ["id"]} if pk else {})}
    resource = {"name": "t", "path": "t.csv", "format": "csv", "schema": schema}
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    return path


def _outcome(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The findings, and every typed value the loader keeps (as repr: NaN equals NaN)."""
    findings = [(f.row, f.field, f.type, f.message) for f in validate_path(path).findings]
    pkg = open_target(path)
    con = connect()
    load(con, pkg.resources[0])
    values = [tuple(map(repr, row)) for row in con.execute("SELECT * FROM t ORDER BY _row").fetchall()]  # (NaN)
    pkg.close()
    return findings, values


def _same_with_every_row_suspect(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    fine = _outcome(path)
    with monkeypatch.context() as m:
        m.setattr(scan_plan, "fine_sql", lambda plan, dialect: "FALSE")
        full = _outcome(path)
    assert fine == full
    return fine[0]


@pytest.mark.parametrize("pk", [True, False], ids=["key", "no-key"])
def test_edge_cells_fine_or_not_give_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       pk: bool) -> None:  # fmt: skip
    rows = [list(GOOD)]
    for j in range(len(FIELDS)):
        for value in EDGES:
            row = list(GOOD)
            row[j] = value
            row[0] = row[0] if j == 0 else str(len(rows) + 1)
            rows.append(row)
    rows += [[""] * len(FIELDS), GOOD[:3], [*GOOD, "extra"], [str(len(rows) + 9), *GOOD[1:]]]
    findings = _same_with_every_row_suspect(_package(tmp_path, rows, pk), monkeypatch)
    assert {t for _, _, t, _ in findings} >= {"type-error", "constraint-error", "blank-row", "missing-cell",
                                              "extra-cell"}  # fmt: skip


cell = st.one_of(st.sampled_from(EDGES + GOOD), st.text(alphabet="0123456789+-.eE :TZNA", max_size=12))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=len(FIELDS), max_size=len(FIELDS)), min_size=1, max_size=12))
def test_random_cells_fine_or_not_give_the_same_findings(tmp_path_factory: pytest.TempPathFactory,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         rows: list[list[str]]) -> None:  # fmt: skip
    _same_with_every_row_suspect(_package(tmp_path_factory.mktemp("r"), rows, pk=True), monkeypatch)


def test_a_condition_without_a_quick_test_is_refused(tmp_path: Path) -> None:
    """A new kind of condition must be given its part in the quick test, or every row would pass it."""
    from rareearths.checking.csv_header import read_header
    from rareearths.checking.csv_loader import plan_scan

    pkg = open_target(_package(tmp_path, [list(GOOD)], pk=True))
    res = pkg.resources[0]
    plans, _ = plan_scan(connect(), res, len(read_header(res).labels or []), None)
    plans[0].conditions.append(scan_plan.Condition("new-kind", "TRUE"))
    with pytest.raises(ValueError, match="new-kind"):
        scan_plan.fine_sql(plans[0], res.dialect)
    pkg.close()
