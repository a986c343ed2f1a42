"""The Query page: SQL in the browser with DuckDB-WASM over the release's Parquet files.

`setup(...)` is what the page's script (`docs/javascripts/query.js`) loads: one table per Parquet
file, then `package_metadata` and the statements of `derived.sql`, split here with DuckDB's own
parser, so the browser makes the database's views and macros from the very SQL `rareearths build`
runs. The engine itself is bundled from npm into `docs/vendor/duckdb/` by `make js`.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

import duckdb

from rareearths.site.markup import HIDE_TOC
from rareearths.site.queries_page import Query

SETTINGS = [
    # Nothing may be fetched from outside the site: no extension downloads.
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
]

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(VIEW|MACRO|FUNCTION|TABLE|TYPE)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?\"?([\w.]+)",
    re.I,
)
_COMMENT_ON = re.compile(r"^\s*COMMENT\s+ON\s+(MACRO\s+TABLE|\w+)\s+\"?([\w.]+)", re.I)
_MACRO_HEAD = re.compile(r"(CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?MACRO\s+[\w.\"]+\s*)\(([^)]*)\)", re.I)
_QUOTED_OR_COMMENT = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")|--[^\n]*|/\*.*?\*/", re.S)
_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")


@dataclass(frozen=True)
class Statement:
    """One statement of derived SQL and a short name for messages ("view controls_status")."""

    name: str
    sql: str


def statement_name(sql: str) -> str:
    body = _COMMENTS.sub(" ", sql)
    if m := _CREATE.match(body):
        return f"{m.group(1).lower()} {m.group(2)}"
    if m := _COMMENT_ON.match(body):
        return f"comment on {' '.join(m.group(1).lower().split())} {m.group(2)}"
    return " ".join(body.split())[:40]


def rename_macro_parameters(sql: str) -> str:
    """A macro's parameters renamed `_arg_<name>` throughout its body (outside quotes, never after a dot).

    The browser's DuckDB-WASM is an older DuckDB than the Python one that builds the database, and
    may reserve words the newer one allows as names (`precision`); parameters are local to the
    macro, so renaming them keeps its meaning exactly."""
    head = _MACRO_HEAD.search(_COMMENTS.sub(lambda m: " " * len(m.group(0)), sql))
    if head is None:
        return sql
    names = [part.split(":=")[0].strip() for part in head.group(2).split(",") if part.strip()]
    names = [n for n in names if re.fullmatch(r"[A-Za-z_]\w*", n)]
    if not names:
        return sql
    # comments out first (an apostrophe in one would look like a string), string literals kept whole
    sql = _QUOTED_OR_COMMENT.sub(lambda m: m.group(1) or "", sql).strip()
    word = re.compile(r"(?<![.\w])(" + "|".join(map(re.escape, names)) + r")\b")
    parts = _QUOTED.split(sql)
    return "".join(part if i % 2 else word.sub(r"_arg_\1", part) for i, part in enumerate(parts))


def split_statements(sql: str) -> list[Statement]:
    """Each statement of `sql` as DuckDB's parser splits it, comments and all."""
    con = duckdb.connect()
    try:
        texts = [s.query.strip() for s in con.extract_statements(sql)] if sql.strip() else []
    finally:
        con.close()
    return [Statement(statement_name(t), rename_macro_parameters(t)) for t in texts if t]


def setup(tables: list[str], metadata_sql: list[str], derived_sql: str, examples: list[Query]) -> dict[str, Any]:
    """The JSON the page loads: Parquet tables, then metadata and derived statements, and the examples."""
    statements = [Statement(statement_name(s), s) for s in metadata_sql] + split_statements(derived_sql)
    return {
        "settings": SETTINGS,
        "tables": [{"name": name, "file": f"{name}.parquet"} for name in tables],
        "statements": [{"name": s.name, "sql": s.sql} for s in statements],
        "examples": [{"file": q.file, "title": q.title, "description": q.description, "sql": q.sql} for q in examples],
    }


def setup_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _objects(statements: list[dict[str, str]], kind: str) -> list[str]:
    return [s["name"].split(" ", 1)[1] for s in statements if s["name"].startswith(kind + " ")]


def query_page(data: dict[str, Any], engine: str, parquet: str, setup_file: str, built: bool) -> str:
    """The page: editor, examples, result table; paths are relative to the page."""
    examples = data["examples"]
    first = examples[0] if examples else {"file": "", "sql": "SELECT * FROM deals LIMIT 10", "description": ""}
    options = "".join(
        f'<option value="{html.escape(e["file"], quote=True)}"{" selected" if e is first else ""}>'
        f"{html.escape(e['title'])}</option>"
        for e in examples
    )
    views = _objects(data["statements"], "view")
    macros = _objects(data["statements"], "macro")
    tables = [t["name"] for t in data["tables"]]
    note = (
        ""
        if built
        else '!!! warning "No data in this build"\n    The Parquet files are copied here by `make` '
        "(`rareearths build`, then `make site`); without them the page has nothing to query.\n\n"
    )
    listing = (
        "**Tables:** "
        + ", ".join(f"`{t}`" for t in tables)
        + (". **Views:** " + ", ".join(f"`{v}`" for v in views) if views else "")
        + (". **Macros:** " + ", ".join(f"`{m}(…)`" for m in macros) if macros else "")
        + "."
    )
    return f"""{HIDE_TOC}# Query the data in your browser

Write DuckDB SQL against this release and read the answer here: the query runs in your browser
with [DuckDB-WASM](https://duckdb.org/docs/api/wasm/overview), over the same Parquet files you can
download. Nothing is sent anywhere; the engine and the data come from this site.

{note}{listing} They are the tables of `rare-earth-supply-chain.duckdb`, made by the same SQL, so a
query that works here works on the downloaded database. Column meanings: [data dictionary](dictionary/index.md).

<div id="re-query" class="re-query" data-engine="{html.escape(engine, quote=True)}" \
data-parquet="{html.escape(parquet, quote=True)}" data-setup="{html.escape(setup_file, quote=True)}">
<div class="re-query-bar">
<label for="re-query-example">Example</label>
<select id="re-query-example"><option value="">(your own query)</option>{options}</select>
<span id="re-query-engine" class="re-query-status"></span>
</div>
<p id="re-query-description" class="re-query-description">{html.escape(first["description"])}</p>
<textarea id="re-query-sql" class="re-query-sql" rows="10" spellcheck="false" autocapitalize="off" \
aria-label="SQL query">{html.escape(first["sql"])}</textarea>
<div class="re-query-bar">
<button id="re-query-run" class="md-button md-button--primary" type="button" disabled>Run ▸</button>
<span class="re-query-hint">Ctrl+Enter runs the query.</span>
<a id="re-query-csv" class="md-button" download="query-result.csv" hidden>Download CSV</a>
<span id="re-query-status" class="re-query-status" role="status">The query engine needs JavaScript.</span>
</div>
<div id="re-query-error" class="re-query-error" role="alert" hidden></div>
<div id="re-query-skipped" class="re-query-error" hidden></div>
<div class="re-table-wrap re-query-wrap"><table id="re-query-result" class="re-query-result"></table></div>
</div>

<script type="module" src="../javascripts/query.js"></script>

## Limits

- The first visit downloads the engine (about 35 MB, then cached by the browser) and every Parquet
  file of the release.
- The session is yours alone and starts afresh on every page load; `CREATE` statements are allowed
  but last only until then.
- At most the first 1000 rows of a result are shown; the CSV download holds them all.
"""
