"""The documentation site: generated pages are deterministic, `mkdocs build --strict` passes, and the
built pages show their tables and charts in a real (headless) browser."""

from __future__ import annotations

import csv
import fnmatch
import html
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from rareearths.site.charts import CHARTS
from rareearths.site.generate import generate, render
from rareearths.site.queries_page import parse_query
from tests.conftest import ROOT, chromium

ARTIFACTS = ROOT / "tests" / "artifacts"
RESOURCES = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generation_is_deterministic(site: Path, built_dist: Path):
    """Generating again from the same build (the `site` fixture generated once) changes no byte."""
    before = _tree(ROOT / "docs" / "generated")
    generate(ROOT, built_dist)
    assert _tree(ROOT / "docs" / "generated") == before


def test_generation_works_before_anything_is_built(tmp_path: Path):
    """No dist/, no queries/, no bench results: the pages say what to run instead of failing."""
    for name in ("datapackage.json", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("schemas", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    files = render(tmp_path)
    assert not any(name.startswith("downloads/") and not name.startswith("downloads/csv/") for name in files)
    assert "in-force/status-periods.json" not in files and "Not built yet" in files["in-force.md"].decode()
    assert b"run `make`" in files["snippets/downloads.md"].lower() or b"Run `make`" in files["snippets/downloads.md"]
    queries = files["howto/queries.md"].decode()
    assert "does not exist yet" in queries and "No example queries yet" in queries
    assert "Not run yet" in files["benchmarks.md"].decode()


def test_site_has_every_dictionary_and_data_page_and_the_charts(site: Path):
    for name in RESOURCES:
        assert (site / "generated" / "dictionary" / f"{name}.html").is_file(), name
        assert (site / "generated" / "data" / f"{name}.html").is_file(), name
    for chart in CHARTS:
        svg = site / "generated" / "charts" / chart.file
        assert svg.is_file() and svg.read_bytes().lstrip().startswith(b"<?xml"), chart.file
    charts_html = (site / "generated" / "charts.html").read_text(encoding="utf-8")
    assert all(f'data="charts/{c.file}"' in charts_html for c in CHARTS)
    assert (site / "javascripts" / "tables.js").is_file()


def test_deals_dictionary_lists_every_field():
    page = (ROOT / "docs" / "generated" / "dictionary" / "deals.md").read_text(encoding="utf-8")
    fields = [f["name"] for f in json.loads((ROOT / "schemas" / "deals.json").read_text(encoding="utf-8"))["fields"]]
    for name in fields:
        assert f"| `{name}` |" in page, name
    rows = (ROOT / "data" / "deals.csv").read_text(encoding="utf-8").count("\n") - 1
    assert f"**Rows:** {rows}" in page
    assert "[`jurisdictions`](jurisdictions.md)" in page  # foreign keys link to the tables they point to


def test_every_page_is_in_the_nav():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)

    def pages(nav: object) -> Iterator[str]:
        if isinstance(nav, str):
            yield nav
        elif isinstance(nav, list):
            for item in nav:
                yield from pages(item)
        elif isinstance(nav, dict):
            for value in nav.values():
                yield from pages(value)

    in_nav = set(pages(config["nav"]))
    docs = ROOT / "docs"
    on_disk = {str(p.relative_to(docs)) for p in docs.rglob("*.md") if "generated/snippets" not in str(p)}
    linked_instead = [line.strip() for line in config.get("not_in_nav", "").splitlines() if line.strip()]
    assert linked_instead == ["generated/changes/*.md"]  # one page per release, linked from "What changed"
    assert on_disk - {p for p in on_disk if fnmatch.fnmatch(p, linked_instead[0])} == in_nav - {
        p for p in in_nav if fnmatch.fnmatch(p, linked_instead[0])
    }
    assert "generated/changes/index.md" in in_nav


def test_source_ids_link_to_the_sources_page(site: Path):
    deals = (site / "generated" / "data" / "deals.html").read_text(encoding="utf-8")
    assert 'href="sources.html#sojitz-jogmec-2022-09-20-jare-lynas"' in deals
    sources = (site / "generated" / "data" / "sources.html").read_text(encoding="utf-8")
    assert 'id="sojitz-jogmec-2022-09-20-jare-lynas"' in sources and 'href="https://' in sources


def test_every_row_link_in_the_data_pages_resolves(site: Path):
    """Foreign-key cells link to the anchor of the row they point to; each such anchor must exist."""
    data = site / "generated" / "data"
    ids = {p.name: set(re.findall(r'<tr id="([^"]+)"', p.read_text(encoding="utf-8"))) for p in data.glob("*.html")}
    checked = 0
    for page in data.glob("*.html"):
        for target, anchor in re.findall(
            r'<td[^>]*><a href="([a-z_]*\.html)?#([^"]+)"', page.read_text(encoding="utf-8")
        ):
            assert html.unescape(anchor) in ids[target or page.name], f"{page.name} -> {target}#{anchor}"
            checked += 1
    assert checked > 500


def test_citation_and_ci_files_agree_with_the_package():
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and str(cff["version"]) == version
    assert cff["license"] == "CC-BY-4.0" and cff["authors"] == [{"name": "rareearths contributors"}]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "rareearths-validate")
    assert hook["language"] == "python" and hook["entry"] == "rareearths validate" and not hook["pass_filenames"]
    workflow = (ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8")
    assert "rareearths validate --format github" in workflow and 'python-version: "3.11"' in workflow


def test_query_header_parsing():
    q = parse_query("x.sql", "-- title: T\n-- description: first\n--   second\nSELECT 1;\n")
    assert (q.title, q.description, q.sql) == ("T", "first second", "SELECT 1;")


# --- in a browser ---------------------------------------------------------------------------------


def _browser(binary: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=3000",
        ]
        return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=60)


with open(ROOT / "data" / "deals.csv", encoding="utf-8", newline="") as _fh:
    DEAL_ROWS = sum(1 for _ in csv.DictReader(_fh))  # the table script counts "n of N rows" (51 in 2.0.0)

PAGES = {
    "home": ("index.html", ["<table", "rare-earth-supply-chain"]),
    "dictionary-deals": ("generated/dictionary/deals.html", ["<table", "amount_qualifier"]),
    "data-deals": (
        "generated/data/deals.html",
        ['class="re-sortable"', 'class="re-table-search"', f"of {DEAL_ROWS} rows"],
    ),
    "charts": ("generated/charts.html", [f'data="charts/{c.file}"' for c in CHARTS]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_pages_render_in_headless_chromium(page: str, served: str):
    binary = chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install it with `make browser` or `apt-get install chromium`)")
    path, expected = PAGES[page]
    dom = _browser(binary, "--dump-dom", f"{served}/{path}")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for needle in expected:
        assert needle in dom.stdout, f"{needle!r} not in the DOM of {path}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{page}.png"
    shot.unlink(missing_ok=True)
    result = _browser(
        binary, f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars", f"{served}/{path}"
    )
    assert result.returncode == 0 and shot.is_file() and shot.stat().st_size > 10_000, result.stderr[-2000:]


SORT_PAGE = """<!doctype html><html><body>
<table class="re-sortable" data-table="t"><thead><tr><th>n</th><th>name</th></tr></thead>
<tbody><tr><td>10</td><td>beta</td></tr><tr><td>9</td><td>alpha</td></tr><tr><td></td><td>gamma</td></tr>
<tr><td>100</td><td>delta</td></tr></tbody></table>
<pre id="out"></pre>
<script src="javascripts/tables.js"></script>
<script>
document.addEventListener("DOMContentLoaded", function () {
  var t = document.querySelector("table"), th = t.tHead.rows[0].cells[0], out = [];
  function col() {
    return Array.prototype.map.call(t.tBodies[0].rows, function (r) { return r.cells[0].textContent; });
  }
  th.click(); out.push("asc=" + col().join(","));
  th.click(); out.push("desc=" + col().join(","));
  var box = document.querySelector("input.re-table-search");
  box.value = "ALPHA"; box.dispatchEvent(new Event("input"));
  out.push("shown=" + Array.prototype.filter.call(t.tBodies[0].rows, function (r) { return !r.hidden; }).length);
  out.push("count=" + document.querySelector(".re-table-count").textContent);
  document.getElementById("out").textContent = out.join(";");
});
</script></body></html>"""


def test_table_script_sorts_numbers_and_filters_rows(site: Path, served: str):
    binary = chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (install it with `make browser` or `apt-get install chromium`)")
    (site / "sort-test.html").write_text(SORT_PAGE, encoding="utf-8")
    dom = _browser(binary, "--dump-dom", f"{served}/sort-test.html")
    assert "asc=9,10,100,;desc=100,10,9,;shown=1;count=1 of 4 rows" in dom.stdout, dom.stdout[-1500:]
