"""Tables a person reads: money with currency and scale, shares as percentages, dates at their
precision, a label before the ID, key columns first, and per-table downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rareearths.site import cell_format
from rareearths.site.package import load_package
from rareearths.site.table_layout import Labels, column_order
from rareearths.site.tables import data_page
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("amount", "currency", "qualifier", "shown"),
    [
        ("155200000000", "JPY", "", "¥155.2bn"),
        ("250000000", "USD", "", "US$250m"),
        ("1250000000", "AUD", "", "A$1.25bn"),
        ("250000000", "USD", "up_to", "up to US$250m"),
        ("120000000", "USD", "about", "about US$120m"),
        ("250000", "EUR", "", "€250,000"),
        ("1500000000000", "JPY", "", "¥1.5tn"),
        ("30000000", "KZT", "", "KZT 30m"),
    ],
)
def test_money(amount: str, currency: str, qualifier: str, shown: str):
    assert cell_format.money(amount, currency, qualifier) == shown


def test_shares_and_dates():
    assert [cell_format.share(v) for v in ("0.9", "0.796", "1", "0.311", "0")] == [
        "90%",
        "79.6%",
        "100%",
        "31.1%",
        "0%",
    ]
    assert cell_format.share("0.6", "about") == "about 60%"
    assert cell_format.dated("2011-03-01", "month") == "2011-03"
    assert cell_format.dated("2010-01-01", "year") == "2010"
    assert cell_format.dated("2010-09-21", "approximate") == "c. 2010-09-21"
    assert cell_format.dated("2025-04-04", "day") == "2025-04-04"


@pytest.fixture(scope="module")
def package():
    return load_package(ROOT)


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr id=.*?</tr>", page)


def test_deals_page_reads_like_a_table(package):
    res = package.resource("deals")
    page = data_page(res, Labels(package))
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", page).group(1)
    columns = re.findall(r"<th[^>]*>([^<]*)</th>", header)
    assert columns[:4] == ["What", "deal_id", "announced_on", "amount"]
    assert set(columns[1:]) == set(res.field_names)  # every column is still there
    assert columns.index("quote") > columns.index("status")
    assert "[CSV](../downloads/csv/deals.csv) · [Parquet](../downloads/parquet/deals.parquet)" in page
    row = next(r for r in res.rows if r["amount"] and r["currency"] == "USD" and r["amount_qualifier"] in ("", "exact"))
    html_row = next(r for r in _rows(page) if f'id="{row["deal_id"]}"' in r)
    assert f'<td class="re-label">{row["title_en"]}' in html_row.replace("&#x27;", "'")
    assert cell_format.money(row["amount"], "USD") in html_row and f'data-sort="{row["amount"]}"' in html_row
    assert "155200000000" not in re.sub(r'data-sort="[^"]*"', "", page)


def test_ratios_show_percentages_and_a_composed_label(package):
    res = package.resource("dependency_ratios")
    page = data_page(res, Labels(package))
    row = next(r for r in res.rows if r["value"] == "0.9" and r["importer_code"] == "JPN")
    html_row = next(r for r in _rows(page) if f'id="{row["ratio_id"]}"' in r)
    assert ">90%</td>" in html_row or ">about 90%</td>" in html_row
    assert "Japan from China: import share" in html_row


def test_references_show_names_and_keep_the_id(package):
    page = data_page(package.resource("deals"), Labels(package))
    assert re.search(
        r'<a href="jurisdictions.html#USA" title="USA">United States</a> <span class="re-id">USA</span>', page
    )


def test_key_columns_first_then_long_texts_last(package):
    order = column_order(package.resource("export_controls"))
    assert order[:3] == ["control_id", "doc_number_en", "announced_on"]
    assert order.index("quote") > order.index("target_code") and order[-1].endswith("_precision")


def test_every_table_page_offers_its_csv(site: Path):
    for page in (site / "generated" / "data").glob("*.html"):
        if page.name == "index.html":
            continue
        name = page.stem
        assert (site / "generated" / "downloads" / "csv" / f"{name}.csv").read_bytes() == (
            ROOT / "data" / f"{name}.csv"
        ).read_bytes()
        text = page.read_text(encoding="utf-8")
        assert f'href="../downloads/csv/{name}.csv"' in text and f'href="../downloads/parquet/{name}.parquet"' in text
