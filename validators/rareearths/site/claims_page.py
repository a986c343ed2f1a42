""" "Claims checked": each claim from the `claims` table with its verdict, reasoning, evidence and
the day it was checked, marked up as schema.org `ClaimReview` so fact-check readers and search
engines can find the review.
"""

from __future__ import annotations

import html
from typing import Any

from rareearths.site.dataset_metadata import jsonld_snippet
from rareearths.site.markup import HIDE_TOC
from rareearths.site.package import Package

VERDICTS = {  # words, and a 1-5 rating for ClaimReview (none where the claim cannot be checked)
    "supported": ("Supported", 5),
    "partly_supported": ("Partly supported", 3),
    "unsupported": ("Unsupported", 2),
    "contradicted": ("Contradicted", 1),
    "not_checkable": ("Cannot be checked", None),
}
EVIDENCE_ROWS = (("ratio_id", "dependency_ratios"), ("deal_id", "deals"), ("control_id", "export_controls"))
REVIEWER = {"@type": "Organization", "name": "rareearths contributors"}


def _rows(package: Package, name: str) -> list[dict[str, str]]:
    try:
        return package.resource(name).rows
    except KeyError:
        return []


def claim_review(claim: dict[str, str], sources: dict[str, dict[str, str]], page_url: str) -> dict[str, Any]:
    """One ClaimReview: the claim, who made it where and when, the verdict as a rating, when it was checked."""
    words, rating = VERDICTS.get(claim["verdict"], (claim["verdict"], None))
    source = sources.get(claim.get("claimed_in_source_id", ""), {})
    appearance = {"@type": "CreativeWork", "name": source.get("title_en", "")}
    if source.get("url"):
        appearance["url"] = source["url"]
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": claim.get("claimant_en", "")},
        "appearance": appearance,
    }
    if claim.get("claimed_on"):
        item["datePublished"] = claim["claimed_on"]
    rating_doc: dict[str, Any] = {"@type": "Rating", "alternateName": words}
    if rating is not None:
        rating_doc |= {"ratingValue": rating, "bestRating": 5, "worstRating": 1}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{page_url}#{claim['claim_id']}",
        "claimReviewed": claim.get("claim_en", ""),
        "datePublished": claim.get("checked_on", ""),
        "author": REVIEWER,
        "itemReviewed": item,
        "reviewRating": rating_doc,
    }


def _evidence_items(evidence: list[dict[str, str]], sources: dict[str, dict[str, str]]) -> list[str]:
    items = []
    for ev in sorted(evidence, key=lambda e: int(e.get("evidence_no") or 0)):
        src = sources.get(ev["source_id"], {})
        name = ", ".join(filter(None, [src.get("publisher_en", ""), src.get("published_on", "")])) or ev["source_id"]
        parts = [f'<a href="data/sources.html#{html.escape(ev["source_id"], quote=True)}">{html.escape(name)}</a>']
        for field, table in EVIDENCE_ROWS:
            if ev.get(field):
                key = html.escape(ev[field], quote=True)
                parts.append(f'row <a href="data/{table}.html#{key}"><code>{html.escape(ev[field])}</code></a>')
        if ev.get("note"):
            parts.append(html.escape(ev["note"]))
        items.append("<li>" + " · ".join(parts) + "</li>")
    return items


def claim_block(claim: dict[str, str], evidence: list[dict[str, str]], sources: dict[str, dict[str, str]]) -> str:
    words, _ = VERDICTS.get(claim["verdict"], (claim["verdict"], None))
    cid = html.escape(claim["claim_id"], quote=True)
    source = sources.get(claim.get("claimed_in_source_id", ""), {})
    where = html.escape(source.get("title_en") or claim.get("claimed_in_source_id", ""))
    original = (
        f'<p class="re-claim-original" lang="und">{html.escape(claim["claim_original"])}</p>'
        if claim.get("claim_original")
        else ""
    )
    items = _evidence_items(evidence, sources)
    return "\n".join(
        [
            f'<section class="re-claim" id="{cid}">',
            f'<p class="re-claim-text">“{html.escape(claim.get("claim_en", ""))}”</p>',
            original,
            f'<p class="re-claim-who">{html.escape(claim.get("claimant_en", ""))}, '
            f'{html.escape(claim.get("claimed_on", ""))}, in <a href="data/sources.html#'
            f'{html.escape(claim.get("claimed_in_source_id", ""), quote=True)}">{where}</a></p>',
            f'<p><span class="re-verdict re-verdict-{html.escape(claim["verdict"])}">{html.escape(words)}</span> '
            f"{html.escape(claim.get('reasoning_en', ''))}</p>",
            '<ul class="re-claim-evidence">' + "".join(items) + "</ul>" if items else "",
            f'<p class="re-claim-checked">Checked on <time datetime="{html.escape(claim.get("checked_on", ""))}">'
            f"{html.escape(claim.get('checked_on', ''))}</time> · <code>{html.escape(claim['claim_id'])}</code></p>",
            "</section>",
        ]
    )


def claims_page(package: Package, page_url: str) -> str:
    claims = _rows(package, "claims")
    evidence = _rows(package, "claim_evidence")
    sources = {s["source_id"]: s for s in _rows(package, "sources")}
    intro = [
        HIDE_TOC + "# Claims checked",
        "",
        "Figures and statements about rare earths that circulate in the press, each checked against the "
        "sources and rows of this package: what was claimed, by whom and where, the verdict, why, the "
        "evidence, and the day the check was last made. Rows: [`claims`](data/claims.md) and "
        "[`claim_evidence`](data/claim_evidence.md). Each review is also published as schema.org "
        "`ClaimReview` markup.",
        "",
    ]
    if not claims:
        return "\n".join([*intro, '!!! note "No claims yet"', "    This version checks no claims yet."]) + "\n"
    counts = {v: sum(1 for c in claims if c["verdict"] == v) for v in VERDICTS}
    summary = ", ".join(f"{n} {VERDICTS[v][0].lower()}" for v, n in counts.items() if n)
    reviews = [claim_review(c, sources, page_url) for c in claims]
    blocks = [
        claim_block(c, [e for e in evidence if e["claim_id"] == c["claim_id"]], sources)
        for c in sorted(claims, key=lambda c: (c.get("claimed_on", ""), c["claim_id"]))
    ]
    return "\n".join([*intro, f"**{len(claims)} claims:** {summary}.", "", *blocks, "", jsonld_snippet(reviews)])
