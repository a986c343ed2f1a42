"""Charts drawn at build time from the typed tables, as deterministic SVG (no network, no JS).

Each function takes a DuckDB connection holding the package's tables (see
`package.typed_connection`) and returns SVG bytes; `CHARTS` pairs each with its caption.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import matplotlib.dates as mdates
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from rareearths.site.markup import HIDE_TOC
from rareearths.site.svg import plt, style, to_svg

PALETTE = [
    "#1b5e20",
    "#1565c0",
    "#c62828",
    "#6a1b9a",
    "#ef6c00",
    "#00838f",
    "#5d4037",
    "#ad1457",
    "#546e7a",
    "#9e9d24",
    "#283593",
    "#00695c",
]


def _mid(a: dt.date, b: dt.date) -> dt.date:
    return a + (b - a) / 2


def dependency_svg(con: duckdb.DuckDBPyConnection) -> bytes:
    """One panel per importer: every figure of dependence on China, by metric and material."""
    rows = con.execute(
        """
        SELECT d.importer_code, d.metric, coalesce(m.name_en, d.material_id), d.period_start, d.period_end, d.value,
               d.value_low, d.value_high, d.value_kind, d.is_estimate
        FROM dependency_ratios d LEFT JOIN materials m USING (material_id)
        WHERE d.supplier_code = 'CHN'
        ORDER BY 1, 2, 3, d.period_start, d.ratio_id
        """
    ).fetchall()
    importers = sorted({r[0] for r in rows}, key=lambda c: (c == "WLD", c))
    with style():
        fig, axes = plt.subplots(len(importers), 1, figsize=(10, 2.5 * len(importers)), sharex=True, squeeze=False)
        for ax, importer in zip(axes[:, 0], importers, strict=True):
            mine = [r for r in rows if r[0] == importer]
            series = sorted({(r[1], r[2]) for r in mine})
            colors = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
            for _imp, metric, material, start, end, value, low, high, _kind, estimate in mine:
                color = colors[(metric, material)]
                mid = _mid(start, end)
                level = value if value is not None else (low + high) / 2
                ax.hlines(level, start, end, color=color, lw=2.2, alpha=0.45)
                if low is not None and high is not None:
                    ax.vlines(mid, low, high, color=color, lw=3)
                    ax.plot([mid, mid], [low, high], "_", color=color, ms=10, mew=2)
                if value is not None:
                    ax.plot(mid, value, "o", color=color, ms=6, mfc="white" if estimate else color, mew=1.5)
            ax.set_ylim(0, 1.05)
            ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
            ax.set_yticklabels(["0%", "25%", "50%", "75%", "100%"])
            title = "World (China's share of world production)" if importer == "WLD" else f"{importer} from China"
            ax.set_title(title, loc="left", fontsize=10, weight="bold")
            handles = [Line2D([], [], color=colors[s], marker="o", lw=2, label=f"{s[0]} · {s[1]}") for s in series]
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
        return to_svg(fig)


MEASURE_COLORS = {
    "informal_embargo": "#c62828",
    "quota": "#ef6c00",
    "licence_requirement": "#1565c0",
    "end_user_ban": "#6a1b9a",
    "technology_export_restriction": "#00838f",
    "framework_regulation": "#546e7a",
    "suspension": "#2e7d32",
    "licence_facilitation": "#9e9d24",
}


def controls_svg(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> bytes:
    """Each measure on its own line: announced (diamond), in effect (bar), suspended (hatched)."""
    controls = con.execute(
        """
        SELECT control_id, announced_on, effective_on, ended_on, measure_type
        FROM export_controls ORDER BY announced_on, control_id
        """
    ).fetchall()
    suspensions = con.execute(
        "SELECT to_control_id, valid_from, valid_until FROM control_links WHERE relation = 'suspends'"
    ).fetchall()
    ypos = {c[0]: i for i, c in enumerate(controls)}
    early = [c for c in controls if c[1].year < 2020]
    late_start = dt.date(2023, 4, 1)
    with style():
        fig, (ax0, ax1) = plt.subplots(
            1,
            2,
            figsize=(11, 0.36 * len(controls) + 1.8),
            sharey=True,
            gridspec_kw={"width_ratios": [1, 2.6], "wspace": 0.04},
        )
        for ax in (ax0, ax1):
            for cid, announced, effective, ended, mtype in controls:
                y = ypos[cid]
                color = MEASURE_COLORS.get(mtype, "#757575")
                if effective is not None:
                    end = ended or as_of
                    ax.barh(y, (end - effective).days, left=effective, height=0.55, color=color, alpha=0.85)
                    if ended is None:
                        ax.plot(as_of, y, ">", color=color, ms=5)
                    if announced < effective:
                        ax.hlines(y, announced, effective, color=color, lw=1, linestyles=":")
                ax.plot(announced, y, "D", color="black", ms=4.5, mfc=color)
            for to_id, start, until in suspensions:
                if to_id in ypos:
                    end = until or as_of
                    ax.barh(
                        ypos[to_id],
                        (end - start).days,
                        left=start,
                        height=0.55,
                        fc="white",
                        ec="#2e7d32",
                        hatch="////",
                        lw=0.8,
                    )
            ax.axvline(as_of, color="#999", lw=0.8, ls="--")
        ax0.set_xlim(dt.date(2009, 11, 1), dt.date(2015, 6, 1) if early else dt.date(2011, 1, 1))
        ax1.set_xlim(late_start, dt.date(as_of.year + 1, 3, 1))
        ax1.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax1.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax0.xaxis.set_major_locator(mdates.YearLocator(2))
        ax0.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax0.spines["right"].set_visible(False)
        ax1.spines["left"].set_visible(False)
        ax1.tick_params(left=False)
        ax0.set_yticks(range(len(controls)))
        ax0.set_yticklabels([c[0] for c in controls], fontsize=7.5)
        ax0.invert_yaxis()
        for ax in (ax0, ax1):
            ax.tick_params(axis="x", labelsize=8)
            ax.grid(axis="y", visible=False)
        ax1.text(as_of, -0.9, f"as of {as_of.isoformat()}", fontsize=7, color="#666", ha="right")
        handles = [Patch(color=c, label=m.replace("_", " ")) for m, c in MEASURE_COLORS.items()]
        handles += [
            Line2D([], [], color="black", marker="D", mfc="white", lw=0, label="announced"),
            Line2D([], [], color="#555", ls=":", label="announced, not yet in effect"),
            Patch(fc="white", ec="#2e7d32", hatch="////", label="suspended (control_links)"),
        ]
        fig.legend(handles=handles, loc="upper center", ncol=4, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.05))
        fig.suptitle(
            "Chinese export-control measures: announcement, effect and suspension",
            x=0.02,
            y=0.98,
            ha="left",
            weight="bold",
        )
        fig.subplots_adjust(top=0.94, bottom=0.1)
        return to_svg(fig)


PLEDGED = ("announced", "conditional", "signed")


def deals_svg(con: duckdb.DuckDBPyConnection) -> bytes:
    """Deals per year by funder and by instrument, and US-dollar amounts pledged versus disbursed."""
    rows = con.execute(
        "SELECT year(announced_on), funder_code, instrument, status, amount_usd FROM deals ORDER BY 1, 2, 3"
    ).fetchall()
    years = list(range(min(r[0] for r in rows), max(r[0] for r in rows) + 1))
    funders = sorted({r[1] for r in rows})
    instruments = sorted({r[2] for r in rows})
    with style():
        fig, axes = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
        for ax, idx, groups, title in (
            (axes[0], 1, funders, "Number of deals per year, by funder's jurisdiction (funder_code)"),
            (axes[1], 2, instruments, "Number of deals per year, by instrument"),
        ):
            bottom = [0] * len(years)
            for i, g in enumerate(groups):
                counts = [sum(1 for r in rows if r[0] == y and r[idx] == g) for y in years]
                ax.bar(
                    years, counts, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=g.replace("_", " "), width=0.75
                )
                bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
            ax.set_title(title, loc="left", fontsize=10, weight="bold")
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
            ax.yaxis.get_major_locator().set_params(integer=True)
        ax = axes[2]
        pledged = [sum(r[4] or 0 for r in rows if r[0] == y and r[3] in PLEDGED) / 1e9 for y in years]
        paid = [sum(r[4] or 0 for r in rows if r[0] == y and r[3] == "disbursed") / 1e9 for y in years]
        ax.bar(
            [y - 0.2 for y in years],
            pledged,
            width=0.4,
            color="#90caf9",
            ec="#1565c0",
            label="pledged (announced, conditional, signed)",
        )
        ax.bar([y + 0.2 for y in years], paid, width=0.4, color="#2e7d32", label="disbursed")
        missing = sum(1 for r in rows if r[4] is None)
        ax.set_title(
            f"US$ billions per year, where a US-dollar amount is given ({missing} deals without one)",
            loc="left",
            fontsize=10,
            weight="bold",
        )
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], rotation=45)
        fig.tight_layout()
        return to_svg(fig)


@dataclass(frozen=True)
class Chart:
    """A chart file, its alt text and the caption printed under it."""

    file: str
    alt: str
    caption: str
    draw: Callable[[duckdb.DuckDBPyConnection, dt.date], bytes]


CHARTS: tuple[Chart, ...] = (
    Chart(
        "dependence-on-china.svg",
        "Dependence on China over time, per importer and metric",
        "Every figure of dependence on China (`supplier_code = CHN`), one panel per importer, coloured by "
        "metric and material. A dot is a stated value (hollow where the source calls it an estimate) placed at the "
        "middle of its period; a vertical bar is a stated range; the faint horizontal line spans the period the "
        "figure covers. Figures with a different metric, scope or basis are not one series "
        "(see [Methodology](../methodology.md)). Source table: `dependency_ratios`.",
        lambda con, _as_of: dependency_svg(con),
    ),
    Chart(
        "export-controls-timeline.svg",
        "Timeline of Chinese export-control measures",
        "Each Chinese measure on its own line, ordered by announcement: the diamond is the announcement, the dotted "
        "line the wait until it took effect, the bar the time in effect (to `ended_on`, or an arrow where it still "
        "stands), and the hatched bar a suspension by a later notice (of the whole notice, or of one "
        "clause as for `mofcom-2024-46`). The axis is broken between 2015 and 2023. "
        "Source tables: `export_controls` (dates, type) and `control_links` (`relation = suspends`).",
        controls_svg,
    ),
    Chart(
        "deals-by-year.svg",
        "Diversification deals by year, funder, instrument and status",
        "Deals by year of announcement: counted by the funder's jurisdiction (`funder_code`) and by instrument, "
        "and summed in US dollars where the source gives or documents a US-dollar amount (`amount_usd`), split "
        "into pledged (announced, conditional or signed) and disbursed (`status`). "
        "Source table: `deals`.",
        lambda con, _as_of: deals_svg(con),
    ),
)


def charts_page(charts: tuple[Chart, ...] = CHARTS, folder: str = "charts") -> str:
    """The charts page: each SVG as an image with its caption underneath."""
    parts = [
        HIDE_TOC + "# Charts",
        "",
        "Drawn from the data when this site was built (matplotlib, SVG), so they always match the tables. "
        "Each caption says what the chart shows and which tables it reads.",
        "",
    ]
    for chart in charts:
        parts += [
            f"## {chart.alt}",
            "",
            '<figure class="re-chart" markdown>',
            f"![{chart.alt}]({folder}/{chart.file})",
            "<figcaption markdown>",
            chart.caption,
            "</figcaption>",
            "</figure>",
            "",
        ]
    return "\n".join(parts)
