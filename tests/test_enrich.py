"""Enrichment: the row's primary key on every row finding, and suggestions a person can act on."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from rareearths.checking import enrich
from rareearths.checking.enrich import (
    Advice,
    boolean_advice,
    closest,
    currency_advice,
    date_advice,
    datetime_advice,
    number_advice,
)
from rareearths.checking.findings import Finding
from rareearths.opening.package_source import Resource
from tests.conftest import json_findings, set_cells


@pytest.mark.parametrize(
    ("value", "allowed", "expected"),
    [
        ("lone", ["loan", "equity", "grant"], "loan"),
        ("Loan", ["loan", "equity"], "loan"),
        ("price floor", ["price_floor", "loan"], "price_floor"),
        ("disbursd", ["announced", "signed", "disbursed"], "disbursed"),
        ("c", ["a", "b"], None),
        ("completely different", ["loan", "equity"], None),
    ],
)
def test_closest(value: str, allowed: list[str], expected: str | None):
    assert closest(value, allowed) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [("YEN", "JPY"), ("yen", "JPY"), ("jpy", "JPY"), ("€", "EUR"), ("Euros", "EUR"), ("US$", "USD"),
     ("dollars", "USD"), ("RMB", "CNY"), ("Japanese yen", "JPY"), ("£", "GBP"), ("UDS", "USD"), ("JPN", "JPY"),
     ("XYZ", None), ("ten", None)],
)  # fmt: skip
def test_currency_names_symbols_and_close_codes(value: str, code: str | None):
    advice = currency_advice(value)
    assert advice.suggestion == code
    assert advice.message == f"{value!r} is not an ISO 4217 code"


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [("2021-2-3", "2021-02-03"), ("2021/02/03", "2021-02-03"), ("20210203", "2021-02-03"),
     ("25/02/2021", "2021-02-25"), ("02/25/2021", "2021-02-25"), ("3 Feb 2021", "2021-02-03"),
     ("February 3, 2021", "2021-02-03"), ("2021-02-03T10:00:00Z", "2021-02-03"), ("03/03/2021", "2021-03-03")],
)  # fmt: skip
def test_dates_in_another_shape_get_the_iso_date(value: str, suggestion: str):
    assert date_advice({"type": "date"})(value) == Advice(suggestion=suggestion)


def test_ambiguous_dates_say_the_expected_format():
    advice = date_advice({"type": "date"})("03/02/2021")
    assert advice == Advice(hint="dates are written YYYY-MM-DD: is it 2021-02-03 or 2021-03-02?")


def test_impossible_and_unreadable_dates():
    advise = date_advice({"type": "date"})
    assert advise("2021-02-30") == Advice(hint="February 2021 has 28 days, not 30")
    assert advise("2021-13-01") == Advice(hint="there is no month 13; dates are written YYYY-MM-DD")
    assert advise("soon") == Advice(hint="dates are written YYYY-MM-DD")
    assert "missingValues" in (advise("n/a").hint or "")


def test_dates_follow_the_fields_own_format():
    advise = date_advice({"type": "date", "format": "%d/%m/%Y"})
    assert advise("2021-02-03") == Advice(suggestion="03/02/2021")
    assert advise("soon") == Advice(hint="dates are written in the format '%d/%m/%Y'")


def test_datetimes_booleans_and_numbers():
    assert datetime_advice({})("2021-02-03 10:00") == Advice(suggestion="2021-02-03T10:00:00")
    assert datetime_advice({})("2021-02-03 10:00:05+09:00").suggestion == "2021-02-03T10:00:05+09:00"
    assert "needs a time of day" in (datetime_advice({})("2021-02-03").hint or "")
    assert boolean_advice({})("ture") == Advice(suggestion="true")
    assert boolean_advice({"trueValues": ["yes"], "falseValues": ["no"]})("maybe") == Advice(
        hint="true is written yes, false no"
    )
    assert number_advice({"type": "number"})("1,234.5") == Advice("1234.5", "or declare groupChar ',' in the field")
    assert number_advice({"type": "integer"})("7.0") == Advice(suggestion="7")
    assert number_advice({"type": "integer"})("seven") is None
    assert number_advice({"type": "number"})("125,000,0000") is None  # not thousands groups: no guess
    assert number_advice({"type": "number"})("1 000 000") == Advice("1000000", "or declare groupChar ' ' in the field")
    assert number_advice({"type": "number", "decimalChar": ","})("1.5") is None
    assert number_advice({"type": "number"})(" 2.5 ") == Advice(suggestion="2.5")


def _by_field(findings: list[dict]) -> dict[str, dict]:
    return {f["field"]: f for f in findings}


def test_package_findings_get_key_and_suggestions(mini: Path):
    data = mini.parent / "data"
    row = set_cells(data / "deals.csv", "jare-lynas-equity-2022",
                    {"currency": "YEN", "amount_usd": "", "instrument": "Equity", "status": "disbursd",
                     "funder_code": "JNP", "announced_on": "2022-9-20"})  # fmt: skip
    _, findings = json_findings("validate", str(mini))
    got = _by_field([f for f in findings if f["row"] == row])
    assert {f["key"] for f in got.values()} == {"deal_id=jare-lynas-equity-2022"}
    assert got["currency"]["suggestion"] == "JPY" and got["currency"]["message"] == "'YEN' is not an ISO 4217 code"
    assert got["instrument"]["suggestion"] == "equity"
    assert got["status"]["suggestion"] == "disbursed"
    assert got["funder_code"]["type"] == "foreign-key" and got["funder_code"]["suggestion"] == "JPN"
    assert got["announced_on"]["suggestion"] == "2022-09-20"


def test_header_findings_and_keyless_tables_get_no_key(tmp_path: Path):
    (tmp_path / "t.csv").write_text("id,n\n1,x\n", encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps({"fields": [{"name": "idd"}, {"name": "n", "type": "integer"}]}))
    _, findings = json_findings("validate", str(tmp_path / "t.csv"), "--schema", str(tmp_path / "s.json"))
    assert {(f["type"], f["key"]) for f in findings} == {("incorrect-label", None), ("type-error", None)}


def test_composite_keys_name_every_part(tmp_path: Path):
    (tmp_path / "t.csv").write_text("a,b,n\nx,1,ok\nx,2,bad\n", encoding="utf-8")
    schema = {"fields": [{"name": "a"}, {"name": "b", "type": "integer"},
                         {"name": "n", "constraints": {"enum": ["ok"]}}], "primaryKey": ["a", "b"]}  # fmt: skip
    (tmp_path / "s.json").write_text(json.dumps(schema), encoding="utf-8")
    _, findings = json_findings("validate", str(tmp_path / "t.csv"), "--schema", str(tmp_path / "s.json"))
    assert [f["key"] for f in findings] == ["a=x, b=2"]


def test_foreign_key_advice_stays_within_its_budget(mini: Path, monkeypatch: pytest.MonkeyPatch):
    set_cells(mini.parent / "data" / "deals.csv", "jare-lynas-equity-2022", {"funder_code": "JNP"})
    monkeypatch.setattr(enrich, "PAIR_BUDGET", 1)  # fewer pairs than referenced keys: no advice at all
    _, findings = json_findings("validate", str(mini))
    fk = [f for f in findings if f["type"] == "foreign-key"]
    assert len(fk) == 1 and fk[0]["suggestion"] is None and fk[0]["key"] == "deal_id=jare-lynas-equity-2022"


def test_advice_is_skipped_for_a_schema_it_cannot_read():
    schema = {"fields": [{"name": "g", "categories": [{"label": "no value"}]}], "primaryKey": [], "foreignKeys": []}
    res = Resource("t", Path("t.csv"), "t.csv", schema)
    finding = Finding("t", "t.csv", 2, "g", "constraint-error", "'y' is not a category", "y")
    assert enrich._advice(duckdb.connect(), {"t": res}, [finding]) == {}


def test_key_findings_enriched_apart_as_with_the_others(mini: Path, monkeypatch: pytest.MonkeyPatch):
    """Validation enriches the key findings in their own thread: the result is what one enrichment
    of every finding gives (advice is per field and type, and no type comes from both sides)."""
    from rareearths.checking import validate
    from rareearths.opening.package_source import open_target

    data = mini.parent / "data"
    set_cells(data / "deals.csv", "jare-lynas-equity-2022", {"funder_code": "JNP", "instrument": "Equity"})
    set_cells(data / "deals.csv", "jogmec-sojitz-lynas-2011", {"deal_id": "jare-lynas-equity-2022", "status": "x"})
    pkg = open_target(mini)
    con = validate.connect()
    together = validate.validate_opened(pkg, con).sorted()
    monkeypatch.setattr(validate, "enrich", lambda _con, _resources, findings: findings)
    bare = validate.validate_opened(pkg, validate.connect()).sorted()
    assert {"foreign-key", "primary-key", "constraint-error"} <= {f.type for f in bare}
    assert together == sorted(enrich.enrich(con, pkg.resources, bare), key=Finding.sort_key)
    assert together != bare  # (enrichment added something)


def test_keys_started_before_the_rows_are_read_find_the_same(mini: Path, monkeypatch: pytest.MonkeyPatch):
    """A table's keys are checked as soon as it is written, before its failing rows are read; the
    report is the one the keys checked after every table is read give."""
    from rareearths.checking import validate
    from rareearths.opening.package_source import open_target

    data = mini.parent / "data"
    set_cells(data / "deals.csv", "jare-lynas-equity-2022", {"funder_code": "JNP", "instrument": "Equity"})
    set_cells(data / "deals.csv", "jogmec-sojitz-lynas-2011", {"deal_id": "jare-lynas-equity-2022", "status": "x"})
    pkg = open_target(mini)
    started = []
    real_keys = validate._keys
    monkeypatch.setattr(validate, "_keys", lambda cur, resources, loaded: started.append(
        [r.name for r in resources]) or real_keys(cur, resources, loaded))  # fmt: skip
    early = validate.validate_opened(pkg, validate.connect()).sorted()
    assert ["deals"] in started  # (one table at a time: the early start)
    real_load = validate.load
    monkeypatch.setattr(validate, "load", lambda *a, keys_from=None, **k: real_load(*a, **k))
    started.clear()
    late = validate.validate_opened(pkg, validate.connect()).sorted()
    assert len(started) == 1 and "deals" in started[0]
    assert {"foreign-key", "primary-key"} <= {f.type for f in early}
    assert early == late
