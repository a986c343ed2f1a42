"""The pandera schema derived from a Table Schema (`to_pandera`, for users of pandera) fails on the
same cells as the validator's own constraint checks, on every constraint fixture."""

from __future__ import annotations

import pytest

from rareearths.checking.to_pandera import to_pandera
from rareearths.checking.validate import connect, validate_opened
from rareearths.opening.package_source import open_target
from tests.conftest import FIXTURES

STRUCTURE = FIXTURES / "structure"
CONSTRAINTS = sorted(p.stem for p in STRUCTURE.glob("constraint-*.csv"))


@pytest.mark.parametrize("name", CONSTRAINTS)
def test_pandera_fails_on_the_same_values(name: str):
    import ibis
    import pandera.errors

    pkg = open_target(STRUCTURE / f"{name}.csv", STRUCTURE / "schema.json")
    con = connect()
    report = validate_opened(pkg, con)
    ours = {(f.field, f.row) for f in report.findings if f.type == "constraint-error" and "required" not in f.message}
    res = pkg.resources[0]
    schema = to_pandera(res.schema, res.name)
    table = ibis.duckdb.from_connection(con).table(res.name)
    try:
        schema.validate(table, lazy=True)
        theirs: set[tuple] = set()
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        theirs = set()
        for case, check, index in zip(cases["failure_case"], cases["check"], cases["index"], strict=True):
            # the ibis backend reports a failing value as {column: value}, at its position in the table
            if isinstance(case, dict) and not str(check).startswith("not_nullable"):
                theirs |= {(column, int(index) + 2) for column, value in case.items() if value is not None}
    assert theirs == ours
