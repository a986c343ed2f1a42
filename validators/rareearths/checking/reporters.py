"""Render a validation report as text (rich), JSON, GitHub annotations or JUnit XML."""

from __future__ import annotations

import json
import os
from collections import Counter
from xml.etree import ElementTree as ET

from rich.console import Console
from rich.table import Table
from rich.text import Text

from rareearths.checking.findings import Report

GITHUB_ANNOTATION_LIMIT = 50  # GitHub shows at most 50 annotations per step


def summary_line(report: Report) -> str:
    e, w = len(report.errors), len(report.warnings)
    status = "valid" if not e else "INVALID"
    return f"{report.target}: {status} ({e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)})"


def render_text(report: Report, console: Console, limit: int = 200) -> None:
    findings = report.sorted()
    if findings:
        table = Table(show_lines=False, header_style="bold")
        for col in ("Severity", "File", "Row", "Field", "Type", "Message"):
            table.add_column(col, overflow="fold")
        for f in findings[:limit]:
            style = "red" if f.severity == "error" else "yellow"
            # Text, not markup: data such as a pattern '[a-z]' must print as it is.
            table.add_row(Text(str(f.severity), style=style), *(Text(v) for v in
                          (f.path or "", str(f.row or ""), f.field or "", f.type, f.message)))  # fmt: skip
        console.print(table)
        if len(findings) > limit:
            console.print(f"... and {len(findings) - limit} more (use --format json for all)")
        counts = Counter(f.type for f in findings)
        console.print("By type: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())))
    console.print(summary_line(report), style="bold green" if report.valid() else "bold red", markup=False)


def to_json(report: Report, strict: bool = False) -> str:
    findings = report.sorted()
    doc = {
        "target": report.target,
        "valid": report.valid(strict),
        "stats": {"errors": len(report.errors), "warnings": len(report.warnings), "rows": report.row_counts},
        "findings": [f.to_dict() for f in findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _escape(value: str, props: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if props else value


def to_github(report: Report) -> str:
    lines = []
    for f in report.sorted()[:GITHUB_ANNOTATION_LIMIT]:
        level = "error" if f.severity == "error" else "warning"
        props = [f"file={_escape(f.path or '', True)}"]
        if f.row:
            props.append(f"line={f.row}")
        props.append(f"title={_escape(f.type + (' ' + f.field if f.field else ''), True)}")
        lines.append(f"::{level} {','.join(props)}::{_escape(f.message)}")
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
    findings = report.sorted()
    if findings:
        out += ["| Severity | File | Row | Field | Type | Message |", "|---|---|---|---|---|---|"]
        out += [
            f"| {f.severity} | {cell(f.path)} | {cell(f.row)} | {cell(f.field)} | {cell(f.type)} | {cell(f.message)} |"
            for f in findings[:limit]
        ]
        if len(findings) > limit:
            out.append(f"\n{len(findings) - limit} more findings not shown.")
    return "\n".join(out) + "\n"


def to_junit(report: Report) -> str:
    """One test case per resource, a failure element per error finding."""
    findings = report.sorted()
    suite = ET.Element("testsuite", name="rareearths validate", tests=str(max(len(report.row_counts), 1)),
                       failures=str(len(report.errors)))  # fmt: skip
    names = list(report.row_counts) or [report.target]
    for name in [*names, None]:
        mine = [f for f in findings if f.resource == name]
        if name is None and not mine:
            continue
        case = ET.SubElement(suite, "testcase", classname="rareearths", name=name or "package")
        for f in mine:
            tag = "failure" if f.severity == "error" else "system-out"
            el = ET.SubElement(case, tag, type=f.type)
            el.set("message", f"{f.path}:{f.row or ''} {f.field or ''}: {f.message}")
            el.text = f.message
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
