"""Values as a person reads them: money with its currency and scale (¥155.2bn, US$250m, A$1.25bn),
shares as percentages, dates at their precision (2011-03, 2010, c. 2010-09-21).

Pure functions of the CSV text; the pages keep the raw value for sorting and for the downloads.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

CURRENCY_SIGNS = {
    "USD": "US$",
    "AUD": "A$",
    "CAD": "C$",
    "JPY": "¥",
    "CNY": "CN¥",
    "EUR": "€",
    "GBP": "£",
    "KRW": "₩",
    "INR": "₹",
}
QUALIFIER_WORDS = {"about": "about ", "nearly": "nearly ", "up_to": "up to ", "at_least": "at least ", "exact": ""}
SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _plain(value: Decimal, places: int) -> str:
    """Thousands separators, at most `places` decimals, no trailing zeros."""
    text = f"{round(value, places):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: str, currency: str, qualifier: str = "") -> str:
    """`155200000000, JPY` -> `¥155.2bn`; `250000000, USD, up_to` -> `up to US$250m`."""
    value = _number(amount)
    if value is None:
        return amount
    sign = CURRENCY_SIGNS.get(currency, f"{currency} " if currency else "")
    for size, suffix in SCALES:
        if abs(value) >= size:
            text = _plain(value / size, 3) + suffix
            break
    else:
        text = _plain(value, 2)
    return QUALIFIER_WORDS.get(qualifier, "") + sign + text


def share(value: str, qualifier: str = "") -> str:
    """`0.796` -> `79.6%`; `1` -> `100%`; with a qualifier, `about 60%`."""
    number = _number(value)
    if number is None:
        return value
    return QUALIFIER_WORDS.get(qualifier, "") + _plain(number * 100, 1) + "%"


def dated(value: str, precision: str) -> str:
    """A date at the precision its `_precision` sibling states."""
    if not value:
        return value
    if precision == "year":
        return value[:4]
    if precision == "month":
        return value[:7]
    if precision == "approximate":
        return "c. " + value
    if precision == "on_or_before":
        return "on or before " + value
    return value


def is_share(field: dict) -> bool:
    """A number field constrained to 0..1 holds a share."""
    cons = field.get("constraints", {})
    upper = cons.get("maximum", cons.get("exclusiveMaximum"))
    return field.get("type") == "number" and cons.get("minimum") == 0 and upper == 1
