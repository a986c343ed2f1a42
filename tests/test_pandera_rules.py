"""The package's row rules as pandera checks (`rareearths.pandera_schema`) fail on exactly the rows
the validator reports, on every row rule's counterexample fixture: pandera users and the validator
apply the same rules. (`test_domain_rules` holds the validator to each fixture's expected findings;
here pandera is held to the same list.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rareearths.checking.csv_loader import load
from rareearths.checking.to_pandera import rule_checks, to_pandera
from rareearths.checking.validate import connect
from rareearths.dataset.rules import RULES
from rareearths.opening.package_source import open_target
from tests.conftest import FIXTURES, copy_package, set_cells
from tests.test_domain_rules import _append, _row_of

ROW_RULE_NAMES = {r.name for r in RULES.row}
FIXTURE_NAMES = sorted(p.stem for p in (FIXTURES / "rules").glob("*.json") if p.stem.split("--")[0] in ROW_RULE_NAMES)


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_pandera_fails_the_rows_the_validator_reports(fixture: str, tmp_path: Path):
    import ibis
    import pandera.errors

    spec = json.loads((FIXTURES / "rules" / f"{fixture}.json").read_text(encoding="utf-8"))
    package = copy_package(tmp_path, FIXTURES / "mini" / "data")
    data = tmp_path / "data"
    for change in spec["changes"]:
        set_cells(data / f"{change['resource']}.csv", change["key"], change["set"])
    for add in spec.get("append", []):
        _append(data / f"{add['resource']}.csv", add["row"])
    expected: dict[str, set[tuple[str, int]]] = {}
    for e in spec["expect"]:
        if e["type"] in ROW_RULE_NAMES:
            expected.setdefault(e["resource"], set()).add((e["type"], _row_of(data / f"{e['resource']}.csv", e["key"])))
    assert expected, f"{fixture} expects no row rule finding"
    pkg = open_target(package)
    con = connect()
    why = {r.why: r.name for r in RULES.row}
    for res in pkg.resources:
        if res.name not in expected:
            continue
        load(con, res)  # the typed view the validator checks, with `_row`
        rules = [r for r in RULES.row if r.resource == res.name]
        schema = to_pandera({"fields": []}, res.name, rule_checks(rules), row_column=False)
        failing: set[tuple[str, int]] = set()
        try:
            schema.validate(ibis.duckdb.from_connection(con).table(res.name), lazy=True)
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            failing = {
                (why[str(c)], case["_row"]) for c, case in zip(cases["check"], cases["failure_case"], strict=True)
            }
        assert failing == expected[res.name], res.name
    pkg.close()
