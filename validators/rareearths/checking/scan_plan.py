"""The queries that read a CSV resource and check every cell while they scan. Pure functions.

The scan (`scan_sql`) reads the file once with DuckDB's CSV reader (every column as text, rows
padded with nulls, a few overflow columns for extra cells) and writes one narrow table: the typed
values of the columns that later checks need (keys, or all of them), and one column, `r`, null
for a fine row and otherwise holding the row's cells. A row is fine when one cheap test of each
cell passes (`fine_sql`: present or missing as allowed, of its type, within its constraints; no
extra or missing cells; nothing for the cell checks); every other row is a suspect. Only the
suspects are then checked condition by condition (`detail_sql`): types, constraints, missing
values, blank rows, missing and extra cells, null primary keys, a prefilter for the cell checks;
the rows that break one come back with which ones (`p`). Nothing but those rows reaches Python.
Foreign keys are not checked here: any join in the scan lets DuckDB write rows out of the file's
order, and row numbers are the table's row order.

Internal names are positional (`c0`, `u0`, `t0`, `b0`...) and the table holds no user name at
all, so a column called `__problem` or `_row` cannot collide with anything; the user's names
appear only in the view made from the table afterwards.

DuckDB plans a query in time that grows faster than its number of expressions (minutes for
9,000 columns), so a wide file is read once into a table of text and checked in groups of
columns, each group its own scan over that table; a row's findings are then gathered from every
group's failing rows (`ScanPlan.cols` says which columns a group covers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rareearths.checking.constraint_sql import ConstraintCheck, check_sql
from rareearths.checking.schema_sql import TypedCell, cell_reader, duckdb_type, fill, ident, lit
from rareearths.opening.descriptor import missing_values
from rareearths.opening.dialect import CsvDialect

OVERFLOW = 8  # columns read past the header to count extra cells
# The first, strict read has one: a row with more extra cells stops it (DuckDB: "Expected Number
# of Columns"), and the file is read again with all of them. Each one read costs every row its
# null: seven fewer take 0.8 of 13 CPU seconds off the scan of a clean 10M-row file.
FIRST_OVERFLOW = 1
CONTROL_OR_BREAK_RE = r"[\x00-\x08\x0A-\x0C\x0E-\x1F\x7F]"  # control characters but tab and CR; LF


@dataclass(frozen=True)
class Condition:
    """One thing a row can break. `kind` says how a failure is reported (see `row_findings`)."""

    kind: str  # type, required, constraint, blank, extra, short, comment, pk-null, cells
    sql: str  # true where the row breaks it
    field: int | None = None  # field index, for field conditions
    check: ConstraintCheck | None = None
    detail: Any = None  # cells: the field indexes checked


@dataclass
class ScanPlan:
    """Everything needed to build one scan query (of a group of columns) and read its result."""

    ncols: int  # columns in the file (labels, or fields without a header)
    fields: list[dict[str, Any]]
    kept: list[int]  # field indexes whose typed value is stored
    cols: list[int]  # the file columns this query reads; their raw cells are `p.r`, in this order
    first: bool = True  # reads the overflow columns and checks what concerns whole rows
    conditions: list[Condition] = field(default_factory=list)
    present: set[int] = field(default_factory=set)  # fields a fine row has a value in (required, keys)
    overflow: int = OVERFLOW  # overflow columns read (`x0`...)

    @property
    def columns(self) -> int:
        """Field indexes that have a column in the file."""
        return min(self.ncols, len(self.fields))

    @property
    def typed(self) -> list[int]:
        """Fields this query reads as their type."""
        return [i for i in self.cols if i < self.columns]


def _balanced(op: str, items: list[str]) -> str:
    """`a OP b OP c ...` as a balanced tree, so thousands of terms do not nest thousands deep."""
    if not items:
        return "FALSE" if op == "OR" else "TRUE"
    while len(items) > 1:
        items = [f"({items[i]} {op} {items[i + 1]})" if i + 1 < len(items) else items[i]
                 for i in range(0, len(items), 2)]  # fmt: skip
    return items[0]


def read_csv_sql(files: list[str], dialect: CsvDialect, ncols: int, skip: int, careful: bool, compression: str,
                 multipart: bool, rejects: str, overflow: int = OVERFLOW) -> str:  # fmt: skip
    """DuckDB's CSV reader for a file. The first attempt reads in parallel and strictly: anything it
    cannot read is an error (invalid UTF-8, an unterminated quote, more cells than the `overflow`
    columns), except a line over 8 MB, which it skips without a word (`line_index` finds those).
    `careful` is the second attempt, for a file the first could not read: single-threaded, lenient,
    lines up to 256 MB, and the lines it still cannot read (invalid UTF-8) stored in `rejects` to be
    reported by number. Storing rejects or allowing lines that long makes DuckDB read with one
    thread, so only a file that needs it pays for it."""
    cols = [f"{lit(f'c{i}')}: 'VARCHAR'" for i in range(ncols)]
    cols += [f"{lit(f'x{i}')}: 'VARCHAR'" for i in range(overflow)]
    source = lit(files[0]) if len(files) == 1 else "[" + ", ".join(lit(f) for f in files) + "]"
    options = ", strict_mode=true, max_line_size=8388608"  # twice line_index.LONG_LINE
    if careful:
        # DuckDB buffers compressed input in blocks sized from the longest line allowed
        options = (
            f", strict_mode=false, parallel=false, store_rejects=true, rejects_table={lit(rejects)}, "
            f"rejects_scan={lit(rejects + '_scans')}, max_line_size={(1 << 24) if compression else (1 << 28)}"
        )
    return (
        f"read_csv({source}, header=false, skip={skip}, auto_detect=false, columns={{{', '.join(cols)}}}, "
        f"delim={lit(dialect.delimiter)}, quote={lit(dialect.quote_char)}, escape={lit(dialect.escape)}, "
        f"nullstr={lit(NULL_SENTINEL)}, null_padding=true, "
        f"compression={lit(compression or 'none')}, filename={str(multipart).lower()}{options})"
    )


NULL_SENTINEL = "\x00rareearths-no-cell\x00"  # never in real data, so an empty cell stays ''


def _text_cell(dialect: CsvDialect, raw: str) -> str:
    """A cell as the dialect means it (skipInitialSpace: leading blanks dropped, then unquoted)."""
    if not dialect.skip_initial_space:
        return raw
    t = f"ltrim({raw}, ' ')"
    if not dialect.quote_char:
        return t
    q = lit(dialect.quote_char)
    return (f"CASE WHEN strlen({t}) >= 2 AND starts_with({t}, {q}) AND ends_with({t}, {q}) "
            f"THEN replace({t}[2:-2], {q} || {q}, {q}) ELSE {t} END")  # fmt: skip


def _missing_value(field_: dict[str, Any] | None, c: str, dialect: CsvDialect) -> str:
    """True where a cell known not to be null (the row is not short) is one of the missing values."""
    values = missing_values(field_) if field_ is not None else [""]
    if dialect.null_sequence is not None:
        values = [*values, dialect.null_sequence]
    if not values:
        return "FALSE"
    if len(values) == 1:
        return f"{c} = {lit(values[0])}"
    return f"{c} IN ({', '.join(lit(v) for v in values)})"


def _missing(field_: dict[str, Any] | None, c: str, dialect: CsvDialect) -> str:
    """True where a cell is missing: null (the row ended before it) or one of the missing values."""
    value = _missing_value(field_, c, dialect)
    return f"({c} IS NULL)" if value == "FALSE" else f"({c} IS NULL OR {value})"


def _valid(reader: TypedCell, c: str, u: str, ftype: str) -> str:
    """True (never null) where a present, non-missing cell conforms to its type.

    Plain boolean algebra rather than CASE where it can be: DuckDB evaluates a CASE by splitting
    and merging the rows, which costs more than the comparisons it would save.
    """
    if reader.is_trivial():
        return "TRUE"
    valid = fill(reader.valid, c, u) if reader.valid else "TRUE"
    if ftype == "integer":  # the round trip, else the pattern: it holds even where the cast fails (beyond 64 bits)
        return f"coalesce({valid}, FALSE)"
    if reader.lenient == "{c}":
        return f"coalesce({valid}, FALSE)"
    if valid == "TRUE":
        return f"{u} IS NOT NULL"
    return f"({u} IS NOT NULL AND coalesce({valid}, FALSE))"


def text_table_sql(table: str, source: str, ncols: int, dialect: CsvDialect, multipart: bool,
                   overflow: int = OVERFLOW) -> str:  # fmt: skip
    """For a wide file: every cell as text, once, for the groups' queries to read."""
    cols = [f"{_text_cell(dialect, ident(f'c{i}'))} AS c{i}" for i in range(ncols)]
    cols += [f"x{i}" for i in range(overflow)] + (["filename"] if multipart else [])
    return f"CREATE TABLE {table} AS SELECT {', '.join(cols)} FROM {source}"


def _lenient_name(reader: TypedCell, i: int) -> str:
    return f"u{i}" if reader.lenient != "{c}" else f"c{i}"


ROW_KINDS = ("extra", "short", "comment", "cells")  # row conditions over the cells alone


def fine_sql(plan: ScanPlan, dialect: CsvDialect) -> str:
    """SQL true only for a row that breaks none of the plan's conditions; false or null for a row
    that may break one (a suspect), whose conditions are then evaluated one by one (`detail_sql`).

    One test per cell, as cheap as found: a required cell is present and valid, an optional one
    missing or valid, with `quick` validity and the constraints on the lenient value (`quick_alone`
    where the lenient value is needed for nothing else, so that it is not computed); the row has
    no extra cells, none missing (its last cell is not null: DuckDB pads a short row with nulls,
    so then no cell is null either) and none that the cell checks would look at. A row missing a
    value in `plan.present` (a required field, or one of the primary key) is a suspect.
    """
    present = plan.present
    terms = []
    for i in plan.typed:
        f = plan.fields[i]
        reader = cell_reader(f)
        c, u = f"c{i}", _lenient_name(reader, i)
        typed = fill(reader.typed, c, u)
        checks = [f"NOT ({check_sql(cond.check, typed, typed)})" for cond in plan.conditions
                  if cond.kind == "constraint" and cond.field == i and cond.check is not None]  # fmt: skip
        good = []
        if reader.quick_alone and not checks and i not in plan.kept:
            good.append(fill(reader.quick_alone, c))
        elif reader.quick:
            good.append(fill(reader.quick, c, u))
        elif not reader.is_trivial():
            good.append(f"{u} IS NOT NULL" if reader.lenient != "{c}" else "TRUE")
            good.append(fill(reader.valid, c, u) if reader.valid else "TRUE")
        good += checks
        good = [g for g in good if g != "TRUE"]
        missing = _missing_value(f, c, dialect)
        if i in present:
            terms.append(_balanced("AND", [f"NOT ({missing})", *good]))
        elif good:
            terms.append(f"({missing} OR {_balanced('AND', good)})")
    kinds = {cond.kind for cond in plan.conditions}
    unknown = kinds - {"type", "required", "constraint", "blank", "pk-null", *ROW_KINDS}
    if unknown:
        raise ValueError(f"no quick test for the conditions {sorted(unknown)}")
    terms += [f"NOT ({cond.sql})" for cond in plan.conditions if cond.kind in ROW_KINDS]
    if "short" not in kinds and plan.cols:
        terms.append(f"c{max(plan.cols)} IS NOT NULL")
    if "blank" in kinds and not present & set(plan.typed):  # (a present cell already makes the row not blank)
        fields = plan.fields
        values = [_missing_value(fields[i] if i < len(fields) else None, f"c{i}", dialect) for i in plan.cols]
        terms.append(_balanced("OR", [f"NOT ({v})" for v in values]))
    return f"({_balanced('AND', terms)}) IS TRUE"


def scan_sql(plan: ScanPlan, table: str, source: str, dialect: CsvDialect, multipart: bool,
             from_text: bool = False) -> str:  # fmt: skip
    """CREATE TABLE `table` with the kept typed columns `t{i}`, `r` (the cells of a suspect row, null
    for the others: see `fine_sql`) and, for multipart resources, `part` (which file a row came
    from). `from_text`: `source` is a text table.

    A fine row's typed value is its lenient one; a suspect's is made with the full tests (null
    where the cell is missing, of the wrong type, or the row is a comment).
    """
    raw = [f"c{i}" for i in plan.cols]
    x = [f"x{i}" for i in range(plan.overflow)] if plan.first else []
    extra = ["filename"] if multipart and plan.first else []
    cell = (lambda i: f"c{i}") if from_text else (lambda i: f"{_text_cell(dialect, ident(f'c{i}'))} AS c{i}")
    readers = {i: cell_reader(plan.fields[i]) for i in plan.typed}
    l1 = [cell(i) for i in plan.cols] + x + extra
    l1 += [f"{fill(r.lenient, f'c{i}')} AS u{i}" for i, r in sorted(readers.items()) if r.lenient != "{c}"]
    comment = next((cond.sql for cond in plan.conditions if cond.kind == "comment"), None)
    out = []
    for i in plan.kept:
        sql_type = duckdb_type(plan.fields[i])
        if i >= plan.columns:
            out.append(f"CAST(NULL AS {sql_type}) AS t{i}")
            continue
        if i not in plan.typed:
            continue
        f, reader = plan.fields[i], readers[i]
        c, u = f"c{i}", _lenient_name(reader, i)
        typed = fill(reader.typed, c, u)
        full = (f"CASE WHEN NOT {_missing(f, c, dialect)} AND ({_valid(reader, c, u, f.get('type', 'any'))}) "
                f"THEN {typed} END")  # fmt: skip
        if comment:
            full = f"CASE WHEN {comment} THEN NULL ELSE {full} END"
        fine = typed if i in plan.present else f"CASE WHEN NOT ({_missing_value(f, c, dialect)}) THEN {typed} END"
        out.append(f"CAST(CASE WHEN f THEN {fine} ELSE {full} END AS {sql_type}) AS t{i}")
    out.append(f"CASE WHEN f THEN NULL ELSE [{', '.join([*raw, *x]) or 'NULL'}] END AS r")
    if extra:
        out.append("filename AS part")
    return (
        f"CREATE TABLE {table} AS SELECT {', '.join(out)} FROM ("
        f"SELECT *, {fine_sql(plan, dialect)} AS f FROM ("
        f"SELECT {', '.join(l1)} FROM {source}))"
    )


def detail_sql(plan: ScanPlan, suspects: str, failing: str, dialect: CsvDialect) -> str:
    """CREATE TABLE `failing` (o, p): the rows of `suspects` (o, r: a scan's suspect rows, by
    ordinal, with their cells) that break a condition, with `p`: which conditions each breaks (`b`)
    and its cells (`r`).

    Every condition is evaluated, in layers: cells, lenient casts; missing flags and validity;
    typed values; the conditions. Over the few suspect rows only, so its cost does not matter.
    """
    raw = [f"c{i}" for i in plan.cols]
    x = [f"x{i}" for i in range(plan.overflow)] if plan.first else []
    cells = [*raw, *x]
    readers = {i: cell_reader(plan.fields[i]) for i in plan.typed}
    lenient = {i for i, r in readers.items() if r.lenient != "{c}"}
    l1 = ["o", *cells] + [f"{fill(readers[i].lenient, f'c{i}')} AS u{i}" for i in sorted(lenient)]
    passed = ["o", *cells]
    l2 = list(passed)
    for i in plan.cols:
        f = plan.fields[i] if i < len(plan.fields) else None
        l2.append(f"{_missing(f, f'c{i}', dialect)} AS m{i}")
    for i in plan.typed:
        u = _lenient_name(readers[i], i)
        l2.append(f"({_valid(readers[i], f'c{i}', u, plan.fields[i].get('type', 'any'))}) AS ok{i}")
        if i in lenient:
            l2.append(u)
    flags = [*(f"m{i}" for i in plan.cols), *(f"ok{i}" for i in plan.typed)]
    l2b = [*passed, *flags]
    for i in plan.typed:
        typed = fill(readers[i].typed, f"c{i}", _lenient_name(readers[i], i))
        l2b.append(f"CAST(CASE WHEN NOT m{i} AND ok{i} THEN {typed} END AS {duckdb_type(plan.fields[i])}) AS t{i}")
    l3 = [*passed, *flags, *(f"t{i}" for i in plan.typed)]
    ks = [f"k{j}" for j in range(len(plan.conditions))]
    l3b = [*passed] + [f"({cond.sql}) AS k{j}" for j, cond in enumerate(plan.conditions)]
    broken = ", ".join(f"coalesce({k}, FALSE)" for k in ks)
    problem = f"{{'b': [{broken}], 'r': [{', '.join(cells) or 'NULL'}]}}"
    source = f"(SELECT o, {', '.join(f'r[{k + 1}] AS {name}' for k, name in enumerate(cells))} FROM {suspects})"
    return (
        f"CREATE TABLE {failing} AS SELECT o, {problem} AS p FROM ("
        f"SELECT {', '.join(l3b)} FROM ("
        f"SELECT {', '.join(l3)} FROM ("
        f"SELECT {', '.join(l2b)} FROM ("
        f"SELECT {', '.join(l2)} FROM ("
        f"SELECT {', '.join(l1)} FROM {source})))) AS s) WHERE ({_balanced('OR', ks)}) IS TRUE"
    )


def field_conditions(plan: ScanPlan, i: int, checks: list[ConstraintCheck], required: bool) -> list[Condition]:
    """The type, required and constraint conditions of field `i` (which has a column)."""
    f = plan.fields[i]
    out = []
    if not cell_reader(f).is_trivial():
        out.append(Condition("type", f"NOT m{i} AND NOT ok{i}", i))
    if required:
        out.append(Condition("required", f"m{i}", i))
    for chk in checks:  # on the typed value: null (so passing) where missing or of the wrong type
        out.append(Condition("constraint", check_sql(chk, f"t{i}", f"t{i}"), i, chk))
    return out


def row_conditions(plan: ScanPlan, dialect: CsvDialect, pk: list[int], multiline: list[int],
                   free_text: list[int], key_text: list[int], breaks: bool = True) -> list[Condition]:  # fmt: skip
    """Blank rows, missing and extra cells, comment rows, null primary keys, cell prefilters.

    `breaks`: search the cells for control characters and line breaks. Without it (when the file's
    bytes are known to hold neither, or will be searched: `line_index.FileScan.single_line`), the
    costliest condition of the scan is left out.

    In a group of a wide file, `blank` and `short` speak for the group's columns only: a row is
    blank when every group says so, and its cells end in the first group whose last cell is null.
    """
    cols = plan.cols
    blank = _balanced("AND", [f"m{i}" for i in cols])
    out = [Condition("blank", f"{blank} AND x0 IS NULL" if plan.first else blank)]
    if plan.first:
        out.append(Condition("extra", "x0 IS NOT NULL"))
    if cols:
        out.append(Condition("short", f"c{max(cols)} IS NULL"))
    if plan.first and dialect.comment_char:
        out.append(Condition("comment", f"starts_with(c0, {lit(dialect.comment_char)})"))
    if plan.first and pk and all(i in plan.typed for i in pk):
        out.append(Condition("pk-null", _balanced("AND", [f"t{i} IS NULL AND (m{i} OR ok{i})" for i in pk])))
    # Free text: a formula starts with =, +, - or @ (the first character's code, an integer: half
    # the cost of comparing strings); control characters and line breaks (a record spanning lines
    # must be known, to place empty lines and to suspect an unterminated quote) are found by one
    # regular expression over the row's text joined.
    formula = ", ".join(str(ord(ch)) for ch in "+-=@")
    terms = [f"ord(c{i}) IN ({formula})" for i in free_text]
    joined = sorted({*free_text, *multiline})
    if joined and breaks:
        terms.append(f"regexp_matches(concat({', '.join(f'c{i}' for i in joined)}), {lit(CONTROL_OR_BREAK_RE)})")
    # ASCII text is always NFC: only other text (more bytes than characters) is normalised
    terms += [f"CASE WHEN strlen(c{i}) <> length(c{i}) THEN c{i} <> nfc_normalize(c{i}) ELSE FALSE END"
              for i in key_text]  # fmt: skip
    if terms:
        out.append(Condition("cells", _balanced("OR", terms), detail=(free_text, key_text)))
    return out
