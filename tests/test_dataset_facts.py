"""The 1.0.0 dataset: minimum coverage, and a dozen facts picked across the tables.

These pin facts a journalist would cite; a change to any of them must be deliberate (and a
version bump), never a side effect.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest

from tests.conftest import ROOT


@cache
def table(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row(name: str, key: str) -> dict[str, str]:
    (match,) = [r for r in table(name) if next(iter(r.values())) == key]
    return match


@pytest.mark.parametrize(("name", "minimum"), [("export_controls", 18), ("deals", 20), ("dependency_ratios", 20)])
def test_minimum_row_counts(name: str, minimum: int):
    assert len(table(name)) >= minimum


def test_every_fact_row_cites_a_source_with_a_locator():
    for name in ("dependency_ratios", "deals", "deal_parties", "export_controls", "control_items", "control_links"):
        for r in table(name):
            assert r["source_id"] and r["locator"], (name, r)


def test_lynas_financing_2011():
    deal = row("deals", "jogmec-sojitz-lynas-2011")
    assert (deal["amount"], deal["currency"], deal["announced_on"]) == ("250000000", "USD", "2011-03-30")
    parties = {(p["entity_id"], p["role"]) for p in table("deal_parties") if p["deal_id"] == deal["deal_id"]}
    assert {e for e, _ in parties} >= {"jogmec", "sojitz", "lynas"}


def test_april_2025_no_18_covers_seven_elements_and_is_not_suspended():
    elements = {i["material_id"] for i in table("control_items")
                if i["control_id"] == "mofcom-2025-18" and i["item_type"] == "element"}  # fmt: skip
    assert elements == {"sm", "gd", "tb", "dy", "lu", "sc", "y"}
    assert row("export_controls", "mofcom-2025-18")["doc_number_original"] == "商务部 海关总署公告2025年第18号"
    assert not [lk for lk in table("control_links") if lk["to_control_id"] == "mofcom-2025-18"
                and lk["relation"] == "suspends"]  # fmt: skip


def test_october_2025_no_57_covers_five_elements():
    elements = {i["material_id"] for i in table("control_items")
                if i["control_id"] == "mofcom-2025-57" and i["item_type"] == "element"}  # fmt: skip
    assert elements == {"ho", "er", "tm", "eu", "yb"}


def test_no_70_suspends_six_october_notices_until_10_november_2026():
    links = [lk for lk in table("control_links") if lk["from_control_id"] == "mofcom-2025-70"]
    assert {lk["to_control_id"] for lk in links} == {f"mofcom-2025-{n}" for n in (55, 56, 57, 58, 61, 62)}
    assert {(lk["relation"], lk["valid_from"], lk["valid_until"], lk["clause"]) for lk in links} == {
        ("suspends", "2025-11-07", "2026-11-10", "")
    }


def test_2024_no_46_clause_suspended_until_27_november_2026():
    (link,) = [lk for lk in table("control_links") if lk["to_control_id"] == "mofcom-2024-46"]
    assert (link["relation"], link["valid_from"], link["valid_until"]) == ("suspends", "2025-11-09", "2026-11-27")
    assert link["clause"].startswith("clause 2")


def test_2026_no_1_bans_dual_use_exports_to_japanese_military_users():
    notice = row("export_controls", "mofcom-2026-1")
    assert (notice["announced_on"], notice["target_code"], notice["measure_type"]) == (
        "2026-01-06",
        "JPN",
        "end_user_ban",
    )


def test_2010_halt_was_reported_and_aimed_at_japan():
    halt = row("export_controls", "chn-2010-japan-rare-earth-halt")
    assert (halt["certainty"], halt["target_code"], halt["announced_on"][:7]) == ("reported", "JPN", "2010-09")
    assert halt["announced_on_precision"] == halt["ended_on_precision"] == "approximate"


def test_japan_dependence_2010_and_now():
    then = row("dependency_ratios", "jiji-2026-01-30-jpn-import-share-chn-2010")
    assert (then["value"], then["supplier_code"]) == ("0.9", "CHN")
    now = row("dependency_ratios", "setn-2025-12-09-jpn-import-share-chn-2025")
    assert (now["value"], now["value_low"], now["value_high"], now["value_kind"]) == ("", "0.6", "0.7", "range")


def test_japan_share_depends_on_scope():
    hs2805 = row("dependency_ratios", "gtaic-jpn-hs2805-import-share-chn-2024")
    customs = row("dependency_ratios", "metalnomist-jpn-import-share-chn-2024h1")
    assert (hs2805["value"], hs2805["basis"], hs2805["hs_codes"]) == ("0.296", "value", "2805")
    assert (customs["value"], customs["basis"]) == ("0.796", "weight")


def test_usgs_figures_for_the_united_states():
    nir = row("dependency_ratios", "usgs-mcs-2025-usa-nir-2024")
    assert (nir["value"], nir["metric"], nir["is_estimate"]) == ("0.8", "net_import_reliance", "true")
    share = row("dependency_ratios", "usgs-mcs-2025-usa-import-share-chn-2020-2023")
    assert (share["value"], share["period_start"], share["period_end"]) == ("0.7", "2020-01-01", "2023-12-31")
    assert row("dependency_ratios", "usgs-mcs-2019-usa-nir-2015")["value"] == "0.38"


def test_motivating_reports_are_sources_and_cited():
    ids = {s["source_id"] for s in table("sources")}
    assert "setn-2025-12-09-japan-rare-earths" in ids
    cited = {r["source_id"] for name in ("dependency_ratios", "export_controls", "deals") for r in table(name)}
    assert "setn-2025-12-09-japan-rare-earths" in cited
    assert any(s.startswith("worldjournal-2026-01-09") for s in cited)


def test_unsupported_claims_are_not_facts():
    """The '18-month stockpile' has no source but one news report: never a dependency figure."""
    for r in table("dependency_ratios"):
        assert "18 month" not in (r["notes"] + r["quote_en"]).lower().replace("-", " ")


def test_2_0_0_relations_groups_and_precision():
    """What the 2.0.0 migration derived from the 1.0.0 rows, pinned."""
    lynas = row("deals", "dod-lynas-usa-hree-2023")  # US$258m, the new total of the 2022 US$120m
    assert (lynas["parent_relation"], lynas["parent_deal_id"]) == ("replaces", "dod-lynas-usa-hree-2022")
    assert row("deals", "aus-iluka-eneabba-2024-topup")["parent_relation"] == "increment"
    assert row("deals", "jare-lynas-2019-loan-extension")["parent_relation"] == "extension"
    assert {r["deal_id"] for r in table("deals") if r["funder_sector"] == ""} == {
        "jogmec-sojitz-lynas-2011", "jogmec-iwatani-caremag-2025", "jare-lynas-2023-hree-offtake"}  # fmt: skip
    assert {r["control_id"] for r in table("export_controls") if r["certainty"] == "reported"} == {
        "chn-2010-japan-rare-earth-halt", "chn-2026-01-japan-licence-freeze"}  # fmt: skip
    quotas = row("export_controls", "mofcom-rare-earth-export-quotas-2010-2014")
    assert (quotas["announced_on"], quotas["announced_on_precision"]) == ("2010-01-01", "year")
    groups = {(g["group_id"], g["member_id"]) for g in table("material_groups")}
    assert {("heavy-rare-earths", "dy"), ("medium-and-heavy-rare-earths", "heavy-rare-earths")} <= groups
    item = row("control_items", "mofcom-2025-18-hs-2805301910")
    assert (item["control_code"], item["customs_code"], item["hs6"]) == ("1C902.a", "2805301910", "280530")
