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


def _message(cond: Condition, fname: str, ftype: str, value: str | None) -> str:
    chk = cond.check
    assert chk is not None
    return (f"{value!r} does not conform to the constraint {chk.constraint}={chk.detail!r} of {ftype} field "
            f"{fname!r}")  # fmt: skip


def read_rows(res: Resource, plan: ScanPlan, rows: list[tuple[int, dict[str, Any]]], row_of: Callable[[int], int],
              fk_text: Callable[[dict[str, Any]], str]) -> RowResult:  # fmt: skip
    """Findings for the failing rows `(ordinal, p)`; `row_of` numbers them as Frictionless does."""
    out = RowResult()
    n = plan.ncols
    fields = plan.fields
    names = [f["name"] for f in fields]
    conds = plan.conditions
    pk = res.schema.get("primaryKey", [])
    for ordinal, p in rows:
        flags, raw = p["b"], p["r"]
        broken = [conds[j] for j, b in enumerate(flags) if b]
        kinds_here = {c.kind for c in broken}
        if "newline" in kinds_here:
            out.spans[ordinal] = sum(v.count("\n") for v in raw[:n] if v)
        if "comment" in kinds_here:
            out.comments.add(ordinal)
            continue
        row = row_of(ordinal)
        f = out.findings

        def add(type_: str, message: str, field_: str | None = None, value: str | None = None) -> None:
            f.append(Finding(res.name, res.display_path, row, field_, type_, message, value))  # noqa: B023

        if "blank" in kinds_here:
            out.blanks.add(ordinal)
            add("blank-row", "row is completely blank")
            if "pk-null" in kinds_here:
                add("primary-key", f"primary key ({', '.join(pk)}) is null", ",".join(pk))
            continue
        cells = sum(1 for v in raw[:n] if v is not None)
        if "short" in kinds_here:
            for pos in range(cells + 1, n + 1):
                name = names[pos - 1] if pos <= len(names) else None
                add("missing-cell", f"row has no cell for field {name!r} (column {pos})", name)
        if "extra" in kinds_here:
            extras = [v for v in raw[n:] if v is not None]
            for k, v in enumerate(extras):
                last = k == OVERFLOW - 1
                more = f" (and perhaps more: only the first {OVERFLOW} extra cells are read)" if last else ""
                add("extra-cell", f"row has an extra value in column {n + 1 + k}{more}", None, v)
        for cond in broken:
            i = cond.field
            if cond.kind == "type":
                assert i is not None
                add("type-error", f"{raw[i]!r} is not a valid {type_label(fields[i])}", names[i], raw[i])
                out.type_errors.add((ordinal, names[i]))
            elif cond.kind == "required":
                assert i is not None
                add("constraint-error", f"field {names[i]!r} is required but the cell is empty", names[i])
            elif cond.kind == "constraint":
                assert i is not None
                add("constraint-error", _message(cond, names[i], fields[i].get("type", "any"), raw[i]), names[i],
                    raw[i])  # fmt: skip
            elif cond.kind == "pk-null":
                add("primary-key", f"primary key ({', '.join(pk)}) is null", ",".join(pk))
            elif cond.kind == "fk":
                fk = cond.detail
                key = ", ".join(raw[i] or "" for i in fk["positions"])
                add("foreign-key", f"({key}) is not a value of {fk_text(fk)}", ",".join(fk["fields"]), key)
            elif cond.kind == "cells":
                free, keys = cond.detail
                for i in sorted({*free, *keys}):
                    if raw[i]:
                        f += cell_findings(res, row, names[i], raw[i], i in keys)
    return out
