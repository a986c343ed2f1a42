"""Load one CSV resource into DuckDB in a single scan that checks every row on the way.

`csv_header` reads the header; `line_index` finds the empty lines DuckDB skips; `scan_plan`
builds the query that reads the file once, tests each row and writes a narrow table (typed key
columns, or all columns, and the cells of the rows that fail the quick test), then the query that
checks those rows condition by condition; `row_findings` turns the failing rows into findings. A
clean file never reaches Python row by row and never materialises its text.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import duckdb

from rareearths.checking.cell_checks import key_fields, text_fields
from rareearths.checking.constraint_sql import ConstraintCheck, field_constraints
from rareearths.checking.csv_header import Header, infer_fields, label_findings, read_head, read_header
from rareearths.checking.findings import Finding, Severity
from rareearths.checking.line_index import FileScan, LineIndex, empty_lines, tally
from rareearths.checking.profile import stage
from rareearths.checking.row_findings import Cells, Problems, read_rows
from rareearths.checking.scan_plan import (
    FIRST_OVERFLOW,
    OVERFLOW,
    ScanPlan,
    detail_sql,
    field_conditions,
    read_csv_sql,
    row_conditions,
    scan_sql,
    text_table_sql,
)
from rareearths.checking.schema_sql import duckdb_type, ident, lit
from rareearths.opening.dialect import CsvDialect
from rareearths.opening.package_source import Resource

SCHEMA = "__rareearths"  # internal tables live here, apart from the user's resource names
_counter = itertools.count()


@dataclass
class Loaded:
    """A resource read into DuckDB: its table of typed columns (`t{i}` for field i, in `kept`)
    and problems, the row numbers of its records, and what was found on the way."""

    resource: Resource
    rows: int
    findings: list[Finding]
    table: str | None = None  # schema-qualified; None when the file could not be read
    kept: list[int] = field(default_factory=list)
    index: LineIndex = field(default_factory=lambda: LineIndex(2))
    excluded: str | None = None  # a table of the ordinals that are not data (comment and blank rows)
    type_errors: set[tuple[int, str]] = field(default_factory=set)  # (row, field) with a type error

    def position(self, name: str) -> int | None:
        names = [f["name"] for f in self.resource.schema["fields"]]
        return names.index(name) if name in names else None

    def data_filter(self, alias: str = "") -> str:
        """SQL true for the table's data rows (not comment or blank rows)."""
        if self.excluded is None:
            return "TRUE"
        return f"{alias}rowid NOT IN (SELECT o FROM {self.excluded})"


def _finding(res: Resource, type_: str, message: str, row: int | None = None, field_: str | None = None,
             value: str | None = None, severity: Severity = Severity.ERROR) -> Finding:  # fmt: skip
    return Finding(res.name, res.display_path, row, field_, type_, message, value, severity)


def _header_end(res: Resource, header: Header) -> int:
    """The position of the line break that ends the header (-1 when the data starts the file)."""
    if header.skip_lines == 0:
        return -1
    head = read_head(res)
    pos = -1
    for _ in range(header.skip_lines):
        pos = head.find(b"\n", pos + 1)
        if pos < 0:
            return len(head)
    return pos


def _compare(child: dict[str, Any], parent: dict[str, Any], a: str, b: str) -> str | None:
    """SQL equality of two key cells as Frictionless compares them (Python equality of the typed
    values: 1 equals 1.0, the integer 1 never equals the string '1'); None when never equal."""
    ct, pt = duckdb_type(child), duckdb_type(parent)
    if ct == pt:
        return f"{a} = {b}"
    numeric = {"BIGINT", "DOUBLE", "INTEGER"}
    if ct in numeric and pt in numeric:
        return f"CAST({a} AS DOUBLE) = CAST({b} AS DOUBLE)"
    return None


def _checks(con: duckdb.DuckDBPyConnection, res: Resource, fields: list[dict[str, Any]],
            columns: int) -> tuple[list[list[ConstraintCheck]], list[Finding]]:  # fmt: skip
    """Each field's constraint checks, with the ones that cannot be compiled dropped and reported
    (a bound that is not a value of the field's type, a pattern DuckDB's RE2 cannot compile)."""
    per_field = [field_constraints(f) for f in fields[:columns]]
    findings = [_finding(res, "schema-error", e, None, f["name"])
                for f, (_, errors) in zip(fields, per_field, strict=False) for e in errors]  # fmt: skip
    every = [chk for checks, _ in per_field for chk in checks]
    problems = _compile_problems(con, every)
    out: list[list[ConstraintCheck]] = []
    for f, (checks, _) in zip(fields, per_field, strict=False):
        kept = []
        for chk in checks:
            if (problem := problems.get(id(chk))) is not None:
                findings.append(_finding(res, "schema-error", f"constraint {chk.constraint}={chk.detail!r} of field "
                                         f"{f['name']!r} cannot be checked: {problem}", None, f["name"]))  # fmt: skip
            else:
                kept.append(chk)
        out.append(kept)
    return out, findings


def _compile_problems(con: duckdb.DuckDBPyConnection, checks: list[ConstraintCheck]) -> dict[int, str]:
    """Why checks cannot run, by id(check). Runs them once on constants (which catches what the scan
    would otherwise fail on halfway through a file): all in one query, one by one only if that fails."""
    if not checks:
        return {}
    parts = [f"[{', '.join(chk.literals)}]" if chk.literals else "[]" for chk in checks]
    parts += [f"regexp_full_match('', {lit(chk.detail)})" for chk in checks if chk.constraint == "pattern"]
    try:
        row = con.execute(f"SELECT {', '.join(parts)}").fetchone()
    except duckdb.Error:
        return {id(chk): p for chk in checks if (p := _compile_problem(con, chk))}
    return {id(chk): "the value is not one of the field's type" for chk, values in zip(checks, row, strict=False)
            if any(v is None for v in values)}  # fmt: skip


def _compile_problem(con: duckdb.DuckDBPyConnection, chk: ConstraintCheck) -> str | None:
    """Why one check cannot run, or None."""
    try:
        if chk.literals:
            values = con.execute(f"SELECT [{', '.join(chk.literals)}]").fetchone()[0]
            if any(v is None for v in values):
                return "the value is not one of the field's type"
        if chk.constraint == "pattern":
            con.execute("SELECT regexp_full_match('', ?)", [chk.detail]).fetchone()
    except duckdb.Error as exc:
        return str(exc).split("\n")[0]
    return None


WIDE = 200  # files with more columns than this are checked in groups
GROUP = 50  # columns per query of a wide file (planning time grows faster than the query size)


def _groups(ncols: int, first: set[int]) -> list[list[int]]:
    """The file's columns in groups of at most GROUP; the first group also holds `first` (the
    columns that whole-row checks need: keys)."""
    if ncols <= WIDE:
        return [list(range(ncols))]
    head = sorted(set(range(min(GROUP, ncols))) | first)
    rest = [i for i in range(ncols) if i not in set(head)]
    return [head] + [rest[k : k + GROUP] for k in range(0, len(rest), GROUP)]


def plan_scan(con: duckdb.DuckDBPyConnection, res: Resource, ncols: int, keep: set[str] | None,
              breaks: bool = True) -> tuple[list[ScanPlan], list[Finding]]:  # fmt: skip
    """The scan of `res` (one query, or one per group of a wide file's columns), and the findings
    about what cannot be checked. `breaks`: see `scan_plan.row_conditions`."""
    schema = res.schema
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    kept = list(range(len(fields))) if keep is None else [i for i, n in enumerate(names) if n in keep]
    columns = min(ncols, len(fields))
    checks, findings = _checks(con, res, fields, columns)
    pk = [names.index(k) for k in schema["primaryKey"] if k in names]
    keys = key_fields(schema)
    text = set(text_fields(schema))
    key_cols = {i for i in pk if i < columns}
    plans = []
    for g, cols in enumerate(_groups(ncols, key_cols)):
        plan = ScanPlan(ncols, fields, [i for i in kept if i in cols or (g == 0 and i >= columns)], cols, g == 0)
        for i in plan.typed:
            required = bool((fields[i].get("constraints") or {}).get("required"))
            plan.conditions += field_conditions(plan, i, checks[i], required)
            if required or i in pk:
                plan.present.add(i)
        free = [i for i in plan.typed if names[i] in text]
        key_text = [i for i in free if names[i] in keys]
        # Cells that may hold a line break without breaking their type: a record spanning lines must
        # be known to place empty lines, and to suspect an unterminated quote.
        multiline = [i for i in cols if i >= columns or names[i] in text
                     or fields[i].get("type", "any") in ("object", "array", "geojson", "list")]  # fmt: skip
        plan.conditions += row_conditions(plan, res.dialect, pk, multiline, free, key_text, breaks)
        plans.append(plan)
    return plans, findings


def load(con: duckdb.DuckDBPyConnection, res: Resource, keep: set[str] | None = None,
         view: bool = True, keys_from: Callable[[Loaded], None] | None = None) -> Loaded:  # fmt: skip
    """Read `res` into a table, checking every row; with `view`, also a view named after the
    resource (`_row` and the kept fields, under their own names).

    `keys_from` is handed the table as soon as it is written, before the failing rows are read,
    for its keys to be checked meanwhile, when reading them cannot change what the keys find:
    no row is a comment (comment rows are left out of keys; blank rows are too, but their key
    cells are all null, which keys leave out anyway), no empty line moves the row numbers, and
    the table is one (a wide file's groups are joined into it only after)."""
    with stage("header"):
        header = read_header(res)
    findings = list(header.findings)
    if any(f.type in ("source-error", "encoding-error") for f in findings):
        return Loaded(res, 0, findings)
    if header.bom:
        findings.append(_finding(res, "encoding-warning", "file starts with a UTF-8 byte-order mark; it was "
                                 "skipped, but other tools may read it into the first label",
                                 severity=Severity.WARNING))  # fmt: skip
    if not res.schema["fields"] and header.labels is not None:
        res.schema["fields"] = infer_fields(header.labels)
    if header.labels is not None:
        findings += label_findings(res, header.labels)
    ncols = len(header.labels) if header.labels is not None else len(res.schema["fields"])
    index = LineIndex(header.first_row)
    # The first scan leaves out the search of every cell for control characters and line breaks;
    # the pass over the file's bytes beside it says whether that was right (`FileScan.single_line`),
    # and the file is scanned again with the search when it was not.
    breaks = False
    with stage("plan"):
        plans, plan_findings = plan_scan(con, res, ncols, keep, breaks)
    findings += plan_findings
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    n = next(_counter)
    table = f"{SCHEMA}.r{n}"
    rejects = f"__rareearths_rejects_{n}"  # DuckDB's table of lines it could not read, one per load
    tables = [table] + [f"{table}_g{g}" for g in range(1, len(plans))]
    files = [str(p) for p in res.files]
    multipart = len(files) > 1

    def with_breaks() -> None:
        nonlocal plans, breaks
        if not breaks:
            plans, breaks = plan_scan(con, res, ncols, keep, True)[0], True

    overflow = FIRST_OVERFLOW

    def create(careful: bool) -> None:
        wide = OVERFLOW if careful else overflow
        source = read_csv_sql(files, res.dialect, ncols, header.skip_lines, careful, res.compression, multipart,
                              rejects, wide)  # fmt: skip
        for plan in plans:
            plan.overflow = wide
        con.execute("; ".join(f"DROP TABLE IF EXISTS {t}" for t in tables))
        if len(plans) == 1:
            con.execute(scan_sql(plans[0], table, source, res.dialect, multipart))
            return
        text = f"{table}_text"
        con.execute(f"DROP TABLE IF EXISTS {text}")
        con.execute(text_table_sql(text, source, ncols, res.dialect, multipart, wide))
        for plan, t in zip(plans, tables, strict=True):
            con.execute(scan_sql(plan, t, text, res.dialect, multipart, from_text=True))
        con.execute(f"DROP TABLE {text}")

    careful = []

    def create_table() -> None:
        nonlocal overflow
        while True:
            try:
                create(careful=False)
                return
            except duckdb.Error as exc:
                if overflow == OVERFLOW or "Expected Number of Columns" not in str(exc):
                    break
                overflow = OVERFLOW  # a row with more extra cells than the first read takes: all of them
        careful.append(True)
        # Invalid UTF-8, a line over 2 MB, quoted line breaks in a padded row: read again with one
        # thread, long lines allowed and unreadable lines stored, to report them.
        _clear_rejects(con, rejects)
        with_breaks()
        create(careful=True)

    # Counting the file's lines and control characters reads it once, in numpy, while DuckDB scans
    # (started only now: it holds the interpreter lock in turns, which would slow the planning above).
    ends = [_header_end(res, header) if i == 0 else _part_header_end(res, p, header) for i, p in enumerate(res.files)]
    counting = _COUNTING.submit(_tally, res, ends)
    try:
        with stage("scan"):
            create_table()
        with stage("line count (after the scan)"):
            scans = counting.result()
        if any(scan.long_line for scan in scans) and not careful:  # the parallel reader skipped a long line
            with stage("scan"):
                careful.append(True)
                with_breaks()
                create(careful=True)
        records = _records_per_file(con, table, files)
        with stage("empty lines"):
            _search_empty_lines(res, ends, scans, records)
        index.candidates = [scan.empty or [] for scan in scans]
        if not breaks and not all(scan.single_line(n) for scan, n in zip(scans, records, strict=True)):
            with stage("scan again, searching cells for line breaks"):
                with_breaks()
                create_table()
    except duckdb.Error as exc:
        counting.result()
        msg = str(exc).split("\n")[0]
        return Loaded(res, 0, [*findings, _finding(res, "source-error", f"cannot parse the file: {msg}")])
    quiet = not (res.dialect.comment_char or res.dialect.comment_rows or index.has_candidates)
    if keys_from is not None and quiet and len(tables) == 1:
        keys_from(Loaded(res, 0, [], table, sorted(i for plan in plans for i in plan.kept), index))
    with stage("rows"):
        findings += _reject_findings(con, res, rejects) if careful else []
        return _read_result(con, res, plans, tables, files, index, findings, view, header.labels)


def _column_names(res: Resource, labels: list[str] | None) -> list[str]:
    """Names of the file's columns: the fields', then, for columns without a field, the header's
    (made unique as Frictionless makes them: a second `name` is `name2`)."""
    names = [f["name"] for f in res.schema["fields"]]
    if labels is None or len(labels) <= len(names):
        return names
    extra = [f["name"] for f in infer_fields(names + labels[len(names) :])][len(names) :]
    return names + extra


FIELD_KINDS = ("type", "required", "constraint")  # conditions about one cell


def _problems(con: duckdb.DuckDBPyConnection, plans: list[ScanPlan], tables: list[str],
              dialect: CsvDialect) -> tuple[Problems, Cells]:  # fmt: skip
    """The failing rows. Rows that break only conditions about single cells (a type, a constraint)
    come back as one tuple per broken condition, unnested in SQL: (ordinal, group, condition,
    the cell's text), cheap to fetch by the hundred thousand. Rows that break a condition about the
    whole row (blank, missing or extra cells, keys, cell checks) come back whole, by ordinal."""
    rows: Problems = {}
    cells: Cells = []
    for g, (plan, table) in enumerate(zip(plans, tables, strict=True)):
        if not con.execute(f"SELECT count(r) FROM {table}").fetchone()[0]:
            continue  # a clean file (or group): nothing to read
        # The suspect rows' conditions, one by one; the queries below read only the failing rows.
        # The suspects are copied out first: a filter leaves a few rows in each of the large table's
        # vectors, and DuckDB's cost per vector, times every expression of the conditions, would
        # outweigh the rows (0.65 s, against 0.14 s for the copy and 0.29 s after it, for 86,000
        # suspects among 10M rows).
        t, suspects = f"{table}_failing", f"{table}_suspects"
        con.execute(f"CREATE OR REPLACE TABLE {suspects} AS SELECT rowid AS o, r FROM {table} WHERE r IS NOT NULL")
        con.execute(f"DROP TABLE IF EXISTS {t}")
        con.execute(detail_sql(plan, suspects, t, dialect))
        con.execute(f"DROP TABLE {suspects}")
        conds = plan.conditions
        whole = [j + 1 for j, c in enumerate(conds) if c.kind not in FIELD_KINDS]
        row_level = " OR ".join(f"p.b[{j}]" for j in whole) or "FALSE"
        positions = [plan.cols.index(c.field) + 1 if c.field is not None else 0 for c in conds]
        if any(c.kind in FIELD_KINDS for c in conds):
            sql = (
                f"SELECT o, j, r[[{', '.join(map(str, positions))}][j]] FROM (SELECT o, p.r AS r, "
                f"unnest(list_filter(range(1, {len(conds) + 1}), lambda k: p.b[k])) AS j FROM {t} "
                f"WHERE NOT ({row_level}))"
            )
            cells += [(o, g, j - 1, v) for o, j, v in con.execute(sql).fetchall()]
        for o, p in con.execute(f"SELECT o, p FROM {t} WHERE {row_level} ORDER BY o").fetchall():
            rows.setdefault(o, []).append((plan, p))
        con.execute(f"DROP TABLE {t}")
    return dict(sorted(rows.items())), cells


def _join_groups(con: duckdb.DuckDBPyConnection, plans: list[ScanPlan], tables: list[str]) -> None:
    """A wide file's kept columns into the first group's table (its rows line up with the others')."""
    kept = [(g, i) for g, plan in enumerate(plans) if g > 0 for i in plan.kept]
    if kept:
        cols = ", ".join(f"g{g}.t{i}" for g, i in kept)
        joined = " POSITIONAL JOIN ".join(f"{t} AS g{g}" for g, t in enumerate(tables))
        con.execute(f"CREATE OR REPLACE TABLE {tables[0]}_all AS SELECT g0.*, {cols} FROM {joined}")
        con.execute(f"DROP TABLE {tables[0]}")
        con.execute(f"ALTER TABLE {tables[0]}_all RENAME TO {tables[0].split('.')[-1]}")
    for t in tables[1:]:
        con.execute(f"DROP TABLE {t}")


def _read_result(con: duckdb.DuckDBPyConnection, res: Resource, plans: list[ScanPlan], tables: list[str],
                 files: list[str], index: LineIndex, findings: list[Finding], view: bool,
                 labels: list[str] | None) -> Loaded:  # fmt: skip
    """The scan's failing rows as findings, and the loaded table's row numbering."""
    table = tables[0]
    problems, cells = _problems(con, plans, tables, res.dialect)
    if len(tables) > 1:
        _join_groups(con, plans, tables)
    kept = sorted(i for plan in plans for i in plan.kept)
    loaded = Loaded(res, 0, findings, table, kept, index)
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    spans = {o: n for o, parts in problems.items()
             if (n := sum(v.count("\n") for plan, p in parts for v in p["r"][: len(plan.cols)] if v))}  # fmt: skip
    spans.update((o, v.count("\n")) for o, _, _, v in cells if v and "\n" in v)
    if index.has_candidates:
        index.settle(_records_per_file(con, table, files), spans)
    result = read_rows(res, plans, problems, index.row, _column_names(res, labels), cells)
    comment_rows = set(res.dialect.comment_rows)
    excluded = result.comments | result.blanks
    excluded |= {o for r in comment_rows if (o := index.ordinal(r)) is not None and 0 <= o < rows}
    findings += [f for f in result.findings if f.row not in comment_rows]
    pk = res.schema["primaryKey"]
    names = {f["name"] for f in res.schema["fields"][: plans[0].columns]}
    for r in index.blank_rows():  # an empty line is a blank row, with a null key if there is a key
        if r not in comment_rows:
            findings.append(_finding(res, "blank-row", "row is completely blank", r))
            if pk and set(pk) <= names:
                findings.append(_finding(res, "primary-key", f"primary key ({', '.join(pk)}) is null", r, ",".join(pk)))
    loaded.rows = rows + len(index.skipped) - len(result.comments)
    if excluded:
        loaded.excluded = f"{table}_excluded"
        con.execute(f"CREATE OR REPLACE TABLE {loaded.excluded} AS SELECT unnest(?::BIGINT[]) AS o", [sorted(excluded)])
    loaded.type_errors = {(index.row(o), name) for o, name in result.type_errors}
    if problems and spans.get(rows - 1) is not None:
        findings += _unterminated_quote(res, index.row(rows - 1))
    if view:
        make_view(con, loaded)
    return loaded


_COUNTING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rareearths-lines")


def _tally(res: Resource, ends: list[int]) -> list[FileScan]:
    with stage("line count"):
        return [tally(p, end, res.compression) for p, end in zip(res.files, ends, strict=True)]


def _search_empty_lines(res: Resource, ends: list[int], scans: list[FileScan], records: list[int]) -> None:
    """Fill in each scan's empty lines, searched for only in files whose lines outnumber their records."""
    for path, end, scan, n in zip(res.files, ends, scans, records, strict=True):
        if scan.empty is None:
            scan.empty = [] if scan.settled(n) else empty_lines(path, end, res.compression)


def _part_header_end(res: Resource, path: Any, header: Header) -> int:
    part = Resource(res.name, path, res.display_path, res.schema, res.dialect, compression=res.compression)
    return _header_end(part, header)


def _records_per_file(con: duckdb.DuckDBPyConnection, table: str, files: list[str]) -> list[int]:
    if len(files) == 1:
        return [con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]]
    counts = dict(con.execute(f"SELECT part, count(*) FROM {table} GROUP BY part").fetchall())
    return [counts.get(f, 0) for f in files]


def row_number_table(con: duckdb.DuckDBPyConnection, loaded: Loaded) -> str | None:
    """A table of the skipped rows' positions, when there are any (for `LineIndex.row_sql`)."""
    if not loaded.index.skipped or loaded.table is None:
        return None
    name = f"{loaded.table}_skipped"
    con.execute(
        f"CREATE OR REPLACE TABLE {name} AS SELECT unnest(?::BIGINT[]) AS before",
        [[s.before for s in loaded.index.skipped]],
    )
    return name


def make_view(con: duckdb.DuckDBPyConnection, loaded: Loaded) -> None:
    """The view `res.name`: `_row` and the kept fields under their own names, data rows only."""
    res = loaded.resource
    fields = res.schema["fields"]
    names = {f["name"] for f in fields}
    row_col = "_row" if "_row" not in names else "__row"
    skipped = row_number_table(con, loaded)
    cols = [f"{loaded.index.row_sql('rowid', skipped)} AS {ident(row_col)}"]
    cols += [f"t{i} AS {ident(fields[i]['name'])}" for i in loaded.kept]
    con.execute(f"DROP VIEW IF EXISTS {ident(res.name)}")
    con.execute(
        f"CREATE VIEW {ident(res.name)} AS SELECT {', '.join(cols)} FROM {loaded.table} WHERE {loaded.data_filter()}"
    )


def _clear_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> None:
    con.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {rejects}_scans")


def _reject_findings(con: duckdb.DuckDBPyConnection, res: Resource, rejects: str) -> list[Finding]:
    try:
        rows = con.execute(f"SELECT line, error_type, error_message, csv_line FROM {rejects} ORDER BY line").fetchall()
    except duckdb.Error:
        return []
    _clear_rejects(con, rejects)
    out = []
    for line, etype, msg, csv_line in rows:
        kind = "encoding-error" if "ENCODING" in str(etype) else "source-error"
        text = "invalid UTF-8 in this line" if kind == "encoding-error" else str(msg).split("\n")[0]
        out.append(_finding(res, kind, f"line {line}: {text}", None, None, (csv_line or "")[:80]))
    return out


def _unterminated_quote(res: Resource, row: int) -> list[Finding]:
    """A quote left open swallows the rest of the file into the last row's cell without any error
    from the lenient reader. Suspected when the last row holds a line break (the scan flags those),
    confirmed by parity: properly quoted and escaped cells use quote characters in pairs."""
    quote = res.dialect.quote_char
    if not quote or res.compression:
        return []
    count = 0
    for path in res.files:
        with open(path, "rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 22), b""):
                count += chunk.count(quote.encode())
    if count % 2 == 0:
        return []
    return [_finding(res, "source-error", f"unterminated quote: the quoted cell in row {row} runs to the end of "
                     "the file, swallowing every line after it", row)]  # fmt: skip
