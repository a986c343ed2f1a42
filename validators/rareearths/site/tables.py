"""Browsable data pages: each table as HTML that `docs/javascripts/tables.js` makes sortable and searchable.

Cells are the CSV text, HTML-escaped. A row whose table has a one-field primary key gets that key
as its anchor, and every one-field foreign key links to the anchor of the row it points to, so
`source_id` leads to the source and the sources page leads on to the source's URL.
"""

from __future__ import annotations

import html
from typing import Any

from rareearths.site.markup import HIDE_TOC
from rareearths.site.package import Package, Resource

URL_FIELDS = {"url"}
WIDE_CLASS = ' class="re-wide"'
WIDE_AT = 200  # fields allowed this many characters or more get a wider column, so rows stay short


def _wide(field: dict[str, Any]) -> bool:
    return int(field.get("constraints", {}).get("maxLength", 0)) >= WIDE_AT


def _fk_targets(res: Resource) -> dict[str, str]:
    """Field -> referenced resource, for one-field foreign keys."""
    return {fk["fields"][0]: fk["resource"] for fk in res.foreign_keys if len(fk["fields"]) == 1}


def render_cell(value: str, field: str, target: str | None, this: str, wide: bool = False) -> str:
    """One <td>: a link to the referenced row, an external link for URLs, or plain text."""
    td = f"<td{WIDE_CLASS if wide else ''}>"
    if not value:
        return td + "</td>"
    text = html.escape(value)
    if target:
        page = "" if target == this else f"{target}.html"
        return f'{td}<a href="{page}#{html.escape(value, quote=True)}">{text}</a></td>'
    if field in URL_FIELDS:
        return f'{td}<a href="{html.escape(value, quote=True)}" rel="noopener">{text}</a></td>'
    return f"{td}{text}</td>"


def html_table(res: Resource) -> str:
    """The whole table as one HTML block, one line per row, for the vendored sort/filter script."""
    targets = _fk_targets(res)
    anchor = res.primary_key[0] if len(res.primary_key) == 1 else None
    wide = {f["name"]: _wide(f) for f in res.fields}
    head = "".join(f'<th scope="col"{WIDE_CLASS if wide[f] else ""}>{html.escape(f)}</th>' for f in res.field_names)
    lines = [
        f'<div class="re-table-wrap"><table class="re-sortable" data-table="{html.escape(res.name)}">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for row in res.rows:
        row_id = f' id="{html.escape(row[anchor], quote=True)}"' if anchor and row.get(anchor) else ""
        cells = "".join(render_cell(row.get(f) or "", f, targets.get(f), res.name, wide[f]) for f in res.field_names)
        lines.append(f"<tr{row_id}>{cells}</tr>")
    lines += ["</tbody>", "</table></div>"]
    return "\n".join(lines)


def data_page(res: Resource) -> str:
    """The page that shows every row of one resource."""
    intro = [
        HIDE_TOC + f"# `{res.name}` rows",
        "",
        f"{res.title}. {len(res.rows)} rows, exactly as in `data/{res.path.name}`. "
        f"Click a column header to sort; type in the box to keep only matching rows. "
        f"Field meanings: [dictionary page](../dictionary/{res.name}.md).",
        "",
    ]
    return "\n".join(intro) + "\n" + html_table(res) + "\n"


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
