"""Where validation spends its time, stage by stage, when `RAREEARTHS_PROFILE` names a file.

`stage("scan")` around a block adds its wall-clock and CPU seconds to that stage; at exit the
totals are written to the file as JSON (the benchmark reads them into its per-stage profile).
Without the variable, `stage` costs one dictionary lookup.
"""

from __future__ import annotations

import atexit
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_TARGET = os.environ.get("RAREEARTHS_PROFILE")
_STAGES: dict[str, list[float]] = {}
_START = time.perf_counter()


@contextmanager
def stage(name: str) -> Iterator[None]:
    if not _TARGET:
        yield
        return
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        total = _STAGES.setdefault(name, [0.0, 0.0])
        total[0] += time.perf_counter() - wall
        total[1] += time.process_time() - cpu


def _write() -> None:
    stages = {k: {"seconds": round(v[0], 3), "cpu_seconds": round(v[1], 3)} for k, v in _STAGES.items()}
    doc = {"since_import_seconds": round(time.perf_counter() - _START, 3), "stages": stages}
    Path(_TARGET or "").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if _TARGET:
    atexit.register(_write)
