"""The command line: version, help on every command, output formats, exit codes, --limit-errors,
and text output that does not depend on the checkout's path, the terminal's width or the locale."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from rareearths import __version__
from tests.conftest import FIXTURES, ROOT, run_cli

STRUCTURE = FIXTURES / "structure"
README_FIXTURE = FIXTURES / "readme"
BROKEN = ["constraint-enum.csv", "--schema", "schema.json"]  # run from STRUCTURE
ENUM_LINE = (
    "constraint-enum.csv:3: kind: constraint-error: 'c' does not conform to the constraint enum=['a', 'b'] of "
    "string field 'kind' [id=2]"
)
README_LINES = [
    "deals.csv:3: announced_on: type-error: '2022-9-20' is not a valid date; did you mean '2022-09-20'? "
    "[deal_id=jare-lynas-equity-2022]",
    "deals.csv:4: announced_on: type-error: '03/04/2023' is not a valid date; dates are written YYYY-MM-DD: "
    "is it 2023-04-03 or 2023-03-04? [deal_id=jogmec-lynas-loan-2023]",
    "deals.csv:4: currency: currency-iso4217: 'YEN' is not an ISO 4217 code; did you mean 'JPY'? "
    "[deal_id=jogmec-lynas-loan-2023]",
]


@pytest.fixture
def in_structure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(STRUCTURE)


def test_version():
    code, out = run_cli("--version")
    assert code == 0 and __version__ in out


@pytest.mark.parametrize("command", ["validate", "rules", "build", "query", "diff", "docs"])
def test_every_command_has_help(command: str):
    code, out = run_cli(command, "--help")
    assert code == 0 and "Usage" in out


def test_text_report_is_one_line_per_finding(in_structure: None):
    code, out = run_cli("validate", *BROKEN)
    assert code == 1
    assert out.splitlines() == [
        ENUM_LINE,
        "By type: constraint-error 1",
        "constraint-enum.csv: INVALID (1 error, 0 warnings)",
    ]


def test_text_lines_carry_the_value_the_key_and_a_suggestion(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(README_FIXTURE)
    code, out = run_cli("validate", "deals.csv", "--schema", "schema.json")
    lines = out.splitlines()
    assert code == 1
    for line in README_LINES:
        assert line in lines


def test_json_report_is_stable(in_structure: None):
    code, out = run_cli("validate", *BROKEN, "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["valid"] is False
    assert set(doc) == {"target", "valid", "stats", "findings"}
    assert doc["stats"] == {"errors": 1, "warnings": 0, "rows": {"constraint-enum": 2}}
    finding = doc["findings"][0]
    assert set(finding) == {
        "resource", "path", "row", "field", "type", "message", "value", "severity", "rule",
        "key", "suggestion", "hint",
    }  # fmt: skip
    assert (finding["row"], finding["field"], finding["value"], finding["key"]) == (3, "kind", "c", "id=2")
    per_line = [json.loads(line.strip().rstrip(",")) for line in out.splitlines() if '"resource"' in line]
    assert per_line == doc["findings"]  # one finding per line


def test_json_carries_suggestions(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(README_FIXTURE)
    _, out = run_cli("validate", "deals.csv", "--schema", "schema.json", "--format", "json")
    got = {(f["field"], f["value"]): (f["suggestion"], f["key"]) for f in json.loads(out)["findings"]}
    assert got[("currency", "YEN")] == ("JPY", "deal_id=jogmec-lynas-loan-2023")
    assert got[("instrument", "lone")] == ("loan", "deal_id=jogmec-lynas-loan-2023")
    assert got[("parent_deal_id", "jogmec-sojitz-lynas-201")][0] == "jogmec-sojitz-lynas-2011"


def test_github_annotations_and_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_structure: None):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = run_cli("validate", *BROKEN, "--format", "github")
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith("::error file=constraint-enum.csv,line=3,title=constraint-error kind::")
    assert first.endswith("[id=2]")
    assert "| error | constraint-enum.csv | 3 | kind | constraint-error |" in summary.read_text(encoding="utf-8")


def test_junit_report_counts_failures(in_structure: None):
    code, out = run_cli("validate", *BROKEN, "--format", "junit")
    root = ET.fromstring(out.split("?>", 1)[1])
    failure = root.find("testcase/failure")
    assert code == 1 and root.get("failures") == "1" and failure is not None
    assert failure.get("message") == ENUM_LINE


def _many_errors(folder: Path, n: int) -> list[str]:
    """A CSV with `n` type errors in one field and one enum error; the arguments to validate it."""
    rows = ["id,n,kind"] + [f"{i},x{i},a" for i in range(1, n + 1)] + [f"{n + 1},1,z"]
    (folder / "many.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    schema = {
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "n", "type": "integer"},
            {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
        ],
        "primaryKey": ["id"],
    }
    (folder / "many.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    return ["many.csv", "--schema", "many.schema.json"]


def test_many_findings_of_one_kind_are_grouped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    args = _many_errors(tmp_path, 1204)
    code, out = run_cli("validate", *args)
    assert code == 1
    assert out.splitlines() == [
        "many.csv: 1,204 type-error in 'n' (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...)",
        "many.csv:2: n: type-error: 'x1' is not a valid integer [id=1]",
        "many.csv:3: n: type-error: 'x2' is not a valid integer [id=2]",
        "many.csv:4: n: type-error: 'x3' is not a valid integer [id=3]",
        "  ... and 1,201 more like these (--format json lists every finding)",
        "many.csv:1206: kind: constraint-error: 'z' does not conform to the constraint enum=['a', 'b'] of string "
        "field 'kind' [id=1205]",
        "By type: constraint-error 1, type-error 1,204",
        "many.csv: INVALID (1,205 errors, 0 warnings)",
    ]
    _, out = run_cli("validate", *args, "--format", "json")
    assert len(json.loads(out)["findings"]) == 1205


def test_limit_errors_stops_reporting_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    args = _many_errors(tmp_path, 4)
    code, out = run_cli("validate", *args, "--limit-errors", "2")
    assert code == 1
    assert out.splitlines() == [
        "many.csv:2: n: type-error: 'x1' is not a valid integer [id=1]",
        "many.csv:3: n: type-error: 'x2' is not a valid integer [id=2]",
        "By type: type-error 2",
        "many.csv: INVALID (5 errors, 0 warnings); reporting stopped after 2 errors (--limit-errors), 3 more not shown",
    ]
    code, out = run_cli("validate", *args, "--limit-errors", "2", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["valid"] is False and [f["row"] for f in doc["findings"]] == [2, 3]
    assert doc["stats"]["errors"] == 5
    assert (doc["stats"]["limit_errors"], doc["stats"]["not_shown"]) == (2, {"errors": 3, "warnings": 0})
    code, out = run_cli("validate", *args, "--limit-errors", "2", "--format", "junit")
    assert code == 1 and ET.fromstring(out.split("?>", 1)[1]).get("failures") == "2"


def test_limit_errors_above_the_count_changes_nothing(in_structure: None):
    assert run_cli("validate", *BROKEN, "--limit-errors", "5") == run_cli("validate", *BROKEN)
    assert run_cli("validate", *BROKEN, "--limit-errors", "0")[0] == 2  # N must be at least 1


def test_text_ignores_checkout_path_terminal_width_and_locale(tmp_path: Path):
    """The console script in a very long folder, with COLUMNS=20 and the C locale: every finding is
    still exactly one line, with the path as given, nothing wrapped or cut."""
    deep = tmp_path.joinpath(*(["a-rather-long-folder-name-for-a-checkout"] * 6), "rareearths")
    deep.mkdir(parents=True)
    for name in ("deals.csv", "schema.json"):
        shutil.copy(README_FIXTURE / name, deep / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env |= {"COLUMNS": "20", "LINES": "10", "LANG": "C", "LC_ALL": "C", "TERM": "dumb"}
    exe = Path(sys.executable).parent / "rareearths"
    csv_path = str(deep / "deals.csv")
    proc = subprocess.run([str(exe), "validate", csv_path, "--schema", str(deep / "schema.json")],
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    for line in README_LINES:
        assert deep.as_posix() + "/" + line in lines
    assert lines[-1] == f"{csv_path}: INVALID (5 errors, 0 warnings)"
    assert len(lines) == 5 + 2  # five findings, the counts by type, the summary


def test_console_script_never_prints_a_traceback(tmp_path: Path):
    bad = tmp_path / "datapackage.json"
    bad.write_bytes(b"\xff\xfe garbage")
    exe = Path(sys.executable).parent / "rareearths"
    proc = subprocess.run([str(exe), "validate", str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
