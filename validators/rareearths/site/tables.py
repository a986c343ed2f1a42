"""Browsable data pages: each table as HTML that `docs/javascripts/tables.js` makes sortable and searchable.

Cells are formatted to be read (`cell_format`), laid out label and key first (`table_layout`), and
sort by the value as stored. A row whose table has a one-field primary key gets that key
as its anchor, and every one-field foreign key links to the anchor of the row it points to, so
`source_id` leads to the source and the sources page leads on to the source's URL.
"""

from __future__ import annotations

import html
from typing import Any

from rareearths.site import cell_format
from rareearths.site.markup import HIDE_TOC, shorten
from rareearths.site.package import Package, Resource
from rareearths.site.table_layout import Labels, column_order

URL_FIELDS = {"url"}
WIDE_CLASS = ' class="re-wide"'
WIDE_AT = 200  # fields allowed this many characters or more get a wider column, so rows stay short


def _wide(field: dict[str, Any]) -> bool:
    return int(field.get("constraints", {}).get("maxLength", 0)) >= WIDE_AT


def _fk_targets(res: Resource) -> dict[str, str]:
    """Field -> referenced resource, for one-field foreign keys."""
    return {fk["fields"][0]: fk["resource"] for fk in res.foreign_keys if len(fk["fields"]) == 1}


def _td(text: str, raw: str, wide: bool, css: str = "") -> str:
    """A cell showing `text` (already HTML) that sorts by `raw` when the two differ."""
    classes = " ".join(filter(None, ["re-wide" if wide else "", css]))
    attrs = f' class="{classes}"' if classes else ""
    if raw and html.escape(raw) != text:
        attrs += f' data-sort="{html.escape(raw, quote=True)}"'
    return f"<td{attrs}>{text}</td>"


class CellRenderer:
    """Cells as a person reads them: money, shares and dates formatted, references by name."""

    def __init__(self, res: Resource, labels: Labels) -> None:
        self.res = res
        self.labels = labels
        self.targets = _fk_targets(res)
        self.fields = {f["name"]: f for f in res.fields}
        self.shares = {name for name, f in self.fields.items() if cell_format.is_share(f)}

    def formatted(self, field: str, row: dict[str, str]) -> str:
        value = row.get(field) or ""
        if not value:
            return ""
        if field == "amount" and "currency" in row:
            return cell_format.money(value, row.get("currency", ""), row.get("amount_qualifier", ""))
        if field.endswith("_usd"):
            return cell_format.money(value, "USD")
        if field in self.shares:
            qualifier = row.get("value_qualifier", "") if field == "value" else ""
            return cell_format.share(value, qualifier)
        if f"{field}_precision" in row:
            return cell_format.dated(value, row.get(f"{field}_precision", ""))
        return value

    def cell(self, field: str, row: dict[str, str]) -> str:
        raw = row.get(field) or ""
        wide = _wide(self.fields[field])
        target = self.targets.get(field)
        if raw and target:
            page = "" if target == self.res.name else f"{target}.html"
            name = self.labels.short(target, raw)
            shown = html.escape(name or raw)
            hidden = f' <span class="re-id">{html.escape(raw)}</span>' if name else ""
            link = f'<a href="{page}#{html.escape(raw, quote=True)}" title="{html.escape(raw, quote=True)}">'
            return _td(f"{link}{shown}</a>{hidden}", name or raw, wide)
        if raw and field in URL_FIELDS:
            url = html.escape(raw, quote=True)
            return _td(f'<a href="{url}" rel="noopener">{html.escape(shorten(raw, 60))}</a>', raw, wide)
        return _td(
            html.escape(self.formatted(field, row)), raw, wide, "re-key" if field in self.res.primary_key else ""
        )


def html_table(res: Resource, labels: Labels) -> str:
    """The whole table as one HTML block, one line per row, for the vendored sort/filter script:
    a label saying what the row is, its key, then the columns a reader looks for first."""
    render = CellRenderer(res, labels)
    anchor = res.primary_key[0] if len(res.primary_key) == 1 else None
    columns = column_order(res)
    has_label = any(labels.row_label(res, r) for r in res.rows[:20])
    head = '<th scope="col" class="re-label">What</th>' if has_label else ""
    head += "".join(
        f'<th scope="col"{WIDE_CLASS if _wide(render.fields[f]) else ""}>{html.escape(f)}</th>' for f in columns
    )
    lines = [
        f'<div class="re-table-wrap"><table class="re-sortable" data-table="{html.escape(res.name)}">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for row in res.rows:
        row_id = f' id="{html.escape(row[anchor], quote=True)}"' if anchor and row.get(anchor) else ""
        label = _td(html.escape(labels.row_label(res, row)), "", False, "re-label") if has_label else ""
        cells = "".join(render.cell(f, row) for f in columns)
        lines.append(f"<tr{row_id}>{label}{cells}</tr>")
    lines += ["</tbody>", "</table></div>"]
    return "\n".join(lines)


def downloads_line(res: Resource, parquet: bool) -> str:
    links = [f"[CSV](../downloads/csv/{res.name}.csv)"]
    if parquet:
        links.append(f"[Parquet](../downloads/parquet/{res.name}.parquet)")
    return f'<p class="re-downloads" markdown>**Download this table:** {" · ".join(links)}</p>'


def data_page(res: Resource, labels: Labels, parquet: bool = True) -> str:
    """The page that shows every row of one resource."""
    intro = [
        HIDE_TOC + f"# `{res.name}` rows",
        "",
        f"{res.title}. {len(res.rows)} rows from `data/{res.path.name}`. Amounts are shown with their currency, "
        "shares as percentages and dates at their precision (2011-03 for a month, c. for an approximate day); "
        "the downloads hold the values as stored. Click a column header to sort; type in the box to keep only "
        f"matching rows. Field meanings: [dictionary page](../dictionary/{res.name}.md).",
        "",
        downloads_line(res, parquet),
        "",
    ]
    return "\n".join(intro) + "\n" + html_table(res, labels) + "\n"


def index_page(package: Package) -> str:
    """A list of the tables, with row counts, linking to each data page."""
    lines = [
        "# Browse the data",
        "",
        "Every table of the package, rendered from the CSV at build time. "
        "Pages work offline: sorting and filtering run in your browser.",
        "",
        "| Table | What one row is | Rows |",
        "|---|---|---|",
    ]
    lines += [f"| [`{r.name}`]({r.name}.md) | {r.title} | {len(r.rows)} |" for r in package.resources]
    return "\n".join(lines) + "\n"
