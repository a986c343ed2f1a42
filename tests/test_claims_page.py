"""The "Claims checked" page: every claim with its verdict, evidence and checked_on, and schema.org
ClaimReview markup that says the same."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from rareearths.site.claims_page import claims_page
from rareearths.site.package import load_package
from tests.conftest import copy_package


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows([{k: r.get(k, "") for k in header} for r in rows])


def _package_with_claims(tmp_path: Path):
    copy_package(tmp_path)
    with open(tmp_path / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        sources = list(csv.DictReader(fh))
    with open(tmp_path / "data" / "deals.csv", encoding="utf-8", newline="") as fh:
        deal = next(csv.DictReader(fh))
    claims = [
        {"claim_id": "b-claim", "claim_en": "Japan gets 60% of its rare earths from China.", "claim_original": "日本…",
         "claimant_en": "World Journal (世界日報)", "claimed_in_source_id": sources[0]["source_id"],
         "claimed_on": "2025-12-09", "verdict": "partly_supported", "reasoning_en": "The share is 60-70% by one count.",
         "checked_on": "2026-11-20"},
        {"claim_id": "a-claim", "claim_en": "No deal was ever signed.", "claimant_en": "Someone",
         "claimed_in_source_id": sources[1]["source_id"], "claimed_on": "2025-01-02", "verdict": "contradicted",
         "reasoning_en": "Deals were signed.", "checked_on": "2026-11-21"},
    ]  # fmt: skip
    evidence = [
        {"claim_id": "a-claim", "evidence_no": "1", "source_id": deal["source_id"], "deal_id": deal["deal_id"]},
    ]
    _write(tmp_path / "data" / "claims.csv", claims)
    _write(tmp_path / "data" / "claim_evidence.csv", evidence)
    return load_package(tmp_path), deal


def test_each_claim_shows_verdict_evidence_and_checked_on(tmp_path: Path):
    package, deal = _package_with_claims(tmp_path)
    page = claims_page(package, "claims.html")
    assert "**2 claims:** 1 partly supported, 1 contradicted." in page
    assert page.index('id="a-claim"') < page.index('id="b-claim"')  # by the day the claim was made
    block = page[page.index('id="a-claim"') : page.index("</section>", page.index('id="a-claim"'))]
    assert 'class="re-verdict re-verdict-contradicted">Contradicted</span>' in block
    assert f'href="data/deals.html#{deal["deal_id"]}"' in block
    assert 'Checked on <time datetime="2026-11-21">2026-11-21</time>' in block


def test_claim_review_markup(tmp_path: Path):
    package, _ = _package_with_claims(tmp_path)
    page = claims_page(package, "claims.html")
    (block,) = re.findall(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.S)
    reviews = {r["url"]: r for r in json.loads(block)}
    review = reviews["claims.html#b-claim"]
    assert review["@type"] == "ClaimReview" and review["datePublished"] == "2026-11-20"
    assert review["claimReviewed"] == "Japan gets 60% of its rare earths from China."
    assert review["itemReviewed"]["author"]["name"] == "World Journal (世界日報)"
    assert review["itemReviewed"]["datePublished"] == "2025-12-09"
    assert review["reviewRating"] == {
        "@type": "Rating", "alternateName": "Partly supported", "ratingValue": 3, "bestRating": 5, "worstRating": 1
    }  # fmt: skip


def test_no_claims_yet(tmp_path: Path):
    copy_package(tmp_path)
    _write(tmp_path / "data" / "claims.csv", [])
    assert "This version checks no claims yet." in claims_page(load_package(tmp_path), "claims.html")
