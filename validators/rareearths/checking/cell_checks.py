"""Checks on what cells hold, for any package: text that spreadsheets execute, control
characters, identifiers that are not NFC or differ only in case.

Fork-and-edit-in-a-spreadsheet is how open datasets are maintained, and these are the ways a
spreadsheet or a careless paste corrupts them without breaking any type. Each check has a name,
a severity and a reason, like the domain rules. The scan prefilters cells with one cheap test
(`scan_plan`), so only suspicious cells reach `cell_findings`; case collisions are one
aggregate over the primary key, and a window query only when it finds something.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from rareearths.building.schema_ddl import enum_values
from rareearths.checking.findings import Finding, Severity
from rareearths.opening.package_source import Resource

if TYPE_CHECKING:
    from rareearths.checking.csv_loader import Loaded

CONTROL = set(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127])


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


def key_fields(schema: dict[str, Any]) -> set[str]:
    """Fields that identify rows: primary, unique and foreign keys."""
    keys = set(schema["primaryKey"]) | {c for k in schema["uniqueKeys"] for c in k}
    keys |= {c for fk in schema["foreignKeys"] for c in fk["fields"]}
    keys |= {f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("unique")}
    return keys


def text_fields(schema: dict[str, Any]) -> list[str]:
    """Free-text fields: string or any, not limited to an enum or categories (others are already
    constraint errors when they hold anything else)."""
    return [f["name"] for f in schema["fields"] if f.get("type", "any") in ("string", "any") and not enum_values(f)]


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def finding(res: Resource, row: int | None, field: str, value: str, check: CellCheck, message: str) -> Finding:
    return Finding(res.name, res.display_path, row, field, check.name, f"{message}: {check.why}", value,
                   check.severity, check.name)  # fmt: skip


def cell_findings(res: Resource, row: int, name: str, value: str, key: bool) -> list[Finding]:
    """Formula injection and control characters in a text cell; NFC for identifiers."""
    out = []
    if value[:1] in ("=", "+", "-", "@") and not _numeric(value):
        out.append(finding(res, row, name, value, FORMULA, f"{value!r} would run as a formula in a spreadsheet"))
    if any(ch in CONTROL for ch in value):
        out.append(finding(res, row, name, value, CONTROL_CHARS, f"{value!r} contains a control character"))
    if key and not unicodedata.is_normalized("NFC", value):
        out.append(finding(res, row, name, value, NOT_NFC, f"identifier {value!r} is not in Unicode NFC form"))
    return out


def case_collisions(con: duckdb.DuckDBPyConnection, loaded: Loaded) -> list[Finding]:
    """Primary-key values that differ only in case (a string key of one field)."""
    res = loaded.resource
    pk = res.schema["primaryKey"]
    i = loaded.position(pk[0]) if len(pk) == 1 else None
    if i is None or i not in loaded.kept or loaded.table is None:
        return []
    if res.schema["fields"][i].get("type", "any") not in ("string", "any"):
        return []
    col, table, where = f"t{i}", loaded.table, f"t{i} IS NOT NULL AND {loaded.data_filter()}"
    # One aggregate first: the window query only runs when there is something to find.
    found = con.execute(f"SELECT count(*) FROM (SELECT lower({col}) FROM {table} WHERE {where} GROUP BY 1 "
                        f"HAVING count(DISTINCT {col}) > 1)").fetchone()[0]  # fmt: skip
    if not found:
        return []
    rows = con.execute(
        f"""SELECT rowid, {col}, first_row, first_id FROM (
            SELECT rowid, {col}, min(rowid) OVER w AS first_row, arg_min({col}, rowid) OVER w AS first_id,
                   count(DISTINCT {col}) OVER (PARTITION BY lower({col})) AS n
            FROM {table} WHERE {where} WINDOW w AS (PARTITION BY lower({col}))
        ) WHERE n > 1 AND rowid > first_row AND {col} <> first_id ORDER BY rowid"""
    ).fetchall()
    row = loaded.index.row
    return [finding(res, row(o), pk[0], v, CASE_COLLISION, f"ID {v!r} differs only in case from {first_id!r} in "
                    f"row {row(first)}") for o, v, first, first_id in rows]  # fmt: skip
