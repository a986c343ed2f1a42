"""The shape of a domain rule, for any package: a name, a severity, a reason, and a test.

Row rules compare fields of one row, written against ibis's table API and run as SQL (`rule_sql`); SQL rules need
joins. A rule runs only where its resource and columns exist, so a package that reuses a table
name with other columns is not judged by rules that were not written for it. Which rules exist
is the package's own business (`rareearths.dataset.rules`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rareearths.checking.findings import Finding, Severity, text_of

if TYPE_CHECKING:  # rules are written against ibis's API, but ibis is imported only to compile them
    import ibis.expr.types as ir


@dataclass(frozen=True)
class RowRule:
    """`ok(table)` is true (or null) for rows that satisfy the rule."""

    name: str
    resource: str
    field: str
    severity: Severity
    why: str
    columns: tuple[str, ...]
    ok: Callable[[ir.Table], ir.BooleanColumn]


@dataclass(frozen=True)
class SqlRule:
    """`sql` selects the offending rows as (_row, value[, note]) from the tables in `needs`."""

    name: str
    resource: str
    field: str
    severity: Severity
    why: str
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sql: str = ""


@dataclass(frozen=True)
class RuleSet:
    """The rules a package is checked against beyond its Table Schemas.

    `derived` makes SQL rules whose text depends on the package's own schemas (for example "a
    source no foreign key points at") or on its descriptor (for example a date the descriptor
    records); it gets the schemas by resource name, and the descriptor.
    """

    row: tuple[RowRule, ...] = ()
    sql: tuple[SqlRule, ...] = ()
    derived: tuple[Callable[[dict[str, dict], dict[str, Any]], list[SqlRule]], ...] = ()

    def all(self) -> list[RowRule | SqlRule]:
        return [*self.row, *self.sql]

    def sql_rules_for(self, schemas: dict[str, dict], descriptor: dict[str, Any] | None = None) -> list[SqlRule]:
        return [*self.sql, *(r for make in self.derived for r in make(schemas, descriptor or {}))]

    def row_rules_for(self, resource: str, columns: set[str]) -> list[RowRule]:
        return [r for r in self.row if r.resource == resource and set(r.columns) <= columns]


NO_RULES = RuleSet()


def rule_finding(rule: RowRule | SqlRule, resource: str, path: str, row: int | None, value: object,
                 note: str = "") -> Finding:  # fmt: skip
    """The finding a rule reports: named for the rule, with its severity and its reason."""
    message = f"{rule.why} ({note})" if note else rule.why
    return Finding(resource, path, row, rule.field, rule.name, message, text_of(value), rule.severity, rule.name)
