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
    """Every rule, on every table and field it checks, is expected to fire by a fixture named for it."""
    expected: set[tuple[str, str, str]] = set()
    for path in RULES.glob("*.json"):
        expects = json.loads(path.read_text(encoding="utf-8"))["expect"]
        assert path.stem.split("--")[0] in {e["type"] for e in expects}, f"{path.name} does not expect its rule"
        expected |= {(e["type"], e["resource"], e["field"]) for e in expects}
    for rule in all_rules():
        assert (rule.name, rule.resource, rule.field) in expected, f"{rule.name} on {rule.resource}.{rule.field}"


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
            "accessed_on": "2026-11-26",
        },
    )
    assert run_cli("validate", str(mini))[0] == 0
    assert run_cli("validate", str(mini), "--strict")[0] == 1


def test_rules_command_lists_every_rule_with_its_reason():
    code, out = run_cli("rules", "--format", "json")
    assert code == 0
    listed = {(r["name"], r["table"]) for r in json.loads(out) if r["why"]}
    assert listed == {(r.name, r.resource) for r in all_rules()}


def _deal(deal_id: str, parent: str, relation: str) -> dict[str, str]:
    return {"deal_id": deal_id, "title_en": "A fixture deal", "announced_on": "2022-09-20",
            "announced_on_precision": "day", "instrument": "equity", "status": "announced", "funder_code": "JPN",
            "funder_sector": "private", "parent_deal_id": parent, "parent_relation": relation,
            "source_id": "sojitz-2022-09-20", "locator": "fixture", "confidence": "medium",
            "checked_on": "2026-11-26"}  # fmt: skip


@pytest.mark.parametrize(
    ("shape", "rows", "changes", "flagged"),
    [  # the shapes in which funding_by_country would count a total twice
        ("replaced twice", ["zz-total-a", "zz-total-b"], {}, {"zz-total-a", "zz-total-b"}),
        ("replacing a tranche", ["zz-total-a"], {"parent_relation": "tranche"}, {"zz-total-a"}),
    ],
)
def test_replaces_counted_once_catches_each_double_count(shape: str, rows: list[str], changes: dict[str, str],
                                                         flagged: set[str], mini: Path):  # fmt: skip
    data = mini.parent / "data"
    if changes:  # the parent itself becomes a tranche of the 2011 financing, money already counted there
        set_cells(data / "deals.csv", "jare-lynas-equity-2022", changes)
    for deal_id in rows:
        _append(data / "deals.csv", _deal(deal_id, "jare-lynas-equity-2022", "replaces"))
        _append(data / "deal_parties.csv", {"deal_id": deal_id, "entity_id": "jare", "role": "investor",
                                            "source_id": "sojitz-2022-09-20", "locator": "fixture",
                                            "confidence": "medium", "checked_on": "2026-11-26"})  # fmt: skip
    _, findings = json_findings("validate", str(mini))
    assert {f["type"] for f in findings} == {"replaces-counted-once"}, shape
    assert {f["row"] for f in findings} == {_row_of(data / "deals.csv", d) for d in flagged}
