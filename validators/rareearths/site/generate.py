"""Write `docs/generated/` from the package: every page, chart and download the site needs.

`render` is pure (package in, file contents out); `generate` writes the result and removes files
that are no longer produced, so the folder always matches the package exactly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rareearths.dataset import derived_sql
from rareearths.site import bench_page, charts, dictionary, home, joins, queries_page, rules_page, tables
from rareearths.site.package import Package, load_package, typed_connection

GENERATED = Path("docs") / "generated"
DB_NAME = "rare-earth-supply-chain.duckdb"


def _text(s: str) -> bytes:
    return (s.rstrip("\n") + "\n").encode("utf-8")


def _as_of(package: Package) -> dt.date:
    """The release date: open-ended measures are drawn up to it, so charts do not change with the clock."""
    created = str(package.descriptor.get("created", ""))[:10]
    try:
        return dt.date.fromisoformat(created)
    except ValueError:
        return dt.date(2000, 1, 1)


def _rules() -> list[dict[str, str]]:
    from rareearths.dataset.rules import all_rules

    return [
        {"name": r.name, "table": r.resource, "field": r.field, "severity": str(r.severity), "why": r.why}
        for r in all_rules()
    ]


def render(root: Path) -> dict[str, bytes]:
    """Every generated file, by path relative to `docs/generated/`."""
    package = load_package(root)
    files: dict[str, bytes] = {}
    files["dictionary/joins.svg"] = joins.diagram_svg(package)
    files["dictionary/index.md"] = _text(dictionary.index_page(package, "joins.svg"))
    files["data/index.md"] = _text(tables.index_page(package))
    for res in package.resources:
        files[f"dictionary/{res.name}.md"] = _text(dictionary.resource_page(package, res))
        files[f"data/{res.name}.md"] = _text(tables.data_page(res))

    con = typed_connection(package, derived_sql())
    as_of = _as_of(package)
    for chart in charts.CHARTS:
        files[f"charts/{chart.file}"] = chart.draw(con, as_of)
        if chart.data is not None:
            files[f"charts/{chart.data_file}"] = chart.data(con)
    con.close()
    files["charts.md"] = _text(charts.charts_page())

    files["howto/queries.md"] = _text(queries_page.queries_page(root, DB_NAME))
    files["rules.md"] = _text(rules_page.rules_page(_rules(), rules_page.load_conformance(root)))
    files["benchmarks.md"] = _text(bench_page.bench_page(root / "bench" / "results"))

    dist = root / "dist"
    artifacts = home.artifacts(dist)
    for a in artifacts:
        files[f"downloads/{a.name}"] = (dist / a.name).read_bytes()
    files["snippets/facts.md"] = _text(home.facts_snippet(package))
    files["snippets/downloads.md"] = _text(home.downloads_snippet(artifacts, "generated/downloads/"))
    files["snippets/downloads-howto.md"] = _text(home.downloads_snippet(artifacts, "../generated/downloads/"))
    files["snippets/citation.md"] = _text(home.citation_snippet(home.load_cff(root)))
    return files


def write_tree(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write changed files only, delete stale ones; returns every file of the tree."""
    out.mkdir(parents=True, exist_ok=True)
    wanted = {out / rel for rel in files}
    for path in sorted(out.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel, data in sorted(files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    return sorted(wanted)


def generate(root: Path) -> list[Path]:
    """Regenerate `docs/generated/` under the repository `root`; returns the files written."""
    out = root / GENERATED
    if out.is_symlink():
        raise ValueError(f"{out} is a symlink; refusing to write through it")
    return write_tree(out, render(root))


__all__ = ["generate", "render", "write_tree"]
