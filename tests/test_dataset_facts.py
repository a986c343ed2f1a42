"""The dataset (2.0.0, every fact re-read against its source): minimum coverage, and a dozen facts
picked across the tables.

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
    """The US$250m of March 2011 is two commitments (AFR, 31 Mar 2011): a US$225m JOGMEC loan facility that
    Sojitz helped to arrange (public money) and US$25m of Lynas stock bought by Sojitz (private money)."""
    loan, equity = row("deals", "jogmec-sojitz-lynas-2011"), row("deals", "sojitz-lynas-2011-equity")
    assert (loan["amount"], loan["currency"], loan["announced_on"], loan["funder_code"], loan["funder_sector"]) == (
        "225000000", "USD", "2011-03-30", "JPN", "public")  # fmt: skip
    assert (equity["amount"], equity["currency"], equity["announced_on"], equity["funder_sector"]) == (
        "25000000", "USD", "2011-03-30", "private")  # fmt: skip
    assert loan["source_id"] == equity["source_id"] == "afr-2011-03-31-lynas-sojitz"
    assert int(loan["amount"]) + int(equity["amount"]) == 250_000_000
    parties = {(p["deal_id"], p["entity_id"], p["role"]) for p in table("deal_parties")
               if p["deal_id"] in (loan["deal_id"], equity["deal_id"])}  # fmt: skip
    assert parties == {
        ("jogmec-sojitz-lynas-2011", "jogmec", "lender"), ("jogmec-sojitz-lynas-2011", "jare", "lender"),
        ("jogmec-sojitz-lynas-2011", "sojitz", "arranger"), ("jogmec-sojitz-lynas-2011", "lynas", "recipient"),
        ("sojitz-lynas-2011-equity", "sojitz", "investor"), ("sojitz-lynas-2011-equity", "lynas", "recipient"),
    }  # fmt: skip


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
    """Contemporaneous AP (Japan Times, 13 Oct 2010): shipments 'virtually stopped since around Sept. 21';
    China denied a ban. First reported on 22 Sep 2010; exports resumed about 19 Nov 2010."""
    halt = row("export_controls", "chn-2010-japan-rare-earth-halt")
    assert (halt["certainty"], halt["target_code"], halt["source_id"]) == (
        "reported", "JPN", "japantimes-ap-2010-10-13-rare-earths-stall")  # fmt: skip
    assert (halt["announced_on"], halt["announced_on_precision"]) == ("2010-09-22", "day")  # the first report
    assert (halt["effective_on"], halt["effective_on_precision"]) == ("2010-09-21", "approximate")
    assert (halt["ended_on"], halt["ended_on_precision"]) == ("2010-11-19", "approximate")
    assert "since around Sept. 21" in halt["quote"]


def test_japan_dependence_2010_and_now():
    """Jiji (30 Jan 2026): China's share of Japan's rare-earth imports 'has dropped from 90 pct to 60 pct'.
    The SETN rows (60-70% now) could not be re-read and are not shipped; Ministry of Finance quantities give
    lower shares than the 90% for 2010 (81.61%), a different basis."""
    then = row("dependency_ratios", "jiji-2026-01-30-jpn-import-share-chn-2010")
    now = row("dependency_ratios", "jiji-2026-01-30-jpn-import-share-chn-2025")
    for r, value, year in ((then, "0.9", "2010"), (now, "0.6", "2025")):
        assert (r["value"], r["supplier_code"], r["period_start"][:4], r["basis"]) == (value, "CHN", year, "not_stated")
        assert r["source_id"] == "jiji-2026-01-30-japan-dependence" and "from 90 pct to 60 pct" in r["quote"]
    assert not [r for r in table("dependency_ratios") if r["ratio_id"].startswith("setn-")]
    mof = row("dependency_ratios", "mof-jpn-import-share-chn-2010")
    assert (mof["value"], mof["basis"], mof["series_id"]) == (
        "0.8161",
        "weight",
        "jpn-chn-ree-import-share-mof-quantity",
    )


def test_japan_share_depends_on_scope():
    hs2805 = row("dependency_ratios", "gtaic-jpn-hs2805-import-share-chn-2024")
    customs = row("dependency_ratios", "metalnomist-jpn-import-share-chn-2024h1")
    assert (hs2805["value"], hs2805["basis"], hs2805["hs_codes"]) == ("0.296", "value", "2805")
    assert (customs["value"], customs["basis"]) == ("0.796", "weight")


def test_usgs_figures_for_the_united_states():
    nir = row("dependency_ratios", "usgs-mcs-2025-usa-nir-2024")
    assert (nir["value"], nir["metric"], nir["is_estimate"]) == ("0.8", "net_import_reliance", "true")
    revised = row("dependency_ratios", "usgs-mcs-2026-usa-nir-2024")  # MCS 2026 revises 2024 to 53%
    assert (revised["value"], revised["is_estimate"], revised["series_id"]) == (
        "0.53", "false", "usa-wld-ree-compounds-metals-nir-usgs")  # fmt: skip
    assert nir["series_id"] == ""  # the superseded estimate stays out of the series
    share = row("dependency_ratios", "usgs-mcs-2025-usa-import-share-chn-2020-2023")
    assert (share["value"], share["period_start"], share["period_end"]) == ("0.7", "2020-01-01", "2023-12-31")
    assert row("dependency_ratios", "usgs-mcs-2019-usa-nir-2015")["value"] == "0.38"


def test_motivating_reports_are_sources_and_cited():
    """The SETN report (9 Dec 2025) and the World Journal report (9 Jan 2026) that motivated the package:
    sources, cited by fact rows, and their claims checked in `claims`."""
    ids = {s["source_id"] for s in table("sources")}
    assert {"setn-2025-12-09-japan-rare-earths", "worldjournal-2026-01-09-japan-licences"} <= ids
    cited = {r["source_id"] for name in ("export_controls", "control_items") for r in table(name)}
    assert "setn-2025-12-09-japan-rare-earths" in cited  # the 2010 halt's item row
    assert "worldjournal-2026-01-09-japan-licences" in cited  # the January 2026 licence freeze
    claimed_in = {c["claimed_in_source_id"] for c in table("claims")}
    assert {"setn-2025-12-09-japan-rare-earths", "worldjournal-2026-01-09-japan-licences"} <= claimed_in
    verdicts = {c["claim_id"]: c["verdict"] for c in table("claims")}
    assert verdicts["setn-2025-12-09-jogmec-sojitz-lynas-250m"] == "supported"
    assert verdicts["whitehouse-2025-11-01-april-controls-removed"] == "contradicted"  # No. 18 stays in force


def test_mp_materials_and_usa_rare_earth_on_the_export_control_list():
    """22 Jun 2026: MOFCOM put 10 US entities on its export control list, MP Materials and USA Rare Earth
    among them (Kalkine); the notice's number and text were not read, so the number is left empty."""
    notice = row("export_controls", "mofcom-2026-06-22-us-entities-control-list")
    assert (notice["announced_on"], notice["measure_type"], notice["target_code"], notice["doc_number_en"]) == (
        "2026-06-22", "entity_listing", "USA", "")  # fmt: skip
    listed = {r["entity_id"]: r for r in table("entity_listings") if r["control_id"] == notice["control_id"]}
    for entity in ("mp-materials", "usa-rare-earth"):
        assert (listed[entity]["list"], listed[entity]["listed_on"], listed[entity]["removed_on"]) == (
            "export_control_list", "2026-06-22", "")  # fmt: skip
        assert listed[entity]["source_id"] == "kalkine-2026-06-22-us-entities"


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
    # The mixed public/private deals were split by sector (2011 Lynas, 2025 Caremag); only the two offtakes
    # without money, whose offtakers are public and private, leave funder_sector empty.
    no_sector = {r["deal_id"]: r["amount"] for r in table("deals") if r["funder_sector"] == ""}
    assert no_sector == {"jare-lynas-2023-hree-offtake": "", "jogmec-iwatani-caremag-2025-offtake": ""}
    assert {r["control_id"] for r in table("export_controls") if r["certainty"] == "reported"} == {
        "chn-2010-japan-rare-earth-halt", "chn-2026-01-japan-licence-freeze"}  # fmt: skip
    quotas = row("export_controls", "mofcom-rare-earth-export-quotas-2010-2014")
    assert (quotas["announced_on"], quotas["announced_on_precision"]) == ("2010-01-01", "on_or_before")
    groups = {(g["group_id"], g["member_id"]) for g in table("material_groups")}
    assert {("heavy-rare-earths", "dy"), ("medium-and-heavy-rare-earths", "heavy-rare-earths")} <= groups
    assert ("medium-and-heavy-rare-earths", "dy") in groups  # named in No. 18 of 2025 (部分中重稀土)
    item = row("control_items", "mofcom-2025-18-hs-2805301910")
    assert (item["control_code"], item["customs_code"], item["hs6"]) == ("1C902.a", "2805301910", "280530")
