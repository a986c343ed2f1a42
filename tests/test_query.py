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
        + 258_000_000  # dod-lynas-usa-hree-2023, about: the new total that replaces dod-lynas-usa-hree-2022
        # (about US$120m), so the 2022 row is not added as well
        + 400_000_000  # dod-mp-materials-2025-equity, exact
        + 150_000_000  # dod-mp-materials-2025-loan: an increment of the equity row, new money
        + 80_000_000  # osc-reelement-2025, exact
        + 620_000_000  # osc-vulcan-elements-2025, exact
    )
    assert float(usa["amount"]) == point == 1_552_600_000
    assert float(usa["of_which_approximate"]) == 258_000_000  # only the Lynas total says "approximately"
    # Ceilings are never added to the amount: the two CHIPS letters of intent (up to US$277m, up to
    # US$1.3bn) and the 2021 DPA cost-share (up to US$30m).
    assert float(usa["up_to"]) == 277_000_000 + 1_300_000_000 + 30_000_000
    # Floors likewise: the US-Australia framework's "at least US$1bn" per side.
    assert float(usa["at_least"]) == 1_000_000_000
    assert int(usa["deals"]) == 7 + 3 + 1 and "dod-lynas-usa-hree-2022" not in usa["deal_ids"].split()
    # Private US money is kept apart: Apple's US$500m purchase commitment and the US$1bn JPMorgan and
    # Goldman Sachs financing commitment (jpm-gs-mp-materials-2025).
    assert float(rows[("USA", "private", "USD", "pledged")]["amount"]) == 500_000_000 + 1_000_000_000
    # (1.0.0 added all of it into one USA/USD figure: 1,552.6 + 120 + 1,607 + 1,000 + 1,500 = US$5,779.6m.)

    # Australia: the A$1.25bn Iluka loan, its A$400m top-up (an increment, so added) and the NRF's A$200m.
    assert float(rows[("AUS", "public", "AUD", "pledged")]["amount"]) == 1_250_000_000 + 400_000_000 + 200_000_000
    assert float(rows[("AUS", "public", "USD", "pledged")]["amount"]) == 533_000_000  # EFA and NAIF, conditional
    # The EU's Just Transition Fund grant is "up to €18.7m": a ceiling only, no amount.
    eu = rows[("EU27", "public", "EUR", "pledged")]
    assert eu["amount"] == "" and float(eu["up_to"]) == 18_700_000
    assert float(rows[("FRA", "public", "EUR", "pledged")]["amount"]) == 106_000_000
    # Japan, public yen: ¥53.3bn FY2011 budget, ¥39bn to JOGMEC (2026), "around" ¥42bn METI subsidies
    # (about, so also in of_which_approximate) and the ¥20.9bn 2019 supplementary budget.
    jpn = rows[("JPN", "public", "JPY", "pledged")]
    assert float(jpn["amount"]) == 53_300_000_000 + 39_000_000_000 + 42_000_000_000 + 20_900_000_000
    assert float(jpn["of_which_approximate"]) == 42_000_000_000
    # JARE (a company) alone funds the 2022 US$9m equity (paid) and the 2023 A$200m contribution (signed).
    assert float(rows[("JPN", "private", "USD", "disbursed")]["amount"]) == 9_000_000
    assert float(rows[("JPN", "private", "AUD", "pledged")]["amount"]) == 200_000_000
    # Two deals have public (JOGMEC) and private (Sojitz, Iwatani, JARE) funders and await their split into
    # one row per sector: their sector is empty, their money apart from both.
    assert rows[("JPN", "", "USD", "disbursed")]["deal_ids"] == "jogmec-sojitz-lynas-2011"
    assert float(rows[("JPN", "", "USD", "disbursed")]["amount"]) == 250_000_000
    assert float(rows[("JPN", "", "EUR", "pledged")]["amount"]) == 110_000_000  # jogmec-iwatani-caremag-2025
    # Nothing else has an amount: offtakes, price floors and the 2019 loan extension carry none.
    assert len(rows) == 11


def test_dysprosium_answer_worked_out_by_hand():
    rows = {(r["control_id"], r["covered_as"], r["path"]) for r in _answer("notices_covering_dysprosium")}
    # material_groups: heavy-rare-earths contains dy; rare-earths and MOFCOM's medium-and-heavy-rare-earths
    # contain heavy-rare-earths. control_items: No. 18 lists dy itself; No. 61's Chinese-origin items are
    # medium and heavy rare earths (1.0.0 missed it: a material had a single parent); four measures cover
    # rare earths as a whole. No. 57 (Ho, Er, Tm, Eu, Yb) does not cover Dy.
    via_rare_earths = "dy > heavy-rare-earths > rare-earths"
    assert rows == {
        ("mofcom-2025-18", "dy", "dy"),
        ("mofcom-2025-61", "medium-and-heavy-rare-earths", "dy > heavy-rare-earths > medium-and-heavy-rare-earths"),
        ("chn-2010-japan-rare-earth-halt", "rare-earths", via_rare_earths),
        ("chn-2026-01-japan-licence-freeze", "rare-earths", via_rare_earths),
        ("chn-state-council-decree-785", "rare-earths", via_rare_earths),
        ("mofcom-rare-earth-export-quotas-2010-2014", "rare-earths", via_rare_earths),
    }


def test_latest_us_dependence_worked_out_by_hand():
    rows = {r["ratio_id"]: r for r in _answer("latest_us_dependence")}
    # Net import reliance (compounds and metals, by weight, one definition): MCS 2019 gives 2014 and 2015,
    # MCS 2021 gives 2016-2020, MCS 2025 gives 2024. The latest period is 2024: 0.8.
    assert rows["usgs-mcs-2025-usa-nir-2024"]["value"] == "0.8"
    assert not [r for r in rows if "-nir-" in r and r != "usgs-mcs-2025-usa-nir-2024"]
    # China's share of compounds and metals: USGS MCS 2025 (2020-23, by weight) and Resource Clips' report
    # of MCS 2017 (2012-15, basis not stated) differ in basis, so each is the latest of its own definition
    # (1.0.0 kept only the first). Rare earths from China: Motley Fool (2024, by weight), ChinaPulse (MCS
    # 2024 window) and NewsTarget (MCS 2026 window) differ in basis or scope: three figures, not one.
    assert set(rows) == {
        "usgs-mcs-2025-usa-nir-2024",
        "usgs-mcs-2025-usa-import-share-chn-2020-2023",
        "resource-clips-usgs-mcs-2017-usa-import-share-chn",
        "motley-fool-usa-import-share-chn-2024",
        "chinapulse-usgs-mcs-2024-usa-import-share-chn-2019-2022",
        "newstarget-usgs-mcs-2026-usa-import-share-chn-2021-2024",
        "ckhq-usa-yttrium-import-share-chn-2020-2023",
        "kita-usa-ndfeb-import-share-chn-2022",
        "usgs-mcs-2025-usa-import-share-mys-2020-2023",  # Malaysia, Japan and Estonia: one row each
        "usgs-mcs-2025-usa-import-share-jpn-2020-2023",
        "usgs-mcs-2025-usa-import-share-est-2020-2023",
        "chinapulse-usgs-mcs-2024-usa-import-share-mys-2019-2022",
    }
    assert {r["figures_for_period"] for r in rows.values()} == {"1"}  # no two sources for one latest period
    assert rows["newstarget-usgs-mcs-2026-usa-import-share-chn-2021-2024"]["value_qualifier"] == "about"


def test_latest_dependency_keeps_ties_each_with_its_source(tmp_path: Path):
    """Two sources for the same latest period and definition: both are kept, neither is chosen by id."""
    pkg = copy_package(tmp_path)
    with open(tmp_path / "data" / "dependency_ratios.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    twin = dict(next(r for r in rows if r["ratio_id"] == "usgs-mcs-2025-usa-nir-2024"))
    twin.update(ratio_id="usgs-mcs-2021-usa-nir-2024-twin", source_id="usgs-mcs-2021-rare-earths")
    with open(tmp_path / "data" / "dependency_ratios.csv", "a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(twin), lineterminator="\n").writerow(twin)
    build(pkg, tmp_path / "dist", rules=RULES, derived_sql=derived_sql())
    con = duckdb.connect(str(tmp_path / "dist" / DB_NAME), read_only=True)
    got = con.execute(
        "SELECT ratio_id, source_publisher_en, figures_for_period FROM latest_dependency "
        "WHERE importer_code = 'USA' AND metric = 'net_import_reliance' ORDER BY ratio_id"
    ).fetchall()
    con.close()
    assert got == [
        ("usgs-mcs-2021-usa-nir-2024-twin", "U.S. Geological Survey", 2),
        ("usgs-mcs-2025-usa-nir-2024", "U.S. Geological Survey", 2),
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
    assert amount == 1_552_600_000 + 120_000_000
