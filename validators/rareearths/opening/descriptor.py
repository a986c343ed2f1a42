"""Read a Data Package or Table Schema descriptor and normalise v1 spellings to v2.

Everything downstream sees one shape: list-valued keys, explicit self-references,
`missingValues` resolved per field. Pure functions apart from `read_json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rareearths.checking.findings import Finding

DEFAULT_MISSING = [""]


class DescriptorError(Exception):
    """A descriptor cannot be read at all; carries the finding to report."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_json(path: Path, what: str = "package-error") -> dict[str, Any]:
    """Parse a JSON file, turning every failure into a finding with line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DescriptorError(Finding(None, str(path), None, None, what, f"file not found: {path}")) from None
    except IsADirectoryError:
        raise DescriptorError(Finding(None, str(path), None, None, what, f"is a directory: {path}")) from None
    except UnicodeDecodeError as exc:
        raise DescriptorError(
            Finding(None, str(path), None, None, "encoding-error", f"not UTF-8 at byte {exc.start}")
        ) from None
    except OSError as exc:
        raise DescriptorError(Finding(None, str(path), None, None, what, f"cannot read: {exc}")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise DescriptorError(Finding(None, str(path), exc.lineno, None, what, msg)) from None
    if not isinstance(data, dict):
        raise DescriptorError(Finding(None, str(path), None, None, what, "descriptor must be a JSON object"))
    return data


def read_descriptor(path: Path, what: str = "package-error") -> dict[str, Any]:
    """A JSON descriptor, or a YAML one when the file name ends in .yaml or .yml (as frictionless allows)."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return read_json(path, what)
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DescriptorError(Finding(None, str(path), None, None, what, f"cannot read: {exc}")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        message = f"invalid YAML: {exc}".split("\n")[0]
        raise DescriptorError(Finding(None, str(path), line, None, what, message)) from None
    if not isinstance(data, dict):
        raise DescriptorError(Finding(None, str(path), None, None, what, "descriptor must be a mapping"))
    return data


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def normalise_schema(schema: dict[str, Any], resource_name: str) -> dict[str, Any]:
    """Return a v2-shaped copy of a Table Schema (v1 strings become lists, '' self-refs get a name)."""
    out = dict(schema)
    out.pop("profile", None)
    out["fields"] = [dict(f) for f in schema.get("fields", [])]
    out["primaryKey"] = as_list(schema.get("primaryKey"))
    out["uniqueKeys"] = [as_list(k) for k in schema.get("uniqueKeys", [])]
    schema_missing = schema.get("missingValues", DEFAULT_MISSING)
    for f in out["fields"]:
        f.setdefault("type", "any")
        f.setdefault("constraints", {})
        f["missingValues"] = f.get("missingValues", schema_missing)
    fks = []
    for fk in schema.get("foreignKeys", []):
        ref = fk.get("reference", {})
        fks.append(
            {
                "fields": as_list(fk.get("fields")),
                "reference": {
                    # v1 spells a self-reference as an empty string; v2 may omit the resource.
                    "resource": ref.get("resource") or resource_name,
                    "fields": as_list(ref.get("fields")),
                },
            }
        )
    out["foreignKeys"] = fks
    return out


def missing_values(field: dict[str, Any]) -> list[str]:
    """A field's missing-value strings (v2 allows `{"value": ..., "label": ...}` objects too)."""
    return [m["value"] if isinstance(m, dict) else m for m in field.get("missingValues", DEFAULT_MISSING)]


def categories(field: dict[str, Any]) -> list[Any] | None:
    """A v2 `categories` list as plain values, or None."""
    cats = field.get("categories")
    if cats is None:
        return None
    return [c["value"] if isinstance(c, dict) else c for c in cats]
