"""Load one CSV resource into DuckDB once, reporting structure and type errors on the way.

The file is read a single time by DuckDB's CSV reader (every column as text, rows padded, one
overflow column to catch extra cells). Structure errors, type errors and the typed table are
then derived from that in-memory copy with columnar SQL; nothing loops over rows in Python.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import duckdb

from rareearths.findings import Finding, Severity
from rareearths.package_source import Resource
from rareearths.schema_sql import cast_expr, duckdb_type, ident, lit, missing_expr, type_label, typed_expr

NULL_SENTINEL = "\x00rareearths-no-cell\x00"  # never in real data, so an empty cell stays ''
EXTRA = "__extra__"
HEADER_BYTES = 1 << 20


@dataclass
class Loaded:
    """A resource's typed table in DuckDB, named after the resource, with a `_row` column."""

    resource: Resource
    table: str
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
    for i in range(len(labels), len(names)):
        out.append(_finding(res, "missing-label", f"column {i + 1} ({names[i]!r}) is missing from the header", 1,
                            names[i]))  # fmt: skip
    return out


def _read_csv_sql(res: Resource, ncols: int) -> str:
    d = res.dialect
    cols = ", ".join(f"{lit(f'c{i}')}: 'VARCHAR'" for i in range(ncols)) + f", {lit(EXTRA)}: 'VARCHAR'"
    quote = d.get("quoteChar", '"')
    escape = d.get("escapeChar") or (quote if d.get("doubleQuote", True) else "")
    return (
        f"read_csv({lit(str(res.path))}, header=false, skip=1, auto_detect=false, columns={{{cols}}}, "
        f"delim={lit(d.get('delimiter', ','))}, quote={lit(quote)}, escape={lit(escape)}, "
        f"nullstr={lit(NULL_SENTINEL)}, null_padding=true, strict_mode=false, parallel=false, "
        f"store_rejects=true, rejects_table='csv_rejects', rejects_scan='csv_reject_scans', "
        f"max_line_size=268435456)"
    )


def load(con: duckdb.DuckDBPyConnection, res: Resource) -> Loaded:
    """Read `res` into table `res.name` (typed, blank rows dropped) and report what is wrong with it."""
    labels, bom, findings = read_header(res)
    if labels is None:
        return Loaded(res, res.name, 0, findings)
    if bom:
        findings.append(_finding(res, "encoding-warning", "file starts with a UTF-8 byte-order mark; it was "
                                 "skipped, but other tools may read it into the first label",
                                 severity=Severity.WARNING))  # fmt: skip
    findings += label_findings(res, labels)
    fields = res.schema["fields"]
    nlabels = len(labels)
    ncols = max(nlabels, len(fields))
    raw = f"raw_{res.name}"
    try:
        con.execute(f"DROP TABLE IF EXISTS {ident(raw)}")
        con.execute(f"CREATE TEMP TABLE {ident(raw)} AS SELECT * FROM {_read_csv_sql(res, ncols)}")
    except duckdb.Error as exc:
        msg = str(exc).split("\n")[0]
        return Loaded(res, res.name, 0, [*findings, _finding(res, "source-error", f"cannot parse the file: {msg}")])
    findings += _reject_findings(con, res)
    cols = [f"c{i}" for i in range(ncols)]
    row = "(rowid + 2)"
    blank = " AND ".join(f"coalesce({ident(c)}, '') = ''" for c in cols[:nlabels]) + f" AND {ident(EXTRA)} IS NULL"
    findings += _structure_findings(con, res, raw, cols, nlabels, row, blank)
    findings += _type_findings(con, res, raw, row, blank)
    select = ", ".join(
        f"{typed_expr(f, ident(f'c{i}'))}::{duckdb_type(f)} AS {ident(f['name'])}" for i, f in enumerate(fields)
    )
    con.execute(f"DROP TABLE IF EXISTS {ident(res.name)}")
    con.execute(
        f"CREATE TABLE {ident(res.name)} AS SELECT {row}::BIGINT AS _row, {select} "
        f"FROM {ident(raw)} WHERE NOT ({blank}) ORDER BY rowid"
    )
    rows = con.execute(f"SELECT count(*) FROM {ident(raw)}").fetchone()[0]
    con.execute(f"DROP TABLE {ident(raw)}")
    return Loaded(res, res.name, rows, findings)


def _reject_findings(con: duckdb.DuckDBPyConnection, res: Resource) -> list[Finding]:
    rows = con.execute("SELECT line, error_type, error_message, csv_line FROM csv_rejects ORDER BY line").fetchall()
    con.execute("DELETE FROM csv_rejects; DELETE FROM csv_reject_scans")
    out = []
    for line, etype, msg, csv_line in rows:
        kind = "encoding-error" if "ENCODING" in str(etype) else "source-error"
        text = "invalid UTF-8 in this line" if kind == "encoding-error" else str(msg).split("\n")[0]
        out.append(_finding(res, kind, f"line {line}: {text}", None, None, (csv_line or "")[:80]))
    return out


def _structure_findings(con: duckdb.DuckDBPyConnection, res: Resource, raw: str, cols: list[str], nlabels: int,
                        row: str, blank: str) -> list[Finding]:  # fmt: skip
    names = [f["name"] for f in res.schema["fields"]]
    parts = [f"SELECT {row} AS r, NULL AS pos, 'blank-row' AS t, NULL AS v FROM {ident(raw)} WHERE {blank}"]
    extra_pos = nlabels + 1
    if nlabels < len(cols):  # data columns beyond the header are extra cells
        parts.append(
            f"SELECT {row}, {nlabels + 1}, 'extra-cell', {ident(cols[nlabels])} FROM {ident(raw)} "
            f"WHERE {ident(cols[nlabels])} IS NOT NULL"
        )
    else:
        parts.append(
            f"SELECT {row}, {extra_pos}, 'extra-cell', {ident(EXTRA)} FROM {ident(raw)} "
            f"WHERE {ident(EXTRA)} IS NOT NULL"
        )
    for i in range(nlabels):
        parts.append(
            f"SELECT {row}, {i + 1}, 'missing-cell', NULL FROM {ident(raw)} "
            f"WHERE {ident(cols[i])} IS NULL AND NOT ({blank})"
        )
    out = []
    for r, pos, t, v in con.execute(" UNION ALL ".join(parts)).fetchall():
        field = names[pos - 1] if pos and pos <= len(names) else None
        msg = {
            "blank-row": "row is completely blank",
            "extra-cell": f"row has an extra value in column {pos}",
            "missing-cell": f"row has no cell for field {field!r} (column {pos})",
        }[t]
        out.append(_finding(res, t, msg, r, field, v))
    return out


def _type_findings(con: duckdb.DuckDBPyConnection, res: Resource, raw: str, row: str, blank: str) -> list[Finding]:
    fields = res.schema["fields"]
    parts = []
    for i, f in enumerate(fields):
        c = ident(f"c{i}")
        parts.append(
            f"SELECT {row} AS r, {i} AS fi, {c} AS v FROM {ident(raw)} "
            f"WHERE NOT {missing_expr(f, c)} AND ({cast_expr(f, c)}) IS NULL AND NOT ({blank})"
        )
    if not parts:
        return []
    out = []
    for r, fi, v in con.execute(" UNION ALL ".join(parts)).fetchall():
        f = fields[fi]
        out.append(_finding(res, "type-error", f"{v!r} is not a valid {type_label(f)}", r, f["name"], v))
    return out
