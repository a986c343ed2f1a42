"""A finding is one problem in one place; validation collects them all, then reports."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from enum import StrEnum

MESSAGE_LIMIT = 500
VALUE_LIMIT = 200


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more characters)"


def text_of(value: object) -> str | None:
    """A cell value as a finding quotes it: dates in ISO 8601, null as None."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def _short(value: str | None) -> str | None:
    return value if value is None or len(value) <= VALUE_LIMIT else clip(value, VALUE_LIMIT)


@dataclass(frozen=True, order=True, init=False)
class Finding:
    """One problem. `row` counts as Frictionless does: the header is row 1.

    `key`, `suggestion` and `hint` are filled after validation (`enrich`): the row's primary key as
    `name=value` pairs, the value the cell probably meant ("did you mean"), and a sentence saying
    what is expected where no single value can be proposed.
    """

    resource: str | None
    path: str | None
    row: int | None
    field: str | None
    type: str
    message: str
    value: str | None = None
    severity: Severity = Severity.ERROR
    rule: str | None = None
    key: str | None = None
    suggestion: str | None = None
    hint: str | None = None

    def __init__(self, resource: str | None, path: str | None, row: int | None, field: str | None, type: str,
                 message: str, value: str | None = None, severity: Severity = Severity.ERROR,
                 rule: str | None = None, key: str | None = None, suggestion: str | None = None,
                 hint: str | None = None) -> None:  # fmt: skip
        # A finding quotes the offending value; a 200 MB line must not become a 200 MB report.
        # Written through __dict__, as a frozen instance may initialise itself: the generated
        # __init__ sets each field through object.__setattr__ (3.9 us a finding against 1.0, at
        # the 100,000 findings of a dirty 10M-row file).
        self.__dict__.update(
            resource=resource, path=path, row=row, field=field, type=type,
            message=message if len(message) <= MESSAGE_LIMIT else clip(message), value=_short(value),
            severity=severity, rule=rule, key=_short(key), suggestion=_short(suggestion), hint=hint,
        )  # fmt: skip

    def sort_key(self) -> tuple:
        return (self.path or "", self.row or 0, self.field or "", self.type, self.message)

    def to_dict(self) -> dict:
        # A copy of the instance's fields (in declaration order), not dataclasses.asdict: twenty
        # times faster, which counts at a million findings.
        d = dict(self.__dict__)
        d["severity"] = str(self.severity)
        return d

    def enriched(self, key: str | None, suggestion: str | None, hint: str | None, message: str | None) -> Finding:
        """This finding with what `enrich` adds (`message`: a plainer one, or None to keep it).

        A copy of the instance's fields rather than a new `__init__`: 0.5 us instead of 4 (10 with
        dataclasses.replace), which is a third of a second at the 100,000 findings of a dirty 10M
        rows; the new texts are clipped here as `__post_init__` would."""
        new = object.__new__(Finding)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(
            key=None if key is None else clip(key, VALUE_LIMIT),
            suggestion=None if suggestion is None else clip(suggestion, VALUE_LIMIT),
            hint=None if hint is None else clip(hint),
            message=self.message if message is None else clip(message),
        )
        return new


FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_SEVERITY = operator.attrgetter("severity")


def _count(findings: list[Finding], severity: Severity) -> int:
    """How many of `findings` have `severity`, counted in C (0.04 s at 100,000 findings, against 0.12 s
    for a list of errors)."""
    return operator.countOf(map(_SEVERITY, findings), severity)


@dataclass
class Report:
    """Every finding of one validation run, in file and row order."""

    target: str
    findings: list[Finding] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    unreadable: bool = False
    limit_errors: int | None = None  # set by `limited`: findings after this many errors are left out
    omitted_errors: int = 0
    omitted_warnings: int = 0
    in_order: bool = False  # `findings` are already sorted and without repeats (see `limited`)

    def add(self, items: list[Finding] | Finding) -> None:
        self.findings.extend(items if isinstance(items, list) else [items])
        self.in_order = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    def count(self, severity: Severity) -> int:
        return _count(self.findings, severity)

    def sorted(self) -> list[Finding]:
        """The findings in file and row order, each once. Repeats are dropped keeping the first (in
        the order found), and the findings, mostly in row order already, are then sorted: a third of
        the time of sorting the scrambled order of a set."""
        if self.in_order:
            return list(self.findings)
        return sorted(dict.fromkeys(self.findings), key=Finding.sort_key)

    def valid(self, strict: bool = False) -> bool:
        return not self.count(Severity.ERROR) and not (strict and self.count(Severity.WARNING))

    def limited(self, limit_errors: int | None) -> Report:
        """The report as `--limit-errors N` shows it (as frictionless does): every finding in file and
        row order up to the N-th error, and the count of those left out. The verdict is unchanged,
        since at least one error remains."""
        ordered = self.sorted()
        if limit_errors is None or _count(ordered, Severity.ERROR) <= limit_errors:
            return Report(self.target, ordered, dict(self.row_counts), self.unreadable, in_order=True)
        kept: list[Finding] = []
        errors = 0
        for f in ordered:
            if errors == limit_errors:
                break
            kept.append(f)
            errors += f.severity == Severity.ERROR
        rest = ordered[len(kept) :]
        omitted_errors = _count(rest, Severity.ERROR)
        return Report(self.target, kept, dict(self.row_counts), self.unreadable, limit_errors, omitted_errors,
                      len(rest) - omitted_errors, in_order=True)  # fmt: skip
