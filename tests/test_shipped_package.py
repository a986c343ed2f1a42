"""The package this repository ships is valid, by our validator and by frictionless."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, json_findings


def test_shipped_package_is_valid_without_warnings():
    code, findings = json_findings("validate", str(ROOT / "datapackage.json"))
    assert findings == []
    assert code == 0


def test_frictionless_agrees():
    exe = Path(sys.executable).parent / "frictionless"
    proc = subprocess.run([str(exe), "validate", "datapackage.json", "--json"], capture_output=True, text=True,
                          cwd=ROOT)  # fmt: skip
    report = json.loads(proc.stdout)
    assert report["valid"], [t["errors"][:3] for t in report["tasks"] if not t["valid"]]


def test_descriptor_declares_v2_and_licences():
    pkg = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["$schema"].startswith("https://datapackage.org/profiles/2.0/")
    assert pkg["name"] == "rare-earth-supply-chain"
    assert any(lic["name"] == "CC-BY-4.0" for lic in pkg["licenses"])
    names = [r["name"] for r in pkg["resources"]]
    assert names == ["sources", "jurisdictions", "entities", "materials", "material_groups", "dependency_ratios",
                     "deals", "deal_parties", "export_controls", "control_items", "control_links", "entity_listings",
                     "claims", "claim_evidence"]  # fmt: skip
    assert pkg["version"] == "2.0.0" and pkg["evidenceHorizon"] == "2026-11-26"


def test_every_field_is_described_and_every_table_keyed():
    for path in sorted((ROOT / "schemas").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["primaryKey"], path.name
        for field in schema["fields"]:
            assert field.get("description"), f"{path.name}:{field['name']}"


def test_csvs_are_in_primary_key_order():
    import csv

    pkg = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        schema = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
        with open(ROOT / res["path"], encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        keys = [tuple(r[k] for k in schema["primaryKey"]) for r in rows]
        assert keys == sorted(keys), res["name"]
