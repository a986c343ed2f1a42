"""How each table is laid out for reading: a label that says what the row is, then its ID, then the
columns a reader looks for first; long texts (quotes, notes) last. Every column of the CSV stays.
"""

from __future__ import annotations

from collections.abc import Callable

from rareearths.site.markup import shorten
from rareearths.site.package import Package, Resource

LABEL_FIELDS = ("name_en", "title_en", "claim_en", "description_en", "reason_en")
LAST = ("locator", "quote", "quote_en", "notes", "note")
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("publisher_en", "published_on", "source_type", "language", "url"),
    "jurisdictions": ("jurisdiction_type",),
    "entities": ("entity_type", "jurisdiction_code"),
    "materials": ("material_class", "element_symbol", "ree_group"),
    "dependency_ratios": ("value", "value_low", "value_high", "period_start", "period_end", "metric", "basis"),
    "deals": ("announced_on", "amount", "amount_usd", "status", "instrument", "funder_code", "project"),
    "deal_parties": ("role",),
    "export_controls": ("doc_number_en", "announced_on", "effective_on", "ended_on", "measure_type", "certainty"),
    "control_items": ("control_id", "item_type", "material_id", "control_code", "customs_code"),
    "control_links": ("from_control_id", "relation", "to_control_id", "clause", "valid_from", "valid_until"),
    "entity_listings": ("entity_id", "list", "listed_on", "removed_on"),
    "claims": ("verdict", "claimant_en", "claimed_on", "checked_on"),
}
WORDS = {"import_share": "import share", "import_dependence": "import dependence", "supply_share": "supply share"}

Labeller = Callable[[dict[str, str]], str]


class Labels:
    """Readable names for rows, by table and primary key, for labels and for foreign-key links."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self._by_table: dict[str, dict[str, str]] = {}
        self._short: dict[str, dict[str, str]] = {}

    def _plain_label(self, res: Resource, row: dict[str, str]) -> str:
        for field in LABEL_FIELDS:
            if row.get(field):
                return row[field]
        return ""

    def name(self, table: str, key: str) -> str:
        """The plain label of a row of `table` with one-field key `key` (empty if unknown)."""
        if table not in self._by_table:
            try:
                res = self.package.resource(table)
            except KeyError:
                return ""
            pk = res.primary_key[0] if len(res.primary_key) == 1 else None
            self._by_table[table] = {r[pk]: self._plain_label(res, r) for r in res.rows} if pk else {}
        return self._by_table[table].get(key, "")

    def named(self, table: str, row: dict[str, str], field: str, short: bool = False) -> str:
        """The name (or short name) of the `table` row that `row[field]` refers to; the ID if it has none."""
        key = row.get(field, "")
        return (self.short(table, key) if short else self.name(table, key)) or key

    def short(self, table: str, key: str) -> str:
        """A short name for a link to the row: a source as its publisher and date."""
        if table == "sources":
            if table not in self._short:
                rows = self.package.resource("sources").rows
                self._short[table] = {
                    r["source_id"]: ", ".join(filter(None, [r.get("publisher_en", ""), r.get("published_on", "")[:4]]))
                    for r in rows
                }
            return self._short[table].get(key, "")
        return shorten(self.name(table, key), 70)

    def row_label(self, res: Resource, row: dict[str, str]) -> str:
        """What the row is, in words."""
        composed = COMPOSED.get(res.name)
        if composed is not None:
            return composed(self, row)
        return self._plain_label(res, row)


def _ratio(labels: Labels, r: dict[str, str]) -> str:
    importer = labels.named("jurisdictions", r, "importer_code")
    supplier = labels.named("jurisdictions", r, "supplier_code")
    material = labels.named("materials", r, "material_id")
    start, end = r.get("period_start", "")[:4], r.get("period_end", "")[:4]
    period = start if start == end else f"{start}–{end}"
    metric = WORDS.get(r.get("metric", ""), r.get("metric", "").replace("_", " "))
    return f"{importer} from {supplier}: {metric}, {shorten(material, 50)}, {period}"


def _party(labels: Labels, r: dict[str, str]) -> str:
    entity = labels.named("entities", r, "entity_id")
    deal = labels.named("deals", r, "deal_id", short=True)
    return f"{entity}, {r.get('role', '')}: {deal}"


def _link(labels: Labels, r: dict[str, str]) -> str:
    def doc(cid: str) -> str:
        row = next((x for x in labels.package.resource("export_controls").rows if x["control_id"] == cid), {})
        return row.get("doc_number_en") or cid

    clause = f" ({r['clause']})" if r.get("clause") else ""
    return f"{doc(r.get('from_control_id', ''))} {r.get('relation', '')} {doc(r.get('to_control_id', ''))}{clause}"


def _membership(labels: Labels, r: dict[str, str]) -> str:
    member = labels.named("materials", r, "member_id")
    group = labels.named("materials", r, "group_id")
    return f"{member} in {group}"


def _evidence(labels: Labels, r: dict[str, str]) -> str:
    claim = labels.named("claims", r, "claim_id", short=True)
    return f"Evidence {r.get('evidence_no', '')} on: {claim}"


COMPOSED: dict[str, Callable[[Labels, dict[str, str]], str]] = {
    "dependency_ratios": _ratio,
    "deal_parties": _party,
    "control_links": _link,
    "material_groups": _membership,
    "claim_evidence": _evidence,
}


def column_order(res: Resource) -> list[str]:
    """Primary key, then the table's key columns, then the rest in schema order, long texts last;
    `_precision` columns sit at the end, since the dates show their precision themselves."""
    names = res.field_names
    first = [*res.primary_key, *[c for c in KEY_COLUMNS.get(res.name, ()) if c in names]]
    first = list(dict.fromkeys(first))
    last = [c for c in LAST if c in names and c not in first]
    precision = [c for c in names if c.endswith("_precision") and c not in first]
    middle = [c for c in names if c not in first and c not in last and c not in precision]
    return first + middle + last + precision
