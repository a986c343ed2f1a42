"""Foreign keys: a table with many rows per referenced row looks up its distinct values first,
and reports exactly what the lookup of every row reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rareearths.checking import key_checks
from tests.conftest import json_findings

PARENT = "code,label\nA,alpha\nB,beta\n"
# Ten rows for two referenced ones: a missing value twice, a null, a two-field key partly null or missing.
CHILD = """\
id,code,region,code2
1,A,x,A
2,B,x,B
3,Z,y,A
4,A,y,
5,,x,A
6,Z,x,B
7,B,x,Q
8,A,y,A
9,B,y,B
10,A,x,A
"""
EXPECTED = [
    ("foreign-key", 4, "code"),
    ("foreign-key", 4, "code2,code"),
    ("foreign-key", 7, "code"),
    ("foreign-key", 7, "code2,code"),
    ("foreign-key", 8, "code2,code"),
]


def _package(folder: Path, child: str) -> Path:
    (folder / "parent.csv").write_text(PARENT, encoding="utf-8")
    (folder / "child.csv").write_text(child, encoding="utf-8")
    text = {"type": "string"}
    descriptor = {
        "name": "fk",
        "resources": [
            {"name": "parent", "path": "parent.csv", "schema": {
                "fields": [{"name": "code", **text}, {"name": "label", **text}], "primaryKey": ["code"]}},
            {"name": "child", "path": "child.csv", "schema": {
                "fields": [{"name": "id", "type": "integer"}, {"name": "code", **text}, {"name": "region", **text},
                           {"name": "code2", **text}],
                "foreignKeys": [
                    {"fields": ["code"], "reference": {"resource": "parent", "fields": ["code"]}},
                    {"fields": ["code2", "code"], "reference": {"resource": "parent", "fields": ["code", "code"]}},
                ]}},
        ],
    }  # fmt: skip
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    return path


def _findings(path: Path) -> list[tuple]:
    _, findings = json_findings("validate", str(path))
    return sorted((f["type"], f["row"], f["field"]) for f in findings if f["type"] == "foreign-key")


@pytest.mark.parametrize("distinct_first", [True, False])
def test_both_lookups_find_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, distinct_first: bool):
    used = []
    real = key_checks._many_per_target

    def spy(*args: object) -> bool:
        used.append(real(*args))  # type: ignore[arg-type]
        return used[-1]

    monkeypatch.setattr(key_checks, "_many_per_target", spy)
    monkeypatch.setattr(key_checks, "DISTINCT_FIRST", 4 if distinct_first else 1000)
    monkeypatch.setattr(key_checks, "DISTINCT_FIRST_BYTES", 0)
    assert _findings(_package(tmp_path, CHILD)) == EXPECTED
    assert used and all(u == distinct_first for u in used)


def test_distinct_values_all_present_report_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(key_checks, "DISTINCT_FIRST_BYTES", 0)
    clean = "id,code,region,code2\n" + "".join(f"{i},{c},x,{c}\n" for i, c in enumerate("ABBAABAB", start=1))
    assert _findings(_package(tmp_path, clean)) == []


def test_small_tables_look_up_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    used = []
    real = key_checks._many_per_target
    monkeypatch.setattr(key_checks, "_many_per_target", lambda *a: used.append(real(*a)) or used[-1])
    assert _findings(_package(tmp_path, CHILD)) == EXPECTED
    assert used == [False, False]  # (a file under DISTINCT_FIRST_BYTES: no count of its rows)
