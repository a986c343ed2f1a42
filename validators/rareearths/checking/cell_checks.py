"""Checks on what cells hold, for any package: text that spreadsheets execute, control
characters, identifiers that are not NFC or differ only in case.

Fork-and-edit-in-a-spreadsheet is how open datasets are maintained, and these are the ways a
spreadsheet or a careless paste corrupts them without breaking any type. Each check has a name,
a severity and a reason, like the domain rules; all run as SQL in one scan per table.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from rareearths.building.schema_ddl import enum_values
from rareearths.checking.findings import Finding, Severity
from rareearths.checking.schema_sql import ident, lit
from rareearths.opening.package_source import Resource

CONTROL = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127])
SUSPICIOUS_RE = r"^[=+@-]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"


@dataclass(frozen=True)
class CellCheck:
    name: str
    severity: Severity
    why: str


FORMULA = CellCheck(
    "formula-injection", Severity.WARNING,
    "A cell starting with =, +, - or @ followed by text runs as a formula when the CSV is opened in a "
    "spreadsheet (an error with --strict).",
)  # fmt: skip
CONTROL_CHARS = CellCheck(
    "control-character", Severity.ERROR,
    "Control characters (other than tab and line breaks) are invisible, break other tools, and are "
    "never meant as data.",
)  # fmt: skip
NOT_NFC = CellCheck(
    "id-not-nfc", Severity.ERROR,
    "Identifiers must be Unicode NFC, or two IDs that look the same compare as different and joins fail.",
)  # fmt: skip
CASE_COLLISION = CellCheck(
    "id-case-collision", Severity.ERROR,
    "IDs that differ only in case collide on case-insensitive file systems and in most people's reading.",
)  # fmt: skip
CELL_CHECKS = [FORMULA, CONTROL_CHARS, NOT_NFC, CASE_COLLISION]


def _key_fields(res: Resource) -> set[str]:
    s = res.schema
    keys = set(s["primaryKey"]) | {c for k in s["uniqueKeys"] for c in k}
    keys |= {c for fk in s["foreignKeys"] for c in fk["fields"]}
    keys |= {f["name"] for f in s["fields"] if f.get("constraints", {}).get("unique")}
    return keys


def cell_findings(con: duckdb.DuckDBPyConnection, res: Resource) -> list[Finding]:
    # A field limited to an enum or categories holds only listed values (others are already
    # constraint errors), so only free text is scanned.
    fields = [
        f["name"] for f in res.schema["fields"] if f.get("type", "any") in ("string", "any") and not enum_values(f)
    ]
    if not fields:
        return []
    keys = _key_fields(res)
    # One regular expression per cell as a prefilter (RE2 is far cheaper here than translate()),
    # so a clean table costs one light scan; matches are then sorted out in Python.
    suspicious = []
    for f in fields:
        col = ident(f)
        cond = f"regexp_matches({col}, {lit(SUSPICIOUS_RE)})"
        if f in keys:
            cond += f" OR {col} <> nfc_normalize({col})"
        suspicious.append(f"({cond})")
    cols = ", ".join(ident(f) for f in fields)
    rows = con.execute(
        f"SELECT _row, {cols} FROM {ident(res.name)} WHERE {' OR '.join(suspicious)} ORDER BY _row"
    ).fetchall()
    out: list[Finding] = []
    for row, *values in rows:
        for f, v in zip(fields, values, strict=True):
            if v is None:
                continue
            if v[:1] in "=+-@" and v[:1] and not _numeric(v):
                out.append(_f(res, row, f, v, FORMULA, f"{v!r} would run as a formula in a spreadsheet"))
            if any(ch in CONTROL for ch in v):
                out.append(_f(res, row, f, v, CONTROL_CHARS, f"{v!r} contains a control character"))
            if f in keys and not _is_nfc(v):
                out.append(_f(res, row, f, v, NOT_NFC, f"identifier {v!r} is not in Unicode NFC form"))
    out += _case_collisions(con, res)
    return out


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_nfc(text: str) -> bool:
    import unicodedata

    return unicodedata.is_normalized("NFC", text)


def _case_collisions(con: duckdb.DuckDBPyConnection, res: Resource) -> list[Finding]:
    pk = res.schema["primaryKey"]
    types = {f["name"]: f.get("type", "any") for f in res.schema["fields"]}
    if len(pk) != 1 or types.get(pk[0]) not in ("string", "any"):
        return []
    col = ident(pk[0])
    rows = (
        con.execute(
            f"""SELECT _row, {col}, first_row, first_id FROM (
                SELECT _row, {col}, min(_row) OVER w AS first_row, arg_min({col}, _row) OVER w AS first_id,
                       count(DISTINCT {col}) OVER (PARTITION BY lower({col})) AS n
                FROM {ident(res.name)} WHERE {col} IS NOT NULL WINDOW w AS (PARTITION BY lower({col}))
            ) WHERE n > 1 AND _row > first_row AND {col} <> first_id ORDER BY _row"""
        ).fetchall()
        if _has_case_collision(con, res.name, col)
        else []
    )
    return [
        _f(res, row, pk[0], v, CASE_COLLISION, f"ID {v!r} differs only in case from {first_id!r} in row {first}")
        for row, v, first, first_id in rows
    ]


def _has_case_collision(con: duckdb.DuckDBPyConnection, table: str, col: str) -> bool:
    """One aggregate first: the window query only runs when there is something to find."""
    sql = f"SELECT count(*) FROM (SELECT lower({col}) FROM {ident(table)} GROUP BY 1 HAVING count(DISTINCT {col}) > 1)"
    return con.execute(sql).fetchone()[0] > 0


def _f(res: Resource, row: int, field: str, value: str, check: CellCheck, message: str) -> Finding:
    return Finding(res.name, res.display_path, row, field, check.name, f"{message}: {check.why}", value,
                   check.severity, check.name)  # fmt: skip
