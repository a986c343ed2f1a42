"""Row rules translated to SQL directly (`rule_sql`) give what ibis's own compiler gives: for every
rule, the rule's test on every row of the mini package (true, false or null) is the same."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from rareearths.checking.content_checks import IBIS_TYPES
from rareearths.checking.rule_sql import SqlTable, Unsupported, rule_sql
from rareearths.checking.schema_sql import duckdb_type, ident
from rareearths.checking.validate import connect, validate_opened
from rareearths.dataset.rules import RULES
from rareearths.opening.package_source import open_target
from tests.conftest import FIXTURES, copy_package

ROW_RULES = [(f"{r.name}:{r.resource}:{r.field}", r) for r in RULES.row]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[duckdb.DuckDBPyConnection, dict]]:
    folder = tmp_path_factory.mktemp("mini")
    pkg = open_target(copy_package(folder, FIXTURES / "mini" / "data"))
    con = connect()
    validate_opened(pkg, con, RULES, keep_all=True)
    yield con, {r.name: r for r in pkg.resources}
    pkg.close()


@pytest.mark.parametrize("rule", [r for _, r in ROW_RULES], ids=[i for i, _ in ROW_RULES])
def test_translation_agrees_with_ibis(rule, loaded):
    import ibis

    con, resources = loaded
    res = resources.get(rule.resource)
    if res is None:
        pytest.skip(f"{rule.resource} is not in the mini package")
    fields = res.schema["fields"]
    columns = {f["name"] for f in fields}
    text = {f["name"] for f in fields if duckdb_type(f) == "VARCHAR"}
    ours = rule_sql(rule.ok, columns, text)
    t = ibis.table({"_row": "int64", **{f["name"]: IBIS_TYPES[duckdb_type(f)] for f in fields}}, name=res.name)
    theirs = ibis.to_sql(t.select(t["_row"], ok=rule.ok(t)), dialect="duckdb")
    mine = con.execute(f"SELECT _row, {ours} FROM {ident(res.name)} ORDER BY _row").fetchall()
    assert mine == con.execute(f"SELECT * FROM ({theirs}) ORDER BY _row").fetchall()


def test_null_comparisons_and_membership():
    t = SqlTable({"a", "b"})
    assert rule_sql(lambda t: (t.a <= t.b) | t.a.isnull(), {"a", "b"}) == '(("a" <= "b") OR ("a" IS NULL))'
    assert rule_sql(lambda t: t.a.isin([]), {"a"}) == "FALSE"
    assert rule_sql(lambda t: (t.a / 2).abs() < 1e-9, {"a"}) == '(abs((CAST("a" AS DOUBLE) / 2)) < 1e-09)'
    assert rule_sql(lambda t: t.a + "x" == "yx", {"a"}, {"a"}) == """(("a" || 'x') = 'yx')"""
    assert (~t.a.fill_null(False)).text == '(NOT coalesce("a", FALSE))'


def test_what_is_not_translated_is_refused():
    with pytest.raises(Unsupported):
        rule_sql(lambda t: t.a.day_of_week.index() == 1, {"a"})
    with pytest.raises(Unsupported):
        rule_sql(lambda t: t.missing_column.notnull(), {"a"})
    with pytest.raises(Unsupported):
        rule_sql(lambda t: t.a if t.a else t.a, {"a"})
