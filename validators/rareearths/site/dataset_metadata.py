"""schema.org `Dataset` JSON-LD for the home page, so search engines (Google Dataset Search and
others) can find, describe and cite the release: name, description, version, licence, creator,
temporal coverage and every download with its size and SHA-256.

Downloads point at the GitHub release of the version (the assets `.github/workflows/release.yml`
attaches, under the same names as here), and the checksums are those of the files on this site.
"""

from __future__ import annotations

import json
from typing import Any

from rareearths.site.home import Artifact
from rareearths.site.package import Package

FORMATS = {
    ".zip": "application/zip",
    ".parquet": "application/vnd.apache.parquet",
    ".duckdb": "application/vnd.duckdb",
}
COVERAGE_EXCLUDED = {"checked_on", "accessed_on"}  # when we looked, not what the data is about


def temporal_coverage(package: Package) -> str:
    """First and last date in the data's date fields (facts, not the sources' own dates), as `start/end`; the
    end is at most the evidence horizon (a notice may name a later date, but nothing after it was checked)."""
    dates = []
    for res in package.resources:
        if res.name == "sources":
            continue
        fields = [f["name"] for f in res.fields if f.get("type") == "date" and f["name"] not in COVERAGE_EXCLUDED]
        dates += [row[f] for row in res.rows for f in fields if row.get(f)]
    horizon = str(package.descriptor.get("evidenceHorizon", "")) or max(dates, default="")
    return f"{min(dates)}/{min(max(dates), horizon)}" if dates else ""


def download_url(homepage: str, version: str, name: str) -> str:
    """The asset of the version's GitHub release (flat names: `parquet/deals.parquet` is `deals.parquet`)."""
    return f"{homepage.rstrip('/')}/releases/download/v{version}/{name.rsplit('/', 1)[-1]}"


def dataset(package: Package, artifacts: list[Artifact], release_date: str | None) -> dict[str, Any]:
    d = package.descriptor
    homepage = str(d.get("homepage", ""))
    licences = d.get("licenses", [])
    creators = [c.get("title", "") for c in d.get("contributors", []) if "creator" in c.get("roles", [])]
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": d.get("title", package.slug),
        "alternateName": package.slug,
        "description": d.get("description", ""),
        "version": package.version,
        "url": homepage,
        "sameAs": str(d.get("id", homepage)),
        "keywords": list(d.get("keywords", [])),
        "license": licences[0].get("path", licences[0].get("name")) if licences else None,
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": name} for name in creators],
        "temporalCoverage": temporal_coverage(package),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": a.name,
                "encodingFormat": FORMATS.get("." + a.name.rsplit(".", 1)[-1], "text/plain"),
                "contentUrl": download_url(homepage, package.version, a.name),
                "contentSize": f"{a.size} B",
                "sha256": a.sha256,
            }
            for a in artifacts
        ],
    }
    if d.get("evidenceHorizon"):
        doc["dateModified"] = d["evidenceHorizon"]
    if release_date:
        doc["datePublished"] = release_date
    return {k: v for k, v in doc.items() if v not in (None, "", [])}


def jsonld_snippet(doc: dict[str, Any] | list[dict[str, Any]]) -> str:
    """The `<script type="application/ld+json">` block; `</` is escaped so the JSON cannot end the script."""
    body = json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{body}\n</script>\n'
