"""`releases.json`: each released version with its date, commit, content digest and artifact checksums.

Tags do not travel with the repository's main branch, so the record of which commit holds which
release lives here, and `rareearths diff 1.0.0 HEAD` reads it.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RELEASES_FILE = "releases.json"


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    commit: str | None
    content_sha256: str
    artifacts: dict[str, str] = field(default_factory=dict)


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for semantic versions (pre-release suffixes ignored); unreadable versions sort first."""
    try:
        return tuple(int(x) for x in version.split("-")[0].split(".")[:3])
    except ValueError:
        return (-1,)


def load_releases(path: Path) -> list[Release]:
    """Every recorded release, oldest first; none when the file does not exist."""
    if not path.is_file():
        return []
    raw = json.loads(path.read_text(encoding="utf-8")).get("releases", [])
    releases = [
        Release(
            version=str(r["version"]),
            date=str(r.get("date", "")),
            commit=r.get("commit"),
            content_sha256=str(r.get("content_sha256", "")),
            artifacts=dict(r.get("artifacts", {})),
        )
        for r in raw
    ]
    return sorted(releases, key=lambda r: version_key(r.version))


def find_release(releases: list[Release], version: str) -> Release | None:
    """The release of `version` (a leading `v`, as in a tag, is allowed)."""
    wanted = version.removeprefix("v")
    return next((r for r in releases if r.version == wanted), None)


def previous_release(releases: list[Release], version: str) -> Release | None:
    """The latest release older than `version`."""
    older = [r for r in releases if version_key(r.version) < version_key(version)]
    return older[-1] if older else None


def git(repo: Path, *args: str) -> str | None:
    """Output of a git command in `repo`, or None when git or the repository is not there."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return proc.stdout.strip()


def has_commit(repo: Path, commit: str) -> bool:
    return git(repo, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}") is not None


def committed_head(repo: Path, paths: list[str]) -> str:
    """HEAD's full hash, when `paths` have no uncommitted change; otherwise raise ValueError."""
    head = git(repo, "rev-parse", "HEAD")
    if head is None:
        raise ValueError(f"{repo} is not a git repository: cannot record the release's commit")
    dirty = git(repo, "status", "--porcelain", "--", *paths)
    if dirty:
        raise ValueError("commit the package's files first: the release records the commit that holds them\n" + dirty)
    return head


def release_entry(
    version: str, date: str, commit: str, content_sha256: str, artifacts: dict[str, str]
) -> dict[str, Any]:
    return {
        "version": version,
        "date": date,
        "commit": commit,
        "content_sha256": content_sha256,
        "artifacts": dict(sorted(artifacts.items())),
    }
