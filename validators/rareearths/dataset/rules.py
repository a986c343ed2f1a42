"""This package's domain rules: what must hold beyond types and keys, each with a name, a severity
and the reason it exists (`rareearths rules` lists them; each has a counterexample fixture)."""

from __future__ import annotations

from functools import cache

import ibis.expr.types as ir

from rareearths.checking.findings import Severity
from rareearths.checking.rules import RowRule, RuleSet, SqlRule
from rareearths.checking.schema_sql import ident

FACT_TABLES = ("dependency_ratios", "deals", "deal_parties", "export_controls", "control_items", "control_links")


@cache
def iso4217() -> tuple[str, ...]:
    """Current ISO 4217 codes, from the CLDR data shipped with babel (no hand-kept list)."""
    from babel.numbers import list_currencies

    return tuple(sorted(list_currencies()))


def _implies(cond: ir.BooleanValue, then: ir.BooleanValue) -> ir.BooleanValue:
    return (~cond.fill_null(False)) | then.fill_null(False)


E, W = Severity.ERROR, Severity.WARNING

ROW_RULES: list[RowRule] = [
    RowRule("range-ordered", "dependency_ratios", "value_low", E,
            "A range's low end cannot exceed its high end.",
            ("value_low", "value_high"), lambda t: t.value_low <= t.value_high),
    RowRule("value-within-range", "dependency_ratios", "value", E,
            "A figure reported with a range must lie inside it.",
            ("value", "value_low", "value_high"),
            lambda t: (t.value >= t.value_low) & (t.value <= t.value_high)),
    RowRule("value-kind-stated", "dependency_ratios", "value", E,
            "A figure marked as stated must have a value.",
            ("value", "value_kind"), lambda t: _implies(t.value_kind == "stated", t.value.notnull())),
    RowRule("value-kind-range", "dependency_ratios", "value", E,
            "A range-only figure keeps both ends and no invented point value.",
            ("value", "value_low", "value_high", "value_kind"),
            lambda t: _implies(t.value_kind == "range",
                               t.value.isnull() & t.value_low.notnull() & t.value_high.notnull())),
    RowRule("value-kind-midpoint", "dependency_ratios", "value", E,
            "A midpoint value must be the midpoint of the stated range, so it is never mistaken for a figure.",
            ("value", "value_low", "value_high", "value_kind"),
            lambda t: _implies(t.value_kind == "midpoint",
                               ((t.value - (t.value_low + t.value_high) / 2).abs() < 1e-9))),
    RowRule("period-ordered", "dependency_ratios", "period_end", E,
            "A period cannot end before it starts.",
            ("period_start", "period_end"), lambda t: t.period_end >= t.period_start),
    RowRule("effective-after-announced", "export_controls", "effective_on", E,
            "A measure cannot take effect before it was announced.",
            ("effective_on", "announced_on"), lambda t: t.effective_on >= t.announced_on),
    RowRule("ended-after-effective", "export_controls", "ended_on", E,
            "A measure cannot end before it took effect.",
            ("ended_on", "effective_on", "announced_on"),
            lambda t: t.ended_on >= t.effective_on.coalesce(t.announced_on)),
    RowRule("amount-has-currency", "deals", "currency", E,
            "An amount means nothing without its currency, and a currency without an amount is a slip.",
            ("amount", "currency"), lambda t: t.amount.isnull() == t.currency.isnull()),
    RowRule("currency-iso4217", "deals", "currency", E,
            "Currencies are ISO 4217 codes so that amounts can be converted and compared.",
            ("currency",), lambda t: t.currency.isin(list(iso4217()))),
    RowRule("usd-amount-documented", "deals", "amount_usd", E,
            "A US-dollar figure for a non-dollar deal must say how it was converted.",
            ("amount_usd", "currency", "usd_conversion"),
            lambda t: _implies(t.amount_usd.notnull(), (t.currency == "USD") | t.usd_conversion.notnull())),
    RowRule("deal-not-own-parent", "deals", "parent_deal_id", E,
            "A deal cannot extend itself.", ("deal_id", "parent_deal_id"), lambda t: t.parent_deal_id != t.deal_id),
    RowRule("link-window-ordered", "control_links", "valid_until", E,
            "A relation cannot end before it starts.",
            ("valid_from", "valid_until"), lambda t: t.valid_until >= t.valid_from),
    RowRule("link-not-to-self", "control_links", "to_control_id", E,
            "A notice does not suspend or amend itself.",
            ("from_control_id", "to_control_id"), lambda t: t.from_control_id != t.to_control_id),
    RowRule("code-item-has-code", "control_items", "item_type", E,
            "A control-code or customs-code item is only useful with its code.",
            ("item_type", "control_code", "customs_code"),
            lambda t: _implies(t.item_type == "control_code", t.control_code.notnull())
            & _implies(t.item_type == "customs_code", t.customs_code.notnull())),
    RowRule("element-item-has-material", "control_items", "material_id", E,
            "An element item must name the element, so that 'which notices cover Dy' can be answered.",
            ("item_type", "material_id"), lambda t: _implies(t.item_type == "element", t.material_id.notnull())),
    RowRule("element-has-symbol", "materials", "element_symbol", E,
            "An element is identified by its symbol and atomic number; other materials have neither.",
            ("material_class", "element_symbol", "atomic_number"),
            lambda t: (t.material_class == "element")
            == (t.element_symbol.notnull() & t.atomic_number.notnull())),
] + [
    RowRule("high-confidence-has-quote", res, "quote", E,
            "High confidence means the words were read in the source, so they must be quoted.",
            ("confidence", "quote"), lambda t: _implies(t.confidence == "high", t.quote.notnull()))
    for res in FACT_TABLES
]  # fmt: skip

SQL_RULES: list[SqlRule] = [
    SqlRule("suspension-after-announcement", "control_links", "valid_from", E,
            "A notice cannot be suspended before it was announced.",
            {"control_links": ("relation", "to_control_id", "valid_from"),
             "export_controls": ("control_id", "announced_on")},
            """SELECT l._row, CAST(l.valid_from AS VARCHAR) FROM control_links l
               JOIN export_controls c ON c.control_id = l.to_control_id
               WHERE l.relation = 'suspends' AND l.valid_from < c.announced_on"""),
    SqlRule("element-item-is-element", "control_items", "material_id", E,
            "An element item must point at a material of class element.",
            {"control_items": ("item_type", "material_id"), "materials": ("material_id", "material_class")},
            """SELECT i._row, i.material_id FROM control_items i
               JOIN materials m ON m.material_id = i.material_id
               WHERE i.item_type = 'element' AND m.material_class <> 'element'"""),
] + [
    SqlRule("quote-translated", res, "quote_en", E,
            "A quote not in English needs an English translation beside it, so every reader can check it.",
            {res: ("source_id", "quote", "quote_en"), "sources": ("source_id", "language")},
            f"""SELECT f._row, f.quote FROM {res} f JOIN sources s ON s.source_id = f.source_id
                WHERE f.quote IS NOT NULL AND f.quote_en IS NULL AND s.language NOT LIKE 'en%'""")
    for res in FACT_TABLES
]  # fmt: skip

UNUSED_SOURCE_WHY = "A source that no row cites is either a leftover or a fact not yet entered."


def unused_source_rules(schemas: dict[str, dict]) -> list[SqlRule]:
    """Sources that no foreign key in the package points at (the citing tables come from the schemas)."""
    cited = [  # NOT IN over a list holding a NULL is never true: keep only the keys that are there
        f"SELECT {ident(fk['fields'][0])} FROM {ident(name)} WHERE {ident(fk['fields'][0])} IS NOT NULL"
        for name, schema in schemas.items() if name != "sources"
        for fk in schema["foreignKeys"]
        if fk["reference"]["resource"] == "sources" and fk["reference"]["fields"] == ["source_id"]
    ]  # fmt: skip
    if "sources" not in schemas or not cited:
        return []
    needs = {"sources": ("source_id",)}
    sql = (f"SELECT _row, source_id, source_id || ' is not cited' FROM sources "
           f"WHERE source_id NOT IN ({' UNION '.join(cited)}) ORDER BY _row")  # fmt: skip
    return [SqlRule("source-not-cited", "sources", "source_id", W, UNUSED_SOURCE_WHY, needs, sql)]


RULES = RuleSet(tuple(ROW_RULES), tuple(SQL_RULES), (unused_source_rules,))


def all_rules() -> list[RowRule | SqlRule]:
    """Every rule, for `rareearths rules` and the docs."""
    return [*RULES.all(), SqlRule("source-not-cited", "sources", "source_id", W, UNUSED_SOURCE_WHY)]
