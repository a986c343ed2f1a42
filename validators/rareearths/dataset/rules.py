"""This package's domain rules: what must hold beyond types and keys, each with a name, a severity
and the reason it exists (`rareearths rules` lists them; each has a counterexample fixture)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Any

from rareearths.checking.findings import Severity
from rareearths.checking.rules import RowRule, RuleSet, SqlRule
from rareearths.checking.schema_sql import ident, lit

if TYPE_CHECKING:  # rules are written against ibis's API; the SQL translator runs them without it
    import ibis.expr.types as ir

FACT_TABLES = ("dependency_ratios", "deals", "deal_parties", "export_controls", "control_items", "control_links",
               "entity_listings")  # fmt: skip
# Dates that can be partial, each with its `<date>_precision` sibling.
PARTIAL_DATES = (("sources", "published_on"), ("deals", "announced_on"), ("export_controls", "announced_on"),
                 ("export_controls", "effective_on"), ("export_controls", "ended_on"))  # fmt: skip
# Dates of re-reading, never after the package's evidence horizon.
CHECK_DATES = tuple((t, "checked_on") for t in (*FACT_TABLES, "claims")) + (("sources", "accessed_on"),)
# Words that hedge a figure (SPEC-2.0: about, nearly, up to, at least, and 約/約當).
HEDGE = r"(?i)\b(about|around|approximately|roughly|nearly|almost|up to|as much as|at least|more than)\b|約"
PUBLIC_TYPES = ("government", "ministry", "agency", "state_enterprise", "public_fund", "military")
FUNDING_ROLES = ("lender", "investor", "grantor", "offtaker", "guarantor", "government")
RELAXATIONS = ("suspension", "licence_facilitation")


@cache
def iso4217() -> tuple[str, ...]:
    """Current ISO 4217 codes, from the CLDR data shipped with babel (no hand-kept list)."""
    from babel.numbers import list_currencies

    return tuple(sorted(list_currencies()))


def _implies(cond: ir.BooleanValue, then: ir.BooleanValue) -> ir.BooleanValue:
    return (~cond.fill_null(False)) | then.fill_null(False)


def _latest(day: str, precision: str) -> str:
    """SQL for the latest day a date of this precision can stand for (a month's last day, 31 December)."""
    return (f"CASE {precision} WHEN 'month' THEN last_day({day}) "
            f"WHEN 'year' THEN make_date(year({day}), 12, 31) ELSE {day} END")  # fmt: skip


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(lit(v) for v in values)


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
            "An official measure cannot take effect before it was announced (a reported practice can begin "
            "before the first report of it).",
            ("effective_on", "announced_on", "certainty"),
            lambda t: _implies(t.certainty == "official",
                               t.effective_on.isnull() | (t.effective_on >= t.announced_on))),
    RowRule("ended-after-effective", "export_controls", "ended_on", E,
            "A measure cannot end before it took effect.",
            ("ended_on", "effective_on", "announced_on"),
            lambda t: t.ended_on >= t.effective_on.coalesce(t.announced_on)),
    RowRule("measure-class-agrees", "export_controls", "measure_class", E,
            "Suspensions and licence facilitation ease other measures, so they are relaxations and everything "
            "else is a restriction: 'in force' lists restrictions, and a relaxation among them would count "
            "a suspension as a control.",
            ("measure_class", "measure_type"),
            lambda t: (t.measure_class == "relaxation") == t.measure_type.isin(list(RELAXATIONS))),
    RowRule("reported-not-official", "export_controls", "certainty", E,
            "A practice known only from media reports (an informal embargo) is not an official measure, and a "
            "numbered notice is published, so it is not merely reported: certainty decides whether a measure "
            "can ever be shown as in force.",
            ("certainty", "measure_type", "doc_number_original", "doc_number_en"),
            lambda t: ~((t.certainty == "official") & (t.measure_type == "informal_embargo")).fill_null(False)
            & _implies(t.certainty == "reported", t.doc_number_original.isnull() & t.doc_number_en.isnull())),
    RowRule("amount-has-currency", "deals", "currency", E,
            "An amount means nothing without its currency, and a currency without an amount is a slip.",
            ("amount", "currency"), lambda t: t.amount.isnull() == t.currency.isnull()),
    RowRule("amount-has-qualifier", "deals", "amount_qualifier", E,
            "Totals add only exact, about and nearly amounts and keep up_to and at_least apart, so an amount "
            "without its qualifier would silently fall out of every total.",
            ("amount", "amount_qualifier"), lambda t: t.amount.isnull() == t.amount_qualifier.isnull()),
    RowRule("exact-amount-not-hedged", "deals", "amount_qualifier", E,
            "An amount the source hedges ('about', 'around', 'approximately', 'up to', 約, 約當 ...) is not exact: "
            "marking it exact would add a ceiling or an estimate to totals as if it were a sum of money.",
            ("amount", "amount_qualifier", "quote", "notes"),
            lambda t: ~(t.amount.notnull() & (t.amount_qualifier == "exact")
                        & (t.quote.fill_null("") + " " + t.notes.fill_null("")).re_search(HEDGE)).fill_null(False)),
    RowRule("public-funder-named", "deals", "funder_code", E,
            "Public and multilateral money is counted by the jurisdiction that gives it, so it must name it; only "
            "private money whose investors the source does not name may leave funder_code empty.",
            ("funder_code", "funder_sector"),
            lambda t: _implies(t.funder_sector.isin(["public", "multilateral"]), t.funder_code.notnull())),
    RowRule("currency-iso4217", "deals", "currency", E,
            "Currencies are ISO 4217 codes so that amounts can be converted and compared.",
            ("currency",), lambda t: t.currency.isin(list(iso4217()))),
    RowRule("usd-amount-documented", "deals", "amount_usd", E,
            "A US-dollar figure for a non-dollar deal must say how it was converted.",
            ("amount_usd", "currency", "usd_conversion"),
            lambda t: _implies(t.amount_usd.notnull(), (t.currency == "USD") | t.usd_conversion.notnull())),
    RowRule("deal-not-own-parent", "deals", "parent_deal_id", E,
            "A deal cannot extend itself.", ("deal_id", "parent_deal_id"), lambda t: t.parent_deal_id != t.deal_id),
    RowRule("parent-relation-iff-parent", "deals", "parent_relation", E,
            "How a row relates to its parent (increment, replaces, tranche, extension, amendment) decides whether "
            "its money is added, so a row with a parent must say it, and a row without one cannot.",
            ("parent_deal_id", "parent_relation"), lambda t: t.parent_deal_id.isnull() == t.parent_relation.isnull()),
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
    RowRule("hs6-is-customs-prefix", "control_items", "hs6", E,
            "The HS subheading is the first six digits of the customs code; kept beside it so that items can be "
            "matched with trade statistics, it must never disagree with it.",
            ("hs6", "customs_code"),
            lambda t: (t.hs6.isnull() == t.customs_code.isnull())
            & (t.hs6.isnull() | (t.hs6 == t.customs_code.substr(0, 6))).fill_null(False)),
    RowRule("element-item-has-material", "control_items", "material_id", E,
            "An element item must name the element, so that 'which notices cover Dy' can be answered.",
            ("item_type", "material_id"), lambda t: _implies(t.item_type == "element", t.material_id.notnull())),
    RowRule("element-has-symbol", "materials", "element_symbol", E,
            "An element is identified by its symbol and atomic number; other materials have neither.",
            ("material_class", "element_symbol", "atomic_number"),
            lambda t: (t.material_class == "element")
            == (t.element_symbol.notnull() & t.atomic_number.notnull())),
    RowRule("url-note-when-no-url", "sources", "url_note", E,
            "A source without an address must say why (print only, paywalled, not found), so that a reader knows "
            "whether it can be checked at all.",
            ("url", "url_note"), lambda t: t.url.notnull() | t.url_note.notnull()),
    RowRule("listing-removed-after-listed", "entity_listings", "removed_on", E,
            "An entity is removed from a list only after it was put on it.",
            ("listed_on", "removed_on"), lambda t: t.removed_on > t.listed_on),
    RowRule("claim-evidence-one-row", "claim_evidence", "ratio_id", E,
            "A piece of evidence points at one data row (a figure, a deal or a measure) or at none, so that each "
            "claim's support can be followed to exactly what supports it.",
            ("ratio_id", "deal_id", "control_id"),
            lambda t: t.ratio_id.notnull().cast("int8") + t.deal_id.notnull().cast("int8")
            + t.control_id.notnull().cast("int8") <= 1),
] + [
    RowRule("high-confidence-has-quote", res, "quote", E,
            "High confidence means the words were read in the source, so they must be quoted.",
            ("confidence", "quote"), lambda t: _implies(t.confidence == "high", t.quote.notnull()))
    for res in FACT_TABLES
] + [
    RowRule("date-has-precision", res, f"{col}_precision", E,
            "A date that can be partial says how precise it is (day, month, year, approximate, on_or_before), so "
            "that a month or a placeholder is never read as an exact day; a precision without a date is a slip.",
            (col, f"{col}_precision"),
            lambda t, col=col: t[col].isnull() == t[f"{col}_precision"].isnull())
    for res, col in PARTIAL_DATES
] + [
    RowRule("partial-date-on-first-day", res, col, E,
            "A month date is stored as the 1st of the month and a year date as 1 January, so that sorting and "
            "filtering by date never place a partial date later than it can be.",
            (col, f"{col}_precision"),
            lambda t, col=col: _implies(t[f"{col}_precision"] == "month", t[col].day() == 1)
            & _implies(t[f"{col}_precision"] == "year", (t[col].month() == 1) & (t[col].day() == 1)))
    for res, col in PARTIAL_DATES
]  # fmt: skip

FACT_DATES = (  # (table, date of the fact, column naming its source)
    ("deals", "announced_on", "source_id"),
    ("export_controls", "announced_on", "source_id"),
    ("entity_listings", "listed_on", "source_id"),
    ("claims", "claimed_on", "claimed_in_source_id"),
)

SQL_RULES: list[SqlRule] = [
    SqlRule("suspension-after-announcement", "control_links", "valid_from", E,
            "A notice cannot be suspended before it was announced.",
            {"control_links": ("relation", "to_control_id", "valid_from"),
             "export_controls": ("control_id", "announced_on")},
            """SELECT l._row, CAST(l.valid_from AS VARCHAR) FROM control_links l
               JOIN export_controls c ON c.control_id = l.to_control_id
               WHERE l.relation = 'suspends' AND l.valid_from < c.announced_on"""),
    SqlRule("suspension-within-life", "control_links", "valid_until", E,
            "A suspension window lies within the life of the measure it suspends: one that runs past the "
            "measure's end would show a status for a measure that no longer exists.",
            {"control_links": ("relation", "to_control_id", "valid_from", "valid_until"),
             "export_controls": ("control_id", "ended_on", "ended_on_precision")},
            f"""SELECT l._row, coalesce(CAST(l.valid_until AS VARCHAR), 'open-ended'),
                       c.control_id || ' last applied ' || CAST(c.ended_on AS VARCHAR)
                FROM control_links l JOIN export_controls c ON c.control_id = l.to_control_id
                WHERE l.relation = 'suspends' AND c.ended_on IS NOT NULL
                  AND l.valid_from <= {_latest('c.ended_on', 'c.ended_on_precision')}
                  AND coalesce(l.valid_until, DATE '9999-12-31') > {_latest('c.ended_on', 'c.ended_on_precision')}"""),
    SqlRule("transition-allowed", "control_links", "relation", E,
            "A link changes a measure's status only where that change can happen: an ended measure is not "
            "suspended, lifted, amended or superseded again; a notice does not act before it was announced; "
            "only a relaxation suspends or lifts.",
            {"control_links": ("from_control_id", "relation", "to_control_id", "valid_from"),
             "export_controls": ("control_id", "announced_on", "ended_on", "ended_on_precision", "measure_class")},
            f"""SELECT _row, relation, why FROM (
                SELECT l._row, CAST(l.relation AS VARCHAR) AS relation, CASE
                    WHEN l.relation <> 'implements' AND t.ended_on IS NOT NULL
                         AND l.valid_from > {_latest('t.ended_on', 't.ended_on_precision')}
                    THEN t.control_id || ' had ended (last applied ' || CAST(t.ended_on AS VARCHAR) || ')'
                    WHEN l.valid_from < f.announced_on
                    THEN f.control_id || ' was announced only on ' || CAST(f.announced_on AS VARCHAR)
                    WHEN l.relation IN ('suspends', 'lifts') AND f.measure_class = 'restriction'
                    THEN f.control_id || ' is a restriction; only a relaxation suspends or lifts'
                END AS why
                FROM control_links l
                JOIN export_controls t ON t.control_id = l.to_control_id
                JOIN export_controls f ON f.control_id = l.from_control_id
            ) WHERE why IS NOT NULL"""),
    SqlRule("element-item-is-element", "control_items", "material_id", E,
            "An element item must point at a material of class element.",
            {"control_items": ("item_type", "material_id"), "materials": ("material_id", "material_class")},
            """SELECT i._row, i.material_id FROM control_items i
               JOIN materials m ON m.material_id = i.material_id
               WHERE i.item_type = 'element' AND m.material_class <> 'element'"""),
    SqlRule("period-within-source", "dependency_ratios", "period_end", E,
            "A figure cannot describe days after its source was published, unless the source projects it "
            "(is_projection); and a projection ends after its source's publication, or it is none.",
            {"dependency_ratios": ("source_id", "period_end", "is_projection"),
             "sources": ("source_id", "published_on", "published_on_precision")},
            f"""SELECT r._row, CAST(r.period_end AS VARCHAR),
                       'source published ' || CAST(s.published_on AS VARCHAR)
                       || CASE WHEN r.is_projection THEN '; a projection must end after it' ELSE '' END
                FROM dependency_ratios r JOIN sources s ON s.source_id = r.source_id
                WHERE s.published_on IS NOT NULL AND (
                    (NOT coalesce(r.is_projection, false)
                     AND r.period_end > {_latest('s.published_on', 's.published_on_precision')})
                    OR (r.is_projection AND r.period_end <= s.published_on))"""),
    SqlRule("series-consistent", "dependency_ratios", "series_id", E,
            "Points of one series are comparable only if they share importer, supplier, material, metric, "
            "basis and scope; a series mixing them would draw a trend that is a change of definition.",
            {"dependency_ratios": ("series_id", "importer_code", "supplier_code", "material_id", "metric", "basis",
                                   "scope")},
            """SELECT _row, series_id, 'the rows of series ' || series_id || ' differ in definition'
               FROM dependency_ratios WHERE series_id IN (
                   SELECT series_id FROM dependency_ratios WHERE series_id IS NOT NULL GROUP BY 1
                   HAVING count(DISTINCT {'i': importer_code, 's': supplier_code, 'm': material_id,
                                          'x': metric, 'b': basis, 'c': scope}) > 1)"""),
    SqlRule("deal-has-parties", "deals", "deal_id", E,
            "A deal without parties says neither who pays nor who receives, so its funder's sector cannot be "
            "checked and its money cannot be attributed.",
            {"deals": ("deal_id",), "deal_parties": ("deal_id",)},
            """SELECT d._row, d.deal_id FROM deals d
               WHERE NOT EXISTS (SELECT 1 FROM deal_parties p WHERE p.deal_id = d.deal_id)"""),
    SqlRule("replaces-counted-once", "deals", "parent_relation", E,
            "A 'replaces' row is a new total: funding_by_country adds it and drops its parent. That counts the "
            "money once only if the parent is replaced once (two new totals for one parent would both be added), "
            "is not also topped up (an increment is added on top, yet the new total may already include it), and "
            "is itself counted money (replacing a tranche, extension or amendment would add a total on top of "
            "the grandparent that already counts it).",
            {"deals": ("deal_id", "parent_deal_id", "parent_relation")},
            """SELECT r._row, r.parent_relation, CASE
                   WHEN (SELECT count(*) FROM deals o WHERE o.parent_deal_id = r.parent_deal_id
                         AND o.parent_relation = 'replaces') > 1
                   THEN r.parent_deal_id || ' is replaced by more than one row'
                   WHEN EXISTS (SELECT 1 FROM deals o WHERE o.parent_deal_id = r.parent_deal_id
                                AND o.parent_relation = 'increment')
                   THEN r.parent_deal_id || ' is also topped up by an increment'
                   ELSE r.parent_deal_id || ' is a ' || p.parent_relation || ' of another deal, not counted money'
               END
               FROM deals r JOIN deals p ON p.deal_id = r.parent_deal_id
               WHERE r.parent_relation = 'replaces' AND (
                   (SELECT count(*) FROM deals o WHERE o.parent_deal_id = r.parent_deal_id
                    AND o.parent_relation = 'replaces') > 1
                   OR EXISTS (SELECT 1 FROM deals o WHERE o.parent_deal_id = r.parent_deal_id
                              AND o.parent_relation = 'increment')
                   OR p.parent_relation IN ('tranche', 'extension', 'amendment'))"""),
    SqlRule("funder-sector-agrees", "deals", "funder_sector", E,
            "Public, private and multilateral money are kept apart in totals, so a deal's sector must follow "
            "its funding parties' entity types (public if the funder or a parent of it is a government body, "
            "multilateral for international organisations, private for companies and banks); a deal mixing "
            "sectors is split into one row per sector and stays empty only until then.",
            {"deals": ("deal_id", "funder_sector"), "deal_parties": ("deal_id", "entity_id", "role"),
             "entities": ("entity_id", "entity_type", "parent_entity_id")},
            f"""WITH RECURSIVE chain(entity_id, ancestor_id, depth) AS (
                    SELECT entity_id, entity_id, 0 FROM entities
                    UNION ALL
                    SELECT c.entity_id, e.parent_entity_id, c.depth + 1
                    FROM chain c JOIN entities e ON e.entity_id = c.ancestor_id
                    WHERE e.parent_entity_id IS NOT NULL AND c.depth < 50
                ),
                deciding AS (
                    SELECT c.entity_id, arg_min(CASE WHEN a.entity_type = 'international_organisation'
                                                     THEN 'multilateral' ELSE 'public' END, c.depth) AS sector
                    FROM chain c JOIN entities a ON a.entity_id = c.ancestor_id
                    WHERE a.entity_type IN ({_sql_list(PUBLIC_TYPES)}, 'international_organisation')
                    GROUP BY 1
                ),
                sector AS (
                    SELECT e.entity_id, coalesce(d.sector, CASE WHEN e.entity_type IN
                           ('company', 'financial_institution') THEN 'private' END) AS sector
                    FROM entities e LEFT JOIN deciding d USING (entity_id)
                ),
                funding AS (
                    SELECT p.deal_id, list(DISTINCT s.sector ORDER BY s.sector) AS sectors
                    FROM deal_parties p JOIN sector s USING (entity_id)
                    WHERE p.role IN ({_sql_list(FUNDING_ROLES)}) AND s.sector IS NOT NULL
                    GROUP BY 1
                )
                SELECT d._row, coalesce(CAST(d.funder_sector AS VARCHAR), '(empty)'),
                       'funding parties are ' || array_to_string(f.sectors, ' and ')
                FROM deals d JOIN funding f ON f.deal_id = d.deal_id
                WHERE (d.funder_sector IS NULL AND len(f.sectors) = 1)
                   OR (d.funder_sector IS NOT NULL AND (len(f.sectors) > 1 OR f.sectors[1] <> d.funder_sector))"""),
] + [
    SqlRule("fact-after-source", res, col, E,
            "A fact cannot be dated after the source that reports it was published: either the date or the "
            "source is wrong.",
            {res: (col, src), "sources": ("source_id", "published_on", "published_on_precision")},
            f"""SELECT f._row, CAST(f.{col} AS VARCHAR), 'source published ' || CAST(s.published_on AS VARCHAR)
                FROM {res} f JOIN sources s ON s.source_id = f.{src}
                WHERE f.{col} > {_latest('s.published_on', 's.published_on_precision')}""")
    for res, col, src in FACT_DATES
] + [
    SqlRule("quote-translated", res, "quote_en", E,
            "A quote not in English needs an English translation beside it, so every reader can check it.",
            {res: ("source_id", "quote", "quote_en"), "sources": ("source_id", "language")},
            f"""SELECT f._row, f.quote FROM {res} f JOIN sources s ON s.source_id = f.source_id
                WHERE f.quote IS NOT NULL AND f.quote_en IS NULL AND s.language NOT LIKE 'en%'""")
    for res in FACT_TABLES
]  # fmt: skip

UNUSED_SOURCE_WHY = (
    "A source that no row cites (by source_id, or by its id in a row's notes) is either a "
    "leftover or a fact not yet entered."
)
HORIZON_WHY = ("A row cannot have been re-read, or a page read, after the date up to which the package says its "
               "sources were checked (evidenceHorizon in datapackage.json).")  # fmt: skip


def unused_source_rules(schemas: dict[str, dict], _descriptor: dict[str, Any]) -> list[SqlRule]:
    """Sources that no foreign key in the package points at (the citing tables come from the schemas)."""
    cited = [  # NOT IN over a list holding a NULL is never true: keep only the keys that are there
        f"SELECT {ident(fk['fields'][0])} FROM {ident(name)} WHERE {ident(fk['fields'][0])} IS NOT NULL"
        for name, schema in schemas.items() if name != "sources"
        for fk in schema.get("foreignKeys", [])
        if fk["reference"]["resource"] == "sources" and fk["reference"]["fields"] == ["source_id"]
    ]  # fmt: skip
    if "sources" not in schemas or not cited:
        return []
    noted = [  # a source named by its id in a row's notes is cited there (corroboration)
        f"SELECT {ident(f['name'])} AS text FROM {ident(name)} WHERE {ident(f['name'])} IS NOT NULL"
        for name, schema in schemas.items() if name != "sources"
        for f in schema.get("fields", []) if f["name"] in ("notes", "note")
    ]  # fmt: skip
    in_notes = (f" AND NOT EXISTS (SELECT 1 FROM ({' UNION ALL '.join(noted)}) n WHERE contains(n.text, source_id))"
                if noted else "")  # fmt: skip
    needs = {"sources": ("source_id",)}
    sql = (f"SELECT _row, source_id, source_id || ' is not cited' FROM sources "
           f"WHERE source_id NOT IN ({' UNION '.join(cited)}){in_notes} ORDER BY _row")  # fmt: skip
    return [SqlRule("source-not-cited", "sources", "source_id", W, UNUSED_SOURCE_WHY, needs, sql)]


def horizon_rules(_schemas: dict[str, dict], descriptor: dict[str, Any]) -> list[SqlRule]:
    """checked_on and accessed_on on or before the descriptor's evidenceHorizon (none without one)."""
    try:
        horizon = dt.date.fromisoformat(str(descriptor.get("evidenceHorizon", "")))
    except ValueError:
        return []
    return [
        SqlRule("not-after-horizon", res, col, E, HORIZON_WHY, {res: (col,)},
                f"SELECT _row, CAST({ident(col)} AS VARCHAR), 'the evidence horizon is {horizon.isoformat()}' "
                f"FROM {ident(res)} WHERE {ident(col)} > DATE '{horizon.isoformat()}'")
        for res, col in CHECK_DATES
    ]  # fmt: skip


RULES = RuleSet(tuple(ROW_RULES), tuple(SQL_RULES), (unused_source_rules, horizon_rules))


def all_rules() -> list[RowRule | SqlRule]:
    """Every rule, for `rareearths rules` and the docs."""
    return [
        *RULES.all(),
        SqlRule("source-not-cited", "sources", "source_id", W, UNUSED_SOURCE_WHY),
        *(SqlRule("not-after-horizon", res, col, E, HORIZON_WHY) for res, col in CHECK_DATES),
    ]
