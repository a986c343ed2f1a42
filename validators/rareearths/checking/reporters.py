"""Render a validation report: one line per finding, a table (terminals), JSON, GitHub annotations,
a Markdown summary or JUnit XML.

Where output is not a terminal, text is one line per finding, as a compiler writes them, so that
logs, editors and `grep` can use it: `path:row: field: type: message [key]`. Nothing depends on
the terminal's width or the locale: lines are never wrapped, and all the text we add is ASCII.
Many findings of one type on one field of one file are grouped in the text outputs: a line with
their count and first rows, then the first few in full.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO
from xml.etree import ElementTree as ET

import orjson

from rareearths.checking.findings import FINDING_FIELDS, Finding, Report, Severity

if TYPE_CHECKING:
    from rich.console import Console  # (imported by the text output alone: the others need not pay for it)

GITHUB_ANNOTATION_LIMIT = 50  # GitHub shows at most 50 annotations per step
GROUP_OVER = 5  # more findings than this of one type on one field of one file are grouped
SHOW_FIRST = 3  # findings of a group shown in full
ROWS_LISTED = 10  # row numbers a group's headline lists
TABLE_LIMIT = 200  # rows of the terminal table; the line format and JSON have no limit


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    e = report.count(Severity.ERROR) + report.omitted_errors
    w = report.count(Severity.WARNING) + report.omitted_warnings
    status = "valid" if not e else "INVALID"
    line = f"{report.target}: {status} ({_n(e, 'error')}, {_n(w, 'warning')})"
    if report.limit_errors is not None:
        line += (f"; reporting stopped after {_n(report.limit_errors, 'error')} (--limit-errors), "
                 f"{report.omitted_errors:,} more not shown")  # fmt: skip
    return line


# --- One finding as text ---------------------------------------------------------------------


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def details(f: Finding) -> str:
    """The finding's message with the bad value (where the message does not quote it), the
    suggestion and the hint: everything a person needs but the location."""
    parts = [f.message]
    if f.value is not None and repr(f.value[:30])[:-1] not in f.message and f"({f.value[:30]}" not in f.message:
        parts = [f"{f.value!r}: {f.message}"]
    if f.suggestion is not None:
        parts.append(f"did you mean {f.suggestion!r}?" + (f" ({f.hint})" if f.hint else ""))
    elif f.hint is not None:
        parts.append(f.hint)
    if len(parts) > 1:
        parts[0] = parts[0].rstrip(".")
    return _one_line("; ".join(parts))


def _key_note(f: Finding) -> str:
    """The row's primary key, unless the finding is about that key itself."""
    return f" [{_one_line(f.key)}]" if f.key and f.type != "primary-key" else ""


def _type_label(f: Finding) -> str:
    return f.type if f.severity == Severity.ERROR else f"{f.type} (warning)"


def finding_line(f: Finding, target: str = "") -> str:
    """`path:row: field: type: message [key]`; parts without a value are left out."""
    where = _one_line(f.path or target) + (f":{f.row}" if f.row is not None else "")
    parts = [where, *([_one_line(f.field)] if f.field else []), _type_label(f), details(f) + _key_note(f)]
    return ": ".join(parts)


# --- Grouping --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """More than GROUP_OVER findings of one type on one field of one file, in row order."""

    findings: list[Finding]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    def describe(self) -> str:
        """`1,204 type-error in 'amount' (rows 5, 9, 12, ...)`"""
        f = self.first
        rows = [str(x.row) for x in self.findings if x.row is not None]
        listed = ", ".join(rows[:ROWS_LISTED]) + (", ..." if len(rows) > ROWS_LISTED else "")
        where = f" in {f.field!r}" if f.field else ""
        return _one_line(f"{len(self.findings):,} {_type_label(f)}{where}" + (f" (rows {listed})" if rows else ""))

    def headline(self, target: str = "") -> str:
        return f"{_one_line(self.first.path or target)}: {self.describe()}"

    def rest_line(self) -> str:
        more = len(self.findings) - SHOW_FIRST
        return f"  ... and {more:,} more like these (--format json lists every finding)"


def grouped(findings: list[Finding]) -> list[Finding | Group]:
    """Findings in file and row order, those of a large (file, type, field) set gathered into one
    Group at the place of its first."""

    def bucket(f: Finding) -> tuple:
        return (f.path, f.type, f.field, f.severity)

    sizes = Counter(bucket(f) for f in findings)
    members: dict[tuple, list[Finding]] = {}
    out: list[Finding | Group] = []
    for f in findings:
        b = bucket(f)
        if sizes[b] <= GROUP_OVER:
            out.append(f)
        elif b in members:
            members[b].append(f)
        else:
            members[b] = [f]
            out.append(Group(members[b]))
    return out


def _by_type(findings: list[Finding]) -> str:
    counts = Counter(f.type for f in findings)
    return "By type: " + ", ".join(f"{t} {n:,}" for t, n in sorted(counts.items()))


# --- Text: lines, or a table on a terminal ---------------------------------------------------


def to_lines(report: Report) -> str:
    """The report as compiler-style lines, the summary last."""
    findings = report.sorted()
    out: list[str] = []
    for item in grouped(findings):
        if isinstance(item, Group):
            out.append(item.headline(report.target))
            out += [finding_line(f, report.target) for f in item.findings[:SHOW_FIRST]]
            out.append(item.rest_line())
        else:
            out.append(finding_line(item, report.target))
    if findings:
        out.append(_by_type(findings))
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


def write_text(stream: TextIO, text: str) -> None:
    """Write `text`, replacing what the stream's encoding cannot hold instead of failing."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def is_terminal(console: Console) -> bool:
    isatty = getattr(console.file, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def render_text(report: Report, console: Console) -> None:
    """A table on a terminal wide enough for it; otherwise one line per finding."""
    if not is_terminal(console) or not render_table(report, console):
        write_text(console.file, to_lines(report))


_COLUMNS = ("Severity", "File", "Row", "Field", "Type", "Message")


def _table_rows(report: Report, limit: int) -> tuple[list[tuple[str, ...]], int]:
    """The table's rows (a group is one row, then its first findings) and how many are left out."""
    rows: list[tuple[str, ...]] = []
    items = grouped(report.sorted())
    shown = 0
    for item in items:
        if len(rows) >= limit:
            break
        shown += 1
        if isinstance(item, Group):
            f = item.first
            rows.append((str(f.severity), f.path or report.target, str(f.row or ""), f.field or "",
                         f"{_type_label(f)} x{len(item.findings):,}",
                         f"{item.describe()}; the first {SHOW_FIRST}:"))  # fmt: skip
            members = item.findings[:SHOW_FIRST]
        else:
            members = [item]
        for f in members:
            rows.append((str(f.severity), f.path or report.target, str(f.row or ""), f.field or "",
                         _type_label(f), details(f) + _key_note(f)))  # fmt: skip
    return rows, len(items) - shown


def render_table(report: Report, console: Console, limit: int = TABLE_LIMIT) -> bool:
    """Print the report as a table if it fits the console's width without breaking a word;
    return False, printing nothing, when it does not."""
    rows, left_out = _table_rows(report, limit)
    if rows:
        fixed = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(_COLUMNS[:-1])]
        longest_word = max(len(w) for r in rows for w in r[-1].split() or [""])
        if sum(fixed) + max(longest_word, len(_COLUMNS[-1])) + 3 * len(_COLUMNS) + 1 > console.width:
            return False
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=False, header_style="bold")
        for col in _COLUMNS[:-1]:
            table.add_column(col, no_wrap=True)
        table.add_column(_COLUMNS[-1], overflow="fold")
        for r in rows:
            style = "red" if r[0] == Severity.ERROR else "yellow"
            # Text, not markup: data such as a pattern '[a-z]' must print as it is.
            table.add_row(Text(r[0], style=style), *(Text(v) for v in r[1:]))
        console.print(table)
        if left_out:
            console.print(f"... and {left_out:,} more (use --format json for all)", markup=False, highlight=False)
        console.print(_by_type(report.sorted()), markup=False, highlight=False)
    console.print(
        summary_line(report), style="bold green" if report.valid() else "bold red", markup=False, highlight=False
    )
    return True


# --- Machine formats -------------------------------------------------------------------------


def to_json(report: Report, strict: bool = False) -> str:
    """Every finding (all of them unless --limit-errors), with stats counting all that were found."""
    findings = report.sorted()
    stats: dict = {
        "errors": report.count(Severity.ERROR) + report.omitted_errors,
        "warnings": report.count(Severity.WARNING) + report.omitted_warnings,
        "rows": report.row_counts,
    }
    if report.limit_errors is not None:
        stats["limit_errors"] = report.limit_errors
        stats["not_shown"] = {"errors": report.omitted_errors, "warnings": report.omitted_warnings}
    head = {"target": report.target, "valid": report.valid(strict), "stats": stats}
    return json.dumps(head, ensure_ascii=False, indent=2)[:-2] + f',\n  "findings": {_findings_json(findings)}\n}}'


def _findings_json(findings: list[Finding]) -> str:
    """The findings as a JSON list, one per line. orjson encodes the whole list in one call (the
    instances as they are: 0.07 s at 100,000 findings, against 1 s for json with a dict each), and
    the line breaks go in after: every finding opens with its first field's name in quotes, which
    inside a string would be escaped (\\"), so `},{"resource":` occurs only between findings."""
    if not findings:
        return "[]"
    opening = '{"' + FINDING_FIELDS[0] + '":'
    try:
        encoded = orjson.dumps(findings).decode()
    except orjson.JSONEncodeError:  # text orjson refuses (a lone surrogate): the standard library's way
        encoded = json.dumps([f.to_dict() for f in findings], ensure_ascii=False, separators=(",", ":"))
    return "[\n    " + encoded[1:-1].replace("}," + opening, "},\n    " + opening) + "\n  ]"


def _escape(value: str, props: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if props else value


def _annotation(f: Finding, title: str, message: str) -> str:
    level = "error" if f.severity == "error" else "warning"
    props = [f"file={_escape(f.path or '', True)}"]
    if f.row:
        props.append(f"line={f.row}")
    props.append(f"title={_escape(title, True)}")
    return f"::{level} {','.join(props)}::{_escape(message)}"


def to_github(report: Report) -> str:
    """Workflow-command annotations (a group gives one for itself and one for each finding shown),
    then the summary; also appends the Markdown summary to $GITHUB_STEP_SUMMARY when set."""
    lines = []
    for item in grouped(report.sorted()):
        if isinstance(item, Group):
            f = item.first
            title = f"{f.type} x{len(item.findings):,}" + (f" {f.field}" if f.field else "")
            lines.append(_annotation(f, title, item.headline(report.target)))
            members = item.findings[:SHOW_FIRST]
        else:
            members = [item]
        for f in members:
            lines.append(_annotation(f, f.type + (" " + f.field if f.field else ""), details(f) + _key_note(f)))
    lines = lines[:GITHUB_ANNOTATION_LIMIT]
    lines.append(summary_line(report))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as fh:
            fh.write(to_markdown(report))
    return "\n".join(lines)


def to_markdown(report: Report, limit: int = 100) -> str:
    def cell(s: object) -> str:
        return str(s or "").replace("|", "\\|").replace("\n", " ")

    out = [f"### rareearths validate: {cell(summary_line(report))}", ""]
    rows, left_out = _table_rows(report, limit)
    if rows:
        out += ["| Severity | File | Row | Field | Type | Message |", "|---|---|---|---|---|---|"]
        out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
        if left_out:
            out.append(f"\n{left_out:,} more findings not shown.")
    return "\n".join(out) + "\n"


def to_junit(report: Report) -> str:
    """One test case per resource, a failure element per error finding (all, unless limited)."""
    findings = report.sorted()
    suite = ET.Element("testsuite", name="rareearths validate", tests=str(max(len(report.row_counts), 1)),
                       failures=str(report.count(Severity.ERROR)))  # fmt: skip
    names = list(report.row_counts) or [report.target]
    for name in [*names, None]:
        mine = [f for f in findings if f.resource == name]
        if name is None and not mine:
            continue
        case = ET.SubElement(suite, "testcase", classname="rareearths", name=name or "package")
        for f in mine:
            tag = "failure" if f.severity == "error" else "system-out"
            el = ET.SubElement(case, tag, type=f.type)
            el.set("message", finding_line(f, report.target))
            el.text = details(f) + _key_note(f)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
