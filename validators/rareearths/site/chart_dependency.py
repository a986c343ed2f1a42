"""The dependence chart: every figure of dependence on China, one panel per importer.

Each mark carries a tooltip naming the figure (`<title>` in the SVG), the CSV beside the chart holds
exactly the rows drawn, and marks of different series that fall on the same date and level are
set side by side, so no series hides behind another (in the Japan panel, two series of 2025 both
say 60-70%).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb
from matplotlib.lines import Line2D

from rareearths.site.cell_format import share
from rareearths.site.svg import Tooltips, data_csv, plt, style, to_svg

PALETTE = [
    "#1b5e20", "#1565c0", "#c62828", "#6a1b9a", "#ef6c00", "#00838f",
    "#5d4037", "#ad1457", "#546e7a", "#9e9d24", "#283593", "#00695c",
]  # fmt: skip
COLUMNS = (
    "importer_code", "metric", "material", "period_start", "period_end", "value", "value_low", "value_high",
    "value_kind", "value_qualifier", "is_estimate", "ratio_id", "source_id",
)  # fmt: skip
DODGE_DAYS = 90  # how far apart marks of different series on the same spot are drawn
NEAR_DAYS, NEAR_VALUE = 120, 0.03  # marks closer than this in time and value would overlap


def figures(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The rows drawn: figures with China as the supplier, in the columns of `COLUMNS`."""
    return con.execute(
        """
        SELECT d.importer_code, d.metric::VARCHAR, coalesce(m.name_en, d.material_id), d.period_start, d.period_end,
               d.value, d.value_low, d.value_high, d.value_kind::VARCHAR, d.value_qualifier::VARCHAR, d.is_estimate,
               d.ratio_id, d.source_id
        FROM dependency_ratios d LEFT JOIN materials m USING (material_id)
        WHERE d.supplier_code = 'CHN'
        ORDER BY 1, 2, 3, d.period_start, d.ratio_id
        """
    ).fetchall()


def dependency_csv(con: duckdb.DuckDBPyConnection) -> bytes:
    return data_csv(COLUMNS, figures(con))


def _mid(a: dt.date, b: dt.date) -> dt.date:
    return a + (b - a) / 2


def _collide(a: tuple, b: tuple) -> bool:
    """Two marks of one panel that would overlap: close in time and overlapping in value."""
    return abs((a[1] - b[1]).days) < NEAR_DAYS and a[2] - NEAR_VALUE <= b[3] and b[2] - NEAR_VALUE <= a[3]


def dodges(rows: list[tuple]) -> dict[str, int]:
    """Day offset per figure: marks of different series that would overlap in a panel (close in time,
    overlapping in value) are spread evenly around their place, series by series; a mark alone stays."""
    marks = []  # (ratio_id, mid, low, high, importer, series)
    for imp, metric, material, start, end, value, low, high, *rest in rows:
        lo, hi = (value, value) if value is not None else (low, high)
        marks.append((rest[-2], _mid(start, end), lo, hi, imp, (metric, material)))
    group = {m[0]: i for i, m in enumerate(marks)}  # union-find over colliding marks of one panel

    def root(i: int) -> int:
        while group[marks[i][0]] != i:
            i = group[marks[i][0]]
        return i

    for i, a in enumerate(marks):
        for j in range(i):
            b = marks[j]
            if a[4] == b[4] and a[5] != b[5] and _collide(a, b):
                group[marks[root(i)][0]] = root(j)
    clusters: dict[int, list[tuple]] = defaultdict(list)
    for i, m in enumerate(marks):
        clusters[root(i)].append(m)
    offsets: dict[str, int] = {}
    for members in clusters.values():
        series = sorted({m[5] for m in members})
        for m in members:
            offsets[m[0]] = round((series.index(m[5]) - (len(series) - 1) / 2) * DODGE_DAYS)
    return offsets


def tooltip(row: tuple) -> str:
    imp, metric, material, start, end, value, low, high, kind, qualifier, estimate, ratio_id, source_id = row
    amount = share(str(value), qualifier or "") if value is not None else f"{share(str(low))} to {share(str(high))}"
    notes = ", estimate" if estimate else ""
    return (
        f"{imp} from China · {metric.replace('_', ' ')} · {material}: {amount} ({kind}{notes}), "
        f"{start} to {end}. Row {ratio_id}; source {source_id}"
    )


def dependency_svg(con: duckdb.DuckDBPyConnection) -> bytes:
    """One panel per importer: every figure of dependence on China, by metric and material."""
    rows = figures(con)
    offsets = dodges(rows)
    tips = Tooltips()
    importers = sorted({r[0] for r in rows}, key=lambda c: (c == "WLD", c))
    with style():
        fig, axes = plt.subplots(len(importers), 1, figsize=(10, 2.5 * len(importers)), sharex=True, squeeze=False)
        for ax, importer in zip(axes[:, 0], importers, strict=True):
            mine = [r for r in rows if r[0] == importer]
            series = sorted({(r[1], r[2]) for r in mine})
            colors = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
            for row in mine:
                _imp, metric, material, start, end, value, low, high, _kind, _q, estimate, ratio_id, _src = row
                color = colors[(metric, material)]
                mid = _mid(start, end) + dt.timedelta(days=offsets[ratio_id])
                level = value if value is not None else (low + high) / 2
                text = tooltip(row)
                tips.add(ax.hlines(level, start, end, color=color, lw=2.2, alpha=0.45), text)
                if low is not None and high is not None:
                    tips.add(ax.vlines(mid, low, high, color=color, lw=3), text)
                    tips.add(ax.plot([mid, mid], [low, high], "_", color=color, ms=10, mew=2), text)
                if value is not None:
                    mark = ax.plot(mid, value, "o", color=color, ms=6, mfc="white" if estimate else color, mew=1.5)
                    tips.add(mark, text)
            ax.set_ylim(0, 1.05)
            ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
            ax.set_yticklabels(["0%", "25%", "50%", "75%", "100%"])
            title = "World (China's share of world production)" if importer == "WLD" else f"{importer} from China"
            ax.set_title(title, loc="left", fontsize=10, weight="bold")
            handles = [
                Line2D([], [], color=colors[s], marker="o", lw=2, label=f"{s[0].replace('_', ' ')} · {s[1]}")
                for s in series
            ]
            ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7.5, frameon=False)
        axes[-1, 0].set_xlim(dt.date(2009, 1, 1), dt.date(2027, 1, 1))
        fig.suptitle("Dependence on China, by importer, metric and material", x=0.02, ha="left", weight="bold")
        key = [
            Line2D([], [], color="#555", marker="o", lw=0, label="stated value (hollow: estimate)"),
            Line2D([], [], color="#555", marker="_", lw=3, ms=10, mew=2, label="stated range (low to high)"),
            Line2D([], [], color="#555", lw=2.2, alpha=0.45, label="period the figure covers"),
        ]
        fig.legend(handles=key, loc="lower left", ncol=3, frameon=False, bbox_to_anchor=(0.02, -0.02))
        fig.tight_layout(rect=(0, 0.03, 1, 0.98))
        return to_svg(fig, tips)
