"""`rareearths query`: read-only, refuses what would write or reach outside, and the example
queries in queries/ give their expected answers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest

from rareearths.building.build import DB_NAME, build
from rareearths.building.query import read_query_file
from rareearths.dataset import derived_sql
from rareearths.dataset.rules import RULES
from tests.conftest import FIXTURES, ROOT, copy_package, run_cli, set_cells

QUERIES = sorted((ROOT / "queries").glob("*.sql"))
ANSWERS = FIXTURES / "query_answers"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(ROOT / "datapackage.json", out, rules=RULES, derived_sql=derived_sql())
    return out / DB_NAME


def _csv(db: Path, sql_file: Path) -> list[dict[str, str]]:
    code, out = run_cli("query", "--file", str(sql_file), "--db", str(db), "--format", "csv")
    assert code == 0, out
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.parametrize("sql_file", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_query_is_documented_and_answers(db: Path, sql_file: Path):
    meta = read_query_file(sql_file)
    assert meta.get("title") and meta.get("description")
    rows = _csv(db, sql_file)
    with open(ANSWERS / f"{sql_file.stem}.csv", encoding="utf-8", newline="") as fh:
        assert rows == list(csv.DictReader(fh))


def test_every_query_has_an_answer_file_and_none_reads_the_clock():
    """Answers hold at the evidence horizon, whatever the date of the run."""
    for q in QUERIES:
        text = q.read_text(encoding="utf-8").lower()
        assert "current_date" not in text and "now()" not in text and "today()" not in text, q.name
    assert {p.stem for p in ANSWERS.glob("*.csv")} == {q.stem for q in QUERIES}


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x (a INT)",
        "INSERT INTO sources (source_id) VALUES ('x')",
        "DELETE FROM deals",
        "ATTACH '/tmp/other.duckdb' AS o",
        "COPY deals TO '/tmp/deals.csv'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM 'https://example.org/x.parquet'",
        "SET enable_external_access = true",
        "SELECT 1; DROP TABLE deals",
    ],
)
def test_writes_and_outside_access_are_refused(db: Path, sql: str):
    code, out = run_cli("query", sql, "--db", str(db))
    assert code == 1
    assert "error" in out.lower() and "Traceback" not in out


def test_formats(db: Path):
    sql = "SELECT jurisdiction_code, name_en FROM jurisdictions WHERE jurisdiction_code = 'JPN'"
    assert run_cli("query", sql, "--db", str(db), "--format", "json")[1].strip().startswith("[")
    assert "| JPN | Japan |" in run_cli("query", sql, "--db", str(db), "--format", "markdown")[1]
    assert "Japan" in run_cli("query", sql, "--db", str(db))[1]


def test_missing_database_says_how_to_build(tmp_path: Path):
    code, out = run_cli("query", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and "make" in out


# --- the shipped answers, worked out by hand from the rows --------------------------------------------
# Each test below recomputes a shipped answer file from the rows of data/*.csv, named in the comments,
# so that the answer files are not merely what the views happened to return.


def _answer(stem: str) -> list[dict[str, str]]:
    with open(ANSWERS / f"{stem}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_funding_answer_worked_out_by_hand():
    rows = {(r["funder_code"], r["funder_sector"], r["currency"], r["stage"]): r
            for r in _answer("pledged_vs_disbursed_by_country")}  # fmt: skip
    usa = rows[("USA", "public", "USD", "pledged")]
    # Point amounts (exact, about or nearly) of the US public deals not disbursed, each commitment once:
    point = (
        9_600_000  # dod-mp-materials-2020 (DPA award), exact
        + 35_000_000  # dod-mp-materials-2022 (heavy rare earths), exact
        + 30_000_000  # dod-lynas-usa-2021, about: "capped at approximately US$30 million"
        + 258_000_000  # dod-lynas-usa-hree-2023, about: the new total that replaces dod-lynas-usa-hree-2022
        # (about US$120m), so the 2022 row is not added as well
        + 400_000_000  # dod-mp-materials-2025-equity, exact
        + 150_000_000  # dod-mp-materials-2025-loan: an increment of the equity row, new money
        + 50_000_000  # doc-vulcan-elements-2025: CHIPS letter of intent, exact, conditional
        + 80_000_000  # osc-reelement-2025, exact
        + 620_000_000  # osc-vulcan-elements-2025, exact
    )
    assert float(usa["amount"]) == point == 1_632_600_000
    assert float(usa["of_which_approximate"]) == 30_000_000 + 258_000_000  # the two Lynas rows say "approximately"
    # Ceilings are never added to the amount: the two CHIPS letters of intent to USA Rare Earth (up to US$277m,
    # up to US$1.3bn), the DLA contract with REalloys (up to US$1.7m) and EXIM's letter of interest to
    # Arafura (up to US$300m) and loan to Project Vault (up to US$10bn).
    assert float(usa["up_to"]) == 277_000_000 + 1_300_000_000 + 1_700_000 + 300_000_000 + 10_000_000_000
    # Floors likewise: the US-Australia framework's "at least US$1bn" per side.
    assert float(usa["at_least"]) == 1_000_000_000
    assert int(usa["deals"]) == 9 + 5 + 1 and "dod-lynas-usa-hree-2022" not in usa["deal_ids"].split()
    # Private US money is kept apart: Apple's US$500m purchase commitment, and the JPMorgan and Goldman Sachs
    # financing commitment, "at least $1 billion" per the 8-K (jpm-gs-mp-materials-2025), a floor.
    private = rows[("USA", "private", "USD", "pledged")]
    assert (float(private["amount"]), float(private["at_least"])) == (500_000_000, 1_000_000_000)
    # Private money whose investors are not named has no funder_code: Project Vault's US$1.67bn, USA Rare
    # Earth's US$1.5bn PIPE and Vulcan's US$550m.
    unnamed = rows[("", "private", "USD", "pledged")]
    assert float(unnamed["amount"]) == 1_670_000_000 + 1_500_000_000 + 550_000_000
    assert unnamed["deal_ids"] == "project-vault-private-2026 usar-pipe-2026 vulcan-private-2025"

    # Australia: the A$1.25bn Iluka loan, its A$400m top-up and the A$75m cost-overrun facility (both
    # increments, so added) and the NRF's A$200m; in US dollars, EFA and NAIF's US$533m and EFA's US$100m equity.
    aud = rows[("AUS", "public", "AUD", "pledged")]
    assert float(aud["amount"]) == 1_250_000_000 + 400_000_000 + 75_000_000 + 200_000_000
    assert float(rows[("AUS", "public", "USD", "pledged")]["amount"]) == 533_000_000 + 100_000_000
    # The EU's Just Transition Fund grant is "up to €18.7m": a ceiling only, no amount.
    eu = rows[("EU27", "public", "EUR", "pledged")]
    assert eu["amount"] == "" and float(eu["up_to"]) == 18_700_000
    assert float(rows[("FRA", "public", "EUR", "pledged")]["amount"]) == 106_000_000
    # Japan, public yen: the ¥100bn FY2010 extra budget for rare earths, the FY2011 lines of ¥19.7bn and ¥1.6bn,
    # the ¥20.9bn 2019 supplementary budget and ¥39bn to JOGMEC (2026). The "around" ¥42bn METI subsidies and
    # the ¥58bn of October 2010 are tranches of the ¥100bn (Kyodo puts the ¥42bn inside the ¥100bn; Reuters
    # says the ¥42bn comes on top of the ¥58bn), and the ¥33.1bn and ¥8.9bn are tranches of the ¥42bn: none
    # is added again, so nothing is approximate.
    jpn = rows[("JPN", "public", "JPY", "pledged")]
    assert float(jpn["amount"]) == (100_000_000_000 + 19_700_000_000 + 1_600_000_000
                                    + 20_900_000_000 + 39_000_000_000) == 181_200_000_000  # fmt: skip
    assert "jpn-2010-overseas-mines-alternatives-subsidies" not in jpn["deal_ids"].split()
    assert jpn["of_which_approximate"] == "" and "meti-2011-rare-earth-subsidies" not in jpn["deal_ids"].split()
    # JARE is JOGMEC's vehicle, so its money is public: the 2022 US$9m equity (paid) and the 2023 A$200m
    # contribution (signed, not confirmed paid).
    assert float(rows[("JPN", "public", "USD", "disbursed")]["amount"]) == 9_000_000
    assert float(rows[("JPN", "public", "AUD", "pledged")]["amount"]) == 200_000_000
    # The March 2011 US$250m, split by sector: the US$225m JOGMEC loan (signed: AFR says "arranged") and
    # Sojitz's US$25m of Lynas stock. Caremag: JOGMEC's public "about €100m".
    assert rows[("JPN", "public", "USD", "pledged")]["deal_ids"] == "jogmec-sojitz-lynas-2011"
    assert float(rows[("JPN", "public", "USD", "pledged")]["amount"]) == 225_000_000
    assert float(rows[("JPN", "private", "USD", "pledged")]["amount"]) == 25_000_000
    caremag = rows[("JPN", "public", "EUR", "pledged")]
    assert float(caremag["amount"]) == float(caremag["of_which_approximate"]) == 100_000_000
    # No deal with an amount lacks a sector any more; offtakes, price floors, Iwatani's Caremag part, the
    # US-Japan framework and the 2019 loan extension carry no amount.
    assert not [k for k in rows if k[1] == ""] and len(rows) == 13


def test_dysprosium_answer_worked_out_by_hand():
    rows = {(r["control_id"], r["item_id"], r["covered_as"], r["path"]) for r in _answer("notices_covering_dysprosium")}
    # material_groups: dy is a member of heavy-rare-earths (three-group scheme) and directly of MOFCOM's
    # medium-and-heavy-rare-earths (No. 18's title); both are in rare-earths. control_items: No. 18 and
    # No. 61's Annex 1 Part 1 list dy itself; No. 61's Chinese-origin items are the medium and heavy rare
    # earths; four measures cover rare earths as a whole, reached in two steps through either group (the
    # shortest paths tie, the first by name is kept). No. 57 (Ho, Er, Tm, Eu, Yb) does not cover Dy.
    via_rare_earths = "dy > heavy-rare-earths > rare-earths"
    assert rows == {
        ("mofcom-2025-18", "mofcom-2025-18-dy", "dy", "dy"),
        ("mofcom-2025-61", "mofcom-2025-61-annex1-part1-dy", "dy", "dy"),
        ("mofcom-2025-61", "mofcom-2025-61-chinese-origin-items", "medium-and-heavy-rare-earths",
         "dy > medium-and-heavy-rare-earths"),
        ("chn-2010-japan-rare-earth-halt", "chn-2010-japan-rare-earth-halt-rare-earths", "rare-earths",
         via_rare_earths),
        ("chn-2026-01-japan-licence-freeze", "chn-2026-01-japan-licence-freeze-rare-earths", "rare-earths",
         via_rare_earths),
        ("chn-state-council-decree-785", "chn-state-council-decree-785-rare-earths", "rare-earths", via_rare_earths),
        ("mofcom-rare-earth-export-quotas-2010-2014", "mofcom-rare-earth-export-quotas-2010-2014-rare-earths",
         "rare-earths", via_rare_earths),
    }  # fmt: skip
    # the quotas first: announced on or before 2010-01-01, shown at that precision
    assert _answer("notices_covering_dysprosium")[0]["announced"] == "on or before 2010-01-01"


def test_latest_us_dependence_worked_out_by_hand():
    rows = {r["ratio_id"]: r for r in _answer("latest_us_dependence")}
    # Net import reliance (compounds and metals, by weight, one definition): MCS 2019 gives 2014 and 2015,
    # MCS 2021 2016-2020, MCS 2025 2024 (80%, an estimate) and MCS 2026 2021-2025 (2024 revised to 53%).
    # The latest period is 2025: 67%, an estimate.
    assert (rows["usgs-mcs-2026-usa-nir-2025"]["value"], rows["usgs-mcs-2026-usa-nir-2025"]["period_end"]) == (
        "0.67", "2025-12-31")  # fmt: skip
    assert not [r for r in rows if "-nir-" in r and r != "usgs-mcs-2026-usa-nir-2025"]
    # Shares of compounds and metals by shipping country, one USGS definition per supplier: the MCS windows
    # 2012-15 (MCS 2017), 2020-23 (MCS 2025) and 2021-24 (MCS 2026; the row keeps its 1.0.0 id, newstarget-,
    # but now cites MCS 2026: 71%). The 2019-22 rows (MCS 2024 via ChinaPulse) could not be re-read and are
    # not shipped. The latest window is 2021-24 for China, Malaysia, Japan and Estonia. Motley Fool's single
    # year by weight, the yttrium chapter and KITA's NdFeB magnets are other definitions, one figure each.
    assert set(rows) == {
        "usgs-mcs-2026-usa-nir-2025",
        "newstarget-usgs-mcs-2026-usa-import-share-chn-2021-2024",
        "usgs-mcs-2026-usa-import-share-mys-2021-2024",
        "usgs-mcs-2026-usa-import-share-jpn-2021-2024",
        "usgs-mcs-2026-usa-import-share-est-2021-2024",
        "motley-fool-usa-import-share-chn-2024",
        "ckhq-usa-yttrium-import-share-chn-2020-2023",
        "kita-usa-ndfeb-import-share-chn-2022",
    }
    assert {r["figures_for_period"] for r in rows.values()} == {"1"}  # no two sources for one latest period
    china = rows["newstarget-usgs-mcs-2026-usa-import-share-chn-2021-2024"]
    assert (china["value"], china["value_qualifier"], china["source_publisher_en"]) == (
        "0.71", "exact", "U.S. Geological Survey")  # fmt: skip
    assert {r: rows[r]["value"] for r in rows if "-2021-2024" in r and "-chn-" not in r} == {
        "usgs-mcs-2026-usa-import-share-mys-2021-2024": "0.13",
        "usgs-mcs-2026-usa-import-share-jpn-2021-2024": "0.05",
        "usgs-mcs-2026-usa-import-share-est-2021-2024": "0.05",
    }


def test_japan_dependence_answer_worked_out_by_hand():
    rows = _answer("japan_dependence_over_time")
    # dependency_ratios with importer JPN and supplier CHN, by period end, then start, then id: MOF quantities
    # 2008-2014 (kksoukan), Toyo Keizai 2009 and 2024, Jiji 2010 and 2025, the Japan Times 2011, KITA magnets
    # 2016 and 2022, Metalnomist H1 2024, GTAIC HS 2805 2024, the WSJ/JOGMEC 2024, Kyodo/MOF 2025, NRI 2025.
    assert [r["ratio_id"] for r in rows] == [
        "mof-jpn-import-share-chn-2008",
        "mof-jpn-import-share-chn-2009", "toyokeizai-jpn-import-share-chn-2009",
        "jiji-2026-01-30-jpn-import-share-chn-2010", "mof-jpn-import-share-chn-2010",
        "japantimes-jpn-import-share-chn-2011", "mof-jpn-import-share-chn-2011",
        "mof-jpn-import-share-chn-2014",
        "kita-jpn-ndfeb-import-share-chn-2016",
        "kita-jpn-ndfeb-import-share-chn-2022",
        "metalnomist-jpn-import-share-chn-2024h1",
        "gtaic-jpn-hs2805-import-share-chn-2024", "toyokeizai-jpn-import-share-chn-2024",
        "wsj-jogmec-jpn-import-share-chn-2024",
        "jiji-2026-01-30-jpn-import-share-chn-2025", "kyodo-mof-jpn-import-share-chn-2025",
        "nri-jpn-heavy-rare-earths-import-share-chn-2025",
    ]  # fmt: skip
    # The qualifier says how to read a value: MOF 2008 ">90%" and Kyodo's MOF "6成以上" are floors, the Japan
    # Times' 90% and the WSJ's "some 70%" are approximate, NRI's heavy rare earths "幾乎 100%" is "nearly".
    qualified = {r["ratio_id"]: (r["value"], r["value_qualifier"]) for r in rows if r["value_qualifier"] != "exact"}
    assert qualified == {
        "mof-jpn-import-share-chn-2008": ("0.9", "at_least"),
        "japantimes-jpn-import-share-chn-2011": ("0.9", "about"),
        "wsj-jogmec-jpn-import-share-chn-2024": ("0.7", "about"),
        "kyodo-mof-jpn-import-share-chn-2025": ("0.6", "at_least"),
        "nri-jpn-heavy-rare-earths-import-share-chn-2025": ("1.0", "nearly"),
    }
    assert all(r["scope"] for r in rows)


# Restrictions in force on 2025-11-15, worked out from export_controls and control_links: every official
# restriction announced by then, less those suspended (Nos. 55-58, 61, 62 by No. 70 from 2025-11-07; ECL
# No. 21 and UEL No. 7, suspended since 14 May 2025 and again for a year from 2025-11-10), lifted (ECL
# No. 22 and UEL No. 8 from 2025-08-12; ECL No. 13 and UEL No. 5 from 2025-11-10) or ended (the quotas,
# 2014; the 2010 halt, reported, never in force). No. 46 has only its clause 2 suspended (by No. 72).
IN_FORCE_2025_11_15 = [  # by announcement date, 2023-02-16 to 2025-10-09
    "uel-2023-1",
    "mofcom-2023-23",
    "mofcom-most-2023-57",
    "uel-2024-1",
    "uel-2024-2",
    "chn-state-council-decree-785",
    "mofcom-2024-33",
    "chn-state-council-decree-792",
    "mofcom-2024-46",
    "mofcom-2025-1",
    "uel-2025-1",
    "uel-2025-2",
    "uel-2025-3",
    "mofcom-2025-18",
    "mofcom-2025-51",
    "uel-2025-9",
    "uel-2025-10",
]  # fmt: skip


def test_measures_in_force_on_15_november_2025_worked_out_by_hand():
    rows = _answer("measures_in_force_2025_11_15")
    restrictions = [r["control_id"] for r in rows if r["measure_class"] == "restriction"]
    assert restrictions == IN_FORCE_2025_11_15
    assert {r["control_id"]: r["status"] for r in rows if r["status"] != "in_force"} == {
        "mofcom-2024-46": "partially_suspended"
    }
    # Relaxations in force that day: the 5 November adjustments (from 2025-11-10), No. 70 (from 2025-11-07)
    # and No. 72 (from 2025-11-09), by announcement date. The May and August suspensions had been taken over;
    # the general licences came on 2025-12-04.
    assert [r["control_id"] for r in rows if r["measure_class"] == "relaxation"] == [
        "mofcom-2025-11-05-ecl-adjustment", "uel-2025-11-05-adjustment",
        "mofcom-2025-70", "mofcom-2025-11-09-suspension-2024-46",
    ]  # fmt: skip
    numbers = {r["control_id"]: r["doc_number_en"] for r in rows}
    assert numbers["mofcom-2025-70"] == "MOFCOM/GACC Announcement No. 70 of 2025"
    assert numbers["mofcom-2025-11-09-suspension-2024-46"] == "MOFCOM Announcement No. 72 of 2025"
    assert numbers["mofcom-2025-11-05-ecl-adjustment"] == ""  # an on-record statement, no numbered notice


def test_measures_in_force_at_the_horizon_worked_out_by_hand():
    rows = _answer("measures_in_force_at_the_horizon")
    # Nothing lifted or suspended those 17 after 2025-11-15; since then came No. 1 of 2026 (2026-01-06), the
    # Japanese listings Nos. 11 and 12 (2026-02-24) and the June 2026 listings (US entities 2026-06-22,
    # Japanese entities, control and watch lists, 2026-06-29). The freeze is unknown (reported practice), and
    # the October notices, ECL No. 21 and UEL No. 7 are unknown after their suspensions end on 2026-11-10.
    assert [r["control_id"] for r in rows] == [*IN_FORCE_2025_11_15, "mofcom-2026-1", "mofcom-2026-11",
                                               "mofcom-2026-12", "mofcom-2026-06-22-us-entities-control-list",
                                               "mofcom-2026-06-29-jpn-entities-control-list",
                                               "mofcom-2026-06-29-jpn-entities-watch-list"]  # fmt: skip
    watch = rows[-1]  # its effective date was not read
    assert watch["reason"] == "applies from its announcement (no effective date recorded)"


def test_status_answer_worked_out_by_hand():
    rows = {r["control_id"]: r for r in _answer("status_of_every_measure_at_the_horizon")}
    assert len(rows) == 47 and {r["status_as_of"] for r in rows.values()} == {"2026-11-26"}
    by_status: dict[str, set[str]] = {}
    for cid, r in rows.items():
        by_status.setdefault(r["status"], set()).add(cid)
    assert by_status["ended"] == {
        "chn-2010-japan-rare-earth-halt",  # last applied c. 2010-11-19
        "mofcom-rare-earth-export-quotas-2010-2014",  # last applied 2014-12-31
        "mofcom-2025-13", "uel-2025-5", "mofcom-2025-22", "uel-2025-8",  # lifted
        "mofcom-2025-05-14-ecl-suspension", "uel-2025-05-14-suspension",  # taken over on 2025-08-12
        "mofcom-2025-08-12-ecl-adjustment", "uel-2025-08-12-adjustment",  # taken over on 2025-11-10
    }  # fmt: skip
    assert by_status["unknown"] == {
        "chn-2026-01-japan-licence-freeze",  # reported, nothing after 2026-02-08
        *(f"mofcom-2025-{n}" for n in (55, 56, 57, 58, 61, 62)), "mofcom-2025-70",  # No. 70 until 2026-11-10
        "mofcom-2025-21", "uel-2025-7", "mofcom-2025-11-05-ecl-adjustment", "uel-2025-11-05-adjustment",
    }  # fmt: skip
    assert by_status["partially_suspended"] == {"mofcom-2024-46"}  # No. 72 runs to 2026-11-27
    in_force = set(IN_FORCE_2025_11_15) - {"mofcom-2024-46"}
    in_force |= {"mofcom-2026-1", "mofcom-2026-11", "mofcom-2026-12", "mofcom-2026-06-22-us-entities-control-list",
                 "mofcom-2026-06-29-jpn-entities-control-list", "mofcom-2026-06-29-jpn-entities-watch-list",
                 "mofcom-2025-11-09-suspension-2024-46", "mofcom-2025-12-general-licences"}  # fmt: skip
    assert by_status["in_force"] == in_force and set(by_status) == {"ended", "unknown", "partially_suspended",
                                                                    "in_force"}  # fmt: skip
    assert not by_status["in_force"] & {r for r in rows if rows[r]["certainty"] == "reported"}


def test_latest_dependency_keeps_ties_each_with_its_source(tmp_path: Path):
    """Two sources for the same latest period and definition: both are kept, neither is chosen by id.
    Without MCS 2026's 2025 estimate the latest US net import reliance is for 2024, given twice: 80% by
    MCS 2025 (an estimate) and 53% by MCS 2026 (the revision)."""
    pkg = copy_package(tmp_path)
    path = tmp_path / "data" / "dependency_ratios.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept = [r for r in rows if r["ratio_id"] != "usgs-mcs-2026-usa-nir-2025"]
    assert len(kept) == len(rows) - 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    build(pkg, tmp_path / "dist", rules=RULES, derived_sql=derived_sql())
    con = duckdb.connect(str(tmp_path / "dist" / DB_NAME), read_only=True)
    got = con.execute(
        "SELECT ratio_id, value, source_id, source_publisher_en, figures_for_period FROM latest_dependency "
        "WHERE importer_code = 'USA' AND metric = 'net_import_reliance' ORDER BY ratio_id"
    ).fetchall()
    con.close()
    assert got == [
        ("usgs-mcs-2025-usa-nir-2024", 0.8, "usgs-mcs-2025-rare-earths", "U.S. Geological Survey", 2),
        ("usgs-mcs-2026-usa-nir-2024", 0.53, "usgs-mcs-2026-rare-earths", "U.S. Geological Survey", 2),
    ]


def test_funding_counts_a_replaced_total_once(tmp_path: Path):
    """Mark the Lynas 2023 row as an increment instead of a new total: the US$120m comes back."""
    pkg = copy_package(tmp_path)
    set_cells(tmp_path / "data" / "deals.csv", "dod-lynas-usa-hree-2023", {"parent_relation": "increment"})
    build(pkg, tmp_path / "dist", rules=RULES, derived_sql=derived_sql())
    con = duckdb.connect(str(tmp_path / "dist" / DB_NAME), read_only=True)
    (amount,) = con.execute(
        "SELECT amount FROM funding_by_country WHERE funder_code = 'USA' AND funder_sector = 'public' "
        "AND stage = 'pledged'"
    ).fetchone()
    con.close()
    assert amount == 1_632_600_000 + 120_000_000
