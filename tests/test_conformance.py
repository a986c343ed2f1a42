"""Our validator against frictionless on frictionless-py's own fixtures (tests/conformance/).

Frictionless's answers were recorded once (`make golden`); here only our validator runs. Each
case must agree on the verdict and on every (type, row, field), unless `differences.json` lists
it: `intended` (a documented choice, shown on the docs' validation page) or `defect` (a known
bug, expected to fail until fixed; fixing it fails the test until the entry is removed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.harness import DIFFERENCES, GOLDEN, cases, load_json, our_answer

GOLD = load_json(GOLDEN)
LISTED = load_json(DIFFERENCES)
CASES = [c for c in cases() if "describe_error" not in GOLD.get(c, {"describe_error": ""})]
TARGET = 0.90  # issue 12: at least 90% exact agreement on the corpus


def test_every_case_has_a_golden_answer():
    assert set(cases()) == set(GOLD), "run `make golden` after changing the corpus"
    assert set(LISTED) <= set(CASES), "differences.json lists cases that are not in the corpus"
    for case, entry in LISTED.items():
        assert entry["kind"] in ("intended", "defect") and entry["reason"].strip(), case


@pytest.mark.parametrize("case", CASES)
def test_case_agrees_with_frictionless(case: str, tmp_path: Path):
    gold, entry = GOLD[case], LISTED.get(case)
    if entry is None:
        ours = our_answer(case, gold, tmp_path)
        assert (ours["valid"], ours["errors"]) == (gold["valid"], gold["errors"])
        return
    try:
        ours = our_answer(case, gold, tmp_path)
    except Exception as exc:  # a traceback is a defect too; listed ones are expected to fail
        pytest.xfail(f"{entry['reason']} ({exc!r:.80})")
    if (ours["valid"], ours["errors"]) == (gold["valid"], gold["errors"]):
        pytest.fail(f"{case} now agrees with frictionless: remove it from differences.json")
    elif entry["kind"] == "defect":
        pytest.xfail(entry["reason"])


def test_intended_differences_stay_within_target():
    intended = [c for c, e in LISTED.items() if e["kind"] == "intended"]
    assert 1 - len(intended) / len(CASES) >= TARGET, f"{len(intended)} intended differences of {len(CASES)}"
