"""Broken and hostile input: a precise finding, an exit code in {0, 1, 2}, never a traceback,
never a hang, never a changed file."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, copy_package, json_findings, run_cli

HOSTILE = FIXTURES / "hostile"
CELLS = FIXTURES / "cells"
EXE = str(Path(sys.executable).parent / "rareearths")

# fixture -> (exit code, exact findings as (type, row, field))
FILES: dict[str, tuple[int, set[tuple]]] = {
    "empty": (1, {("source-error", None, None)}),
    "header-only": (0, set()),
    "binary": (1, {("encoding-error", None, None)}),
    "latin1": (1, {("encoding-error", None, None)}),
    "utf16": (1, {("encoding-error", None, None)}),
    "bom": (0, {("encoding-warning", None, None)}),  # handled: the BOM is skipped, and reported
    "crlf": (1, {("type-error", 3, "on")}),  # CRLF is read like LF; the planted error keeps its row
    "embedded-newlines": (1, {("type-error", 4, "on")}),  # rows, not lines: row 4 is on line 7
    "unterminated-quote": (1, {("source-error", 2, None), ("missing-cell", 2, "on")}),
    "wrong-delimiter": (
        1,
        {
            ("incorrect-label", 1, "id"),  # its message names the delimiter the header seems to use
            ("missing-label", 1, "name"),
            ("missing-label", 1, "on"),
            ("type-error", 2, "id"),
        },
    ),  # fmt: skip
}
CELL_CHECKS: dict[str, tuple[int, str]] = {
    "formula-injection": (0, "warning"),
    "control-character": (1, "error"),
    "id-not-nfc": (1, "error"),
    "id-case-collision": (1, "error"),
}


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FILES))
def test_broken_file(name: str, tmp_path: Path):
    src = tmp_path / f"{name}.csv"
    shutil.copy(HOSTILE / f"{name}.csv", src)
    before = src.read_bytes()
    code, findings = json_findings("validate", str(src), "--schema", str(HOSTILE / "schema.json"))
    assert ({(f["type"], f["row"], f["field"]) for f in findings}, code) == (FILES[name][1], FILES[name][0])
    assert src.read_bytes() == before


def test_every_hostile_fixture_is_tested():
    assert {p.stem for p in HOSTILE.glob("*.csv")} == set(FILES)


def test_latin1_error_names_the_line():
    _, findings = json_findings("validate", str(HOSTILE / "latin1.csv"), "--schema", str(HOSTILE / "schema.json"))
    assert "line 2" in findings[0]["message"]


def test_wrong_delimiter_says_which():
    _, findings = json_findings("validate", str(HOSTILE / "wrong-delimiter.csv"), "--schema",
                                str(HOSTILE / "schema.json"))  # fmt: skip
    assert any("delimited by ';'" in f["message"] for f in findings)


def test_missing_file_and_directory(tmp_path: Path, mini: Path):
    assert run_cli("validate", str(tmp_path / "none.csv"), "--schema", str(HOSTILE / "schema.json"))[0] == 2
    pkg = json.loads(mini.read_text(encoding="utf-8"))
    pkg["resources"][0]["path"] = "data"  # a directory where a file should be
    mini.write_text(json.dumps(pkg), encoding="utf-8")
    code, findings = json_findings("validate", str(mini))
    assert code == 1 and any("is a directory" in f["message"] for f in findings)


def test_200_mb_single_line_is_read_and_reported_briefly(tmp_path: Path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.write(b"id,name,on\n1,")
        fh.write(b"x" * (200 << 20))
        fh.write(b",2020-13-01\n")
    code, findings = json_findings("validate", str(big), "--schema", str(HOSTILE / "schema.json"))
    assert code == 1 and [(f["type"], f["row"], f["field"]) for f in findings] == [("type-error", 2, "on")]
    header_only = tmp_path / "long-header.csv"
    header_only.write_bytes(b"a" * (200 << 20))
    code, out = run_cli("validate", str(header_only), "--schema", str(HOSTILE / "schema.json"), "--format", "json")
    assert code == 1 and len(out) < 10_000


@pytest.mark.parametrize("name", sorted(CELL_CHECKS))
def test_cell_checks(name: str):
    code, findings = json_findings("validate", str(CELLS / f"{name}.csv"), "--schema", str(CELLS / "schema.json"))
    assert [(f["type"], f["row"], f["field"], f["severity"]) for f in findings] == [
        (name, 3, "id" if name.startswith("id-") else "text", CELL_CHECKS[name][1])
    ]
    assert code == CELL_CHECKS[name][0]


def test_cell_checks_pass_numbers_and_clean_text():
    code, findings = json_findings("validate", str(CELLS / "valid.csv"), "--schema", str(CELLS / "schema.json"))
    assert (code, findings) == (0, [])


def test_formula_injection_is_an_error_with_strict():
    code, _ = run_cli("validate", str(CELLS / "formula-injection.csv"), "--schema", str(CELLS / "schema.json"),
                      "--strict")  # fmt: skip
    assert code == 1


def test_url_resource_needs_allow_remote(mini: Path):
    data = mini.parent / "data"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = partial(Quiet, directory=str(data))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pkg = json.loads(mini.read_text(encoding="utf-8"))
        pkg["resources"][1]["path"] = f"http://127.0.0.1:{server.server_port}/jurisdictions.csv"
        mini.write_text(json.dumps(pkg), encoding="utf-8")
        code, findings = json_findings("validate", str(mini))
        assert code == 1 and any("--allow-remote" in f["message"] for f in findings)
        code, findings = json_findings("validate", str(mini), "--allow-remote")
        assert (code, findings) == (0, [])
    finally:
        server.shutdown()


def test_validate_never_changes_the_package(mini: Path):
    before = _digest(mini.parent)
    run_cli("validate", str(mini), "--format", "json")
    assert _digest(mini.parent) == before


def test_long_query_is_interrupted_without_traceback(tmp_path: Path):
    dist = tmp_path / "dist"
    assert run_cli("build", str(ROOT / "datapackage.json"), "--out", str(dist))[0] == 0
    slow = "SELECT sum(hash(i)) FROM range(100000000000) t(i)"  # minutes of work, not optimised away
    db = str(dist / "rare-earth-supply-chain.duckdb")
    proc = subprocess.Popen([EXE, "query", slow, "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in out + err and "interrupted" in err


def test_killed_build_leaves_previous_artifacts_whole(tmp_path: Path):
    (tmp_path / "pkg").mkdir()
    pkg = copy_package(tmp_path / "pkg")
    dist = tmp_path / "dist"
    assert run_cli("build", str(pkg), "--out", str(dist))[0] == 0
    before = {k: v for k, v in _digest(dist).items() if not k.endswith(".duckdb") and k != "SHA256SUMS"}
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5):
        proc = subprocess.Popen([EXE, "build", str(pkg), "--out", str(dist)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(delay)
        proc.kill()
        proc.wait()
        after = _digest(dist)
        for name, digest in before.items():
            assert after.get(name) == digest, (delay, name)
        import duckdb

        duckdb.connect(str(dist / "rare-earth-supply-chain.duckdb"), read_only=True).execute(
            "SELECT count(*) FROM export_controls"
        ).fetchone()
    assert run_cli("build", str(pkg), "--out", str(dist))[0] == 0
    assert not list(dist.glob(".staging-*")), "a later build clears what a killed one left"
    assert os.path.exists(dist / "SHA256SUMS")
