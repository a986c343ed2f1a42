"""frictionless's descriptor check gives the same errors in a child process as in this one."""

from __future__ import annotations

from pathlib import Path

import pytest

from rareearths.opening import profile_check

DESCRIPTORS = {
    "valid": {"name": "p", "resources": [{"name": "d", "path": "d.csv", "schema": {"fields": []}}]},
    "bad-name": {"name": "Not A Slug!", "resources": [{"name": "d", "path": "d.csv"}]},
    "no-resources": {"name": "p", "resources": "d.csv"},
    "single-resource": {"name": "d", "path": 5},
}


@pytest.mark.parametrize("name", DESCRIPTORS)
def test_child_and_in_process_agree(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    descriptor = DESCRIPTORS[name]
    here = profile_check.profile_errors(descriptor, str(tmp_path))
    assert bool(here) == (name != "valid")

    def not_here(*args: object) -> None:  # the answer must come from the child, not the fallback
        raise AssertionError("checked in this process")

    monkeypatch.setattr(profile_check, "profile_errors", not_here)
    assert profile_check.in_child(descriptor, tmp_path) == here
