"""Open whatever the user points at (descriptor, zip, or CSV plus schema) as a list of resources.

Refuses paths that leave the package (absolute, `..`, symlinks out, URLs) and zip members that
would escape the extraction folder; each refusal is a finding, not an exception.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from rareearths.checking.findings import Finding
from rareearths.opening.descriptor import DescriptorError, normalise_schema, read_json

KNOWN_TYPES = {
    "string", "number", "integer", "boolean", "object", "array", "list", "date", "time", "datetime",
    "year", "yearmonth", "duration", "geopoint", "geojson", "any",
}  # fmt: skip


@dataclass
class Resource:
    name: str
    path: Path
    display_path: str
    schema: dict[str, Any]
    dialect: dict[str, Any] = field(default_factory=dict)
    encoding: str = "utf-8"


@dataclass
class OpenedPackage:
    descriptor_path: Path | None
    basepath: Path
    descriptor: dict[str, Any]
    resources: list[Resource]
    findings: list[Finding]
    tempdir: tempfile.TemporaryDirectory | None = None
    unreadable: bool = False  # the descriptor itself could not be read: a usage error, exit 2

    def close(self) -> None:
        if self.tempdir is not None:
            self.tempdir.cleanup()


def _is_url(p: str) -> bool:
    return "://" in p


def safe_local_path(basepath: Path, raw: str, where: str, what: str) -> tuple[Path | None, Finding | None]:
    """Resolve `raw` under `basepath`, or explain why it is refused."""

    def refuse(msg: str) -> tuple[None, Finding]:
        return None, Finding(where, raw, None, None, "path-error", f"{what} {msg}: {raw!r}")

    if _is_url(raw):
        return refuse("is a URL; remote data is fetched only with --allow-remote")
    posix = PurePosixPath(raw)
    if posix.is_absolute() or Path(raw).is_absolute():
        return refuse("is absolute; paths must be relative to the descriptor")
    if ".." in posix.parts:
        return refuse("contains '..'; paths must stay inside the package")
    full = basepath / raw
    try:
        resolved = full.resolve()
        resolved.relative_to(basepath.resolve())
    except ValueError:
        return refuse("points outside the package through a symlink")
    if not full.exists():
        return refuse("does not exist")
    if full.is_dir():
        return refuse("is a directory, not a file")
    return full, None


def _frictionless_findings(descriptor: dict[str, Any], basepath: Path, where: str) -> list[Finding]:
    """Profile errors as frictionless reports them (Data Package v1 and v2 profiles)."""
    from frictionless import Package

    try:
        report = Package.validate_descriptor(descriptor, basepath=str(basepath))
    except Exception as exc:  # frictionless raises on some malformed descriptors
        return [Finding(None, where, None, None, "package-error", f"descriptor is not valid: {exc}")]
    return [
        Finding(None, where, None, None, err.type, err.message)
        for task in [report] for err in task.errors
    ]  # fmt: skip


def _schema_findings(res_name: str, schema: dict[str, Any], names: set[str], where: str) -> list[Finding]:
    out: list[Finding] = []
    fields = [f.get("name") for f in schema["fields"]]
    for f in schema["fields"]:
        if f["type"] not in KNOWN_TYPES:
            out.append(Finding(res_name, where, None, f.get("name"), "schema-error",
                               f"field {f.get('name')!r} has unknown type {f['type']!r}"))  # fmt: skip
    for key in [schema["primaryKey"], *schema["uniqueKeys"]]:
        for k in key:
            if k not in fields:
                out.append(Finding(res_name, where, None, k, "schema-error", f"key field {k!r} is not in the schema"))
    for fk in schema["foreignKeys"]:
        ref = fk["reference"]["resource"]
        if ref not in names:
            out.append(Finding(res_name, where, None, ",".join(fk["fields"]), "schema-error",
                               f"foreign key refers to resource {ref!r}, which does not exist"))  # fmt: skip
        if len(fk["fields"]) != len(fk["reference"]["fields"]):
            out.append(Finding(res_name, where, None, ",".join(fk["fields"]), "schema-error",
                               "foreign key has a different number of fields than its reference"))  # fmt: skip
    return out


def _load_schema(raw: Any, basepath: Path, res_name: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    if isinstance(raw, dict):
        return raw, []
    if not isinstance(raw, str):
        return None, [Finding(res_name, None, None, None, "schema-error", "resource has no schema")]
    path, err = safe_local_path(basepath, raw, res_name, "schema path")
    if err:
        return None, [err]
    try:
        return read_json(path, "schema-error"), []
    except DescriptorError as exc:
        return None, [exc.finding]


REMOTE_LIMIT = 2 << 30  # bytes fetched per remote resource, at most


def fetch(url: str, folder: Path, name: str) -> tuple[Path | None, Finding | None]:
    """Download a remote resource (only with --allow-remote) into `folder`, size-capped."""
    import urllib.request

    if not url.startswith(("http://", "https://")):
        return None, Finding(name, url, None, None, "path-error", f"only http(s) URLs can be fetched: {url!r}")
    target = folder / f"remote-{name}.csv"
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(target, "wb") as out:  # noqa: S310
            total = 0
            for chunk in iter(lambda: resp.read(1 << 20), b""):
                total += len(chunk)
                if total > REMOTE_LIMIT:
                    return None, Finding(name, url, None, None, "path-error", "remote file is larger than 2 GiB")
                out.write(chunk)
    except (OSError, ValueError) as exc:
        return None, Finding(name, url, None, None, "path-error", f"cannot fetch {url}: {exc}")
    return target, None


def from_descriptor(
    descriptor_path: Path, tempdir: tempfile.TemporaryDirectory | None = None, allow_remote: bool = False
) -> OpenedPackage:
    basepath = descriptor_path.parent
    where = str(descriptor_path)
    try:
        descriptor = read_json(descriptor_path)
    except DescriptorError as exc:
        return OpenedPackage(descriptor_path, basepath, {}, [], [exc.finding], tempdir, unreadable=True)
    findings = _frictionless_findings(descriptor, basepath, where)
    raw_resources = descriptor.get("resources", [])
    names = [r.get("name") for r in raw_resources if isinstance(r, dict)]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        findings.append(Finding(dup, where, None, None, "package-error", f"resource name {dup!r} is used twice"))
    resources: list[Resource] = []
    for raw in raw_resources:
        if not isinstance(raw, dict) or not raw.get("name"):
            continue
        name = raw["name"]
        path_value = raw.get("path")
        if isinstance(path_value, list):
            findings.append(Finding(name, where, None, None, "path-error", "multipart resources are not supported"))
            continue
        if not isinstance(path_value, str):
            findings.append(Finding(name, where, None, None, "path-error", "resource has no path"))
            continue
        if allow_remote and _is_url(path_value):
            if tempdir is None:
                tempdir = tempfile.TemporaryDirectory(prefix="rareearths-remote-")
            path, err = fetch(path_value, Path(tempdir.name), name)
        else:
            path, err = safe_local_path(basepath, path_value, name, "resource path")
        schema, schema_errs = _load_schema(raw.get("schema"), basepath, name)
        findings.extend(schema_errs)
        if err:
            findings.append(err)
        if schema is None or path is None:
            continue
        norm = normalise_schema(schema, name)
        findings.extend(_schema_findings(name, norm, set(names), path_value))
        resources.append(
            Resource(name, path, path_value, norm, raw.get("dialect") or {}, (raw.get("encoding") or "utf-8"))
        )
    return OpenedPackage(descriptor_path, basepath, descriptor, resources, findings, tempdir)


def from_zip(zip_path: Path, allow_remote: bool = False) -> OpenedPackage:
    """Extract a zipped package into a temporary folder, refusing members that would escape it."""
    tmp = tempfile.TemporaryDirectory(prefix="rareearths-zip-")
    root = Path(tmp.name)

    def fail(msg: str) -> OpenedPackage:
        finding = Finding(None, str(zip_path), None, None, "package-error", msg)
        return OpenedPackage(None, root, {}, [], [finding], tmp, unreadable=True)

    try:
        with zipfile.ZipFile(zip_path) as zf:
            for member in zf.infolist():
                target = (root / member.filename).resolve()
                if PurePosixPath(member.filename).is_absolute() or not target.is_relative_to(root.resolve()):
                    return fail(f"zip member {member.filename!r} would be written outside the extraction folder")
            zf.extractall(root)
    except (zipfile.BadZipFile, OSError) as exc:
        return fail(f"cannot read zip: {exc}")
    candidates = sorted(root.glob("datapackage.json")) or sorted(root.glob("*/datapackage.json"))
    if not candidates:
        return fail("zip holds no datapackage.json at its root or in one top-level folder")
    return from_descriptor(candidates[0], tmp, allow_remote)


def from_csv(csv_path: Path, schema_path: Path) -> OpenedPackage:
    """A single CSV checked against one Table Schema: a package of one resource."""
    try:
        schema = read_json(schema_path, "schema-error")
    except DescriptorError as exc:
        return OpenedPackage(None, csv_path.parent, {}, [], [exc.finding], unreadable=True)
    name = csv_path.stem
    norm = normalise_schema(schema, name)
    findings = _schema_findings(name, norm, {name}, str(schema_path))
    # Foreign keys to other resources cannot be checked for a lone file; keep only self-references.
    norm["foreignKeys"] = [fk for fk in norm["foreignKeys"] if fk["reference"]["resource"] == name]
    findings = [f for f in findings if "does not exist" not in f.message]
    res = Resource(name, csv_path, str(csv_path), norm)
    if not csv_path.exists():
        findings.append(Finding(name, str(csv_path), None, None, "path-error", f"file not found: {csv_path}"))
        return OpenedPackage(None, csv_path.parent, {}, [], findings)
    return OpenedPackage(None, csv_path.parent, {}, [res], findings)


def open_target(path: Path, schema: Path | None = None, allow_remote: bool = False) -> OpenedPackage:
    if schema is not None:
        return from_csv(path, schema)
    if path.is_dir():
        path = path / "datapackage.json"
    if path.suffix.lower() == ".zip":
        return from_zip(path, allow_remote)
    return from_descriptor(path, allow_remote=allow_remote)
