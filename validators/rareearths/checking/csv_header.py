"""The header of a CSV resource: its labels, where the data starts, and what is wrong with them.

Only the start of the file is read here (Python's csv module on the first megabyte), following the
dialect: header rows joined with `headerJoin`, comment rows before the header skipped but
counted, no header at all with `header: false`. Labels are then matched to the schema's fields
by position, as Frictionless matches them.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from dataclasses import dataclass, field

from rareearths.checking.findings import Finding
from rareearths.opening.dialect import CsvDialect
from rareearths.opening.package_source import Resource

HEADER_BYTES = 1 << 20


@dataclass
class Header:
    """Where the data of a CSV file starts, and the header's labels (None without a header row)."""

    labels: list[str] | None
    skip_lines: int  # physical lines before the first data row, for DuckDB's `skip`
    first_row: int  # the Frictionless row number of the first row after the header
    bom: bool = False
    findings: list[Finding] = field(default_factory=list)


def _finding(res: Resource, type_: str, message: str, row: int | None = None, field_: str | None = None,
             value: str | None = None) -> Finding:  # fmt: skip
    return Finding(res.name, res.display_path, row, field_, type_, message, value)


def read_head(res: Resource) -> bytes:
    """The first megabyte of the resource's (first) file, decompressed."""
    if res.compression == "gzip":
        with gzip.open(res.path, "rb") as fh:
            return fh.read(HEADER_BYTES)
    with open(res.path, "rb") as fh:
        return fh.read(HEADER_BYTES)


def csv_reader(text: str, dialect: CsvDialect) -> csv.Reader:  # type: ignore[name-defined]
    """Python's csv reader configured as the dialect says (the header is parsed with it)."""
    quoting = csv.QUOTE_MINIMAL if dialect.quote_char else csv.QUOTE_NONE
    return csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter, quotechar=dialect.quote_char or None,
                      doublequote=dialect.double_quote, escapechar=dialect.escape_char or None, quoting=quoting,
                      skipinitialspace=dialect.skip_initial_space, strict=False)  # fmt: skip


def is_comment(record: list[str], row: int, dialect: CsvDialect) -> bool:
    return row in dialect.comment_rows or bool(
        dialect.comment_char and record and record[0].startswith(dialect.comment_char)
    )


def read_header(res: Resource) -> Header:
    """The labels and where the data starts; a `source-error` or `encoding-error` when unreadable."""
    d = res.dialect
    try:
        head = read_head(res)
    except (OSError, EOFError) as exc:
        return Header(None, 0, 1, findings=[_finding(res, "source-error", f"cannot read file: {exc}")])
    bom = head.startswith(codecs.BOM_UTF8)
    text_bytes = head[3:] if bom else head
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in text_bytes[:4096]:
        return Header(None, 0, 1, bom, [_finding(res, "encoding-error", "file is binary or not UTF-8 (NUL bytes "
                                                 "found); re-encode it as UTF-8")])  # fmt: skip
    if not d.header:
        return Header(None, 0, 1, bom)
    if not head.strip():
        return Header(None, 0, 1, bom, [_finding(res, "source-error", "file is empty: it has no header row")])
    if len(head) == HEADER_BYTES and b"\n" not in head and b"\r" not in head:
        return Header(None, 0, 1, bom, [_finding(res, "source-error", "the header row is longer than 1 MB: is this "
                                                 "a CSV file?")])  # fmt: skip
    reader = csv_reader(text_bytes.decode("utf-8", errors="replace"), d)
    labels: list[str] = []
    row = content = 0
    last = max(d.header_rows)
    try:
        for record in reader:
            row += 1
            if is_comment(record, row, d):
                continue
            content += 1
            if content in d.header_rows:
                for i, cell in enumerate(record):
                    labels[i : i + 1] = [cell] if i >= len(labels) else [d.header_join.join([labels[i], cell])]
            if content >= last:
                break
    except csv.Error as exc:
        return Header(None, 0, 1, bom, [_finding(res, "source-error", f"cannot parse the header row: {exc}")])
    if content == 0:
        return Header(None, 0, 1, bom, [_finding(res, "source-error", "file is empty: it has no header row")])
    if content < last:
        return Header(None, 0, 1, bom, [_finding(res, "source-error", f"the header is declared on row {last}, but "
                                                 f"the file has only {row} rows")])  # fmt: skip
    return Header(labels, reader.line_num, row + 1, bom)


def label_findings(res: Resource, labels: list[str]) -> list[Finding]:
    """Header labels against the schema, by position as Frictionless matches them."""
    names = [f["name"] for f in res.schema["fields"]]
    fold = (lambda s: s.casefold()) if not res.dialect.case_sensitive_header else (lambda s: s)
    out: list[Finding] = []
    seen: set[str] = set()
    hint = ""
    if len(labels) == 1 and (other := next((d for d in ";\t|," if d in labels[0] and d != res.dialect.delimiter),
                                           None)):  # fmt: skip
        hint = (f" (the header has one label holding {other!r}: is the file delimited by {other!r} rather than "
                f"{res.dialect.delimiter!r}?)")  # fmt: skip
    for i, label in enumerate(labels):
        fname = names[i] if i < len(names) else None
        if fname is None:  # checked first, as Frictionless does
            out.append(_finding(res, "extra-label", f"label {label!r} in column {i + 1} is not in the schema", 1,
                                None, label))  # fmt: skip
        elif not label.strip():
            out.append(_finding(res, "blank-label", f"label in column {i + 1} is blank", 1, fname, label))
        elif label in seen:
            out.append(_finding(res, "duplicate-label", f"label {label!r} in column {i + 1} is a duplicate", 1,
                                fname, label))  # fmt: skip
        elif fold(label) != fold(fname):
            out.append(_finding(res, "incorrect-label", f"label {label!r} in column {i + 1} should be "
                                f"{fname!r}{hint}", 1, fname, label))  # fmt: skip
        seen.add(label)
    for i in range(len(labels), len(names)):
        out.append(_finding(res, "missing-label", f"column {i + 1} ({names[i]!r}) is missing from the header", 1,
                            names[i]))  # fmt: skip
    return out


def infer_fields(labels: list[str]) -> list[dict[str, str]]:
    """Fields for a resource without a schema: one `any` field per label, named as Frictionless names
    them (`field3` for a blank label in column 3, `name2` for the second `name`)."""
    out: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        name = label if label.strip() else f"field{i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append({"name": name if seen[name] == 1 else f"{name}{seen[name]}", "type": "any"})
    return out
