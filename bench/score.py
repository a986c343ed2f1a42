"""Score each tool's findings against the generator's manifest of planted errors.

A finding is a key `(row, field, type)`, rows numbered as Frictionless does (header = row 1).
Tools whose error types do not map onto Table Schema's (pandera) are matched on `(row, field)`.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

Key = tuple[int | None, str | None, str | None]


def read_manifest(folder: Path) -> dict[Key, str]:
    """Every planted error: `(row, field, type)` -> kind name."""
    with open(folder / "manifest.csv", encoding="utf-8", newline="") as fh:
        return {(int(r["row"]), r["field"], r["type"]): r["name"] for r in csv.DictReader(fh)}


def rareearths_keys(report: dict[str, Any]) -> list[Key]:
    """Findings of `rareearths validate --format json`."""
    return [(f["row"], f["field"], f["type"]) for f in report["findings"]]


def frictionless_keys(report: dict[str, Any], primary_key: str) -> list[Key]:
    """Errors of `frictionless validate --json`; row-level key errors name no field, so take the key's."""
    keys: list[Key] = []
    for task in report.get("tasks", []):
        for e in task["errors"]:
            field = e.get("fieldName") or (e.get("fieldNames") or [None])[0]
            if field is None and e["type"] == "primary-key":
                field = primary_key
            keys.append((e.get("rowNumber"), field, e["type"]))
    keys += [(None, None, e["type"]) for e in report.get("errors", [])]
    return keys


def pandera_keys(records: list[dict[str, Any]]) -> list[Key]:
    """Failure cases printed by `tools.py pandera` (already numbered as Frictionless rows)."""
    return [(r["row"], r["field"], r["type"]) for r in records]


def score(manifest: dict[Key, str], found: list[Key], match_type: bool = True) -> dict[str, Any]:
    """Recall by kind and false findings, on distinct keys (a tool may report a cell twice)."""

    def project(k: Key) -> Key:
        return k if match_type else (k[0], k[1], None)

    planted = {project(k): name for k, name in manifest.items()}
    keys = {project(k) for k in found}
    hits = [planted[k] for k in keys if k in planted]
    false = sorted((k for k in keys if k not in planted), key=lambda k: (k[0] or 0, k[1] or "", k[2] or ""))
    return {
        "findings": len(found),
        "found": len(hits),
        "recall": round(len(hits) / len(planted), 6) if planted else None,
        "found_by_kind": dict(sorted(Counter(hits).items())),
        "planted_by_kind": dict(sorted(Counter(planted.values()).items())),
        "false_findings": len(false),
        "false_examples": [list(k) for k in false[:3]],
    }


def load_keys(tool: str, out: Path, folder: Path) -> list[Key]:
    """Parse a tool's saved stdout into finding keys."""
    data = json.loads(out.read_text(encoding="utf-8"))
    if tool == "rareearths":
        return rareearths_keys(data)
    if tool == "frictionless":
        schema = json.loads((folder / "schemas" / "fact.json").read_text(encoding="utf-8"))
        return frictionless_keys(data, schema["primaryKey"][0])
    return pandera_keys(data)
