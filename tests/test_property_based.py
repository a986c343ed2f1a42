"""Property-based: random bytes and random edits never produce a traceback or an exit code outside
{0, 1, 2}, and an edit that breaks a rule is always reported where it was made."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rareearths.cli import app
from tests.conftest import FIXTURES, ROOT, copy_package

SCHEMA = FIXTURES / "hostile" / "schema.json"
MINI = FIXTURES / "mini" / "data"
SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLES = ["sources", "entities", "materials", "deals", "export_controls", "control_items"]


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback would have reached the user
    return result.exit_code, result.output


csv_like = st.lists(
    st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), min_size=0, max_size=5), max_size=8
).map(lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.one_of(st.binary(max_size=400), csv_like))
def test_random_bytes_never_crash(data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.csv"
        path.write_bytes(data)
        code, _ = _invoke("validate", str(path), "--schema", str(SCHEMA), "--format", "json")
        assert code in (0, 1, 2)
        assert path.read_bytes() == data


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@SETTINGS
@given(
    table=st.sampled_from(TABLES),
    pick=st.integers(min_value=0, max_value=10_000),
    value=st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30),
)
def test_random_edits_never_crash(table: str, pick: int, value: str):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp), MINI)
        rows = _rows(pkg.parent / "data" / f"{table}.csv")
        r, c = 1 + pick % (len(rows) - 1), pick % len(rows[0])
        rows[r][c] = value
        _write(pkg.parent / "data" / f"{table}.csv", rows)
        code, _ = _invoke("validate", str(pkg), "--format", "json")
        assert code in (0, 1, 2)


def _field_names(table: str) -> list[str]:
    return [f["name"] for f in json.loads((ROOT / "schemas" / f"{table}.json").read_text())["fields"]]


def _breaking_edits() -> st.SearchStrategy[tuple[str, str, str, str]]:
    """(table, field, bad value, finding type): edits that must always be caught."""
    words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
    return st.one_of(
        words.map(lambda w: ("deals", "status", "pending-" + w, "constraint-error")),
        words.map(lambda w: ("export_controls", "measure_type", "x" + w, "constraint-error")),
        words.map(lambda w: ("deals", "announced_on", "20x" + w, "type-error")),
        st.integers(min_value=-1000, max_value=-1).map(lambda n: ("deals", "amount", str(n), "constraint-error")),
        words.map(lambda w: ("control_items", "material_id", "no-such-" + w, "foreign-key")),
        st.just(("export_controls", "title_en", "", "constraint-error")),
    )


@SETTINGS
@given(edit=_breaking_edits(), pick=st.integers(min_value=0, max_value=1000))
def test_breaking_edit_is_reported_where_made(edit: tuple[str, str, str, str], pick: int):
    table, field, value, kind = edit
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp), MINI)
        path = pkg.parent / "data" / f"{table}.csv"
        rows = _rows(path)
        r = 1 + pick % (len(rows) - 1)
        rows[r][_field_names(table).index(field)] = value
        _write(path, rows)
        code, out = _invoke("validate", str(pkg), "--format", "json")
        findings = json.loads(out)["findings"]
        assert code == 1
        assert any((f["type"], f["row"], f["field"]) == (kind, r + 1, field) for f in findings), findings
        shutil.rmtree(pkg.parent / "data")
