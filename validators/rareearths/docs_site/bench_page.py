"""The benchmarks page: whatever `bench/results/*.json` holds, or a note that no run exists yet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rareearths.docs_site.markup import cell, md_table


def _records(data: Any) -> list[dict[str, Any]] | None:
    """A list of flat records when the JSON has that shape (directly or under `results`), else None."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return data
    return None


def result_section(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    lines = [f"## `{path.name}`", ""]
    if isinstance(data, dict):
        meta = {k: v for k, v in data.items() if not isinstance(v, list | dict)}
        lines += [f"- **{k}:** {cell(str(v))}" for k, v in meta.items()]
        lines.append("")
    records = _records(data)
    if records:
        keys = list(dict.fromkeys(k for r in records for k in r))
        lines.append(
            md_table(
                [f"`{k}`" for k in keys],
                [
                    [cell(json.dumps(r[k]) if isinstance(r.get(k), list | dict) else str(r.get(k, ""))) for k in keys]
                    for r in records
                ],
            )
        )
    else:
        lines += ["```json", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True), "```", ""]
    return "\n".join(lines)


def bench_page(results_dir: Path) -> str:
    files = sorted(results_dir.glob("*.json")) if results_dir.is_dir() else []
    head = ["# Benchmarks", ""]
    if not files:
        return "\n".join(
            head
            + [
                "**Not run yet:** no `bench/results/*.json` exists. "
                "Run `make bench`, then `make site`, to show the results here.",
                "",
            ]
        )
    head += ["Results of `make bench`, read from `bench/results/` when the site was built.", ""]
    return "\n".join(head) + "\n" + "\n".join(result_section(p) for p in files)
