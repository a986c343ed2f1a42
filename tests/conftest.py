"""Shared helpers: copy packages into tmp dirs, run the CLI, read findings."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rareearths.cli import app

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def json_findings(*args: str) -> tuple[int, list[dict]]:
    code, out = run_cli(*args, "--format", "json")
    return code, json.loads(out)["findings"]


def copy_package(dest: Path, data: Path | None = None) -> Path:
    """The repo's descriptor and schemas with the shipped data, or another data folder."""
    shutil.copy(ROOT / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    shutil.copytree(data or ROOT / "data", dest / "data")
    return dest / "datapackage.json"


def set_cells(csv_path: Path, key: str, changes: dict[str, str]) -> int:
    """Set fields of the row whose first column is `key`; return its Frictionless row number."""
    with open(csv_path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for i, row in enumerate(rows[1:], start=2):
        if row[0] == key:
            for field, value in changes.items():
                row[header.index(field)] = value
            with open(csv_path, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(rows)
            return i
    raise KeyError(key)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small valid package (real rows) in a temporary folder."""
    return copy_package(tmp_path, FIXTURES / "mini" / "data")
