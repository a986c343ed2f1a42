"""frictionless's check of a descriptor against the Data Package and Data Resource profiles.

It costs about 0.3 s of Python (0.23 s of it importing frictionless), which in a thread beside the
data holds the interpreter lock in turns with the loader. A command-line run, whose process has
not imported frictionless, makes the check in a child process on the other core instead
(`in_child`); a long-lived process (tests, a notebook) imports it once and checks in a thread.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

Errors = list[tuple[str, str]]  # (type, message)


def profile_errors(descriptor: dict[str, Any], basepath: str) -> Errors:
    """Profile errors as frictionless reports them (Data Package or Data Resource, v1 and v2)."""
    from frictionless import Package
    from frictionless import Resource as FrictionlessResource

    single = "resources" not in descriptor and ("path" in descriptor or "data" in descriptor)
    kind = FrictionlessResource if single else Package
    try:
        report = kind.validate_descriptor(descriptor, basepath=basepath)
    except Exception as exc:  # frictionless raises on some malformed descriptors
        return [("package-error", f"descriptor is not valid: {exc}")]
    return [(err.type, err.message) for err in report.errors]


def in_child(descriptor: dict[str, Any], basepath: Path) -> Errors:
    """`profile_errors` in a child process; in this one if the child cannot answer."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rareearths.opening.profile_check"],
            input=json.dumps({"descriptor": descriptor, "basepath": str(basepath)}),
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=True,
        )  # fmt: skip
        return [(str(t), str(m)) for t, m in json.loads(done.stdout)]
    except (OSError, ValueError, TypeError, subprocess.SubprocessError):
        return profile_errors(descriptor, str(basepath))


def imported() -> bool:
    return "frictionless" in sys.modules


if __name__ == "__main__":
    request = json.load(sys.stdin)
    json.dump(profile_errors(request["descriptor"], request["basepath"]), sys.stdout, ensure_ascii=False)
