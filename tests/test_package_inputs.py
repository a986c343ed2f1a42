"""What `validate` accepts: the repo descriptor, v1 descriptors, zips, a CSV with --schema; and refusals."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.conftest import json_findings, run_cli, set_cells


def _v1(descriptor: Path) -> None:
    """Rewrite a v2 package in Data Package v1 spellings."""
    pkg = json.loads(descriptor.read_text(encoding="utf-8"))
    pkg.pop("$schema")
    pkg["profile"] = "tabular-data-package"
    for res in pkg["resources"]:
        res["profile"] = "tabular-data-resource"
        res.pop("type", None)
        res["dialect"].pop("$schema", None)
        schema_path = descriptor.parent / res.pop("schema")
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        schema.pop("$schema", None)
        if len(schema["primaryKey"]) == 1:
            schema["primaryKey"] = schema["primaryKey"][0]
        for fk in schema.get("foreignKeys", []):
            if fk["reference"]["resource"] == res["name"]:
                fk["reference"]["resource"] = ""
            if len(fk["fields"]) == 1:
                fk["fields"] = fk["fields"][0]
                fk["reference"]["fields"] = fk["reference"]["fields"][0]
        for f in schema["fields"]:
            f.pop("categories", None)
        res["schema"] = schema
    descriptor.write_text(json.dumps(pkg, ensure_ascii=False), encoding="utf-8")


def test_v1_descriptor_is_read_like_v2(mini: Path):
    _v1(mini)
    code, findings = json_findings("validate", str(mini))
    assert findings == [] and code == 0
    # the v1 self-reference ('' resource) is still checked
    row = set_cells(mini.parent / "data" / "entities.csv", "mofcom", {"parent_entity_id": "no-such"})
    _, findings = json_findings("validate", str(mini))
    assert {(f["type"], f["row"], f["field"]) for f in findings} == {("foreign-key", row, "parent_entity_id")}


def test_zipped_package(mini: Path, tmp_path: Path):
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in mini.parent.rglob("*"):
            if p.is_file():
                zf.write(p, Path("pkg") / p.relative_to(mini.parent))
    code, findings = json_findings("validate", str(archive))
    assert findings == [] and code == 0


def test_zip_member_escaping_is_refused(tmp_path: Path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../evil.txt", "x")
        zf.writestr("datapackage.json", "{}")
    code, findings = json_findings("validate", str(archive))
    assert code != 0
    assert any("outside the extraction folder" in f["message"] for f in findings)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_folder_means_its_datapackage(mini: Path):
    assert run_cli("validate", str(mini.parent))[0] == 0


def test_invalid_json_names_line_and_column(tmp_path: Path):
    bad = tmp_path / "datapackage.json"
    bad.write_text('{\n  "name": "x",\n  "resources": [\n}\n', encoding="utf-8")
    code, findings = json_findings("validate", str(bad))
    assert code == 2
    assert findings[0]["row"] == 4 and "line 4, column 1" in findings[0]["message"]


def test_unsafe_resource_paths_are_refused(mini: Path):
    pkg = json.loads(mini.read_text(encoding="utf-8"))
    pkg["resources"][0]["path"] = "/etc/passwd"
    pkg["resources"][1]["path"] = "../outside.csv"
    pkg["resources"][2]["path"] = "https://example.org/data.csv"
    mini.write_text(json.dumps(pkg), encoding="utf-8")
    code, findings = json_findings("validate", str(mini))
    msgs = " ".join(f["message"] for f in findings if f["type"] == "path-error")
    assert "absolute" in msgs and "'..'" in msgs
    # a URL is a source frictionless would fetch: a scheme error, refused without --allow-remote
    assert any(f["type"] == "scheme-error" and "URL" in f["message"] for f in findings)
    assert code == 1


def test_symlink_out_of_package_is_refused(mini: Path, tmp_path: Path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.csv"
    outside.write_text("x\n1\n", encoding="utf-8")
    data = mini.parent / "data" / "sources.csv"
    data.unlink()
    data.symlink_to(outside)
    _, findings = json_findings("validate", str(mini))
    assert any(f["type"] == "path-error" and "symlink" in f["message"] for f in findings)


def test_schema_problems_are_findings(mini: Path):
    pkg = json.loads(mini.read_text(encoding="utf-8"))
    pkg["resources"].append(dict(pkg["resources"][0]))  # duplicate name
    mini.write_text(json.dumps(pkg), encoding="utf-8")
    schema = mini.parent / "schemas" / "deals.json"
    s = json.loads(schema.read_text(encoding="utf-8"))
    s["fields"][1]["type"] = "text"
    s["foreignKeys"].append({"fields": ["deal_id"], "reference": {"resource": "nowhere", "fields": ["id"]}})
    schema.write_text(json.dumps(s), encoding="utf-8")
    code, findings = json_findings("validate", str(mini))
    text = " ".join(f["message"] for f in findings)
    assert "used twice" in text and "unknown type 'text'" in text and "'nowhere', which does not exist" in text
    assert code == 1


def test_missing_schema_file(mini: Path):
    (mini.parent / "schemas" / "deals.json").unlink()
    code, findings = json_findings("validate", str(mini))
    assert code == 1 and any(f["resource"] == "deals" and "does not exist" in f["message"] for f in findings)


def test_usage_errors_exit_2(tmp_path: Path):
    assert run_cli("validate", str(tmp_path / "nope.json"))[0] == 2
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("a\n1\n", encoding="utf-8")
    code, out = run_cli("validate", str(csv_file))
    assert code == 2 and "--schema" in out


def test_invalid_schema_json_names_the_schema_and_keeps_checking_the_rest(mini: Path):
    (mini.parent / "schemas" / "deals.json").write_text('{"fields": [', encoding="utf-8")
    code, findings = json_findings("validate", str(mini))
    bad = [f for f in findings if f["type"] == "schema-error" and "deals.json" in (f["path"] or "")]
    assert code == 1 and bad and "invalid JSON" in bad[0]["message"]
    assert not any(f["type"] == "source-error" for f in findings)
