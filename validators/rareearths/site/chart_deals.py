"""The deals chart: deals per year by funder and by instrument, and US dollars pledged and paid.

Money is counted once: the US-dollar panel sums only the deals `deal_commitments` counts (a later
total replaces the earlier one; tranches, extensions, amendments and cancelled deals add nothing),
and only stated amounts: a ceiling ("up to") or a floor ("at least") is never added to them.
The CSV beside the chart holds every bar drawn, and every bar has a tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from rareearths.site.cell_format import money
from rareearths.site.svg import Tooltips, data_csv, plt, style, to_svg

PALETTE = [
    "#1b5e20", "#1565c0", "#c62828", "#6a1b9a", "#ef6c00", "#00838f",
    "#5d4037", "#ad1457", "#546e7a", "#9e9d24", "#283593", "#00695c",
]  # fmt: skip
STAGES = {"pledged": "pledged (announced, conditional, signed)", "disbursed": "disbursed"}


@dataclass(frozen=True)
class Bar:
    """One bar (or bar segment) of the chart: which panel, which year, which group, how much."""

    panel: str  # deals_by_funder | deals_by_instrument | usd_by_stage
    year: int
    group: str
    value: float


def bars(con: duckdb.DuckDBPyConnection) -> list[Bar]:
    """Every bar the chart draws, zeros left out."""
    out: list[Bar] = []
    for panel, column in (("deals_by_funder", "funder_code"), ("deals_by_instrument", "instrument")):
        rows = con.execute(
            f"SELECT year(announced_on) AS y, coalesce({column}::VARCHAR, 'not named') AS g, count(*) FROM deals "
            "GROUP BY ALL ORDER BY y, g"
        ).fetchall()
        out += [Bar(panel, y, g, float(n)) for y, g, n in rows]
    rows = con.execute(
        """
        SELECT year(d.announced_on) AS y, CASE WHEN d.status = 'disbursed' THEN 'disbursed' ELSE 'pledged' END AS g,
               sum(d.amount_usd)
        FROM deals d JOIN deal_commitments c USING (deal_id)
        WHERE c.counted AND d.amount_usd IS NOT NULL AND d.amount_qualifier IN ('exact', 'about', 'nearly')
        GROUP BY ALL ORDER BY y, g
        """
    ).fetchall()
    out += [Bar("usd_by_stage", y, g, float(v)) for y, g, v in rows]
    return out


def deals_csv(con: duckdb.DuckDBPyConnection) -> bytes:
    return data_csv(
        ["panel", "year", "group", "value"], ([b.panel, b.year, b.group, f"{b.value:.0f}"] for b in bars(con))
    )


def deals_svg(con: duckdb.DuckDBPyConnection) -> bytes:
    """Deals per year by funder and by instrument, and US-dollar amounts pledged versus disbursed."""
    data = bars(con)
    (without_usd,) = con.execute("SELECT count(*) FROM deals WHERE amount_usd IS NULL").fetchone()
    (bounds,) = con.execute(
        "SELECT count(*) FROM deals WHERE amount_usd IS NOT NULL AND amount_qualifier IN ('up_to', 'at_least')"
    ).fetchone()
    years = list(range(min(b.year for b in data), max(b.year for b in data) + 1))
    tips = Tooltips()
    with style():
        fig, axes = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
        for ax, panel, title in (
            (axes[0], "deals_by_funder", "Number of deals per year, by funder's jurisdiction (funder_code)"),
            (axes[1], "deals_by_instrument", "Number of deals per year, by instrument"),
        ):
            mine = [b for b in data if b.panel == panel]
            groups = sorted({b.group for b in mine})
            bottom = dict.fromkeys(years, 0.0)
            for i, group in enumerate(groups):
                for b in (b for b in mine if b.group == group):
                    bar = ax.bar(b.year, b.value, bottom=bottom[b.year], color=PALETTE[i % len(PALETTE)], width=0.75)
                    tips.add(bar.patches, f"{b.year}: {b.value:.0f} deal{'s' if b.value != 1 else ''}, {group}")
                    bottom[b.year] += b.value
                ax.bar([], [], color=PALETTE[i % len(PALETTE)], label=group.replace("_", " "))
            ax.set_title(title, loc="left", fontsize=10, weight="bold")
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
            ax.yaxis.get_major_locator().set_params(integer=True)
        ax = axes[2]
        style_of = {"pledged": (-0.2, "#90caf9", "#1565c0"), "disbursed": (0.2, "#2e7d32", "#2e7d32")}
        for stage, label in STAGES.items():
            shift, face, edge = style_of[stage]
            for b in (b for b in data if b.panel == "usd_by_stage" and b.group == stage):
                bar = ax.bar(b.year + shift, b.value / 1e9, width=0.4, color=face, ec=edge)
                tips.add(bar.patches, f"{b.year}: {money(str(b.value), 'USD')} {stage}")
            ax.bar([], [], color=style_of[stage][1], ec=style_of[stage][2], label=label)
        ax.set_title(
            f"US$ billions per year, counted once (deal_commitments), stated amounts only ({without_usd} deals "
            f"without a US-dollar amount; {bounds} ceilings or floors not added)",
            loc="left",
            fontsize=10,
            weight="bold",
        )
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years], rotation=45)
        fig.tight_layout()
        return to_svg(fig, tips)
