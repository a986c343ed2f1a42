"""The conformance corpus: which files are validation cases, and how two reports are compared.

A case is one file of frictionless-py's `data/` fixtures (vendored in `frictionless/`): a data
package or resource descriptor, or a table file validated as the resource `frictionless describe`
infers for it (schema, dialect, encoding; recorded once with the golden answers, so both tools
read the table the same way). The descriptors of real-world packages (vendored in `datasets/`)
are cases too, named `datasets/<package>/datapackage.json`.
Both tools' reports are reduced to the verdict and a sorted list of (type, row, field) errors.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "frictionless"
DATASETS = HERE / "datasets"  # real-world packages: their descriptors are cases, not their tables
GOLDEN = HERE / "golden.json"
DIFFERENCES = HERE / "differences.json"

TABLE_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".csv.zip", ".csv2k", ".csvformat", ".bad")
# Errors about a row as a whole: frictionless names no field for them, whatever the key's field.
ROW_ERRORS = {"blank-row", "primary-key", "foreign-key", "duplicate-row", "row-constraint"}
# Errors about the header: frictionless gives no row number for them.
LABEL_ERRORS = {"blank-label", "duplicate-label", "extra-label", "missing-label", "incorrect-label"}

Error = tuple[str, int | None, str | None]


def _is_descriptor(path: Path) -> bool:
    if path.suffix not in (".json", ".yaml", ".yml"):
        return False
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else _yaml(text)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(data, dict):
        return False
    return "resources" in data or ("path" in data and "schema" in data) or ("data" in data and "schema" in data)


def _yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def case_id(path: Path) -> str:
    return path.relative_to(HERE if path.is_relative_to(DATASETS) else CORPUS).as_posix()


def base(case: str) -> Path:
    """The folder a case's id is relative to."""
    return HERE if case.startswith("datasets/") else CORPUS


def cases() -> list[str]:
    """Every case in the corpus, by its path under `frictionless/`."""
    out = []
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file():
            continue
        if path.name.endswith(TABLE_SUFFIXES) or _is_descriptor(path):
            out.append(case_id(path))
    out += [case_id(path) for path in sorted(DATASETS.glob("*/datapackage.*")) if _is_descriptor(path)]
    return out


def normalise(errors: list[Error]) -> list[list[Any]]:
    out = []
    for type_, row, field in errors:
        if type_ in ROW_ERRORS:
            field = None
        if type_ in LABEL_ERRORS:
            row = None
        out.append([type_, row, field or None])
    return sorted(out, key=lambda e: (e[1] or 0, e[0], e[2] or ""))


def frictionless_answer(case: str) -> dict[str, Any]:
    """Run frictionless on one case: its verdict and errors, and for a bare table the package
    descriptor it was validated as (the resource `frictionless describe` infers: schema, dialect,
    encoding), so that both tools read the table the same way."""
    from frictionless import describe

    if not case.endswith(TABLE_SUFFIXES):
        with contextlib.chdir(base(case)):  # frictionless refuses absolute paths as unsafe
            return _frictionless_report(case)
    try:
        with contextlib.chdir((base(case) / case).parent):
            described = describe(Path(case).name, type="resource").to_descriptor()
    except Exception as exc:  # frictionless cannot read the file at all
        return {"describe_error": str(exc).splitlines()[0]}
    package = {"resources": [described]}
    with tempfile.TemporaryDirectory() as tmp:
        folder = _as_package(case, package, Path(tmp))
        with contextlib.chdir(folder):
            return {"package": package, **_frictionless_report("datapackage.json")}


def _frictionless_report(target: str) -> dict[str, Any]:
    from frictionless import validate

    try:
        report = validate(target, limit_errors=100_000)
    except Exception as exc:
        return {"exception": str(exc).splitlines()[0]}
    errors: list[Error] = [(e.type, None, None) for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            errors.append((e.type, getattr(e, "row_number", None), getattr(e, "field_name", None)))
    return {"valid": report.valid, "errors": normalise(errors)}


def _as_package(case: str, package: dict[str, Any], folder: Path) -> Path:
    """A folder holding the table and a datapackage.json describing it."""
    shutil.copy(base(case) / case, folder / Path(case).name)
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return folder


def our_answer(case: str, golden: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """Run our validator in-process on one case, as frictionless saw it."""
    from rareearths.checking.validate import validate_path

    if "package" in golden:
        target = _as_package(case, golden["package"], tmp) / "datapackage.json"
    else:
        target = base(case) / case
    report = validate_path(target)
    errors = [(f.type, f.row, f.field) for f in report.errors]
    return {"valid": report.valid(), "errors": normalise(errors)}


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
