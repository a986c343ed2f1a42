"""Every domain rule fires on a counterexample: a copy of the mini package with one thing broken.

Each fixture in fixtures/rules/ is named `<rule>` or `<rule>--<table>` and lists the cells it
changes and the findings expected, by primary key; the test asserts exactly those findings.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from rareearths.dataset.rules import all_rules
from tests.conftest import FIXTURES, json_findings, run_cli, set_cells

RULES = FIXTURES / "rules"


def _row_of(csv_path: Path, key: str) -> int:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.reader(fh), start=1):
            if i > 1 and row[0] == key:
                return i
    raise KeyError(key)


def _append(csv_path: Path, values: dict[str, str]) -> None:
    with open(csv_path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with open(csv_path, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([values.get(h, "") for h in header])


def test_mini_package_is_valid(mini: Path):
    code, findings = json_findings("validate", str(mini))
    assert findings == []
    assert code == 0


@pytest.mark.parametrize("fixture", sorted(p.stem for p in RULES.glob("*.json")))
def test_rule_counterexample(fixture: str, mini: Path):
    spec = json.loads((RULES / f"{fixture}.json").read_text(encoding="utf-8"))
    data = mini.parent / "data"
    for change in spec["changes"]:
        set_cells(data / f"{change['resource']}.csv", change["key"], change["set"])
    for add in spec.get("append", []):
        _append(data / f"{add['resource']}.csv", add["row"])
    _, findings = json_findings("validate", str(mini))
    got = {(f["type"], f["resource"], f["row"], f["field"]) for f in findings}
    want = {
        (e["type"], e["resource"], _row_of(data / f"{e['resource']}.csv", e["key"]), e["field"]) for e in spec["expect"]
    }
    assert got == want


def test_every_rule_has_a_counterexample():
    names = {p.stem.split("--")[0] for p in RULES.glob("*.json")}
    per_table = {tuple(p.stem.split("--")) for p in RULES.glob("*.json") if "--" in p.stem}
    for rule in all_rules():
        assert rule.name in names, f"rule {rule.name} has no counterexample"
        if any(r.name == rule.name and r.resource != rule.resource for r in all_rules()):
            assert (rule.name, rule.resource) in per_table, f"{rule.name} on {rule.resource} has none"


def test_unused_source_is_only_a_warning(mini: Path):
    _append(
        mini.parent / "data" / "sources.csv",
        {
            "source_id": "zz-uncited",
            "publisher_en": "Nobody",
            "publisher_type": "news",
            "title_en": "Uncited",
            "url_note": "Print only.",
            "language": "en",
            "source_type": "news",
        },
    )
    assert run_cli("validate", str(mini))[0] == 0
    assert run_cli("validate", str(mini), "--strict")[0] == 1


def test_rules_command_lists_every_rule_with_its_reason():
    code, out = run_cli("rules", "--format", "json")
    assert code == 0
    listed = {(r["name"], r["table"]) for r in json.loads(out) if r["why"]}
    assert listed == {(r.name, r.resource) for r in all_rules()}
