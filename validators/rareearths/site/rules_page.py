"""The validation rules page: the domain rules as the validator holds them, the structural checks,
and how far the validator agrees with Frictionless (from the conformance suite's own files)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rareearths.checking.cell_checks import CELL_CHECKS
from rareearths.site.markup import cell, code, md_table

CONFORMANCE = Path("tests") / "conformance"


@dataclass(frozen=True)
class Conformance:
    """The conformance suite's record: the cases frictionless answered (`golden.json`), and the
    ones where we differ on purpose or by a known defect (`differences.json`, kind and reason).
    The test suite holds it true: a case not listed agrees exactly, a listed one does not."""

    cases: tuple[str, ...]
    differences: dict[str, dict[str, str]]
    reference: str

    @property
    def datasets(self) -> list[str]:
        """The real-world packages among the cases (`datasets/<name>/datapackage.json`)."""
        return [c.split("/")[1] for c in self.cases if c.startswith("datasets/")]

    @property
    def agreeing(self) -> int:
        return len(set(self.cases) - set(self.differences))

    def listed(self, kind: str) -> dict[str, str]:
        """Case -> reason, for the differences of one kind, in case order."""
        return {c: e["reason"] for c, e in sorted(self.differences.items()) if e["kind"] == kind}


def load_conformance(root: Path) -> Conformance | None:
    """The record under `root/tests/conformance/`, or None where the suite is not there."""
    folder = root / CONFORMANCE
    try:
        golden = json.loads((folder / "golden.json").read_text(encoding="utf-8"))
        differences = json.loads((folder / "differences.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        provenance = (folder / "frictionless" / "PROVENANCE.md").read_text(encoding="utf-8")
    except OSError:
        provenance = ""
    version = re.search(r"frictionless-py (\d+(?:\.\d+)+)", provenance)
    cases = tuple(sorted(c for c, answer in golden.items() if "describe_error" not in answer))
    return Conformance(cases, {c: e for c, e in differences.items() if c in cases},
                       f"frictionless-py {version[1]}" if version else "frictionless-py")  # fmt: skip


def conformance_section(result: Conformance | None) -> list[str]:
    """The page's section on agreement with Frictionless, every intended difference with its reason."""
    out = ["## Agreement with Frictionless", ""]
    if result is None:
        return [*out, "The conformance suite (`tests/conformance/`) is not part of this copy of the package.", ""]
    n, agree = len(result.cases), result.agreeing
    intended, defects = result.listed("intended"), result.listed("defect")
    real = (f", and {len(result.datasets)} real-world packages ({', '.join(map(code, result.datasets))}, vendored "
            "in `tests/conformance/datasets/`), each validated as published") if result.datasets else ""  # fmt: skip
    out += [
        f"`rareearths validate` and `frictionless validate` ({result.reference}) were run on the same {n} cases: "
        "the test fixtures of frictionless-py (its `data/` folder, vendored in `tests/conformance/frictionless/`), "
        f"each validated as the data package or resource `frictionless describe` gives for it{real}.",
        "",
        f"**Exact agreement: {agree} of {n} cases ({agree / n:.0%})**: the same verdict and the same errors, "
        "compared by type, row and field. Every other case is listed below, either as an intended difference "
        "with its reason or as a known defect. The test suite (`tests/test_conformance.py`) holds this page "
        "true: a case not listed must agree, and a listed case that starts to agree fails the suite until it is "
        "taken off the list (`tests/conformance/differences.json`, from which this section is generated).",
        "",
        f"### Intended differences ({len(intended)})",
        "",
    ]
    if intended:
        out.append(md_table(["Case", "Why we differ"], [[code(c), cell(r)] for c, r in intended.items()]))
    else:
        out += ["None.", ""]
    out += [f"### Known defects ({len(defects)})", ""]
    if defects:
        out += ["Differences that are ours to fix, by reason:", ""]
        reasons = Counter(defects.values())
        out.append(md_table(["Reason", "Cases"], [[cell(r), str(k)] for r, k in sorted(reasons.items())]))
    else:
        out += ["None.", ""]
    return out


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


def rules_page(rules: list[dict[str, str]], conformance: Conformance | None = None) -> str:
    """`rules` as `rareearths rules --format json` gives them: name, table, field, severity, why;
    `conformance` as `load_conformance` reads it."""
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
            *conformance_section(conformance),
        ]
    )
