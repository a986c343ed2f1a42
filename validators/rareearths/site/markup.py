"""Small Markdown and HTML helpers shared by the page builders, so escaping is done one way."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence


def code(text: str) -> str:
    """Inline code as HTML: safe inside Markdown table cells, where a backtick span would break on `|`."""
    return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"


def cell(text: str) -> str:
    """Markdown table cell text: pipes escaped, line breaks flattened."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown pipe table; cells must already be escaped with `cell` or `code`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


HIDE_TOC = "---\nhide:\n  - toc\n---\n\n"
"""Front matter for wide pages (tables, charts): Material then gives the content the TOC's column."""


def shorten(text: str, limit: int = 60) -> str:
    """Cut long example values so a dictionary row stays one screen wide."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def human_size(n_bytes: int) -> str:
    """Bytes as B, KiB or MiB with one decimal, for download lists."""
    size = float(n_bytes)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
