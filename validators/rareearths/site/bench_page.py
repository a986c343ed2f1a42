"""The benchmarks page: whatever `bench/results/*.json` holds, or a note that no run exists yet.

Results written by `bench/run.py` (keys `runs` and `targets`) get the full page: targets, a chart of
time per tool and dataset, the runs, recall by error kind and what remains to be done. Any other JSON
is shown as it is. The chart is inline SVG, drawn deterministically, so regenerating never churns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rareearths.site.markup import cell, md_table
from rareearths.site.svg import plt, style, to_svg

TOOLS = ["rareearths", "frictionless", "pandera", "duckdb-floor", "duckdb-text"]
COLORS = {"rareearths": "#1565c0", "frictionless": "#c62828", "pandera": "#ef6c00", "duckdb-floor": "#546e7a",
          "duckdb-text": "#90a4ae"}  # fmt: skip


def _records(data: Any) -> list[dict[str, Any]] | None:
    """A list of flat records when the JSON has that shape (directly or under `results`), else None."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return data
    return None


def generic_section(path: Path, data: Any) -> str:
    """Any JSON that is not a `bench/run.py` result: its scalars, then a table or the JSON itself."""
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


def _percent(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f}%".replace(".00%", "%")


def _seconds(run: dict[str, Any]) -> str:
    return f"≈ {run['seconds']:,}" if run.get("extrapolated") else f"{run['seconds']:,}"


def _source(run: dict[str, Any]) -> str:
    """How a run was obtained: measured, or extrapolated linearly from a smaller measured run."""
    if not run.get("extrapolated"):
        return "measured"
    return f"extrapolated from {run['measured_rows']:,} rows"


def chart_svg(runs: list[dict[str, Any]], datasets: list[str]) -> bytes:
    """Grouped bars, log scale: seconds per tool for each dataset; extrapolated bars hatched."""
    tools = [t for t in TOOLS if any(r["tool"] == t for r in runs)]
    by = {(r["tool"], r["dataset"]): r for r in runs}
    width = 0.8 / max(len(tools), 1)
    with style():
        fig, ax = plt.subplots(figsize=(10, 4.2))
        for i, tool in enumerate(tools):
            for j, ds in enumerate(datasets):
                run = by.get((tool, ds))
                if run is None:
                    continue
                x = j + (i - (len(tools) - 1) / 2) * width
                extra = run.get("extrapolated")
                ax.bar(x, run["seconds"], width, color=COLORS.get(tool, "#999999"), alpha=0.45 if extra else 1,
                       hatch="///" if extra else None, edgecolor="white", linewidth=0.4,
                       label=tool if j == 0 else None)  # fmt: skip
                ax.annotate(f"{run['seconds']:.3g}", (x, run["seconds"]), ha="center", va="bottom", fontsize=6)
        ax.set_yscale("log")
        ax.set_xticks(range(len(datasets)), datasets)
        ax.set_ylabel("wall time, seconds (log scale)")
        ax.set_title("Validation time per tool and dataset (hatched: extrapolated)")
        ax.legend(loc="upper left", frameon=False, ncols=len(tools))
        ax.margins(y=0.15)
        return to_svg(fig)


def _inline(svg: bytes, alt: str) -> str:
    """The SVG as one raw-HTML block: no XML prologue, no blank lines, scaled to the column width."""
    text = svg.decode("utf-8")
    text = text[text.index("<svg") :]
    text = re.sub(r'<svg ([^>]*?)width="[^"]+" height="[^"]+"', r'<svg \1style="max-width: 100%; height: auto"', text)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)
    body = "\n".join(line for line in text.splitlines() if line.strip())
    return f'<figure class="bench-chart">\n{body}\n</figure>\n'


def _meta(data: dict[str, Any]) -> list[str]:
    m, v = data.get("machine", {}), data.get("versions", {})
    return [
        f"- **Date:** {data.get('date', '?')}",
        f"- **Machine:** {m.get('cpus', '?')} CPUs, {m.get('memory_gib', '?')} GiB, {cell(str(m.get('cpu', '')))}",
        "- **Versions:** " + ", ".join(f"{k} {val}" for k, val in v.items()),
        "",
    ]


def _datasets_table(datasets: list[dict[str, Any]]) -> str:
    rows = [
        [f"`{d['name']}`", f"{d['rows']:,}", f"{d['bad_per_mille'] / 10:g}%", f"{d['planted']:,}", f"{d['csv_mb']:,}"]
        for d in datasets
    ]
    return md_table(["Dataset", "Rows", "Bad rows", "Planted errors", "fact.csv (MB)"], rows)


def _targets_table(targets: list[dict[str, Any]]) -> str:
    rows = [[cell(t["goal"]), "pass" if t["passed"] else "**FAIL**", cell(t["measured"])] for t in targets]
    return md_table(["Target", "Result", "Measured"], rows)


def _runs_table(runs: list[dict[str, Any]]) -> str:
    rows = []
    for r in runs:
        rss = "–" if r.get("peak_rss_mb") is None else f"{r['peak_rss_mb']:,}"
        false = "–" if "false_findings" not in r else f"{r['false_findings']:,}"
        every = ", ".join(f"{x:g}" for x in r.get("all_seconds", [])) or "–"
        rows.append(
            [f"`{r['dataset']}`", r["tool"], _seconds(r), every, f"{r['rows_per_second']:,.0f}", rss]
            + [_percent(r.get("recall")), false, _source(r)]
        )
    header = ["Dataset", "Tool", "Seconds", "Every round", "Rows/s", "Peak RSS (MB)", "Recall", "False findings", "How"]
    return md_table(header, rows)


def _kinds_table(runs: list[dict[str, Any]]) -> str:
    """Found / planted per error kind, for each tool's run on the largest 1%-bad dataset."""
    chosen = []
    for tool in TOOLS:
        mine = [r for r in runs if r["tool"] == tool and r.get("planted_by_kind") and r["dataset"].endswith("bad1")]
        if mine:
            chosen.append(max(mine, key=lambda r: (not r.get("extrapolated"), r["rows"])))
    if not chosen:
        return ""
    kinds = sorted({k for r in chosen for k in r["planted_by_kind"]})
    header = ["Kind"] + [f"{r['tool']} (`{r['dataset']}`, {r.get('measured_rows', r['rows']):,} rows)" for r in chosen]
    rows = [
        [f"`{k}`"] + [f"{r['found_by_kind'].get(k, 0):,} / {r['planted_by_kind'].get(k, 0):,}" for r in chosen]
        for k in kinds
    ]
    return md_table(header, rows)


def _profile_table(profiles: list[dict[str, Any]]) -> str:
    """Seconds (wall, and CPU of this process) per stage of rareearths, one column pair per dataset."""
    stages = list(dict.fromkeys(k for p in profiles for k in p["stages"]))
    header = ["Stage"] + [f"`{p['dataset']}` {x}" for p in profiles for x in ("s", "CPU s")]
    rows = [[cell(k)] + [f"{p['stages'].get(k, {}).get(x, 0):.2f}" for p in profiles
                         for x in ("seconds", "cpu_seconds")] for k in stages]  # fmt: skip
    rows.append(["**whole process**"] + [x for p in profiles for x in (f"{p['whole_seconds']:.2f}", "")])
    return md_table(header, rows)


def _directions_table(directions: list[dict[str, str]]) -> str:
    return md_table(["Direction", "Measured", "Kept"],
                    [[cell(d["direction"]), cell(d["measured"]), cell(d["kept"])] for d in directions])  # fmt: skip


def _remains(targets: list[dict[str, Any]]) -> list[str]:
    missed = [t for t in targets if not t["passed"]]
    if not missed:
        return ["Every target is met.", ""]
    return [f"- **{cell(t['goal'])}**: measured {cell(t['measured'])}. {cell(t.get('cause', ''))}" for t in missed] + [
        ""
    ]


def result_section(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not (isinstance(data, dict) and isinstance(data.get("runs"), list) and data["runs"]):
        return generic_section(path, data)
    runs, targets = data["runs"], data.get("targets", [])
    datasets = [d["name"] for d in data.get("datasets", [])] or list(dict.fromkeys(r["dataset"] for r in runs))
    lines = [f"## `{path.name}`", "", *_meta(data), _datasets_table(data.get("datasets", []))]
    if targets:
        lines += ["### Targets", "", _targets_table(targets)]
    lines += ["### Time per tool and dataset", "", _inline(chart_svg(runs, datasets), "Bar chart of validation time")]
    lines += ["### Runs", "", _runs_table(runs)]
    kinds = _kinds_table(runs)
    if kinds:
        lines += ["### Planted errors found, by kind", "", kinds]
    if data.get("profile"):
        lines += ["### Where the time goes", "", "One run of `rareearths validate` with `RAREEARTHS_PROFILE` set, on "
                  "the largest clean and 1%-bad datasets (a run of its own, so its total can differ from the best "
                  "round above). The count of lines and control characters runs in a thread beside the scan, so "
                  "stages can overlap.", "", _profile_table(data["profile"])]  # fmt: skip
    if data.get("startup"):
        st = data["startup"]
        lines += ["### Start-up", "", f"- `rareearths validate --help`: {st['help']['seconds']} s (best of "
                  f"{len(st['help']['all_seconds'])})", f"- validating the shipped package: "
                  f"{st['shipped']['seconds']} s (best of {len(st['shipped']['all_seconds'])})", ""]  # fmt: skip
    if data.get("directions"):
        lines += ["### Directions measured", "", _directions_table(data["directions"])]
    if targets:
        lines += ["### What remains", "", *_remains(targets)]
    return "\n".join(lines)


INTRO = [
    "Results of `make bench`, read from `bench/results/` when the site was built. The benchmark generates "
    "seeded synthetic packages (`bench/generate.py`: a fact table of 11 columns exercising every type and "
    "constraint, with a foreign key into a 10,000-row table), clean and with 0.1% or 1% of rows holding one "
    "planted error each, and runs every tool in its own process on the same files: `rareearths validate`, "
    "`frictionless validate` (error limit raised to report everything), pandera on pandas with the schema "
    "pandera derives from the Table Schema (`lazy=True`), and the floor, a DuckDB typed `read_csv` that "
    "casts every column and aggregates over all of them. Recall matches findings to the manifest of planted "
    "errors on (row, field, type); pandera's on (row, field). Slow tools run on a smaller file and their time "
    "is extrapolated linearly, as the tables say.",
    "",
]


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
    return "\n".join(head + INTRO) + "\n" + "\n".join(result_section(p) for p in files)
