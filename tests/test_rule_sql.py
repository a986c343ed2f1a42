"""Row rules translated to SQL directly (`rule_sql`) give the rows ibis's own compiler gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rareearths.checking.content_checks import _ibis_rules_sql, rules_sql
from rareearths.checking.rule_sql import SqlTable, Unsupported, rule_sql
from rareearths.checking.validate import connect, validate_opened
from rareearths.dataset.rules import RULES
from rareearths.opening.package_source import open_target
from tests.conftest import FIXTURES, set_cells
from tests.test_domain_rules import _append

COUNTEREXAMPLES = sorted(p.stem for p in (FIXTURES / "rules").glob("*.json"))


@pytest.mark.parametrize("fixture", COUNTEREXAMPLES)
def test_translation_agrees_with_ibis(fixture: str, mini: Path):
    spec = json.loads((FIXTURES / "rules" / f"{fixture}.json").read_text(encoding="utf-8"))
    data = mini.parent / "data"
    for change in spec["changes"]:
        set_cells(data / f"{change['resource']}.csv", change["key"], change["set"])
    for add in spec.get("append", []):
        _append(data / f"{add['resource']}.csv", add["row"])
    pkg = open_target(mini)
    con = connect()
    validate_opened(pkg, con, RULES, keep_all=True)
    for res in pkg.resources:
        rules = RULES.row_rules_for(res.name, {f["name"] for f in res.schema["fields"]})
        if rules:
            fields = res.schema["fields"]
            ours = con.execute(rules_sql(res.name, fields, rules)).fetchall()
            assert ours == con.execute(_ibis_rules_sql(res.name, fields, rules)).fetchall(), res.name
    pkg.close()


def test_null_comparisons_and_membership():
    t = SqlTable({"a", "b"})
    assert rule_sql(lambda t: (t.a <= t.b) | t.a.isnull(), {"a", "b"}) == '(("a" <= "b") OR ("a" IS NULL))'
    assert rule_sql(lambda t: t.a.isin([]), {"a"}) == "FALSE"
    assert rule_sql(lambda t: (t.a / 2).abs() < 1e-9, {"a"}) == '(abs((CAST("a" AS DOUBLE) / 2)) < 1e-09)'
    assert (~t.a.fill_null(False)).text == '(NOT coalesce("a", FALSE))'


def test_what_is_not_translated_is_refused():
    with pytest.raises(Unsupported):
        rule_sql(lambda t: t.a.day_of_week.index() == 1, {"a"})
    with pytest.raises(Unsupported):
        rule_sql(lambda t: t.missing_column.notnull(), {"a"})
    with pytest.raises(Unsupported):
        rule_sql(lambda t: t.a if t.a else t.a, {"a"})
