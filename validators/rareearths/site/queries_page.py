"""The DuckDB how-to: every `queries/*.sql` with its title, description, SQL and result.

Results are computed at build time, read-only, against the built database when it exists, so the
page shows what the query really returns for this version of the data.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from rareearths.site.markup import cell, md_table

MAX_ROWS = 50


@dataclass(frozen=True)
class Query:
    """One example query file: its `-- title:` and `-- description:` header and the SQL after it."""

    file: str
    title: str
    description: str
    sql: str


def parse_query(name: str, text: str) -> Query:
    """Split the comment header from the statement; description lines may continue as `-- ...`."""
    title, desc, sql_lines, key = "", [], [], ""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and lines[i].lstrip().startswith("--"):
        body = lines[i].lstrip()[2:].strip()
        if body.lower().startswith("title:"):
            title, key = body[6:].strip(), "title"
        elif body.lower().startswith("description:"):
            desc, key = [body[12:].strip()], "description"
        elif key == "description" and body:
            desc.append(body)
        i += 1
    sql_lines = lines[i:]
    return Query(name, title or name, " ".join(desc), "\n".join(sql_lines).strip())


def load_queries(folder: Path) -> list[Query]:
    if not folder.is_dir():
        return []
    return [parse_query(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.sql"))]


def fmt_value(value: Any) -> str:
    """A result cell as text: integers without '.0', floats to 6 significant digits, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    if isinstance(value, dt.date | decimal.Decimal):
        return str(value)
    return str(value)


def run_query(db: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]], int]:
    """Columns, the first MAX_ROWS rows and the total row count, from a read-only connection."""
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql.rstrip().rstrip(";"))
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
    return columns, rows[:MAX_ROWS], len(rows)


def query_section(query: Query, db: Path | None) -> str:
    lines = [
        f"## {query.title}",
        "",
        query.description,
        "",
        f"`queries/{query.file}`",
        "",
        "```sql",
        query.sql,
        "```",
        "",
    ]
    if db is None:
        lines += ['!!! note "Result not shown"', "    Build the database with `make` to see the result here.", ""]
        return "\n".join(lines)
    try:
        columns, rows, total = run_query(db, query.sql)
    except duckdb.Error as exc:
        lines += ['!!! failure "This query failed against the built database"', f"    {cell(str(exc))}", ""]
        return "\n".join(lines)
    shown = f"first {len(rows)} of {total} rows" if total > len(rows) else f"{total} row{'s' if total != 1 else ''}"
    lines += [f"Result ({shown}):", ""]
    if columns:
        table = md_table([f"`{c}`" for c in columns], [[cell(fmt_value(v)) for v in r] for r in rows])
        lines += ['<div class="re-result" markdown>', "", table, "</div>", ""]
    return "\n".join(lines)


INTRO = """\
# Query with DuckDB SQL

`make` builds `dist/rare-earth-supply-chain.duckdb`: one table per resource, with the same names and
columns as the CSVs and the Table Schema's types, plus {derived}. Each is documented in the
database itself (`SELECT * FROM duckdb_views()`, `duckdb_functions()`). Open it read-only from the
DuckDB shell or Python, or [query it in your browser](../query.md) without installing anything:

```sh
duckdb -readonly dist/rare-earth-supply-chain.duckdb
```

```python
import duckdb

con = duckdb.connect("dist/rare-earth-supply-chain.duckdb", read_only=True)
con.sql("SELECT * FROM controls_in_force(DATE '2026-01-15')").show()
```

Each example below is a file in `queries/`; its result was computed when this site was built.
"""


def derived_objects(sql: str) -> str:
    """ "the views `a` and `b` and the macros `c(…)`", from the statements of the derived SQL."""
    from rareearths.site.query_in_browser import split_statements

    names = [s.name for s in split_statements(sql)]
    views = [n.split(" ", 1)[1] for n in names if n.startswith("view ")]
    macros = [n.split(" ", 1)[1] for n in names if n.startswith("macro ")]
    parts = []
    if views:
        parts.append("the views " + ", ".join(f"`{v}`" for v in views))
    if macros:
        parts.append("the macros " + ", ".join(f"`{m}(…)`" for m in macros))
    return " and ".join(parts) or "no views"


def queries_page(root: Path, db_name: str) -> str:
    """The whole how-to page; says how to get results when the database or queries are missing."""
    queries = load_queries(root / "queries")
    db = root / "dist" / db_name
    from rareearths.dataset import derived_sql

    parts = [INTRO.format(derived=derived_objects(derived_sql()))]
    if not db.is_file():
        parts.append(
            f'!!! note "Database not built"\n    `dist/{db_name}` does not exist yet: run `make` '
            "(or `rareearths build`), then `make site`, to show each query's result.\n"
        )
    if not queries:
        parts.append(
            "No example queries yet: add `queries/*.sql` files, each starting with `-- title:` and "
            "`-- description:` lines.\n"
        )
    parts += [query_section(q, db if db.is_file() else None) for q in queries]
    return "\n".join(parts)
