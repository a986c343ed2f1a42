"""Table Dialect (v1 and v2) -> one `CsvDialect`, or a finding for each property that cannot be honoured.

Every CSV property of both versions is read here: `delimiter`, `lineTerminator`, `quoteChar`,
`doubleQuote`, `escapeChar`, `nullSequence`, `skipInitialSpace`, `header`, `headerRows`,
`headerJoin`, `commentChar`, `commentRows`, `caseSensitiveHeader` (and v1's `csvddfVersion`, which
says nothing about the file). Properties of the other dialect kinds (spreadsheets, JSON, SQL) are
refused with a `dialect-error`, as are values the reader cannot take (a delimiter of two
characters, a quote that is also the delimiter). Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rareearths.checking.findings import Finding

NOT_CSV = ("sheetNumber", "sheetName", "table", "property", "itemType", "itemKeys", "keyed")
LINE_TERMINATORS = ("\n", "\r\n", "\r")


@dataclass(frozen=True)
class CsvDialect:
    """How to read one CSV file. Defaults are the specification's."""

    delimiter: str = ","
    quote_char: str = '"'  # '' when cells are never quoted
    double_quote: bool = True
    escape_char: str = ""
    null_sequence: str | None = None
    skip_initial_space: bool = False
    header: bool = True
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    comment_char: str = ""
    comment_rows: tuple[int, ...] = ()
    case_sensitive_header: bool = True

    @property
    def data_start(self) -> int:
        """The row number of the first row after the header (rows are numbered from 1)."""
        return max(self.header_rows) + 1 if self.header else 1

    @property
    def escape(self) -> str:
        """The escape character the CSV reader uses inside quoted cells."""
        if self.escape_char:
            return self.escape_char
        return self.quote_char if self.double_quote else ""


def _error(res: str, where: str, message: str) -> Finding:
    return Finding(res, where, None, None, "dialect-error", message)


def _char(raw: dict[str, Any], key: str, default: str, res: str, where: str, out: list[Finding]) -> str:
    value = raw.get(key, default)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 1:
        out.append(_error(res, where, f"dialect property {key}={value!r} must be a single character"))
        return default
    return value


def _rows(raw: dict[str, Any], key: str, default: tuple[int, ...], res: str, where: str,
          out: list[Finding]) -> tuple[int, ...]:  # fmt: skip
    value = raw.get(key, list(default))
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1
                                              for v in value):  # fmt: skip
        out.append(_error(res, where, f"dialect property {key}={value!r} must be a list of row numbers (from 1)"))
        return default
    return tuple(sorted(set(value)))


def _flag(raw: dict[str, Any], key: str, default: bool, res: str, where: str, out: list[Finding]) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        out.append(_error(res, where, f"dialect property {key}={value!r} must be true or false"))
        return default
    return value


def csv_dialect(raw: dict[str, Any], res: str, where: str) -> tuple[CsvDialect, list[Finding]]:
    """The dialect `raw` describes; findings for what cannot be honoured (the default is used instead).

    Frictionless v5 writes the CSV properties in a `csv` object inside the dialect; they are read
    from there too. Its objects for other formats (`excel`, `json`, `sql`...) are refused.
    """
    out: list[Finding] = []
    nested = raw.get("csv")
    if isinstance(nested, dict):
        raw = {**{k: v for k, v in raw.items() if k != "csv"}, **nested}
    for key in ("excel", "json", "sql", "ods", "html", "inline", "gsheets", "pandas", "spss", "parquet"):
        if key in raw:
            out.append(_error(res, where, f"dialect object {key!r} is for another format; only CSV files are read"))
    for key in NOT_CSV:
        if key in raw:
            out.append(_error(res, where, f"dialect property {key!r} is for spreadsheets, JSON or SQL sources, "
                                          "not CSV files; only CSV resources are read"))  # fmt: skip
    delimiter = _char(raw, "delimiter", ",", res, where, out) or ","
    quote = _char(raw, "quoteChar", '"', res, where, out)
    escape = _char(raw, "escapeChar", "", res, where, out)
    comment = _char(raw, "commentChar", "", res, where, out)
    terminator = raw.get("lineTerminator", "\r\n")
    if terminator not in LINE_TERMINATORS:
        out.append(_error(res, where, f"dialect property lineTerminator={terminator!r} is not one of "
                                      "'\\n', '\\r\\n' or '\\r'"))  # fmt: skip
    if delimiter in ("\n", "\r") or delimiter == quote:
        out.append(_error(res, where, f"delimiter {delimiter!r} cannot also be a line break or the quote character"))
        delimiter = ","
    null_sequence = raw.get("nullSequence")
    if null_sequence is not None and not isinstance(null_sequence, str):
        out.append(_error(res, where, f"dialect property nullSequence={null_sequence!r} must be a string"))
        null_sequence = None
    join = raw.get("headerJoin", " ")
    if not isinstance(join, str):
        out.append(_error(res, where, f"dialect property headerJoin={join!r} must be a string"))
        join = " "
    dialect = CsvDialect(
        delimiter=delimiter,
        quote_char=quote,
        double_quote=_flag(raw, "doubleQuote", True, res, where, out),
        escape_char=escape,
        null_sequence=null_sequence,
        skip_initial_space=_flag(raw, "skipInitialSpace", False, res, where, out),
        header=_flag(raw, "header", True, res, where, out),
        header_rows=_rows(raw, "headerRows", (1,), res, where, out),
        header_join=join,
        comment_char=comment,
        comment_rows=_rows(raw, "commentRows", (), res, where, out),
        # Frictionless compares labels case-sensitively whatever the dialect says; so do we,
        # unless the dialect says explicitly that case does not matter.
        case_sensitive_header=_flag(raw, "caseSensitiveHeader", True, res, where, out),
    )
    return dialect, out
