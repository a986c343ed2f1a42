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

from rareearths.site.cell_format import dated
from rareearths.site.chart_deals import deals_csv, deals_svg
from rareearths.site.chart_dependency import dependency_csv, dependency_svg
from rareearths.site.markup import HIDE_TOC
from rareearths.site.svg import Tooltips, data_csv, plt, style, to_svg

# Statuses of control_status_periods, drawn as: face colour, edge colour, hatch, label.
STATUS_STYLE: dict[str, tuple[str, str, str, str]] = {
    "announced": ("white", "#1565c0", "", "announced, not yet applying"),
    "in_force": ("#1565c0", "#1565c0", "", "in force (restriction)"),
    "partially_suspended": ("#90caf9", "#1565c0", "\\\\", "in force, a clause suspended"),
    "suspended": ("white", "#2e7d32", "////", "suspended by a later notice"),
    "reported": ("#ffcc80", "#ef6c00", "....", "reported in the media only (never shown as in force)"),
    "unknown": ("#eeeeee", "#9e9e9e", "", "unknown: the evidence stops (reason in the data)"),
    "ended": ("#bdbdbd", "#bdbdbd", "", "ended (thin line)"),
}
RELAXATION_IN_FORCE = "#2e7d32"
TIMELINE_COLUMNS = (
    "control_id", "measure_class", "certainty", "status", "reason", "by_control_id", "status_from",
    "status_from_precision", "status_until", "status_until_precision", "open_at_horizon", "source_id",
)  # fmt: skip


def date_label(day: dt.date | None, precision: str | None) -> str:
    """A date as its precision allows, as the SQL macro `date_label` writes it: 2010, 2011-03, c. 2010-09-21."""
    return "" if day is None else dated(day.isoformat(), precision or "day")


def timeline_periods(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The rows the timeline is drawn from: `control_status_periods`, every column, in its order."""
    cols = ", ".join(TIMELINE_COLUMNS)
    return con.execute(f"SELECT {cols} FROM control_status_periods").fetchall()


def timeline_csv(con: duckdb.DuckDBPyConnection) -> bytes:
    """The data behind the timeline, as CSV: exactly the periods it draws."""
    return data_csv(TIMELINE_COLUMNS, timeline_periods(con))


def controls_svg(con: duckdb.DuckDBPyConnection, _as_of: dt.date | None = None) -> bytes:
    """Each measure on its own line, one bar per period of `control_status_periods`, up to the horizon."""
    (horizon,) = con.execute("SELECT evidence_horizon()").fetchone()
    periods = timeline_periods(con)
    controls = con.execute(
        "SELECT control_id, announced_on, announced_on_precision, measure_class, certainty FROM export_controls "
        "ORDER BY announced_on, control_id"
    ).fetchall()
    ypos = {c[0]: i for i, c in enumerate(controls)}
    early = [c for c in controls if c[1].year < 2020]
    tips = Tooltips()
    with style():
        fig, (ax0, ax1) = plt.subplots(
            1,
            2,
            figsize=(11, 0.36 * len(controls) + 2.2),
            sharey=True,
            gridspec_kw={"width_ratios": [1, 2.6], "wspace": 0.04},
        )
        for ax in (ax0, ax1):
            for cid, mclass, _cert, status, _reason, _by, start, start_p, until, _until_p, _open, _src in periods:
                face, edge, hatch, _ = STATUS_STYLE[status]
                if status == "in_force" and mclass == "relaxation":
                    face = edge = RELAXATION_IN_FORCE
                width = (until - start).days + 1
                height = 0.12 if status == "ended" else 0.55
                bar = ax.barh(ypos[cid], width, left=start, height=height, fc=face, ec=edge, hatch=hatch, lw=0.8)
                tips.add(bar.patches, f"{cid}: {status.replace('_', ' ')}, {start} to {until}. {_reason}")
                if start_p != "day" and status != "ended":
                    ax.text(
                        start, ypos[cid] - 0.4, date_label(start, start_p), fontsize=6.5, color="#444", clip_on=True
                    )
            for cid, announced, p, _mclass, _cert in controls:
                diamond = ax.plot(announced, ypos[cid], "D", color="black", ms=4, mfc="white")
                tips.add(diamond, f"{cid}: announced {date_label(announced, p)}")
            ax.axvline(horizon, color="#c62828", lw=0.9, ls="--")
        ax0.set_xlim(dt.date(2009, 11, 1), dt.date(2015, 6, 1) if early else dt.date(2011, 1, 1))
        ax1.set_xlim(dt.date(2023, 4, 1), horizon + dt.timedelta(days=75))
        ax1.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax1.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax0.xaxis.set_major_locator(mdates.YearLocator(2))
        ax0.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax0.spines["right"].set_visible(False)
        ax1.spines["left"].set_visible(False)
        ax1.tick_params(left=False)
        ax0.set_yticks(range(len(controls)))
        labels = [
            f"{cid}{' (reported)' if cert == 'reported' else ''}{' [relaxation]' if mclass == 'relaxation' else ''}"
            f" · {date_label(announced, p)}"
            for cid, announced, p, mclass, cert in controls
        ]
        ax0.set_yticklabels(labels, fontsize=7.5)
        ax0.invert_yaxis()
        for ax in (ax0, ax1):
            ax.tick_params(axis="x", labelsize=8)
            ax.grid(axis="y", visible=False)
        ax1.text(horizon, -0.9, f"evidence horizon {horizon.isoformat()}", fontsize=7, color="#c62828", ha="right")
        handles = [Patch(fc=f, ec=e, hatch=h, label=label) for f, e, h, label in STATUS_STYLE.values()]
        handles += [
            Patch(fc=RELAXATION_IN_FORCE, ec=RELAXATION_IN_FORCE, label="in force (relaxation)"),
            Line2D([], [], color="black", marker="D", mfc="white", lw=0, label="announced (date at its precision)"),
            Line2D([], [], color="#c62828", ls="--", label="evidence horizon: status beyond it is not known"),
        ]
        fig.legend(handles=handles, loc="upper center", ncol=3, fontsize=7.5, frameon=False, bbox_to_anchor=(0.5, 0.07))
        fig.suptitle(
            "Chinese export-control measures: status from announcement to the evidence horizon",
            x=0.02,
            y=0.98,
            ha="left",
            weight="bold",
        )
        fig.subplots_adjust(top=0.94, bottom=0.14)
        return to_svg(fig, tips)


@dataclass(frozen=True)
class Chart:
    """A chart file, its alt text, the caption printed under it and, where given, the data it draws (CSV)."""

    file: str
    alt: str
    caption: str
    draw: Callable[[duckdb.DuckDBPyConnection, dt.date], bytes]
    data: Callable[[duckdb.DuckDBPyConnection], bytes] | None = None

    @property
    def data_file(self) -> str:
        return self.file.rsplit(".", 1)[0] + ".csv"


CHARTS: tuple[Chart, ...] = (
    Chart(
        "dependence-on-china.svg",
        "Dependence on China over time, per importer and metric",
        "Every figure of dependence on China (`supplier_code = CHN`), one panel per importer, coloured by "
        "metric and material. A dot is a stated value (hollow where the source calls it an estimate) placed at the "
        "middle of its period; a vertical bar is a stated range; the faint horizontal line spans the period the "
        "figure covers. Figures with a different metric, scope or basis are not one series "
        "(see [Methodology](../methodology.md)). Where two series share a spot (same date and value), their marks "
        "are set side by side so neither hides the other. Point at a mark to read the figure, its row and source. "
        "Source table: `dependency_ratios`.",
        lambda con, _as_of: dependency_svg(con),
        dependency_csv,
    ),
    Chart(
        "export-controls-timeline.svg",
        "Timeline of Chinese export-control measures",
        "Each Chinese measure on its own line, ordered by announcement (the diamond; the label gives the date at "
        "its precision, e.g. `2010` or `c. 2010-09-21`), with one bar per period of `control_status_periods`: "
        "announced, in force, in force with a clause suspended, suspended by a later notice, reported in the media "
        "only, unknown (after a suspension's recorded end, or a reported practice no later source mentions) and "
        "ended. Nothing is drawn past the evidence horizon, the date up to which the sources were checked. The "
        "bars are exactly the rows of the CSV below, and `controls_in_force(d)` lists exactly the restrictions "
        "drawn as in force on day d. The axis is broken between 2015 and 2023.",
        controls_svg,
        timeline_csv,
    ),
    Chart(
        "deals-by-year.svg",
        "Diversification deals by year, funder, instrument and status",
        "Deals by year of announcement: counted by the funder's jurisdiction (`funder_code`) and by instrument, "
        "and summed in US dollars where the source gives or documents a US-dollar amount (`amount_usd`), split "
        "into pledged (announced, conditional or signed) and disbursed (`status`). Money is counted once: only "
        "the deals the view `deal_commitments` counts (a later total replaces the earlier one; tranches, "
        "extensions and amendments add nothing). Point at a bar to read it. Source table: `deals`.",
        lambda con, _as_of: deals_svg(con),
        deals_csv,
    ),
)


def charts_page(charts: tuple[Chart, ...] = CHARTS, folder: str = "charts") -> str:
    """The charts page: each SVG (with its tooltips), its caption and the CSV of what it draws."""
    parts = [
        HIDE_TOC + "# Charts",
        "",
        "Drawn from the data when this site was built (matplotlib, SVG), so they always match the tables. "
        "Each caption says what the chart shows and which tables it reads; point at a mark to read what it is, "
        "and download the data behind each chart as CSV.",
        "",
    ]
    for chart in charts:
        parts += [
            f"## {chart.alt}",
            "",
            '<figure class="re-chart" markdown>',
            # an <object>, not an <img>: the SVG's <title> tooltips show only in a live SVG document
            f'<object data="{folder}/{chart.file}" type="image/svg+xml" aria-label="{chart.alt}">'
            f'<img src="{folder}/{chart.file}" alt="{chart.alt}"></object>',
            "<figcaption markdown>",
            chart.caption
            + (f" Data: [`{chart.data_file}`]({folder}/{chart.data_file})." if chart.data is not None else ""),
            "</figcaption>",
            "</figure>",
            "",
        ]
    return "\n".join(parts)
