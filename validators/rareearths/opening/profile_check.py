"""frictionless's check of a descriptor against the Data Package and Data Resource profiles.

It costs about 0.4 s of Python (0.3 s of it starting an interpreter and importing frictionless),
which in a thread beside the data holds the interpreter lock in turns with the loader. A
command-line run, whose process has not imported frictionless, makes the check in a child
process on the other core instead (`in_child`). The command starts that child first thing
(`warm_up`), so that its import runs while this process is still importing and planning, with a
core to spare, rather than during the scan, which takes both. A long-lived process (tests, a
notebook) imports frictionless once and checks in a thread.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

Errors = list[tuple[str, str]]  # (type, message)

_warm: subprocess.Popen[str] | None = None  # a child started ahead, waiting for its descriptor
_lock = threading.Lock()  # (the check runs in a thread; the command may discard the child meanwhile)


def _take() -> subprocess.Popen[str] | None:
    global _warm
    with _lock:
        child, _warm = _warm, None
    return child


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


def _start() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rareearths.opening.profile_check"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
    )  # fmt: skip


def warm_up() -> None:
    """Start the child now; `in_child` hands it the descriptor later. Nothing if it cannot start."""
    global _warm
    with _lock:
        if _warm is None and not imported():
            try:
                _warm = _start()
            except OSError:
                _warm = None


def discard() -> None:
    """Stop a child started ahead and never used (the command ended before it needed one)."""
    child = _take()
    if child is not None:
        child.kill()
        child.communicate()


def in_child(descriptor: dict[str, Any], basepath: Path) -> Errors:
    """`profile_errors` in a child process (the one started ahead, if any); in this one if the
    child cannot answer."""
    child = _take()
    request = json.dumps({"descriptor": descriptor, "basepath": str(basepath)})
    try:
        child = child or _start()
        out, _ = child.communicate(request, timeout=120)
        if child.returncode != 0:
            raise subprocess.CalledProcessError(child.returncode, child.args)
        return [(str(t), str(m)) for t, m in json.loads(out)]
    except (OSError, ValueError, TypeError, subprocess.SubprocessError):
        if child is not None and child.poll() is None:
            child.kill()
            child.communicate()
        return profile_errors(descriptor, str(basepath))


def imported() -> bool:
    return "frictionless" in sys.modules


if __name__ == "__main__":
    import frictionless  # noqa: F401  (before the request arrives: the import is what a warm child saves)

    request = json.load(sys.stdin)
    json.dump(profile_errors(request["descriptor"], request["basepath"]), sys.stdout, ensure_ascii=False)
