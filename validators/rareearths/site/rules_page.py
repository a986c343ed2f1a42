"""The validation rules page: the domain rules as the validator holds them, and the structural checks."""

from __future__ import annotations

from rareearths.checking.cell_checks import CELL_CHECKS
from rareearths.site.markup import cell, md_table

# The error types the validator reports before the domain rules, in the Frictionless vocabulary.
STRUCTURAL_CHECKS: tuple[tuple[str, str], ...] = (
    ("package-error", "the descriptor does not follow the Data Package profile (v1 spellings are accepted)"),
    ("schema-error", "a Table Schema is malformed: unknown type, bad constraint, key naming a missing field"),
    ("source-error", "a file cannot be read as CSV"),
    ("path-error", "a resource path is missing or leaves the package folder"),
    ("encoding-error", "a file is not valid UTF-8"),
    ("blank-label / duplicate-label", "a header cell is empty, or repeats another"),
    ("missing-label / extra-label / incorrect-label", "the header does not match the schema's fields"),
    ("blank-row", "a row has no values at all"),
    ("missing-cell / extra-cell", "a row has fewer or more cells than the header"),
    ("type-error", "a cell is not a value of its field's type and format"),
    ("constraint-error", "a value breaks required, enum, pattern, min/max, length or other constraints"),
    ("unique-error", "a unique field or unique key repeats"),
    ("primary-key", "the primary key is missing or repeats"),
    ("foreign-key", "a value has no matching row in the table it refers to"),
)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def rules_page(rules: list[dict[str, str]]) -> str:
    """`rules` as `rareearths rules --format json` gives them: name, table, field, severity, why."""
    rows = [
        [
            f"`{r['name']}`",
            f"[`{r['table']}`](dictionary/{r['table']}.md)",
            f"`{r['field']}`",
            r["severity"],
            cell(r["why"]),
        ]
        for r in rules
    ]
    errors = sum(1 for r in rules if r["severity"] == "error")
    return "\n".join(
        [
            "# Validation rules",
            "",
            "`rareearths validate` reports every finding in one run. It first checks structure, types, "
            "constraints and keys, naming each problem with the Frictionless error type, then the domain rules "
            "below. This page is generated from `rareearths.dataset.rules.all_rules()`, the list the validator runs "
            "(`rareearths rules` prints the same).",
            "",
            "## Structural checks",
            "",
            md_table(["Error type", "Reported when"], [[f"`{n}`", d] for n, d in STRUCTURAL_CHECKS]),
            "## Domain rules",
            "",
            f"{len(rules)} rules: {_n(errors, 'error')} (the package is invalid) and "
            f"{_n(len(rules) - errors, 'warning')} (reported; fatal only with `--strict`).",
            "",
            md_table(["Rule", "Table", "Field", "Severity", "Why"], rows),
            "## Checks on cell contents",
            "",
            "These apply to every table of any package (see [Bad input](../bad-input.md)).",
            "",
            md_table(
                ["Check", "Severity", "Why"],
                [[f"`{c.name}`", str(c.severity), cell(c.why)] for c in CELL_CHECKS],
            ),
        ]
    )
