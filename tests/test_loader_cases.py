"""The loader on every shape of input Frictionless reads: one fixture package per case, each named for
what it exercises (tests/fixtures/cases/, written by make_cases.py), and the exact findings it gives.

Rows are numbered as Frictionless numbers them; a finding that repeats (two extra cells in one row)
is listed twice. Where frictionless reads a case differently the comment says why ours is intended.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rareearths.checking.validate import validate_path
from tests.conformance.harness import normalise
from tests.conftest import FIXTURES, json_findings, set_cells

CASES = FIXTURES / "cases"

# case -> exact findings as (type, row, field), with repeats
EXPECTED: dict[str, list[tuple]] = {
    # Empty lines: DuckDB skips them, Frictionless counts and reports them.
    "blank-line": [("blank-row", 3, None), ("type-error", 5, "id")],
    "blank-lines-at-end": [("blank-row", 3, None), ("blank-row", 4, None)],
    "blank-line-crlf": [("blank-row", 3, None), ("type-error", 4, "id")],
    "blank-line-in-quoted-cell": [("blank-row", 3, None), ("type-error", 4, "id")],  # row 2 spans lines 2-4
    # Schemas that used to raise: now a finding or a check.
    "bounds-as-strings": [("constraint-error", 2, "n"), ("constraint-error", 3, "n")],  # "2" is the integer 2
    "bound-not-of-type": [("schema-error", None, "n")],
    # enum and minimum, both read with the field's own format
    "date-bounds-in-format": [("constraint-error", 3, "d"), ("constraint-error", 3, "d")],
    "invalid-pattern": [("schema-error", None, "s")],
    "internal-names": [("type-error", 2, "b0"), ("primary-key", 3, "__problem")],
    "dialect-as-path": [("type-error", 3, "id")],
    # Every CSV property of Table Dialect v1 and v2
    "skip-initial-space": [("type-error", 4, "id")],
    "header-false": [("type-error", 2, "id")],
    "header-rows": [("type-error", 4, "a_id")],
    "header-row-later": [("type-error", 4, "id")],
    "comment-char": [("type-error", 5, "id")],  # comment rows are counted, not checked
    "comment-rows": [("type-error", 4, "id")],
    "line-terminator-cr": [("type-error", 3, "id")],
    "quote-char": [("type-error", 3, "id")],
    "escape-char": [("type-error", 3, "id")],
    "null-sequence": [("constraint-error", 3, "id")],
    "case-insensitive-header": [],
    "case-sensitive-header": [("incorrect-label", 1, "id"), ("incorrect-label", 1, "name")],
    "dialect-refused": [("dialect-error", None, None), ("dialect-error", None, None)],
    "tsv": [("type-error", 3, "id")],
    "frictionless-v5-dialect": [("type-error", 3, "id")],
    # Types that used to give false errors, and Table Schema's lexical strictness
    "time-with-zone": [("type-error", 5, "t")],
    "geopoint-formats": [("type-error", 3, "a"), ("type-error", 3, "b"), ("type-error", 3, "c")],  # and ranges
    "date-format-any": [("type-error", 6, "d")],
    "bare-number-false": [("type-error", 4, "i"), ("type-error", 4, "n")],
    "huge-integer": [("type-error", 4, "n")],
    "duration": [("type-error", 4, "d"), ("type-error", 5, "d"), ("type-error", 6, "d")],
    "strict-lexical": [("type-error", r, f) for r in (3, 4) for f in ("d", "i", "n")],  # Python's int() is laxer
    # Checks that used to be missed
    "bytes-and-hash": [("byte-count", None, None), ("hash-count", None, None)],
    "bytes-and-hash-valid": [],
    "array-length": [("constraint-error", 2, "a"), ("constraint-error", 4, "a")],
    "yearmonth-minimum": [("constraint-error", 2, "ym"), ("type-error", 4, "ym")],
    "two-digit-year": [("type-error", 3, "d")],  # %Y is four digits, as in Python
    # Frictionless's vocabulary
    "extra-cells": [("extra-cell", 2, None), ("extra-cell", 2, None)],  # one per extra cell
    "null-primary-key": [("primary-key", 3, None)],
    "unique-primary-key": [("primary-key", 3, None), ("unique-error", 3, "id")],
    "foreign-key-type-mismatch": [("foreign-key", 3, None)],  # the integer 1 is not the string '1'
    "foreign-key-int-number": [("foreign-key", 4, None)],  # 1 equals 1.0
    # Sources: several files, compressed, other encodings, inline; what is refused
    "multipart": [("type-error", 3, "id"), ("type-error", 5, "id")],  # each part's header is left out
    "gzip": [("blank-row", 3, None), ("type-error", 4, "id")],
    "zip": [("type-error", 3, "id")],
    "latin1": [("type-error", 3, "id")],
    "inline-data": [("type-error", 3, "id")],
    "bz2-refused": [("compression-error", None, None)],
    "xlsx-refused": [("format-error", None, None)],
    "not-a-table": [],  # a package may hold any file; only its bytes and hash would be checked
}


def _findings(name: str) -> list[list]:
    report = validate_path(CASES / name / "datapackage.json")
    return normalise([(f.type, f.row, f.field) for f in report.findings])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case(name: str):
    assert _findings(name) == normalise(EXPECTED[name])


def test_every_case_folder_is_expected():
    assert {p.name for p in CASES.iterdir() if p.is_dir()} == set(EXPECTED)


def test_schema_errors_say_why():
    report = validate_path(CASES / "invalid-pattern" / "datapackage.json")
    assert "[a-" in report.findings[0].message and "cannot be checked" in report.findings[0].message


def test_refusals_say_what_is_supported():
    msgs = {
        n: validate_path(CASES / n / "datapackage.json").findings[0].message for n in ("bz2-refused", "xlsx-refused")
    }
    assert "only gzip and zip" in msgs["bz2-refused"] and "only CSV and TSV" in msgs["xlsx-refused"]


def test_blank_rows_number_later_rows_without_reading_lines_in_python():
    """Empty lines are found without reading lines in Python: a file whose lines are as many as its
    records has none (counted with numpy beside the scan); otherwise one regular expression over the
    mapped file finds them. Row numbers after them stay right."""
    report = validate_path(CASES / "blank-line" / "datapackage.json")
    assert [(f.type, f.row) for f in report.sorted()] == [("blank-row", 3), ("type-error", 5)]


def test_wide_file(tmp_path: Path):
    """1,200 columns (checked in groups of columns): findings land in the right column (its time is
    the benchmark's business, not a unit test's)."""
    n = 1200
    header = ",".join(f"f{i}" for i in range(n))
    good = ",".join(str(i) for i in range(n))
    bad = ",".join("x" if i == 1100 else str(i + 1) for i in range(n))
    (tmp_path / "wide.csv").write_text(f"{header}\n{good}\n{bad}\n{good}\n", encoding="utf-8")
    schema = {"fields": [{"name": f"f{i}", "type": "integer"} for i in range(n)], "primaryKey": ["f0"]}
    (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    code, findings = json_findings("validate", str(tmp_path / "wide.csv"), "--schema", str(tmp_path / "schema.json"))
    assert Counter((f["type"], f["row"], f["field"]) for f in findings) == Counter(
        {("type-error", 3, "f1100"): 1, ("primary-key", 4, "f0"): 1}
    )
    assert code == 1


def test_a_malformed_cell_is_not_reported_again_by_the_rules_it_feeds(mini: Path):
    """`amount-has-currency` reads amount; with amount unreadable, only the type error is reported."""
    row = set_cells(mini.parent / "data" / "deals.csv", _first_with_amount(mini), {"amount": "12,5 bn"})
    _, findings = json_findings("validate", str(mini))
    assert [(f["type"], f["row"], f["field"]) for f in findings] == [("type-error", row, "amount")]


def _first_with_amount(mini: Path) -> str:
    import csv

    with open(mini.parent / "data" / "deals.csv", encoding="utf-8", newline="") as fh:
        return next(r["deal_id"] for r in csv.DictReader(fh) if r["amount"] and r["currency"])


def test_a_line_longer_than_the_parallel_reader_takes_is_not_skipped(tmp_path: Path):
    """DuckDB's parallel reader skips a line over its limit without a word; the pass that looks for
    empty lines also looks for such a line, and the file is then read again, carefully."""
    rows = ["id,name"] + [f"{i},a" for i in range(1, 1000)] + ["x," + "b" * (10 << 20)] + ["1000,c"]
    (tmp_path / "long.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name"}]}
    (tmp_path / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    code, findings = json_findings("validate", str(tmp_path / "long.csv"), "--schema", str(tmp_path / "schema.json"))
    assert [(f["type"], f["row"], f["field"]) for f in findings] == [("type-error", 1001, "id")]
