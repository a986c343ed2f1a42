"""The line count beside the scan (`line_index.tally`), and the loader's use of it: a plain file
whose lines are its records is scanned once, without searching every cell for control characters
and line breaks; any other file is scanned again with that search, and its findings are the same
as if it had been searched from the start."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rareearths.checking import csv_loader, line_index
from rareearths.checking.validate import validate_path

# data after a one-line header -> (lines, plain)
TALLIES = {
    b"a\nb\n": (2, True),
    b"a\nb": (2, True),  # a last line without a break
    b"a\r\nb\r\n": (2, True),
    b"a\tb\n\n": (2, True),  # a tab is plain; an empty line is a line
    b"": (0, True),
    b"a\rb\n": (1, False),  # a carriage return that ends no line
    b"abc\r": (1, False),
    b"a\x01\nb\n": (2, False),
    b"a\x7f\n": (1, False),
    b"abc\r\ndef\r\n": (2, True),
}


@pytest.fixture(params=["bytes", "numpy", "gzip"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way of counting: small files by bytes methods, large ones by numpy in windows (made
    three bytes wide here, so that pairs straddle windows), gzip files as a stream."""
    if request.param == "numpy":
        monkeypatch.setattr(line_index, "SMALL", 0)
        monkeypatch.setattr(line_index, "CHUNK", 3)
        monkeypatch.setattr(line_index, "WINDOW", 3)
    return request.param


@pytest.mark.parametrize("data", list(TALLIES), ids=[repr(d) for d in TALLIES])
def test_tally_counts_lines_and_control_characters(tmp_path: Path, reader: str, data: bytes) -> None:
    path = tmp_path / "d.csv"
    content = b"h\n" + data
    path.write_bytes(gzip.compress(content) if reader == "gzip" else content)
    scan = line_index.tally(path, 1, "gzip" if reader == "gzip" else "")
    assert (scan.lines, scan.plain) == TALLIES[data]


def _package(tmp_path: Path, data: bytes) -> Path:
    (tmp_path / "d.csv").write_bytes(b"id,note\n" + data)
    fields = [{"name": "id", "type": "integer"}, {"name": "note", "type": "string"}]
    resource = {"name": "d", "path": "d.csv", "format": "csv", "schema": {"fields": fields, "primaryKey": ["id"]}}
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    return path


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each scan query the loader runs: True where it searches cells for line breaks."""
    seen: list[bool] = []
    real = csv_loader.scan_sql

    def spy(plan, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(any("regexp_matches(concat" in c.sql for c in plan.conditions))
        return real(plan, *args, **kwargs)

    monkeypatch.setattr(csv_loader, "scan_sql", spy)
    return seen


def _found(path: Path) -> list[tuple]:
    return sorted((f.type, f.row, f.field) for f in validate_path(path).findings)


def test_a_plain_file_is_scanned_once_without_the_search(tmp_path: Path, scans: list[bool]) -> None:
    assert _found(_package(tmp_path, b"1,a\n2,=b\n3,c\n")) == [("formula-injection", 3, "note")]
    assert scans == [False]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # a control character in a cell
        (b"1,a\n2,x\x01y\n", [("control-character", 3, "note")]),
        # a record spanning lines, then an empty line: numbered as Frictionless numbers them
        (b'1,"a\nb"\n\n2,x\n3,y\n', [("blank-row", 3, None), ("primary-key", 3, "id")]),
        # an empty line alone needs no second scan, only the search for empty lines
        (b"1,a\n\n2,b\n", [("blank-row", 3, None), ("primary-key", 3, "id")]),
    ],
    ids=["control-character", "spanning-record", "empty-line"],
)
def test_other_files_are_searched(tmp_path: Path, scans: list[bool], data: bytes, expected: list[tuple]) -> None:
    assert _found(_package(tmp_path, data)) == sorted(expected)
    assert scans == ([False] if b"\x01" not in data and b'"' not in data else [False, True])
