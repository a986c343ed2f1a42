"""Datetime and time cells in Table Schema's default format are valid exactly where frictionless
reads them. DuckDB's cast reads more (one-digit seconds, years before 0001, '.Z', offsets with
seconds), which the loader's text tests must refuse, and some lengths go through a pattern instead
of the cheap tests: both paths are covered. The verdicts were recorded from frictionless 5.18's
field readers (`fields.DatetimeField(...).create_value_reader()`), once, when this was written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from rareearths.checking import scan_plan, validate
from rareearths.checking.validate import validate_path

DATETIMES = {
    "2021-01-01T00:00:00Z": True,
    "2021-01-01T00:00:00": True,
    "2021-01-01T00:00:00.5Z": True,
    "2021-01-01T00:00:00.123456+01:00": True,
    "2021-01-01T00:00:00+0100": True,
    "2021-01-01T00:00:00+01": True,
    "2021-01-01T00:00:00-00:00": True,
    "2021-01-01T24:00:00Z": True,
    "0001-01-01T00:00:00Z": True,
    "9999-12-31T23:59:59Z": True,
    "-021-01-01T00:00:00Z": False,
    "0000-01-01T00:00:00Z": False,
    "2021-01-01T00:00:0Z": False,
    "2021-01-01T00:00:0": False,
    "2021-01-01T00:00:00.Z": False,
    "2021-01-01T00:00:00.": False,
    "2021-01-01T00:00:0.5": False,
    "2021-01-01T00:00:00+01:00:00": False,
    "2021-01-01T00:00:00+1": False,
    "2021-1-01T00:00:00Z": False,
    "2021-01-01T0:00:00Z": False,
    "2021-01-01T00:00:00Z ": False,
    "2021-02-30T00:00:00Z": False,
    "2021-01-01T00:00:60Z": False,
}
TIMES = {
    "00:00:00": True,
    "23:59:59Z": True,
    "00:00:00.5": True,
    "00:00:00+01:00": True,
    "24:00:00": True,
    "00:00:0": False,
    "00:00:0Z": False,
    "00:00:00.Z": False,
    "00:00:00.": False,
    "00:00:00+01:00:00": False,
    "0:00:00": False,
    "00:00:60": False,
}


# A column is kept (its typed value stored) in a small file, and not in a large one, where a datetime
# is tested without its cast (`TypedCell.quick_alone`); and any row may be sent to the full test.
WAYS = ["kept", "not-kept", "every-row-suspect"]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("ftype", "verdicts"), [("datetime", DATETIMES), ("time", TIMES)])
def test_valid_where_frictionless_reads_the_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ftype: str,
                                                 verdicts: dict[str, bool], way: str) -> None:  # fmt: skip
    if way != "kept":
        monkeypatch.setattr(validate, "KEEP_ALL_BYTES", 0)
    if way == "every-row-suspect":
        monkeypatch.setattr(scan_plan, "fine_sql", lambda plan, dialect: "FALSE")
    values = list(verdicts)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["at"], *([v] for v in values)])
    (tmp_path / "t.csv").write_text(out.getvalue(), encoding="utf-8")
    schema = {"fields": [{"name": "at", "type": ftype}]}
    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate_path(tmp_path / "datapackage.json")
    refused = {values[f.row - 2] for f in report.findings if f.type == "type-error"}
    assert {v for v, ok in verdicts.items() if not ok} == refused
    assert all(f.type == "type-error" for f in report.findings)
