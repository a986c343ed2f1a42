"""Every structure, type, constraint and key check fires on a fixture named for what it breaks."""

from __future__ import annotations

import inspect

import pytest

from tests.conftest import FIXTURES, json_findings

STRUCTURE = FIXTURES / "structure"
SCHEMA = str(STRUCTURE / "schema.json")

# fixture -> the exact findings expected: (type, row, field)
EXPECTED: dict[str, set[tuple]] = {
    "blank-label": {("blank-label", 1, "parent_id")},
    "duplicate-label": {("duplicate-label", 1, "parent_id")},
    "missing-label": {("missing-label", 1, "slug")},
    "extra-label": {("extra-label", 1, None)},
    "incorrect-label": {("incorrect-label", 1, "on")},
    "blank-row": {("blank-row", 3, None), ("primary-key", 3, "id")},  # a null key, as frictionless reports
    "missing-cell": {("missing-cell", 3, "slug")},
    "extra-cell": {("extra-cell", 3, None)},
    "type-error": {("type-error", 3, "on")},
    "type-error-integer": {("type-error", 3, "count")},
    "type-error-boolean": {("type-error", 3, "flag")},
    "constraint-required": {("constraint-error", 3, "id"), ("primary-key", 3, "id")},  # as frictionless
    "constraint-minimum": {("constraint-error", 3, "id")},
    "constraint-maximum": {("constraint-error", 3, "count")},
    "constraint-minimum-date": {("constraint-error", 3, "on")},
    "constraint-exclusive-minimum": {("constraint-error", 3, "share")},
    "constraint-exclusive-maximum": {("constraint-error", 3, "share")},
    "constraint-enum": {("constraint-error", 3, "kind")},
    "constraint-categories": {("constraint-error", 3, "grade")},
    "constraint-pattern": {("constraint-error", 3, "code")},
    "constraint-max-length": {("constraint-error", 3, "code")},
    "constraint-min-length": {("constraint-error", 3, "code")},
    "missing-values-field": {("type-error", 3, "count")},
    "primary-key": {("primary-key", 3, "id")},
    "unique-error": {("unique-error", 3, "slug")},
    "unique-keys": {("unique-error", 3, "code,kind")},
    "foreign-key-self": {("foreign-key", 3, "parent_id")},
    "encoding-error": {("encoding-error", None, None)},
}


def test_valid_fixture_has_no_findings():
    code, findings = json_findings("validate", str(STRUCTURE / "valid.csv"), "--schema", SCHEMA)
    assert findings == []
    assert code == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reports_exactly_its_finding(name: str):
    code, findings = json_findings("validate", str(STRUCTURE / f"{name}.csv"), "--schema", SCHEMA)
    got = {(f["type"], f["row"], f["field"]) for f in findings}
    assert got == EXPECTED[name]
    assert code == 1


def test_every_fixture_file_is_expected():
    files = {p.stem for p in STRUCTURE.glob("*.csv")} - {"valid"}
    assert files == set(EXPECTED)


def test_findings_name_file_value_and_message():
    _, findings = json_findings("validate", str(STRUCTURE / "constraint-enum.csv"), "--schema", SCHEMA)
    (f,) = findings
    assert f["path"].endswith("constraint-enum.csv")
    assert f["value"] == "c"
    assert "enum" in f["message"] and "'c'" in f["message"]


def test_extra_cells_are_counted_however_many(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """The first read takes one extra cell per row; a row with more makes DuckDB stop, and the file
    is read again, still in parallel and strictly, with every overflow column (not by the slow
    careful read). Past those, the finding says there may be more."""
    from rareearths.checking import csv_loader
    from rareearths.checking.scan_plan import OVERFLOW

    reads: list[tuple[bool, int]] = []
    read_csv_sql = csv_loader.read_csv_sql

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        call = inspect.signature(read_csv_sql).bind(*args, **kwargs)
        call.apply_defaults()
        reads.append((call.arguments["careful"], call.arguments["overflow"]))
        return read_csv_sql(*args, **kwargs)

    monkeypatch.setattr(csv_loader, "read_csv_sql", spy)
    (tmp_path / "schema.json").write_text('{"fields": [{"name": "a"}, {"name": "b"}]}', encoding="utf-8")
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,2,x\n3,4,x,y,z\n5,6\n", encoding="utf-8")
    _, findings = json_findings("validate", str(csv), "--schema", str(tmp_path / "schema.json"))
    assert [(f["type"], f["row"], f["value"]) for f in findings] == [
        ("extra-cell", 2, "x"), ("extra-cell", 3, "x"), ("extra-cell", 3, "y"), ("extra-cell", 3, "z")]  # fmt: skip
    assert reads == [(False, 1), (False, OVERFLOW)]
    reads.clear()
    csv.write_text("a,b\n1,2" + ",x" * (OVERFLOW + 3) + "\n", encoding="utf-8")
    _, findings = json_findings("validate", str(csv), "--schema", str(tmp_path / "schema.json"))
    assert [f["type"] for f in findings] == ["extra-cell"] * OVERFLOW
    last = [f["message"].split(" (")[0].split()[-1] for f in findings if "perhaps more" in f["message"]]
    assert last == [str(2 + OVERFLOW)]  # the last column read, and only that one
    assert reads == [(False, 1), (False, OVERFLOW), (True, OVERFLOW)]
