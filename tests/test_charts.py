"""Charts a person reads: the data of each chart as CSV beside it, a `<title>` tooltip on every
mark, and no series hidden behind another."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from rareearths.dataset import derived_sql
from rareearths.site.chart_dependency import _collide, _mid, dodges, figures
from rareearths.site.charts import CHARTS
from rareearths.site.package import load_package, typed_connection
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def con():
    connection = typed_connection(load_package(ROOT), derived_sql())
    yield connection
    connection.close()


def _titles(svg: bytes) -> list[str]:
    return re.findall(r'<g id="[A-Za-z0-9]+_tip\d+">\s*<title>([^<]*)</title>', svg.decode("utf-8"))


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_every_chart_has_its_data_as_csv_and_links_it(site: Path):
    page = (site / "generated" / "charts.html").read_text(encoding="utf-8")
    for chart in CHARTS:
        assert chart.data is not None, chart.file
        assert (site / "generated" / "charts" / chart.data_file).is_file()
        assert f'href="charts/{chart.data_file}"' in page
        assert f'data="charts/{chart.file}" type="image/svg+xml"' in page  # an <object>: tooltips work


def test_every_mark_has_a_tooltip(con):
    by_file = {c.file: c for c in CHARTS}
    as_of = dt.date(2026, 11, 26)
    dependency = by_file["dependence-on-china.svg"]
    rows = _csv_rows(dependency.data(con))
    titles = set(_titles(dependency.draw(con, as_of)))
    assert all(any(r["ratio_id"] in t for t in titles) for r in rows)
    assert len(titles) == len(rows)

    deals = by_file["deals-by-year.svg"]
    bars = _csv_rows(deals.data(con))
    titles = _titles(deals.draw(con, as_of))
    assert len(titles) == len(bars)
    assert any(re.fullmatch(r"\d{4}: US\$[\d.,]+(m|bn) (pledged|disbursed)", t) for t in titles)

    timeline = by_file["export-controls-timeline.svg"]
    periods = _csv_rows(timeline.data(con))
    titles = _titles(timeline.draw(con, as_of))
    (measures,) = con.execute("SELECT count(*) FROM export_controls").fetchone()
    assert len(titles) == 2 * (len(periods) + measures)  # drawn on both halves of the broken axis
    assert all(any(t.startswith(p["control_id"] + ": ") for t in titles) for p in periods)


def test_no_series_hides_behind_another(con):
    rows = figures(con)
    offsets = dodges(rows)
    marks = []
    for imp, metric, material, start, end, value, low, high, *rest in rows:
        lo, hi = (value, value) if value is not None else (low, high)
        mid = _mid(start, end) + dt.timedelta(days=offsets[rest[-2]])
        marks.append((rest[-2], mid, lo, hi, imp, (metric, material)))
    moved = 0
    for i, a in enumerate(marks):
        for b in marks[:i]:
            if a[4] == b[4] and a[5] != b[5] and abs((a[1] - b[1]).days) < 60:
                assert not _collide(a, b) or abs((a[1] - b[1]).days) >= 60, (a[0], b[0])
        moved += offsets[a[0]] != 0
    # the shipped data has marks of different series that would overlap (e.g. Korea's customs and
    # magnet series): they must have been moved apart
    assert moved >= 2


def test_overlapping_marks_of_two_series_are_set_apart_and_a_lone_mark_stays():
    def row(ratio_id: str, metric: str, start: str, end: str, value: float) -> tuple:
        d = dt.date.fromisoformat
        return ("JPN", metric, "rare-earths", d(start), d(end), value, None, None, ratio_id, "src")

    rows = [row("a", "import_share", "2025-01-01", "2025-12-31", 0.6),
            row("b", "supply_share", "2025-01-01", "2025-12-31", 0.6),
            row("c", "import_share", "2010-01-01", "2010-12-31", 0.9)]  # fmt: skip
    offsets = dodges(rows)
    assert offsets["a"] != offsets["b"] and offsets["a"] == -offsets["b"]
    assert offsets["c"] == 0
