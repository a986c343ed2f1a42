"""The performance issue's targets, checked on a benchmark result, with what remains where one is missed.

Every target compares tools measured side by side in the same run (`run.py`), so that the load of
the machine falls on all of them alike; ratios are given with the seconds they come from.
"""

from __future__ import annotations

import statistics
from typing import Any

VARIANTS = ("clean", "bad0.1", "bad1")


def _target(name: str, goal: str, measured: str, passed: bool, cause: str = "") -> dict[str, Any]:
    record = {"name": name, "goal": goal, "measured": measured, "passed": passed}
    if not passed:
        record["cause"] = cause or "not profiled yet"
    return record


def _stages(result: dict[str, Any], dataset: str) -> dict[str, float]:
    for p in result.get("profile", []):
        if p["dataset"] == dataset:
            return {k: v["seconds"] for k, v in p["stages"].items()} | {"whole": p["whole_seconds"]}
    return {}


def _rounds(result: dict[str, Any], dataset: str) -> list[float]:
    """Our time over the floor's, round by round (the two ran one after the other in each round)."""
    by = {(r["tool"], r["dataset"]): r for r in result["runs"]}
    ours, floor = by.get(("rareearths", dataset)), by.get(("duckdb-floor", dataset))
    if not ours or not floor:
        return []
    return [o / f for o, f in zip(ours["all_seconds"], floor["all_seconds"], strict=False) if f]


def _paired(result: dict[str, Any], big: str) -> str:
    """The ratio round by round, shown whether the target is met or not: on a shared machine the
    best of each tool can fall in different rounds, and the paired rounds show the margin."""
    rounds = sorted(_rounds(result, f"{big}-clean"))
    if len(rounds) < 2:
        return ""
    return f"; round by round {rounds[0]:.2f}x to {rounds[-1]:.2f}x, median {statistics.median(rounds):.2f}x"


def _times(ratio: float, limit: float) -> str:
    """A ratio to two decimals, or three where two would round it onto the limit it misses or meets."""
    text = f"{ratio:.2f}x"
    return f"{ratio:.3f}x" if text == f"{limit:.2f}x" and ratio != limit else text


def _lone_best(result: dict[str, Any], tool: str, dataset: str, name: str) -> str:
    """A sentence when a tool's best round stands alone (10% or more below its next), which then
    decides a ratio of bests; empty otherwise."""
    run = next((r for r in result["runs"] if r["tool"] == tool and r["dataset"] == dataset), None)
    rounds = sorted(run["all_seconds"]) if run else []
    if len(rounds) < 2 or rounds[0] > 0.9 * rounds[1]:
        return ""
    return (f"{name}'s best round, {rounds[0]:.2f} s, was {rounds[1] - rounds[0]:.2f} s faster than its next "
            f"({rounds[1]:.2f} s; the machine's load varies by a third from round to round), and the ratio of "
            "bests follows that one round. ")  # fmt: skip


def _floor_cause(result: dict[str, Any], big: str, ours: float, floor: float, text: float | None) -> str:
    """Where the time above the floor goes, from the text floor and the per-stage profile."""
    st = _stages(result, f"{big}-clean")
    parts = []
    if text:
        parts.append(f"A process that only reads the file with every column as text takes {text:.2f} s "
                     f"({text / floor:.2f}x the typed floor): Table Schema's strictness needs the text, since "
                     f"DuckDB's typed reader reads '1.5' as the integer 2 and '2021-2-3' as a date. Ours takes "
                     f"{ours:.2f} s, {ours - text:.2f} s more for every check")  # fmt: skip
    if st:
        parts.append(f"by stage, the scan that tests every cell while it reads takes {st.get('scan', 0):.2f} s, "
                     f"the keys {st.get('keys', 0):.2f} s, the count of lines and control characters "
                     f"{st.get('line count', st.get('empty lines', 0)):.2f} s (in a thread beside the scan), "
                     f"start-up and the descriptor check the rest")  # fmt: skip
    return (
        _lone_best(result, "duckdb-floor", f"{big}-clean", "The floor")
        + "; ".join(parts)
        + ". A row gets one quick test per cell, each condition being evaluated only for the "
        "rows that fail it, and the tests are as cheap as found (round trips and byte comparisons; no regular "
        "expression per cell but declared patterns and long enums, and control characters searched in the cells "
        "only when the file's bytes hold one): what remains is that test per cell, about as costly together as "
        "reading the file. See the directions measured."
    )


def targets(result: dict[str, Any], big: str = "10m", small: str = "1m") -> list[dict[str, Any]]:
    """Check the issue's targets on a benchmark result."""
    runs = result["runs"]
    by = {(r["tool"], r["dataset"]): r for r in runs}
    ours = {v: by.get(("rareearths", f"{big}-{v}")) for v in VARIANTS}
    if any(r is None for r in ours.values()):
        return []
    floor = by[("duckdb-floor", f"{big}-clean")]["seconds"]
    text_run = by.get(("duckdb-text", f"{big}-clean"))
    text = text_run["seconds"] if text_run else None
    ratio = ours["clean"]["seconds"] / floor
    versus = [(by[("pandera", f"{s}-{v}")]["seconds"] / by[("rareearths", f"{s}-{v}")]["seconds"], f"{s}-{v}")
              for s in (small, big) for v in VARIANTS if ("pandera", f"{s}-{v}") in by]  # fmt: skip
    slowest = min(versus, default=(0.0, "none"))
    dirty = [r for r in runs if r["tool"] == "rareearths" and not r["dataset"].endswith("clean")]
    perfect = all(r.get("recall") == 1 and r.get("false_findings") == 0 for r in dirty)
    clean_false = sum(by[("rareearths", f"{s}-clean")].get("false_findings", 0) for s in (small, big))
    worst = min((r.get("recall") or 0 for r in dirty), default=0)
    cost = ours["bad1"]["seconds"] / ours["clean"]["seconds"]
    rss = max(r["peak_rss_mb"] for r in ours.values())
    growth = max(ours[v]["seconds"] / by[("rareearths", f"{small}-{v}")]["seconds"] for v in VARIANTS)
    start = result.get("startup", {})
    help_s, shipped_s = start.get("help", {}).get("seconds"), start.get("shipped", {}).get("seconds")
    out = [
        _target("floor", "clean 10M at most 2x the DuckDB floor, whole process",
                f"{_times(ratio, 2)} ({ours['clean']['seconds']} s against {floor} s){_paired(result, big)}",
                ratio <= 2,
                _floor_cause(result, big, ours["clean"]["seconds"], floor, text)),
        _target("pandera", "faster than pandera on pandas on every variant, at 1M and 10M",
                f"{slowest[0]:.1f}x faster at least ({slowest[1]})" if slowest[0] > 1 else
                f"{1 / slowest[0]:.1f}x slower on {slowest[1]}" if slowest[0] else "not measured", slowest[0] > 1,
                _pandera_cause(by, versus, small, big)),
        _target("recall", "dirty variants: recall 100%, no false findings (clean: no findings)",
                f"lowest recall {worst:.2%}, false findings {sum(r.get('false_findings', 0) for r in dirty)}"
                f" (dirty) + {clean_false} (clean)", perfect and clean_false == 0),
        _target("findings-cost", "1% bad at 10M (100,000 findings) at most 1.5x the clean run",
                f"{_times(cost, 1.5)} ({ours['bad1']['seconds']} s against {ours['clean']['seconds']} s)", cost <= 1.5,
                _cost_cause(result, big)),
        _target("memory", "peak RSS under 2 GiB at 10M", f"{rss} MB", rss < 2048,
                "The narrow table (typed key columns and the suspect rows' cells) and DuckDB's buffers."),
        _target("linear", "10M/1M time at most 12x", f"{growth:.1f}x (worst variant)", growth <= 12),
    ]  # fmt: skip
    if help_s is not None and shipped_s is not None:
        out.append(_target("startup", "`rareearths validate --help` and validating the shipped package under 1 s "
                           "each", f"{help_s} s and {shipped_s} s", help_s < 1 and shipped_s < 1,
                           _startup_cause(result)))  # fmt: skip
    return out


def _pandera_cause(by: dict[tuple[str, str], dict[str, Any]], versus: list[tuple[float, str]], small: str,
                   big: str) -> str:  # fmt: skip
    slower = [name for ratio, name in versus if ratio <= 1]
    parts = [f"Faster on {len(versus) - len(slower)} of {len(versus)} variants; slower on {', '.join(slower)}"]
    for name in slower:
        theirs, ours = by[("pandera", name)], by[("rareearths", name)]
        parts.append(f"{name}: pandera {theirs['seconds']} s at {theirs['peak_rss_mb']} MB, ours {ours['seconds']} s "
                     f"at {ours['peak_rss_mb']} MB")  # fmt: skip
    recalls = [r["recall"] for (tool, _), r in by.items() if tool == "pandera" and r.get("recall") is not None]
    if recalls:
        parts.append(f"on the dirty variants pandera finds {min(recalls):.0%}-{max(recalls):.0%} of the planted "
                     "errors, ours all of them")  # fmt: skip
    return ("; ".join(parts) + ". pandera reads a clean file with pandas' C parser into typed columns and checks "
            "them, with none of Table Schema's lexical strictness or structure checks; see the floor's cause for "
            "where our time goes.")  # fmt: skip


def _cost_cause(result: dict[str, Any], big: str) -> str:
    clean, dirty = _stages(result, f"{big}-clean"), _stages(result, f"{big}-bad1")
    if not clean or not dirty:
        return "No profile was recorded."
    diffs = {k: dirty.get(k, 0) - clean.get(k, 0) for k in set(dirty) | set(clean) if k != "whole"}
    top = sorted(diffs.items(), key=lambda kv: -kv[1])[:3]
    waited = dirty.get("keys, waited for", 0)
    overlap = (f" The key checks, in a thread from the moment the table is written, outlast the rest: this one "
               f"waits {waited:.2f} s for them after reading the failing rows ({dirty.get('rows', 0):.2f} s) and "
               f"enriching the findings ({dirty.get('enrich', 0):.2f} s)." if waited > 0.2 else "")  # fmt: skip
    return (_lone_best(result, "rareearths", f"{big}-clean", "The clean run")
            + "The dirty run's extra time, by stage: " + ", ".join(f"{k} +{v:.2f} s" for k, v in top)
            + "; the rest is writing 100,000 findings as JSON." + overlap)  # fmt: skip


def _startup_cause(result: dict[str, Any]) -> str:
    help_s = result.get("startup", {}).get("help", {}).get("seconds")
    before = f"`--help` alone takes {help_s} s: " if help_s is not None else ""
    return (
        f"{before}Python, DuckDB and typer are loaded before any file is opened (typer is pinned below 0.29, "
        "whose parameter adapters import pydantic: 0.13 s). Validating the shipped package then reads 14 small "
        "tables, each by one query whose planning (10-30 ms a table) outweighs the reading, two tables at a "
        "time; runs keys, foreign keys and the package's 30 domain rules, a query each (about 0.25 s "
        "together); and, beside all that, frictionless's descriptor check in a child process started first "
        "thing (0.4 s of CPU, mostly importing frictionless, on the core the start-up leaves idle)."
    )
