"""The package's row rules as pandera checks (`rareearths.pandera_schema`) fail on exactly the rows
the validator reports, on every row rule's counterexample fixture: pandera users and the validator
apply the same rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rareearths.checking.to_pandera import rule_checks, to_pandera
from rareearths.checking.validate import connect, validate_opened
from rareearths.dataset.rules import RULES
from rareearths.opening.package_source import open_target
from tests.conftest import FIXTURES, copy_package, set_cells
from tests.test_domain_rules import _append

ROW_RULE_NAMES = {r.name for r in RULES.row}
FIXTURE_NAMES = sorted(p.stem for p in (FIXTURES / "rules").glob("*.json") if p.stem.split("--")[0] in ROW_RULE_NAMES)


def _pandera_rows(con, rules, res) -> set[tuple[str, int]]:  # noqa: ANN001 - DuckDB, rules and a resource
    import ibis
    import pandera.errors

    schema = to_pandera({"fields": [], "primaryKey": []}, res.name, rule_checks(rules), row_column=False)
    try:
        schema.validate(ibis.duckdb.from_connection(con).table(res.name), lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        return {(str(check), case["_row"]) for check, case in zip(cases["check"], cases["failure_case"], strict=True)}
    return set()


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_pandera_fails_the_rows_the_validator_reports(fixture: str, tmp_path: Path):
    spec = json.loads((FIXTURES / "rules" / f"{fixture}.json").read_text(encoding="utf-8"))
    package = copy_package(tmp_path, FIXTURES / "mini" / "data")
    for change in spec["changes"]:
        set_cells(tmp_path / "data" / f"{change['resource']}.csv", change["key"], change["set"])
    for add in spec.get("append", []):
        _append(tmp_path / "data" / f"{add['resource']}.csv", add["row"])
    pkg = open_target(package)
    con = connect()
    report = validate_opened(pkg, con, RULES, keep_all=True)
    by_why = {r.why: r.name for r in RULES.row}
    for res in pkg.resources:
        rules = [r for r in RULES.row if r.resource == res.name]
        if not rules:
            continue
        ours = {(f.type, f.row) for f in report.findings if f.resource == res.name and f.type in ROW_RULE_NAMES}
        theirs = {(by_why.get(check, check), row) for check, row in _pandera_rows(con, rules, res)}
        assert theirs == ours, res.name
    assert any(f.type == fixture.split("--")[0] for f in report.findings)  # the fixture does break its rule
    pkg.close()
