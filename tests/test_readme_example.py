"""The README's "A broken file, as a user sees it" is the output of a real run, so it cannot drift.

The block's first line is the command; it is run in `tests/fixtures/readme/` and its output must be
the rest of the block. After changing the messages, `UPDATE_README=1 pytest tests/test_readme_example.py`
rewrites the block from the run.
"""

from __future__ import annotations

import os
import re
import shlex

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

README = ROOT / "README.md"
BLOCK = re.compile(r"A broken file, as a user sees it[^\n]*\n\n```text\n\$ rareearths (.*?)\n(.*?)```", re.DOTALL)


def test_readme_example_is_a_real_run(monkeypatch: pytest.MonkeyPatch):
    text = README.read_text(encoding="utf-8")
    block = BLOCK.search(text)
    assert block is not None, "README.md lost its 'A broken file, as a user sees it' block"
    monkeypatch.chdir(FIXTURES / "readme")
    code, out = run_cli(*shlex.split(block[1]))
    assert code == 1
    if os.environ.get("UPDATE_README"):
        README.write_text(text[: block.start(2)] + out + text[block.end(2) :], encoding="utf-8")
        return
    assert block[2] == out, "README example is out of date: run UPDATE_README=1 pytest tests/test_readme_example.py"
