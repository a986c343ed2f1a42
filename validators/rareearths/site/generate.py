"""Write `docs/generated/` from the package: every page, chart and download the site needs.

`render` is pure (package in, file contents out); `generate` writes the result and removes files
that are no longer produced, so the folder always matches the package exactly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rareearths.building.releases import find_release, load_releases
from rareearths.dataset import derived_sql
from rareearths.site import (
    bench_page,
    changes_page,
    charts,
    claims_page,
    dataset_metadata,
    dictionary,
    home,
    in_force_page,
    joins,
    queries_page,
    query_in_browser,
    rules_page,
    tables,
)
from rareearths.site.package import Package, load_package, typed_connection
from rareearths.site.table_layout import Labels

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


def _query_page(root: Path, package: Package, built: bool) -> dict[str, bytes]:
    from rareearths.building.build import package_metadata_sql

    data = query_in_browser.setup(
        package.names(),
        package_metadata_sql(package.descriptor),
        derived_sql(),
        queries_page.load_queries(root / "queries"),
    )
    page = query_in_browser.query_page(data, "../vendor/duckdb/", "downloads/parquet/", "query/setup.json", built)
    return {"query/setup.json": query_in_browser.setup_json(data), "query.md": _text(page)}


def render(root: Path, dist: Path | None = None) -> dict[str, bytes]:
    """Every generated file, by path relative to `docs/generated/`; the build's artifacts are read
    from `dist` (default: `root/dist`)."""
    package = load_package(root)
    files: dict[str, bytes] = {}
    dist = dist or root / "dist"
    artifacts = home.artifacts(dist)
    files["dictionary/joins.svg"] = joins.diagram_svg(package)
    files["dictionary/index.md"] = _text(dictionary.index_page(package, "joins.svg"))
    files["data/index.md"] = _text(tables.index_page(package))
    labels = Labels(package)
    parquet = {a.name for a in artifacts}
    for res in package.resources:
        files[f"dictionary/{res.name}.md"] = _text(dictionary.resource_page(package, res))
        files[f"data/{res.name}.md"] = _text(tables.data_page(res, labels, f"parquet/{res.name}.parquet" in parquet))
        files[f"downloads/csv/{res.name}.csv"] = res.path.read_bytes()

    con = typed_connection(package, derived_sql())
    as_of = _as_of(package)
    for chart in charts.CHARTS:
        files[f"charts/{chart.file}"] = chart.draw(con, as_of)
        if chart.data is not None:
            files[f"charts/{chart.data_file}"] = chart.data(con)
    con.close()
    files["charts.md"] = _text(charts.charts_page())

    files["howto/queries.md"] = _text(queries_page.queries_page(root, DB_NAME))
    files.update(_query_page(root, package, built=any(a.name.startswith("parquet/") for a in artifacts)))
    status = in_force_page.export_from_database(dist / DB_NAME)
    if status is not None:
        files["in-force/status-periods.json"] = in_force_page.export_json(status)
    files["claims.md"] = _text(claims_page.claims_page(package, "claims.html"))
    files["in-force.md"] = _text(in_force_page.in_force_page(status, "in-force/status-periods.json"))
    files["rules.md"] = _text(rules_page.rules_page(_rules(), rules_page.load_conformance(root)))
    for name, text in changes_page.pages(root, package.version).items():
        files[f"changes/{name}"] = _text(text)
    files["benchmarks.md"] = _text(bench_page.bench_page(root / "bench" / "results"))

    for a in artifacts:
        files[f"downloads/{a.name}"] = (dist / a.name).read_bytes()
    files["snippets/facts.md"] = _text(home.facts_snippet(package, changes_page.release_label(root, package.version)))
    files["snippets/downloads.md"] = _text(home.downloads_snippet(artifacts, "generated/downloads/"))
    files["snippets/downloads-howto.md"] = _text(home.downloads_snippet(artifacts, "../generated/downloads/"))
    files["snippets/citation.md"] = _text(home.citation_snippet(home.load_cff(root)))
    release = find_release(load_releases(root / "releases.json"), package.version)
    doc = dataset_metadata.dataset(package, artifacts, release.date if release else None)
    files["snippets/dataset-jsonld.md"] = _text(dataset_metadata.jsonld_snippet(doc))
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


def generate(root: Path, dist: Path | None = None) -> list[Path]:
    """Regenerate `docs/generated/` under the repository `root`; returns the files written."""
    out = root / GENERATED
    if out.is_symlink():
        raise ValueError(f"{out} is a symlink; refusing to write through it")
    return write_tree(out, render(root, dist))


__all__ = ["generate", "render", "write_tree"]
