"""Shared helpers: copy packages into tmp dirs, run the CLI, read findings."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

# Imported once, so that the command line run in-process checks descriptors in a thread rather than
# in a child process per run (tests/test_profile_check.py covers the child).
import frictionless  # noqa: F401
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


@contextlib.contextmanager
def _once(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder shared by every pytest-xdist worker of the run, and whether it is still to be made:
    the first worker makes it under a lock, the others wait and reuse it. Two builds differ in the
    DuckDB file's bytes, so two workers generating docs/generated/ from their own would disagree."""
    shared = (
        tmp_path_factory.getbasetemp().parent
        if os.environ.get("PYTEST_XDIST_WORKER")
        else tmp_path_factory.getbasetemp()
    )
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder, not done.exists()
            done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's package built once for the run, as `make` builds it into dist/."""
    from rareearths.building.build import build
    from rareearths.dataset import derived_sql
    from rareearths.dataset.rules import RULES

    with _once(tmp_path_factory, "dist") as (out, todo):
        if todo:
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            build(ROOT / "datapackage.json", out, ROOT / "releases.json", RULES, derived_sql())
    return out


@pytest.fixture(scope="session")
def site(built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate docs/generated/ from that build and build the site with the strict settings `make site` uses."""
    from rareearths.site.generate import generate

    with _once(tmp_path_factory, "site") as (out, todo):
        if todo:
            generate(ROOT, built_dist)
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            proc = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def served(site: Path) -> Iterator[str]:
    """The built site on a plain static web server (Python's), as any host would serve it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
