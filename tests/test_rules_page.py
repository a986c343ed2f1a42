"""The validation page shows the conformance result, generated from the suite's own files."""

from __future__ import annotations

import json
from pathlib import Path

from rareearths.site.rules_page import load_conformance, rules_page
from tests.conformance.harness import DIFFERENCES, GOLDEN, load_json
from tests.conftest import ROOT


def _suite(root: Path, golden: dict, differences: dict) -> Path:
    folder = root / "tests" / "conformance"
    (folder / "frictionless").mkdir(parents=True)
    (folder / "golden.json").write_text(json.dumps(golden), encoding="utf-8")
    (folder / "differences.json").write_text(json.dumps(differences), encoding="utf-8")
    (folder / "frictionless" / "PROVENANCE.md").write_text("a copy of **frictionless-py 9.8.7**", encoding="utf-8")
    return root


def test_page_shows_agreement_and_every_intended_difference_with_its_reason(tmp_path: Path):
    golden = {"a.csv": {"valid": True}, "b.csv": {}, "c.csv": {}, "d.csv": {}, "e.csv": {"describe_error": "x"}}
    differences = {
        "b.csv": {"kind": "intended", "reason": "UTF-8 is required | always"},
        "c.csv": {"kind": "defect", "reason": "blank rows dropped"},
        "d.csv": {"kind": "defect", "reason": "blank rows dropped"},
    }
    page = rules_page([], load_conformance(_suite(tmp_path, golden, differences)))
    assert "frictionless-py 9.8.7" in page
    assert "**Exact agreement: 1 of 4 cases (25%)**" in page
    assert "### Intended differences (1)" in page
    assert "| <code>b.csv</code> | UTF-8 is required \\| always |" in page
    assert "### Known defects (2)" in page and "| blank rows dropped | 2 |" in page


def test_page_of_the_real_suite_lists_what_differences_json_lists():
    listed = load_json(DIFFERENCES)
    cases = [c for c, answer in load_json(GOLDEN).items() if "describe_error" not in answer]
    page = rules_page([], load_conformance(ROOT))
    agree = len(set(cases) - set(listed))
    assert f"**Exact agreement: {agree} of {len(cases)} cases" in page
    for case, entry in listed.items():
        if entry["kind"] == "intended":
            assert f"<code>{case}</code>" in page and entry["reason"].replace("|", "\\|") in page


def test_page_without_the_suite_says_so(tmp_path: Path):
    assert load_conformance(tmp_path) is None
    assert "is not part of this copy of the package" in rules_page([], None)
