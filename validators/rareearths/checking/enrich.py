"""After validation, make each finding something a person can act on: the row's primary key, and
"did you mean" for enum and categories values, ISO 4217 currencies, foreign keys, dates and the
other types.

It runs once, on the connection the tables were loaded into, after every check, and its cost is
bounded by what is wrong, not by the size of the data: one query per resource with row findings
(its key values, by row number), one per foreign key with unmatched values (the closest existing
keys, ranked in DuckDB), and a little Python per distinct bad value, never per row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import duckdb

from rareearths.checking.findings import Finding
from rareearths.checking.schema_sql import DEFAULT_FALSE, DEFAULT_TRUE, ident, lit
from rareearths.opening.descriptor import categories
from rareearths.opening.package_source import Resource

CUTOFF = 0.6  # difflib's similarity a value needs to be proposed (its default)
MAX_VALUES = 1_000  # distinct bad values of one field that get advice; beyond that the column is broken
PAIR_BUDGET = 2_000_000  # bad values x referenced keys compared per foreign key (about 0.3 s in DuckDB)
CANDIDATES = 5  # closest keys by Jaro-Winkler in DuckDB, then ranked by difflib like every other suggestion


@dataclass(frozen=True)
class Advice:
    """What enrichment adds to a finding: a value to use, a sentence, or a plainer message."""

    suggestion: str | None = None
    hint: str | None = None
    message: str | None = None


Bucket = tuple[str | None, str | None, str, str | None]  # resource, field, type, rule


def enrich(con: duckdb.DuckDBPyConnection, resources: list[Resource], findings: list[Finding]) -> list[Finding]:
    """`findings` with `key`, `suggestion` and `hint` filled in where they can be."""
    if not findings:
        return findings
    by_name = {r.name: r for r in resources}
    keys = row_keys(con, by_name, findings)
    advice = _advice(con, by_name, findings)
    out = []
    for f in findings:
        key = keys.get((f.resource, f.row))
        tip = advice.get((f.resource, f.field, f.type, f.rule, f.value))
        if key is None and tip is None:
            out.append(f)
        elif tip is None:
            out.append(f.enriched(key, f.suggestion, f.hint, None))
        else:
            out.append(f.enriched(key, tip.suggestion, tip.hint, tip.message))
    return out


# --- The row's primary key -------------------------------------------------------------------


def row_keys(con: duckdb.DuckDBPyConnection, by_name: dict[str, Resource],
             findings: list[Finding]) -> dict[tuple[str, int], str]:  # fmt: skip
    """`name=value` of the primary key of every row some finding is about, by (resource, row)."""
    rows: dict[str, set[int]] = {}
    for f in findings:
        if f.resource in by_name and f.row is not None and f.row > 1:
            rows.setdefault(f.resource, set()).add(f.row)
    out: dict[tuple[str, int], str] = {}
    for name, wanted in rows.items():
        pk = by_name[name].schema.get("primaryKey") or []
        if not pk:
            continue
        # `name=value, ...`, written in SQL: Python string work per row costs more than the query.
        # The rows are matched by a semi-join (0.24 s at 93,000 of 10M rows, 0.34 s with IN).
        parts = " || ', ' || ".join(f"{lit(c + '=')} || coalesce(CAST({ident(c)} AS VARCHAR), '')" for c in pk)
        some = " OR ".join(f"{ident(c)} IS NOT NULL" for c in pk)
        sql = (f"SELECT _row, {parts} FROM {ident(name)} SEMI JOIN (SELECT unnest(?::BIGINT[]) AS o) AS __wanted "
               f"ON _row = __wanted.o WHERE ({some})")  # fmt: skip
        try:
            found = con.execute(sql, [list(wanted)]).fetchall()
        except duckdb.Error:  # the table was not loaded, or lacks a key column: no key to show
            continue
        out.update({(name, row): key for row, key in found})
    return out


# --- Which advice each finding gets ----------------------------------------------------------


def _advice(con: duckdb.DuckDBPyConnection, by_name: dict[str, Resource],
            findings: list[Finding]) -> dict[tuple, Advice]:  # fmt: skip
    """Advice by (resource, field, type, rule, value), computed once per distinct bad value."""
    values: dict[Bucket, dict[str, None]] = {}
    for f in findings:
        if f.value is not None and f.resource in by_name and f.field is not None:
            seen = values.setdefault((f.resource, f.field, f.type, f.rule), {})
            if len(seen) < MAX_VALUES:
                seen[f.value] = None
    out: dict[tuple, Advice] = {}
    for bucket, distinct in values.items():
        try:
            found = _bucket_advice(con, by_name, bucket, list(distinct))
        except (TypeError, ValueError, KeyError, AttributeError, duckdb.Error):
            # Advice is a courtesy: a schema odd enough to trip it (an enum of objects, a malformed
            # `categories`) is reported by the checks, and its findings simply go without.
            continue
        out.update({(*bucket, v): a for v, a in found.items()})
    return out


def _bucket_advice(con: duckdb.DuckDBPyConnection, by_name: dict[str, Resource], bucket: Bucket,
                   distinct: list[str]) -> dict[str, Advice]:  # fmt: skip
    resource, field_name, type_, rule = bucket
    res = by_name[resource or ""]
    if type_ == "foreign-key":
        return foreign_key_advice(con, res, by_name, field_name or "", distinct)
    field = next((f for f in res.schema["fields"] if f.get("name") == field_name), None)
    advise = _adviser(type_, rule, field)
    if advise is None:
        return {}
    return {v: a for v in distinct if (a := advise(v)) is not None}


def _adviser(type_: str, rule: str | None, field: dict | None) -> Callable[[str], Advice | None] | None:
    if rule is not None:
        return RULE_ADVICE.get(rule)
    if field is None:
        return None
    if type_ == "constraint-error":
        allowed = _allowed(field)
        if allowed is None:
            return None
        return lambda v: None if v in allowed else _did_you_mean(closest(v, allowed))
    if type_ == "type-error":
        return TYPE_ADVICE.get(field.get("type", "any"), lambda _f: None)(field)
    return None


def _allowed(field: dict) -> list[str] | None:
    """The values an `enum` or `categories` field allows, as text."""
    cons = field.get("constraints", {})
    values = cons.get("enum") if isinstance(cons.get("enum"), list) else categories(field)
    return None if values is None else [str(v) for v in values]


def _did_you_mean(value: str | None) -> Advice | None:
    return None if value is None else Advice(suggestion=value)


def _fold(text: str) -> str:
    """Case, spacing and separators do not count when matching: 'Price floor' ~ 'price_floor'."""
    return re.sub(r"[\s_\-]+", "_", text.strip().casefold())


def closest(value: str, allowed: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The allowed value `value` most probably meant: the same but for case and separators, else
    the closest by difflib's ratio (at least `cutoff`); None when nothing is close."""
    folded: dict[str, str] = {}
    for option in allowed:
        folded.setdefault(_fold(option), option)
    target = _fold(value)
    if target in folded:
        return folded[target] if folded[target] != value else None
    match = difflib.get_close_matches(target, list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else None


# --- Foreign keys ----------------------------------------------------------------------------


def foreign_key_advice(con: duckdb.DuckDBPyConnection, res: Resource, by_name: dict[str, Resource], field: str,
                       values: list[str]) -> dict[str, Advice]:  # fmt: skip
    """The closest existing key of the referenced table for each unmatched value.

    DuckDB ranks every (value, key) pair by Jaro-Winkler similarity and keeps a few candidates
    each, then difflib chooses among them. Pairs are capped: past the budget, the first values get
    advice and the rest none, so a broken column of a large table costs a bounded time.
    """
    fk = next((k for k in res.schema.get("foreignKeys", []) if ",".join(k["fields"]) == field), None)
    target = by_name.get(fk["reference"]["resource"]) if fk else None
    if fk is None or target is None:
        return {}
    ref = fk["reference"]["fields"]
    text = " || ', ' || ".join(f"coalesce(CAST({ident(c)} AS VARCHAR), '')" for c in ref)
    try:
        nkeys = con.execute(f"SELECT count(*) FROM {ident(target.name)}").fetchone()[0]
        values = values[: max(PAIR_BUDGET // max(nkeys, 1), 0)]
        if not values:
            return {}
        rows = con.execute(
            f"""WITH bad AS (SELECT DISTINCT unnest(?::VARCHAR[]) AS v),
                     keys AS (SELECT DISTINCT {text} AS k FROM {ident(target.name)})
                SELECT v, max_by(k, jaro_winkler_similarity(lower(v), lower(k)), {CANDIDATES})
                FROM bad CROSS JOIN keys GROUP BY v""",
            [values],
        ).fetchall()
    except duckdb.Error:
        return {}
    return {v: a for v, keys in rows if (a := _did_you_mean(closest(v, keys))) is not None}


# --- ISO 4217 currencies ---------------------------------------------------------------------

# Names and symbols people write for a currency, where CLDR's English names and symbols leave it
# ambiguous ('dollar', '¥') or do not have it ('RMB').
COMMON_CURRENCIES = {
    "dollar": "USD", "us$": "USD", "usd$": "USD", "$": "USD", "yen": "JPY", "¥": "JPY", "円": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "元": "CNY", "euro": "EUR", "pound": "GBP",
    "sterling": "GBP", "pound_sterling": "GBP", "won": "KRW", "rupee": "INR", "franc": "CHF",
    "real": "BRL", "ruble": "RUB", "rouble": "RUB", "lira": "TRY", "peso": "MXN", "c$": "CAD",
    "au$": "AUD", "ntd": "TWD", "nt$": "TWD", "rm": "MYR",
}  # fmt: skip
# The currencies most amounts are in, most used first: a mistyped code is matched against these
# only, since almost any three letters are one letter away from some code ('TEN' ~ 'BTN').
MAJOR_CURRENCIES = ("USD", "EUR", "JPY", "GBP", "CNY", "AUD", "CAD", "CHF", "KRW", "INR", "HKD", "SGD",
                    "SEK", "NOK", "DKK", "NZD", "BRL", "ZAR", "MXN", "RUB", "TWD", "MYR", "IDR", "THB")  # fmt: skip


@cache
def currency_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@cache
def currency_names() -> dict[str, str]:
    """Folded names, unit names and symbols -> code: CLDR's English names and symbols (babel), each
    unit name ('yen', 'euro') where only one currency has it, and `COMMON_CURRENCIES`."""
    from babel.numbers import get_currency_name, get_currency_symbol

    table: dict[str, str] = {}
    units: dict[str, set[str]] = {}
    for code in sorted(currency_codes()):
        name = get_currency_name(code, locale="en")
        table.setdefault(_fold(name), code)
        symbol = get_currency_symbol(code, locale="en")
        if symbol != code:
            table.setdefault(_fold(symbol), code)
        words = re.findall(r"[a-z]+", name.split("(")[0].lower())
        if words:
            units.setdefault(words[-1], set()).add(code)
    table.update({unit: codes.pop() for unit, codes in units.items() if len(codes) == 1})
    table.update(COMMON_CURRENCIES)
    return table


def currency_advice(value: str) -> Advice:
    """'YEN' -> JPY, 'jpy' -> JPY, '€' -> EUR, 'UDS' -> USD; the message says what is wrong."""
    message = f"{value!r} is not an ISO 4217 code"
    codes = currency_codes()
    text = value.strip()
    if text.upper() in codes:
        return Advice(text.upper(), message=message)
    names = currency_names()
    folded = _fold(text)
    code = names.get(folded) or (names.get(folded[:-1]) if folded.endswith("s") else None)
    if code is None and re.fullmatch(r"[A-Za-z]{3}", text):
        code = _closest_code(text.upper())
    return Advice(code, message=message)


def _closest_code(text: str) -> str | None:
    """The major currency a mistyped code means: two of its letters in order ('UDS', 'JYP', 'JPN'),
    the most used first among equals."""
    scored = [(difflib.SequenceMatcher(None, text, c).ratio(), -i, c) for i, c in enumerate(MAJOR_CURRENCIES)]
    ratio, _, code = max(scored)
    return code if ratio >= CUTOFF else None


# Rules whose findings get advice, by rule name (a package's own rules can add theirs).
RULE_ADVICE: dict[str, Callable[[str], Advice | None]] = {"currency-iso4217": currency_advice}


# --- Dates, datetimes, booleans, numbers -----------------------------------------------------

# English whatever the locale (calendar.month_name follows LC_TIME).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip
MONTHS = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
PLACEHOLDERS = {"n/a", "na", "nan", "null", "none", "nil", "-", "--", "?", "unknown", "tbd", "missing"}
NUMERIC_DIRECTIVES = set("YmdyjHMSfz%")


def _placeholder(value: str) -> Advice | None:
    if value.strip().lower() in PLACEHOLDERS:
        return Advice(hint=f"if {value!r} means no value, leave the cell empty or add {value!r} to missingValues")
    return None


def _readings(text: str) -> list[tuple[int, int, int]]:
    """(year, month, day) readings of a written date, most likely first; two when ambiguous."""
    if m := re.fullmatch(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})(?:[T ].*)?", text):
        return [(int(m[1]), int(m[2]), int(m[3]))]
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text):
        return [(int(m[1]), int(m[2]), int(m[3]))]
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        day_first, month_first = (y, b, a), (y, a, b)
        if a > 12 or a == b:
            return [day_first]
        return [month_first] if b > 12 else [day_first, month_first]
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,})\.?,?[ -](\d{4})", text):
        month = MONTHS.get(m[2][:3].lower())
        return [(int(m[3]), month, int(m[1]))] if month else []
    if m := re.fullmatch(r"([A-Za-z]{3,})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", text):
        month = MONTHS.get(m[1][:3].lower())
        return [(int(m[3]), month, int(m[2]))] if month else []
    return []


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _write(day: dt.date, fmt: str) -> str | None:
    """`day` in a strptime-style format, when it only has numeric directives (locale-free)."""
    if set(re.findall(r"%(.)", fmt)) <= NUMERIC_DIRECTIVES:
        return day.strftime(fmt)
    return None


def date_advice(field: dict) -> Callable[[str], Advice | None]:
    fmt = field.get("format") or "default"
    pattern = "%Y-%m-%d" if fmt in ("default", "any") else fmt
    expected = "YYYY-MM-DD" if pattern == "%Y-%m-%d" else f"in the format {fmt!r}"

    def advise(value: str) -> Advice | None:
        readings = _readings(value.strip())
        days = list(dict.fromkeys(d for r in readings if (d := _date(*r)) is not None))
        if len(days) == 1 and (written := _write(days[0], pattern)) and written != value:
            return Advice(suggestion=written)
        if len(days) > 1:
            a, b = (_write(d, pattern) or d.isoformat() for d in days[:2])
            return Advice(hint=f"dates are written {expected}: is it {a} or {b}?")
        if readings and not days:
            y, m, d = readings[0]
            if 1 <= m <= 12:
                month = f"{MONTH_NAMES[m - 1]} {y}"
                return Advice(hint=f"{month} has {calendar.monthrange(y, m)[1]} days, not {d}")
            return Advice(hint=f"there is no month {m}; dates are written {expected}")
        return _placeholder(value) or Advice(hint=f"dates are written {expected}")

    return advise


def datetime_advice(field: dict) -> Callable[[str], Advice | None]:
    fmt = field.get("format") or "default"
    iso = "YYYY-MM-DDThh:mm:ss, with Z or +hh:mm for the time zone"

    def advise(value: str) -> Advice | None:
        if fmt not in ("default", "any"):
            return _placeholder(value) or Advice(hint=f"datetimes are written in the format {fmt!r}")
        text = value.strip()
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?", text)
        if m and _date(*map(int, m[1].split("-"))):
            fixed = f"{m[1]}T{m[2]}{m[3] or ':00'}{m[4] or ''}"
            if fixed != value:
                return Advice(suggestion=fixed)
        if _readings(text) and not m:
            return Advice(hint=f"a datetime needs a time of day: {iso}")
        return _placeholder(value) or Advice(hint=f"datetimes are written {iso}")

    return advise


def boolean_advice(field: dict) -> Callable[[str], Advice | None]:
    trues = [str(v) for v in field.get("trueValues", DEFAULT_TRUE)]
    falses = [str(v) for v in field.get("falseValues", DEFAULT_FALSE)]

    def advise(value: str) -> Advice | None:
        match = closest(value, [*trues, *falses])
        if match is not None:
            return Advice(suggestion=match)
        return _placeholder(value) or Advice(hint=f"true is written {'/'.join(trues)}, false {'/'.join(falses)}")

    return advise


def number_advice(field: dict) -> Callable[[str], Advice | None]:
    """'1,234.5' -> 1234.5 (well-formed thousands groups only: '125,000,0000' gets nothing),
    '7.0' -> 7 for an integer, surrounding spaces dropped."""
    integer = field.get("type") == "integer"
    point = field.get("decimalChar", ".")
    fraction = "" if integer else rf"({re.escape(point)}[0-9]*)?"
    plain = r"[+-]?[0-9]+" if integer else rf"[+-]?([0-9]+{fraction}|{re.escape(point)}[0-9]+)([eE][+-]?[0-9]+)?"
    separators = [] if field.get("groupChar") else [g for g in (",", " ", "\u00a0", "'", "_") if g != point]

    def advise(value: str) -> Advice | None:
        text = value.strip()
        for sep in separators:
            if re.fullmatch(rf"[+-]?[0-9]{{1,3}}({re.escape(sep)}[0-9]{{3}})+{fraction}", text):
                return Advice(suggestion=text.replace(sep, ""), hint=f"or declare groupChar {sep!r} in the field")
        if integer and (m := re.fullmatch(rf"([+-]?[0-9]+){re.escape(point)}0*", text)):
            return Advice(suggestion=m[1])
        if text != value and re.fullmatch(plain, text):
            return Advice(suggestion=text)
        return _placeholder(value)

    return advise


TYPE_ADVICE: dict[str, Callable[[dict], Callable[[str], Advice | None]]] = {
    "date": date_advice,
    "datetime": datetime_advice,
    "boolean": boolean_advice,
    "integer": number_advice,
    "number": number_advice,
}
