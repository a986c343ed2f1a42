"""Data dictionary pages, one per resource, written from its Table Schema and its rows.

Types, constraints, descriptions and keys come from `schemas/*.json` only; example values and the
row count come from the CSV, so the page shows what the data really holds.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rareearths.site.markup import HIDE_TOC, cell, code, md_table, shorten
from rareearths.site.package import Package, Resource

N_EXAMPLES = 3
_BACKTICKED = re.compile(r"`([A-Za-z0-9_]+)`")


def constraints_text(field: dict[str, Any]) -> str:
    """Every constraint of a field, in Table Schema words, as one table cell."""
    cons = field.get("constraints", {})
    parts = []
    if cons.get("required"):
        parts.append("required")
    if cons.get("unique"):
        parts.append("unique")
    for key in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength", "maxLength"):
        if key in cons:
            parts.append(f"{key} {cons[key]}")
    if "pattern" in cons:
        parts.append("pattern " + code(cons["pattern"]))
    if "enum" in cons:
        parts.append("one of " + ", ".join(code(str(v)) for v in cons["enum"]))
    fmt = field.get("format")
    if fmt and fmt != "default":
        parts.append("format " + code(fmt))
    return "; ".join(parts)


def examples(resource: Resource, field: str, limit: int = N_EXAMPLES) -> list[str]:
    """The first few distinct non-empty values in file order: real, and stable between builds."""
    seen: list[str] = []
    for row in resource.rows:
        value = row.get(field) or ""
        if value and value not in seen:
            seen.append(value)
            if len(seen) == limit:
                break
    return seen


def link_names(text: str, names: set[str], prefix: str = "") -> str:
    """Turn backticked resource names in a description into links to their dictionary pages."""

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        return f"[`{name}`]({prefix}{name}.md)" if name in names else m.group(0)

    return _BACKTICKED.sub(repl, text)


def referenced_by(package: Package, name: str) -> list[tuple[str, list[str], list[str]]]:
    """(table, its fields, fields of `name`) for every foreign key pointing at `name`."""
    out = []
    for res in package.resources:
        for fk in res.foreign_keys:
            if fk["resource"] == name:
                out.append((res.name, fk["fields"], fk["ref_fields"]))
    return out


def _cols(fields: list[str]) -> str:
    return ", ".join(f"`{f}`" for f in fields)


def keys_section(package: Package, res: Resource) -> str:
    """Primary, unique and foreign keys, with links to the tables on both ends of each join."""
    lines = ["## Keys", ""]
    lines.append(f"- **Primary key:** {_cols(res.primary_key) if res.primary_key else 'none'}")
    for uk in res.schema.get("uniqueKeys", []):
        lines.append(f"- **Unique key:** {_cols(uk)}")
    fks = res.foreign_keys
    if fks:
        lines.append("- **Foreign keys:**")
        for fk in fks:
            target = fk["resource"]
            lines.append(f"    - {_cols(fk['fields'])} → [`{target}`]({target}.md).{_cols(fk['ref_fields'])}")
    refs = referenced_by(package, res.name)
    if refs:
        lines.append("- **Referenced by:**")
        for table, fields, ref_fields in refs:
            lines.append(f"    - [`{table}`]({table}.md).{_cols(fields)} → {_cols(ref_fields)}")
    return "\n".join(lines) + "\n"


def fields_section(package: Package, res: Resource) -> str:
    names = set(package.names())
    rows = []
    for f in res.fields:
        ex = ", ".join(code(shorten(v, 40)) for v in examples(res, f["name"]))
        rows.append(
            [
                f"`{f['name']}`",
                f"`{f.get('type', 'any')}`",
                constraints_text(f),
                cell(link_names(f.get("description", ""), names)),
                ex,
            ]
        )
    return "## Fields\n\n" + md_table(["Field", "Type", "Constraints", "Description", "Examples"], rows)


def resource_page(package: Package, res: Resource) -> str:
    """The dictionary page of one resource."""
    missing = res.schema.get("missingValues", [""])
    head = [
        HIDE_TOC + f"# `{res.name}`",
        "",
        f"{res.title}.",
        "",
        f"**Rows:** {len(res.rows)} · **Fields:** {len(res.fields)} · **File:** `data/{res.path.name}` · "
        f"**Schema:** `schemas/{res.name}.json` · [Browse the rows](../data/{res.name}.md)",
        "",
        f"Missing values are written as {', '.join(json.dumps(m) for m in missing)} (an empty cell).",
        "",
    ]
    return "\n".join(head) + "\n" + keys_section(package, res) + "\n" + fields_section(package, res)


def index_page(package: Package, diagram: str | None) -> str:
    """The dictionary overview: every table, its row count, and how the tables join."""
    rows = [
        [f"[`{r.name}`]({r.name}.md)", cell(r.title), str(len(r.rows)), str(len(r.fields)), _cols(r.primary_key)]
        for r in package.resources
    ]
    joins = [
        [
            f"[`{r.name}`]({r.name}.md)",
            _cols(fk["fields"]),
            f"[`{fk['resource']}`]({fk['resource']}.md)",
            _cols(fk["ref_fields"]),
        ]
        for r in package.resources
        for fk in r.foreign_keys
    ]
    parts = [
        "# Data dictionary",
        "",
        "Generated from the Table Schemas in `schemas/` and the rows in `data/`; "
        "each page lists every field with its type, constraints, description and real example values.",
        "",
        md_table(["Table", "What one row is", "Rows", "Fields", "Primary key"], rows),
        "## How the tables join",
        "",
    ]
    if diagram:
        parts += [
            f"![Diagram of the foreign keys between the tables]({diagram}){{ .re-figure }}",
            "",
            "*Each arrow is a foreign key, drawn from the referencing table to the table it points to; "
            "fact tables are on the right, reference tables on the left. From `schemas/*.json`.*",
            "",
        ]
    parts += [md_table(["From table", "Field(s)", "To table", "Field(s)"], joins)]
    return "\n".join(parts)
