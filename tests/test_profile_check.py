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


def test_a_child_started_ahead_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command starts the child before it needs it; the check then takes that one."""
    monkeypatch.setattr(profile_check, "imported", lambda: False)  # (this test process has frictionless)
    descriptor = DESCRIPTORS["bad-name"]
    here = profile_check.profile_errors(descriptor, str(tmp_path))
    profile_check.warm_up()
    child = profile_check._warm
    assert child is not None

    def not_here(*args: object) -> None:
        raise AssertionError("checked in this process")

    monkeypatch.setattr(profile_check, "profile_errors", not_here)
    monkeypatch.setattr(profile_check, "_start", not_here)  # nor by a child started on demand
    assert profile_check.in_child(descriptor, tmp_path) == here
    assert child.returncode == 0 and profile_check._warm is None


def test_a_child_never_used_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(profile_check, "imported", lambda: False)
    profile_check.warm_up()
    child = profile_check._warm
    assert child is not None
    profile_check.discard()
    assert child.poll() is not None and profile_check._warm is None
