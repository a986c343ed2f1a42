"""The join diagram: tables as boxes, foreign keys as arrows, drawn with matplotlib (no CDN needed).

Tables are placed in columns by how many hops of foreign keys separate them from the reference
tables, so arrows run right to left from facts to what they cite.
"""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from rareearths.site.package import Package, Resource
from rareearths.site.svg import plt, style, to_svg

BOX_W, ROW_H, COL_GAP, INCH = 3.4, 0.34, 1.8, 0.6
CITED = "sources"


def layers(package: Package) -> dict[str, int]:
    """Column of each table: 0 for tables that reference no other, else 1 + the deepest referenced."""
    deps = {r.name: {fk["resource"] for fk in r.foreign_keys if fk["resource"] != r.name} for r in package.resources}
    memo: dict[str, int] = {}

    def depth(name: str, seen: frozenset[str]) -> int:
        if name in memo:
            return memo[name]
        inner = [depth(d, seen | {name}) for d in sorted(deps.get(name, ())) if d in deps and d not in seen]
        memo[name] = 1 + max(inner) if inner else 0
        return memo[name]

    return {name: depth(name, frozenset()) for name in deps}


def _cites(res: Resource) -> int:
    return int(res.name != CITED and any(fk["resource"] == CITED for fk in res.foreign_keys))


def ordered_columns(package: Package, lay: dict[str, int]) -> dict[int, list[str]]:
    """Tables per column, each column sorted by where its targets sit, which keeps arrows short."""
    columns: dict[int, list[str]] = {}
    for res in package.resources:
        columns.setdefault(lay[res.name], []).append(res.name)
    rank: dict[str, float] = {}
    for c in sorted(columns):
        names = columns[c]
        if c == 0:
            names.sort(key=lambda n: (n == CITED, 0))
        else:

            def key(n: str) -> float:
                targets = [
                    rank[fk["resource"]]
                    for fk in package.resource(n).foreign_keys
                    if fk["resource"] in rank and fk["resource"] != CITED
                ]
                return sum(targets) / len(targets) if targets else 0.0

            names.sort(key=key)
        for i, n in enumerate(names):
            rank[n] = i / max(len(names) - 1, 1)
    return columns


def diagram_svg(package: Package) -> bytes:
    """SVG of every table (name and primary key) and every foreign key between them."""
    lay = layers(package)
    columns = ordered_columns(package, lay)
    heights = {r.name: ROW_H * (1.6 + len(r.primary_key) + _cites(r)) for r in package.resources}
    pos: dict[str, tuple[float, float]] = {}
    gap = 0.55
    total = max(sum(heights[n] for n in col) + gap * (len(col) - 1) for col in columns.values())
    for c, names in sorted(columns.items()):
        col_h = sum(heights[n] for n in names) + gap * (len(names) - 1)
        y = (total + col_h) / 2
        for name in names:
            pos[name] = (c * (BOX_W + COL_GAP), y)
            y -= heights[name] + gap
    n_cols = max(columns) + 1
    with style():
        width = (n_cols - 1) * (BOX_W + COL_GAP) + BOX_W + 0.8
        fig, ax = plt.subplots(figsize=(width * INCH, (total + 0.6) * INCH))
        ax.set_axis_off()
        for res in package.resources:
            x, top = pos[res.name]
            h = heights[res.name]
            fact = bool(_cites(res))
            ax.add_patch(
                FancyBboxPatch(
                    (x, top - h),
                    BOX_W,
                    h,
                    boxstyle="round,pad=0.02,rounding_size=0.06",
                    fc="#e8eaf6" if fact else "#f5f5f5",
                    ec="#3f51b5" if fact else "#757575",
                    lw=1,
                )
            )
            ax.text(x + 0.1, top - ROW_H * 0.9, res.name, weight="bold", va="center", fontsize=9.5)
            for i, key in enumerate(res.primary_key):
                ax.text(x + 0.1, top - ROW_H * (1.9 + i), f"PK {key}", va="center", fontsize=7.5, color="#444")
            if _cites(res):
                ax.text(
                    x + 0.1,
                    top - ROW_H * (1.9 + len(res.primary_key)),
                    f"source_id → {CITED}",
                    va="center",
                    fontsize=7,
                    color="#3f51b5",
                    style="italic",
                )
        for res in package.resources:
            for fk in res.foreign_keys:
                target = fk["resource"]
                if target == CITED:
                    continue  # every fact table cites sources: said in the box, not drawn
                x0, t0 = pos[res.name]
                x1, t1 = pos[target]
                y0 = t0 - heights[res.name] / 2
                y1 = t1 - heights[target] / 2
                if target == res.name:
                    start, end, rad = (x0 + BOX_W, t0 - 0.05), (x0 + BOX_W, t0 - heights[res.name] + 0.05), -0.9
                elif x1 < x0:
                    start, end, rad = (x0, y0), (x1 + BOX_W, y1), 0.0
                else:
                    start, end, rad = (x0 + BOX_W / 2, t0 - heights[res.name]), (x1 + BOX_W / 2, t1), 0.3
                ax.add_patch(
                    FancyArrowPatch(
                        start,
                        end,
                        arrowstyle="-|>",
                        mutation_scale=9,
                        lw=0.8,
                        color="#5c6bc0",
                        connectionstyle=f"arc3,rad={rad}",
                        alpha=0.75,
                    )
                )
        ax.set_xlim(-0.2, (n_cols - 1) * (BOX_W + COL_GAP) + BOX_W + 0.6)
        ax.set_ylim(-0.3, total + 0.3)
        ax.set_aspect("equal")
        return to_svg(fig)
