"""Findable and citable: the Dataset JSON-LD on the home page, CITATION.cff and .zenodo.json
agreeing with datapackage.json, what the zip carries beside the package, and the release workflow."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import yaml

from rareearths.site.dataset_metadata import temporal_coverage
from rareearths.site.package import load_package
from tests.conftest import ROOT

PKG = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


def test_citation_cff_version_and_date_match_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(cff["version"]) == PKG["version"]
    assert str(cff["date-released"]) == PKG["created"][:10]
    assert cff["title"] == PKG["title"] and cff["license"] == PKG["licenses"][0]["name"]


def test_zenodo_metadata_matches_the_package():
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["upload_type"] == "dataset" and zenodo["license"] == "cc-by-4.0"
    assert zenodo["version"] == PKG["version"] and zenodo["publication_date"] == PKG["created"][:10]
    assert (zenodo["title"], zenodo["description"], zenodo["keywords"]) == (
        PKG["title"],
        PKG["description"],
        PKG["keywords"],
    )
    assert [c["name"] for c in zenodo["creators"]] == [c["title"] for c in PKG["contributors"]]


def _jsonld(page: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', page, re.S)
    return json.loads(block)


def test_home_page_describes_the_dataset_in_json_ld(site: Path, built_dist: Path):
    doc = _jsonld((site / "index.html").read_text(encoding="utf-8"))
    assert doc["@type"] == "Dataset" and doc["@context"] == "https://schema.org/"
    assert (doc["name"], doc["version"], doc["description"]) == (PKG["title"], PKG["version"], PKG["description"])
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["creator"] == [{"@type": "Organization", "name": "rareearths contributors"}]
    start, end = doc["temporalCoverage"].split("/")
    # from the earliest fact (Korean customs shares from 2005) to no later than the horizon; the 2010 halt inside
    assert start <= "2010-09-22" <= end <= PKG["evidenceHorizon"]
    downloads = {d["name"]: d for d in doc["distribution"]}
    zip_name = f"{PKG['name']}-{PKG['version']}.zip"
    assert {zip_name, "rare-earth-supply-chain.duckdb", "parquet/deals.parquet"} <= set(downloads)
    for name, d in downloads.items():
        data = (built_dist / name).read_bytes()
        assert d["sha256"] == hashlib.sha256(data).hexdigest() and d["contentSize"] == f"{len(data)} B", name
        assert d["contentUrl"].endswith(f"/releases/download/v{PKG['version']}/{name.rsplit('/', 1)[-1]}")


def test_home_page_states_the_evidence_horizon(site: Path):
    page = re.sub(r"<[^>]+>", "", (site / "index.html").read_text(encoding="utf-8"))
    assert f"Evidence horizon: {PKG['evidenceHorizon']}" in page


def test_temporal_coverage_ignores_when_sources_were_read():
    coverage = temporal_coverage(load_package(ROOT))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", coverage)


def test_zip_carries_a_readme_the_licences_and_the_citation(built_dist: Path):
    with zipfile.ZipFile(built_dist / f"{PKG['name']}-{PKG['version']}.zip") as zf:
        names = set(zf.namelist())
        assert {"README.md", "LICENSES/CC-BY-4.0.txt", "LICENSES/MIT.txt", "CITATION.cff", "datapackage.json"} <= names
        readme = zf.read("README.md").decode("utf-8")
        assert zf.read("CITATION.cff") == (ROOT / "CITATION.cff").read_bytes()
        assert zf.read("LICENSES/MIT.txt") == (ROOT / "LICENSE").read_bytes()
        assert b"Attribution 4.0 International Public License" in zf.read("LICENSES/CC-BY-4.0.txt")
    assert readme.startswith(f"# {PKG['title']}") and f"Version {PKG['version']}" in readme
    assert "**Evidence horizon:** " + (PKG.get("evidenceHorizon") or "not stated") in readme
    assert "| `deals` |" in readme


def test_release_workflow_attaches_artifacts_and_checksums_on_a_version_tag():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    assert workflow[True]["push"]["tags"] == ["v*.*.*"]  # YAML reads the key `on` as true
    assert workflow["permissions"] == {"contents": "write"}
    steps = workflow["jobs"]["release"]["steps"]
    script = "\n".join(s.get("run", "") for s in steps)
    assert "make" in script.split() and "sha256sum * > SHA256SUMS" in script
    assert 'gh release create "$GITHUB_REF_NAME" release-assets/*' in script
    assert any(s.get("uses", "").startswith("actions/setup-node") for s in steps)
