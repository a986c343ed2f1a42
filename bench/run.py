"""`make bench`: time rareearths against frictionless, pandera and the DuckDB floor on synthetic packages.

Generates (seeded, reused when the parameters match) packages of 1M and 10M rows, clean and with
0.1% and 1% bad rows, into bench/data/; runs every tool in its own child process on the same files,
side by side: each round runs rareearths, the floor and pandera once each, in turn, and a tool's
best round is kept, so that the machine's load falls on all of them alike. Scores findings against
the manifest of planted errors, records a per-stage profile of rareearths and its start-up time,
checks the targets (`targets.py`) and writes bench/results/results.json (rendered into the docs by
`rareearths docs`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from directions import DIRECTIONS
from generate import generate
from score import load_keys, read_manifest, score
from targets import targets

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
RESULTS = BENCH / "results" / "results.json"
SEED = 42
SIZES = {"1m": 1_000_000, "10m": 10_000_000}
VARIANTS = {"clean": 0.0, "bad0.1": 1.0, "bad1": 10.0}
TOOLS = ["rareearths", "frictionless", "pandera", "duckdb-floor", "duckdb-text"]
PROBE_ROWS = 100_000  # pandera first runs on this head of each file, to decide what is affordable
PANDERA_BUDGET = {"1m": 120.0, "10m": 300.0}  # seconds a pandera run may be expected to take
LIMIT_ERRORS = "100000000"


@dataclass(frozen=True)
class Dataset:
    name: str
    rows: int
    bad_per_mille: float
    folder: Path
    planted: int


@dataclass(frozen=True)
class Measurement:
    seconds: float
    rss_mb: int
    returncode: int
    timed_out: bool


def _generator_digest() -> str:
    """Part of each dataset's parameters, so a changed generator regenerates the data."""
    return hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:16]


def ensure_dataset(name: str, rows: int, bad_per_mille: float) -> Dataset:
    """Generate bench/data/NAME unless its params.json already records the same parameters."""
    folder = DATA / name
    params = {"rows": rows, "bad_per_mille": bad_per_mille, "seed": SEED, "generator": _generator_digest()}
    stamp = folder / "params.json"
    saved = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else {}
    if {k: saved.get(k) for k in params} != params or not (folder / "manifest.csv").is_file():
        print(f"generating {name} ({rows:,} rows)", flush=True)
        # In a child of its own: Linux copies a parent's peak RSS into each child it forks, so a bench
        # process that once held a 10M-row dataset would report gigabytes for every tool it measures.
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            planted = pool.submit(generate, folder, rows, bad_per_mille, SEED).result()["planted"]
        saved = {**params, "planted": planted}
        stamp.write_text(json.dumps(saved, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return Dataset(name, rows, bad_per_mille, folder, saved["planted"])


def head_dataset(ds: Dataset, rows: int) -> Dataset:
    """The first `rows` rows of a dataset (same schemas, ref table and manifest), for a cheap probe."""
    folder = DATA / f"{ds.name}-head{rows}"
    params = json.loads((ds.folder / "params.json").read_text(encoding="utf-8")) | {"head": rows}
    stamp = folder / "params.json"
    if not stamp.is_file() or json.loads(stamp.read_text(encoding="utf-8")) != params:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(ds.folder / "schemas", folder / "schemas")
        for name in ("datapackage.json", "ref.csv"):
            shutil.copy(ds.folder / name, folder / name)
        _copy_head(ds.folder / "fact.csv", folder / "fact.csv", rows + 1)
        with open(ds.folder / "manifest.csv", encoding="utf-8") as src, open(folder / "manifest.csv", "w") as dst:
            dst.writelines(line for i, line in enumerate(src) if i == 0 or int(line.split(",", 1)[0]) <= rows + 1)
        stamp.write_text(json.dumps(params, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return Dataset(folder.name, rows, ds.bad_per_mille, folder, len(read_manifest(folder)))


def _copy_head(src: Path, dst: Path, lines: int) -> None:
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= lines:
                break
            fout.write(line)


def measure(cmd: list[str], out: Path, timeout: float) -> Measurement:
    """Run one tool in its own child; wall time, and the peak RSS of that child alone."""
    with open(out, "wb") as stdout, open(out.with_suffix(".err"), "wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, start_new_session=True)
        timed_out = False
        peak_kb = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _hwm_kb(proc.pid))
            if time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                timed_out = True
            time.sleep(0.01)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # The child's own high-water mark, read while it runs: wait4's ru_maxrss also counts the peak of
    # the process it was forked from (Linux copies it at fork), so it says more than the tool used.
    return Measurement(round(seconds, 2), (peak_kb or usage.ru_maxrss) // 1024, proc.returncode, timed_out)


def _hwm_kb(pid: int) -> int:
    """VmHWM of a running process, in kB (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def command(tool: str, folder: Path) -> list[str]:
    """The command line of each tool; all run from this interpreter's environment."""
    dp = str(folder / "datapackage.json")
    if tool == "rareearths":
        return [sys.executable, "-m", "rareearths", "validate", dp, "--format", "json"]
    if tool == "frictionless":
        return [sys.executable, "-m", "frictionless", "validate", dp, "--json", "--limit-errors", LIMIT_ERRORS]
    mode = {"duckdb-floor": "floor", "duckdb-text": "text"}.get(tool, tool)
    return [sys.executable, str(BENCH / "tools.py"), mode, str(folder)]


def record_of(tool: str, ds: Dataset, runs: list[Measurement], timeout: float) -> dict[str, Any]:
    """A tool's record on a dataset: its best run (every run's time kept), its findings scored."""
    out = ds.folder / f"out-{tool}.json"
    best = min(runs, key=lambda m: m.seconds)
    record: dict[str, Any] = {
        "tool": tool,
        "dataset": ds.name,
        "rows": ds.rows,
        "seconds": best.seconds,
        "all_seconds": [m.seconds for m in runs],
        "rows_per_second": _sig(ds.rows / best.seconds),
        "peak_rss_mb": max(m.rss_mb for m in runs),
        "extrapolated": False,
        "exit_code": best.returncode,
    }
    if best.timed_out:
        record["note"] = f"killed after {timeout:.0f} s"
    elif tool not in ("duckdb-floor", "duckdb-text"):
        record |= score(read_manifest(ds.folder), load_keys(tool, out, ds.folder), match_type=tool != "pandera")
    print(json.dumps({k: record[k] for k in ("tool", "dataset", "all_seconds", "peak_rss_mb")} | _brief(record)),
          flush=True)  # fmt: skip
    return record


def run_tool(tool: str, ds: Dataset, repeat: int = 1, timeout: float = 1800.0) -> dict[str, Any]:
    """Measure one tool on a dataset (best wall time of `repeat` runs) and score its findings."""
    out = ds.folder / f"out-{tool}.json"
    return record_of(tool, ds, [measure(command(tool, ds.folder), out, timeout) for _ in range(repeat)], timeout)


def side_by_side(ds: Dataset, tools: dict[str, float], repeat: int) -> list[dict[str, Any]]:
    """Each round runs every tool of `tools` (name -> timeout) once, in turn; best round per tool."""
    runs: dict[str, list[Measurement]] = {t: [] for t in tools}
    for _ in range(repeat):
        for tool, timeout in tools.items():
            runs[tool].append(measure(command(tool, ds.folder), ds.folder / f"out-{tool}.json", timeout))
    return [record_of(tool, ds, runs[tool], tools[tool]) for tool in tools]


def _brief(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record[k] for k in ("recall", "false_findings") if k in record}


def _sig(x: float) -> float:
    """Three significant figures: rows per second need no more, and stay readable."""
    return float(f"{x:.3g}")


def extrapolate(source: dict[str, Any], ds: Dataset) -> dict[str, Any]:
    """A linear estimate for `ds` from a smaller measured run; findings are those of the measured run."""
    seconds = round(source["seconds"] * ds.rows / source["rows"], 1)
    record = {**source, "dataset": ds.name, "rows": ds.rows, "seconds": seconds, "extrapolated": True}
    record |= {"measured_rows": source["rows"], "peak_rss_mb": None, "rows_per_second": source["rows_per_second"]}
    print(
        json.dumps({"tool": record["tool"], "dataset": ds.name, "seconds": seconds, "extrapolated": True}), flush=True
    )
    return record


def pandera_affordable(last: dict[str, Any], ds: Dataset, size: str, memory_mb: int) -> float | None:
    """The timeout for a full pandera run on `ds`, estimated from its last run (linear in rows), or
    None when the estimate exceeds the time budget or half the machine's memory."""
    estimate = last["seconds"] * ds.rows / last["rows"]
    rss = (last["peak_rss_mb"] or 0) * ds.rows / last["rows"]
    if estimate <= PANDERA_BUDGET.get(size, 300.0) and rss < memory_mb / 2:
        return 3 * estimate + 60
    return None


def run_all(sizes: dict[str, int], repeat: int, memory_mb: int, repeat_big: int | None = None) -> list[dict[str, Any]]:
    """Every tool on every dataset, rareearths, the floors and pandera side by side; frictionless at the
    smallest size only, then extrapolated (it takes minutes). pandera first runs on a 100k-row head,
    and each size is estimated from its last run; beyond the budget its time is extrapolated.

    The biggest size, whose rounds decide the targets, gets `repeat_big` rounds: on a shared machine
    a longer run is less likely to fall in a quiet spell, so with few rounds the best of each is
    biased against the longer of two tools; more rounds give both their quiet spell."""
    big = list(sizes)[-1]
    datasets = {f"{s}-{v}": ensure_dataset(f"{s}-{v}", n, bad) for s, n in sizes.items() for v, bad in VARIANTS.items()}
    runs: list[dict[str, Any]] = []
    for variant in VARIANTS:
        fl_source = None
        first = datasets[f"{next(iter(sizes))}-{variant}"]
        pandera_last = run_tool("pandera", head_dataset(first, min(PROBE_ROWS, first.rows // 10)))
        for size in sizes:
            ds = datasets[f"{size}-{variant}"]
            tools = {"rareearths": 1800.0, "duckdb-floor": 1800.0, "duckdb-text": 1800.0}
            timeout = pandera_affordable(pandera_last, ds, size, memory_mb)
            if timeout is not None:
                tools["pandera"] = timeout
            records = side_by_side(ds, tools, (repeat_big or repeat) if size == big else repeat)
            runs += records
            if timeout is not None:
                pandera_last = next(r for r in records if r["tool"] == "pandera")
            else:
                runs.append(extrapolate(pandera_last, ds))
            if fl_source is None:
                fl_source = run_tool("frictionless", ds)
                runs.append(fl_source)
            else:
                runs.append(extrapolate(fl_source, ds))
    order = {name: i for i, name in enumerate(datasets)}
    return sorted(runs, key=lambda r: (order[r["dataset"]], TOOLS.index(r["tool"])))


def profile(ds: Dataset) -> dict[str, Any]:
    """One run of rareearths with its per-stage profile (RAREEARTHS_PROFILE): wall and CPU seconds."""
    target = ds.folder / "profile-rareearths.json"
    env = {**os.environ, "RAREEARTHS_PROFILE": str(target)}
    start = time.perf_counter()
    subprocess.run(command("rareearths", ds.folder), env=env, stdout=subprocess.DEVNULL, check=False)
    whole = round(time.perf_counter() - start, 2)
    stages = json.loads(target.read_text(encoding="utf-8"))
    return {"dataset": ds.name, "whole_seconds": whole, **stages}


def startup(repeat: int = 5) -> dict[str, Any]:
    """`rareearths validate --help` and validating the repository's own package, best of `repeat`."""
    root = BENCH.parent
    cmds = {
        "help": [sys.executable, "-m", "rareearths", "validate", "--help"],
        "shipped": [sys.executable, "-m", "rareearths", "validate", str(root / "datapackage.json"), "--format", "json"],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            times[name].append(measure(cmd, DATA / f"startup-{name}.out", 120).seconds)
    return {name: {"seconds": min(t), "all_seconds": t} for name, t in times.items()}


def rescore_targets(path: Path) -> None:
    """Recompute the targets (and their causes) and the directions of an existing results file, without
    running anything."""
    result = json.loads(path.read_text(encoding="utf-8"))
    sizes = list(dict.fromkeys(d["name"].split("-", 1)[0] for d in result["datasets"]))
    result["targets"] = targets(result, big=sizes[-1], small=sizes[0])
    result["directions"] = DIRECTIONS
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _print_targets(result["targets"])


def _print_targets(items: list[dict[str, Any]]) -> None:
    for t in items:
        print(("PASS " if t["passed"] else "FAIL ") + t["goal"] + ": " + t["measured"])


def machine() -> dict[str, Any]:
    """Enough to compare runs across machines: cores, memory, CPU model."""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").is_file() else ""
    kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal")), 0)
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), "")
    return {"cpus": os.cpu_count(), "memory_gib": round(kb / 2**20, 1), "cpu": model or platform.processor()}


def versions() -> dict[str, str]:
    pkgs = ["duckdb", "frictionless", "pandas", "pandera", "rareearths"]
    return {"python": platform.python_version(), **{p: metadata.version(p) for p in pkgs}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default=",".join(f"{k}={v}" for k, v in SIZES.items()), help="NAME=ROWS,...")
    ap.add_argument("--repeat", type=int, default=5, help="rounds of rareearths, the floors and pandera (best kept)")
    ap.add_argument("--repeat-big", type=int, default=10, help="rounds at the biggest size, which decide the targets")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--targets-only", action="store_true", help="recompute the targets of --out, run nothing")
    args = ap.parse_args()
    if args.targets_only:
        rescore_targets(args.out)
        return
    info = machine()
    sizes = {name: int(rows) for name, rows in (s.split("=") for s in args.sizes.split(","))}
    runs = run_all(sizes, args.repeat, int(info["memory_gib"] * 1024), args.repeat_big)
    datasets = list(dict.fromkeys(r["dataset"] for r in runs))
    big = list(sizes)[-1]
    result = {
        "date": dt.date.today().isoformat(),
        "machine": info,
        "load_average": os.getloadavg(),
        "versions": versions(),
        "datasets": [_dataset_record(DATA / d) for d in datasets],
        "runs": runs,
        "profile": [profile(ensure_dataset(f"{big}-{v}", sizes[big], VARIANTS[v])) for v in ("clean", "bad1")],
        "startup": startup(),
        "directions": DIRECTIONS,
    }
    result["targets"] = targets(result, big=big, small=list(sizes)[0]) if len(sizes) > 1 else []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _print_targets(result["targets"])


def _dataset_record(folder: Path) -> dict[str, Any]:
    params = json.loads((folder / "params.json").read_text(encoding="utf-8"))
    size = {"csv_mb": round((folder / "fact.csv").stat().st_size / 2**20)}
    return {"name": folder.name, **size, **{k: params[k] for k in ("rows", "bad_per_mille", "seed", "planted")}}


if __name__ == "__main__":
    main()
