"""Rendering findings: the line format, the terminal table, grouping and limits, on hand-made reports."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from rareearths.checking.findings import Finding, Report, Severity
from rareearths.checking.reporters import (
    GROUP_OVER,
    Group,
    details,
    finding_line,
    grouped,
    render_table,
    render_text,
    to_github,
    to_json,
    to_lines,
    to_markdown,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def console(width: int, tty: bool = True) -> Console:
    file = Terminal() if tty else io.StringIO()
    return Console(file=file, width=width, force_terminal=tty, color_system=None, legacy_windows=False)


YEN = Finding("deals", "data/deals.csv", 21, "currency", "currency-iso4217", "'YEN' is not an ISO 4217 code", "YEN",
              rule="currency-iso4217", key="deal_id=jogmec-sojitz-lynas-2011", suggestion="JPY")  # fmt: skip
RULE = Finding("ratios", "data/ratios.csv", 7, "value_low", "range-ordered",
               "A range's low end cannot exceed its high end.", "0.9", rule="range-ordered",
               key="ratio_id=r1")  # fmt: skip
UNCITED = Finding("sources", "data/sources.csv", 4, "source_id", "source-not-cited", "A source no row cites.",
                  "s-1", Severity.WARNING, "source-not-cited")  # fmt: skip
PACKAGE = Finding(None, "datapackage.json", None, None, "package-error", "descriptor is not valid:\nline two")


def test_finding_line_is_path_row_field_type_message_key():
    assert finding_line(YEN) == (
        "data/deals.csv:21: currency: currency-iso4217: 'YEN' is not an ISO 4217 code; did you mean 'JPY'? "
        "[deal_id=jogmec-sojitz-lynas-2011]"
    )


def test_a_rule_finding_quotes_its_value():
    assert finding_line(RULE) == (
        "data/ratios.csv:7: value_low: range-ordered: '0.9': A range's low end cannot exceed its high end. "
        "[ratio_id=r1]"
    )


def test_warnings_and_findings_without_row_or_field_stay_one_line():
    assert finding_line(UNCITED) == (
        "data/sources.csv:4: source_id: source-not-cited (warning): 's-1': A source no row cites."
    )
    assert finding_line(PACKAGE) == "datapackage.json: package-error: descriptor is not valid:\\nline two"


def test_details_puts_a_hint_after_the_suggestion():
    f = Finding("t", "t.csv", 5, "amount", "type-error", "'1,000' is not a valid number", "1,000",
                suggestion="1000", hint="or declare groupChar ','")  # fmt: skip
    assert details(f) == "'1,000' is not a valid number; did you mean '1000'? (or declare groupChar ',')"
    hint_only = Finding("t", "t.csv", 5, "on", "type-error", "'x' is not a valid date", "x", hint="dates are ...")
    assert details(hint_only) == "'x' is not a valid date; dates are ..."


def _type_errors(n: int, path: str = "data/x.csv", field: str = "amount") -> list[Finding]:
    return [Finding("x", path, 2 + i, field, "type-error", f"'v{i}' is not a valid number", f"v{i}") for i in range(n)]


def test_grouping_starts_above_the_threshold_and_keeps_row_order():
    few = _type_errors(GROUP_OVER)
    assert grouped(few) == few
    many = _type_errors(GROUP_OVER + 1)
    other = Finding("x", "data/x.csv", 3, "kind", "constraint-error", "no", "z")
    items = grouped(sorted([*many, other], key=Finding.sort_key))
    assert isinstance(items[0], Group) and items[0].findings == many and items[1] == other
    assert items[0].headline() == "data/x.csv: 6 type-error in 'amount' (rows 2, 3, 4, 5, 6, 7)"


def test_group_headline_lists_the_first_rows_with_thousands_separators():
    group = Group(_type_errors(1204))
    assert group.headline() == "data/x.csv: 1,204 type-error in 'amount' (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...)"


def test_table_on_a_wide_terminal_never_breaks_a_word():
    out = console(160)
    report = Report("pkg", [YEN, RULE, UNCITED])
    render_text(report, out)
    text = out.file.getvalue()
    assert "┏" in text and "currency-iso4217" in text and "source-not-cited (warning)" in text
    assert "[deal_id=jogmec-sojitz-lynas-2011]" in text  # the longest word, whole
    for word in ("'YEN'", "ISO", "4217", "'JPY'?"):
        assert word in text


def test_table_too_wide_for_the_terminal_falls_back_to_lines():
    out = console(60)
    assert render_table(Report("pkg", [YEN]), out) is False and out.file.getvalue() == ""
    render_text(Report("pkg", [YEN]), out)
    assert out.file.getvalue().splitlines()[0] == finding_line(YEN)


def test_no_terminal_means_lines_whatever_the_width():
    out = console(400, tty=False)
    render_text(Report("pkg", [YEN]), out)
    assert out.file.getvalue() == to_lines(Report("pkg", [YEN]))


def test_table_groups_like_the_lines():
    out = console(200)
    render_text(Report("pkg", _type_errors(40)), out)
    text = out.file.getvalue()
    assert "type-error x40" in text and "40 type-error in 'amount'" in text
    assert "'v2'" in text and "'v3'" not in text  # the first three in full, not the rest


def test_github_annotations_group_and_stay_under_the_cap():
    out = to_github(Report("pkg", _type_errors(500) + _type_errors(500, field="other")))
    lines = out.splitlines()
    assert lines[0].startswith("::error file=data/x.csv,line=2,title=type-error x500 amount::")
    assert len(lines) == 2 * (1 + 3) + 1  # per group: itself and its first three; then the summary


def test_markdown_summary_escapes_pipes():
    md = to_markdown(Report("pkg", [Finding("x", "x.csv", 2, "f", "type-error", "'a|b' is bad", "a|b")]))
    assert "'a\\|b' is bad" in md


@pytest.mark.parametrize("limit", [1, 3])
def test_limited_keeps_findings_up_to_the_nth_error(limit: int):
    findings = [UNCITED, *_type_errors(4)]
    shown = Report("pkg", findings).limited(limit)
    assert len(shown.errors) == limit and shown.omitted_errors == 4 - limit and not shown.valid()
    assert Report("pkg", findings).limited(None).findings == findings


def test_json_has_one_finding_per_line_whatever_the_values_hold() -> None:
    """The findings are encoded in one call and split into lines after: a value holding the text
    between two findings must neither split a finding nor join two."""
    values = ['x}, {"resource": "y', '}, {"resource": ', "a\nb", '中文 "q"', None]
    report = Report("t", [Finding("res", "p", i + 2, "f", "type-error", f"m {v!r}", v) for i, v in enumerate(values)])
    out = to_json(report.limited(None))
    assert [f["value"] for f in json.loads(out)["findings"]] == values
    lines = [line for line in out.splitlines() if line.startswith('    {"resource":')]
    assert [json.loads(line.rstrip(","))["row"] for line in lines] == [2, 3, 4, 5, 6]


def test_json_of_text_orjson_refuses_falls_back_to_the_standard_library() -> None:
    """A lone surrogate (text decoded with surrogateescape) is not UTF-8: orjson refuses it, and
    the findings are then encoded by json, still one per line."""
    values = ["ok", "bad \udcff byte"]
    report = Report("t", [Finding("res", "p", i + 2, "f", "type-error", "m", v) for i, v in enumerate(values)])
    out = to_json(report.limited(None))
    assert [f["value"] for f in json.loads(out)["findings"]] == values
    assert [line[:15] for line in out.splitlines() if '"row":' in line] == ['    {"resource"'] * 2
