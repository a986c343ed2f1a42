"""Load one CSV resource into DuckDB once, reporting structure and type errors on the way.

The file is read a single time by DuckDB's CSV reader (every column as text, rows padded, one
overflow column to catch extra cells) straight into the typed table; structure and type errors
are kept beside it in one sparse column. Python only touches the rows that have a problem.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import duckdb

from rareearths.checking.findings import Finding, Severity
from rareearths.checking.schema_sql import duckdb_type, ident, lit, missing_expr, type_label, typed_expr
from rareearths.opening.package_source import Resource

NULL_SENTINEL = "\x00rareearths-no-cell\x00"  # never in real data, so an empty cell stays ''
EXTRA = "__extra__"
HEADER_BYTES = 1 << 20


@dataclass
class Loaded:
    """A resource's typed view in DuckDB, named after the resource, with a `_row` column."""

    resource: Resource
    rows: int
    findings: list[Finding]


def _finding(res: Resource, type_: str, message: str, row: int | None = None, field: str | None = None,
             value: str | None = None, severity: Severity = Severity.ERROR) -> Finding:  # fmt: skip
    return Finding(res.name, res.display_path, row, field, type_, message, value, severity)


def read_header(res: Resource) -> tuple[list[str] | None, bool, list[Finding]]:
    """The header labels (first record), whether the file starts with a BOM, and read errors."""
    delimiter = res.dialect.get("delimiter", ",")
    quote = res.dialect.get("quoteChar", '"')
    try:
        with open(res.path, "rb") as fh:
            head = fh.read(HEADER_BYTES)
    except OSError as exc:
        return None, False, [_finding(res, "source-error", f"cannot read file: {exc.strerror}")]
    if not head.strip():
        return None, False, [_finding(res, "source-error", "file is empty: it has no header row")]
    bom = head.startswith(codecs.BOM_UTF8)
    text = head[3:] if bom else head
    if b"\x00" in text[:4096]:
        return None, bom, [_finding(res, "encoding-error", "file is binary or not UTF-8 (NUL bytes found)")]
    decoded = text.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter, quotechar=quote)
    try:
        labels = next(reader)
    except (csv.Error, StopIteration) as exc:
        return None, bom, [_finding(res, "source-error", f"cannot parse the header row: {exc}")]
    return labels, bom, []


def label_findings(res: Resource, labels: list[str]) -> list[Finding]:
    """Header labels against the schema, by position as Frictionless matches them."""
    names = [f["name"] for f in res.schema["fields"]]
    out: list[Finding] = []
    seen: set[str] = set()
    for i, label in enumerate(labels):
        fname = names[i] if i < len(names) else None
        if not label.strip():
            out.append(_finding(res, "blank-label", f"label in column {i + 1} is blank", 1, fname, label))
        elif label in seen:
            out.append(_finding(res, "duplicate-label", f"label {label!r} in column {i + 1} is a duplicate", 1,
                                fname, label))  # fmt: skip
        elif fname is None:
            out.append(_finding(res, "extra-label", f"label {label!r} in column {i + 1} is not in the schema", 1,
                                None, label))  # fmt: skip
        elif label != fname:
            out.append(_finding(res, "incorrect-label", f"label {label!r} in column {i + 1} should be {fname!r}",
                                1, fname, label))  # fmt: skip
        seen.add(label)
    if len(labels) == 1 and (other := next((d for d in ";\t|" if d in labels[0]), None)):
        out.append(_finding(res, "incorrect-label", f"the header has one label holding {other!r}: is the file "
                            f"delimited by {other!r} rather than the declared {res.dialect.get('delimiter', ',')!r}?",
                            1, None, labels[0]))  # fmt: skip
    for i in range(len(labels), len(names)):
        out.append(_finding(res, "missing-label", f"column {i + 1} ({names[i]!r}) is missing from the header", 1,
                            names[i]))  # fmt: skip
    return out


def _read_csv_sql(res: Resource, ncols: int, parallel: bool) -> str:
    d = res.dialect
    cols = ", ".join(f"{lit(f'c{i}')}: 'VARCHAR'" for i in range(ncols)) + f", {lit(EXTRA)}: 'VARCHAR'"
    quote = d.get("quoteChar", '"')
    escape = d.get("escapeChar") or (quote if d.get("doubleQuote", True) else "")
    return (
        f"read_csv({lit(str(res.path))}, header=false, skip=1, auto_detect=false, columns={{{cols}}}, "
        f"delim={lit(d.get('delimiter', ','))}, quote={lit(quote)}, escape={lit(escape)}, "
        f"nullstr={lit(NULL_SENTINEL)}, null_padding=true, strict_mode=false, parallel={str(parallel).lower()}, "
        f"store_rejects=true, rejects_table='csv_rejects', rejects_scan='csv_reject_scans', "
        f"max_line_size=268435456)"
    )


def load(con: duckdb.DuckDBPyConnection, res: Resource) -> Loaded:
    """Read `res` into view `res.name` (typed, blank rows dropped) and report what is wrong with it.

    One scan of the file fills table `__full_<name>`: the typed columns and one sparse column,
    `__problem`, that is null unless the row has a type error, an extra cell or too few cells.
    Findings are read from it in one more scan that touches little else; the typed view has no
    filter unless blank rows exist.
    """
    labels, bom, findings = read_header(res)
    if labels is None:
        return Loaded(res, 0, findings)
    if bom:
        findings.append(_finding(res, "encoding-warning", "file starts with a UTF-8 byte-order mark; it was "
                                 "skipped, but other tools may read it into the first label",
                                 severity=Severity.WARNING))  # fmt: skip
    findings += label_findings(res, labels)
    fields = res.schema["fields"]
    nlabels = len(labels)
    ncols = max(nlabels, len(fields))
    full = f"__full_{res.name}"
    c = [ident(f"c{i}") for i in range(ncols)]
    extra = c[nlabels] if nlabels < ncols else ident(EXTRA)
    # Cast once in an inner projection. The outer one adds a single column, `__problem`, null for
    # a good row; otherwise a list of the text of each cell that failed its type, then the extra
    # cell and the number of cells (null padding only ever takes the last ones). One sparse list
    # column costs far less memory than a column per field.
    inner = [*c, *[f"{typed_expr(f, c[i])}::{duckdb_type(f)} AS __t{i}" for i, f in enumerate(fields)]]
    if extra == ident(EXTRA):
        inner.append(ident(EXTRA))
    bad = [f"(__t{i} IS NULL AND NOT {missing_expr(f, c[i])})" for i, f in enumerate(fields)]
    cells = " + ".join(f"({x} IS NOT NULL)::INTEGER" for x in c[:nlabels]) or "0"
    short = f"{c[nlabels - 1]} IS NULL" if nlabels else "FALSE"
    problem = " OR ".join([*bad, f"{extra} IS NOT NULL", short])
    items = [f"CASE WHEN {b} THEN {c[i]} END" for i, b in enumerate(bad)] + [extra, f"CAST({cells} AS VARCHAR)"]
    outer = [f"__t{i} AS {ident(f['name'])}" for i, f in enumerate(fields)]
    outer.append(f"CASE WHEN {problem} THEN [{', '.join(items)}] END AS __problem")
    con.execute(f"DROP VIEW IF EXISTS {ident(res.name)}")
    con.execute(f"DROP TABLE IF EXISTS {ident(full)}")

    def create(parallel: bool) -> str:
        source = _read_csv_sql(res, ncols, parallel)
        return f"CREATE TABLE {ident(full)} AS SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {source})"

    try:
        con.execute(create(parallel=True))
    except duckdb.Error as exc:
        if "parallel=false" not in str(exc):
            msg = str(exc).split("\n")[0]
            return Loaded(res, 0, [*findings, _finding(res, "source-error", f"cannot parse the file: {msg}")])
        # Quoted line breaks with padded rows need the single-threaded reader; start afresh.
        con.execute("DROP TABLE IF EXISTS csv_rejects; DROP TABLE IF EXISTS csv_reject_scans")
        con.execute(create(parallel=False))
    findings += _reject_findings(con, res)
    findings += _unterminated_quote(con, res, full)
    row_findings, blank_rows = _row_findings(con, res, full, nlabels)
    findings += row_findings
    names = ", ".join(ident(f["name"]) for f in fields)
    where = ""
    if blank_rows:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {ident('__blank_' + res.name)} AS SELECT unnest(?) AS r",
                    [blank_rows])  # fmt: skip
        where = f" WHERE rowid + 2 NOT IN (SELECT r FROM {ident('__blank_' + res.name)})"
    con.execute(f"CREATE VIEW {ident(res.name)} AS SELECT rowid + 2 AS _row, {names} FROM {ident(full)}{where}")
    rows = con.execute(f"SELECT count(*) FROM {ident(full)}").fetchone()[0]
    return Loaded(res, rows, findings)


def _row_findings(
    con: duckdb.DuckDBPyConnection, res: Resource, full: str, nlabels: int
) -> tuple[list[Finding], list[int]]:
    """Blank rows, missing and extra cells, type errors; and the row numbers of blank rows.

    A row is blank, as Frictionless has it, when every cell is empty or a missing value: all
    typed values null and no type error.
    """
    fields = res.schema["fields"]
    all_null = " AND ".join(f"{ident(f['name'])} IS NULL" for f in fields) or "TRUE"
    sql = (
        f"SELECT rowid + 2, __problem, ({all_null}) FROM {ident(full)} "
        f"WHERE __problem IS NOT NULL OR ({all_null}) ORDER BY rowid"
    )
    names = [f["name"] for f in fields]
    out: list[Finding] = []
    blanks: list[int] = []
    n = len(fields)
    for row, problem, is_all_null in con.execute(sql).fetchall():
        bad = problem[:n] if problem else [None] * n
        extra = problem[n] if problem else None
        ncells = int(problem[n + 1]) if problem else nlabels
        if is_all_null and extra is None and not any(v is not None for v in bad) and ncells == nlabels:
            out.append(_finding(res, "blank-row", "row is completely blank", row))
            blanks.append(row)
            continue
        for pos in range(ncells + 1, nlabels + 1):
            field = names[pos - 1] if pos <= len(names) else None
            out.append(_finding(res, "missing-cell", f"row has no cell for field {field!r} (column {pos})", row, field))
        if extra is not None:
            out.append(_finding(res, "extra-cell", f"row has an extra value in column {nlabels + 1}", row, None, extra))
        for f, v in zip(fields, bad, strict=True):
            if v is not None:
                out.append(_finding(res, "type-error", f"{v!r} is not a valid {type_label(f)}", row, f["name"], v))
    return out, blanks


def _unterminated_quote(con: duckdb.DuckDBPyConnection, res: Resource, full: str) -> list[Finding]:
    """A quote left open swallows the rest of the file into the last row's cell without any error
    from the lenient reader. Suspect it only when the last row holds a line break, then confirm
    by parity: properly quoted and escaped fields always use quote characters in pairs."""
    quote = res.dialect.get("quoteChar", '"')
    texts = [ident(f["name"]) for f in res.schema["fields"] if f.get("type", "any") in ("string", "any")]
    if not texts or len(quote) != 1:
        return []
    holds_break = " OR ".join(f"contains({t}, chr(10))" for t in texts)
    last = con.execute(f"SELECT rowid + 2, {holds_break} FROM {ident(full)} ORDER BY rowid DESC LIMIT 1").fetchone()
    if not last or not last[1]:
        return []
    count = 0
    with open(res.path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            count += chunk.count(quote.encode())
    if count % 2 == 0:
        return []
    return [_finding(res, "source-error", f"unterminated quote: the quoted cell in row {last[0]} runs to the "
                     "end of the file, swallowing every line after it", last[0])]  # fmt: skip


def _reject_findings(con: duckdb.DuckDBPyConnection, res: Resource) -> list[Finding]:
    rows = con.execute("SELECT line, error_type, error_message, csv_line FROM csv_rejects ORDER BY line").fetchall()
    con.execute("DELETE FROM csv_rejects; DELETE FROM csv_reject_scans")
    out = []
    for line, etype, msg, csv_line in rows:
        kind = "encoding-error" if "ENCODING" in str(etype) else "source-error"
        text = "invalid UTF-8 in this line" if kind == "encoding-error" else str(msg).split("\n")[0]
        out.append(_finding(res, kind, f"line {line}: {text}", None, None, (csv_line or "")[:80]))
    return out
