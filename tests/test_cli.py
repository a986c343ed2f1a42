"""The command line: version, help on every command, output formats, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from rareearths import __version__
from tests.conftest import FIXTURES, ROOT, run_cli

BROKEN = [str(FIXTURES / "structure" / "constraint-enum.csv"), "--schema", str(FIXTURES / "structure" / "schema.json")]


def test_version():
    code, out = run_cli("--version")
    assert code == 0 and __version__ in out


@pytest.mark.parametrize("command", ["validate", "rules", "build", "query", "diff", "docs"])
def test_every_command_has_help(command: str):
    code, out = run_cli(command, "--help")
    assert code == 0 and "Usage" in out


def test_text_report_shows_location_and_summary(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(FIXTURES / "structure")  # a short path: the table wraps long ones at 80 columns
    code, out = run_cli("validate", "constraint-enum.csv", "--schema", "schema.json")
    assert code == 1
    assert "constraint-enum.csv" in out and "INVALID (1 error" in out and "constraint-error" in out


def test_json_report_is_stable():
    code, out = run_cli("validate", *BROKEN, "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["valid"] is False
    assert set(doc) == {"target", "valid", "stats", "findings"}
    assert set(doc["findings"][0]) == {
        "resource",
        "path",
        "row",
        "field",
        "type",
        "message",
        "value",
        "severity",
        "rule",
        "key",
        "suggestion",
        "hint",
    }
    assert doc["findings"][0]["key"] == "id=2"


def test_github_annotations_and_step_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = run_cli("validate", *BROKEN, "--format", "github")
    assert code == 1
    assert "::error file=" in out and ",line=3," in out
    assert "| error |" in summary.read_text(encoding="utf-8")


def test_junit_report_counts_failures():
    code, out = run_cli("validate", *BROKEN, "--format", "junit")
    root = ET.fromstring(out.split("?>", 1)[1])
    assert code == 1 and root.get("failures") == "1" and root.find("testcase/failure") is not None


def test_console_script_never_prints_a_traceback(tmp_path: Path):
    bad = tmp_path / "datapackage.json"
    bad.write_bytes(b"\xff\xfe garbage")
    exe = Path(sys.executable).parent / "rareearths"
    proc = subprocess.run([str(exe), "validate", str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
