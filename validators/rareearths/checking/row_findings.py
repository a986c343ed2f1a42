"""The failing rows of a scan -> findings. Python sees only rows that break a condition.

Each row arrives with the conditions it breaks and its raw cells; the findings say what is wrong
in Frictionless's words, at Frictionless's row number. A blank row is only a `blank-row` (and a
`primary-key` finding when the key is null, as Frictionless reports it), and a cell with a type
error is not also reported against its constraints: the first finding stands for the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rareearths.checking.cell_checks import cell_findings
from rareearths.checking.findings import Finding
from rareearths.checking.scan_plan import OVERFLOW, Condition, ScanPlan
from rareearths.checking.schema_sql import type_label
from rareearths.opening.package_source import Resource


@dataclass
class RowResult:
    """What the failing rows say: the findings, and what the loader needs to place rows."""

    findings: list[Finding] = field(default_factory=list)
    spans: dict[int, int] = field(default_factory=dict)  # ordinal -> line breaks inside its cells
    comments: set[int] = field(default_factory=set)  # ordinals of comment rows
    blanks: set[int] = field(default_factory=set)  # ordinals of blank rows (all cells missing)
    type_errors: set[tuple[int, str]] = field(default_factory=set)  # (ordinal, field name)


Problems = dict[int, list[tuple[ScanPlan, dict[str, Any]]]]  # ordinal -> (group, its `p`) for each group
Cells = list[tuple[int, int, int, str | None]]  # (ordinal, group, condition, the cell's text) for cell conditions


def _message(cond: Condition, fname: str, ftype: str, value: str | None) -> str:
    chk = cond.check
    assert chk is not None
    return (f"{value!r} does not conform to the constraint {chk.constraint}={chk.detail!r} of {ftype} field "
            f"{fname!r}")  # fmt: skip


def _gather(
    parts: list[tuple[ScanPlan, dict[str, Any]]],
) -> tuple[list[Condition], dict[int, str | None], list[str | None], int]:
    """A row's broken conditions and raw cells (by column) from every group that reports it; its
    extra cells; and how many groups call it blank."""
    broken: list[Condition] = []
    raw: dict[int, str | None] = {}
    extras: list[str | None] = []
    blank = 0
    for plan, p in parts:
        here = [c for c, b in zip(plan.conditions, p["b"], strict=True) if b]
        broken += here
        blank += any(c.kind == "blank" for c in here)
        raw.update(zip(plan.cols, p["r"], strict=False))
        if plan.first:
            extras = [v for v in p["r"][len(plan.cols) :] if v is not None]
    return broken, raw, extras, blank


def _cell_finding(res: Resource, cond: Condition, row: int, value: str | None, fields: list[dict[str, Any]]) -> Finding:
    i = cond.field
    assert i is not None
    name = fields[i]["name"]
    if cond.kind == "type":
        return Finding(res.name, res.display_path, row, name, "type-error",
                       f"{value!r} is not a valid {type_label(fields[i])}", value)  # fmt: skip
    if cond.kind == "required":
        return Finding(res.name, res.display_path, row, name, "constraint-error",
                       f"field {name!r} is required but the cell is empty")  # fmt: skip
    return Finding(res.name, res.display_path, row, name, "constraint-error",
                   _message(cond, name, fields[i].get("type", "any"), value), value)  # fmt: skip


def read_rows(res: Resource, plans: list[ScanPlan], rows: Problems, row_of: Callable[[int], int],
              columns: list[str], cells: Cells = ()) -> RowResult:  # type: ignore[assignment]  # fmt: skip
    """Findings for the failing rows; `row_of` numbers them as Frictionless does; `columns` names the
    file's columns (the fields', then the header's for columns without a field). `cells` are the
    rows that break only conditions about single cells, one tuple per broken condition."""
    out = RowResult()
    n = plans[0].ncols
    fields = plans[0].fields
    names = [f["name"] for f in fields]
    for o, g, j, value in cells:
        cond = plans[g].conditions[j]
        out.findings.append(_cell_finding(res, cond, row_of(o), value, fields))
        if cond.kind == "type":
            out.type_errors.add((o, names[cond.field]))  # type: ignore[index]
    pk = res.schema.get("primaryKey", [])
    for ordinal, parts in rows.items():
        broken, raw, extras, blanks = _gather(parts)
        kinds = {c.kind for c in broken}
        if "comment" in kinds:
            out.comments.add(ordinal)
            continue
        row = row_of(ordinal)
        f = out.findings

        def add(type_: str, message: str, field_: str | None = None, value: str | None = None) -> None:
            f.append(Finding(res.name, res.display_path, row, field_, type_, message, value))  # noqa: B023

        if blanks == len(plans):
            out.blanks.add(ordinal)
            add("blank-row", "row is completely blank")
            if "pk-null" in kinds:
                add("primary-key", f"primary key ({', '.join(pk)}) is null", ",".join(pk))
            continue
        if "short" in kinds:
            cells = min(i for i, v in raw.items() if v is None)
            for pos in range(cells + 1, n + 1):
                name = columns[pos - 1] if pos <= len(columns) else None
                add("missing-cell", f"row has no cell for field {name!r} (column {pos})", name)
        for k, v in enumerate(extras):
            more = f" (and perhaps more: only the first {OVERFLOW} extra cells are read)" if k == OVERFLOW - 1 else ""
            add("extra-cell", f"row has an extra value in column {n + 1 + k}{more}", None, v)
        for cond in broken:
            i = cond.field
            if cond.kind in ("type", "required", "constraint"):
                f.append(_cell_finding(res, cond, row, raw.get(i) if i is not None else None, fields))
                if cond.kind == "type":
                    out.type_errors.add((ordinal, names[i]))  # type: ignore[index]
            elif cond.kind == "pk-null":
                add("primary-key", f"primary key ({', '.join(pk)}) is null", ",".join(pk))
            elif cond.kind == "cells":
                free, keys = cond.detail
                for i in sorted({*free, *keys}):
                    if raw.get(i):
                        f += cell_findings(res, row, names[i], raw[i] or "", i in keys)
    return out
