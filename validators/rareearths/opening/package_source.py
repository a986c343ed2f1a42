"""Open whatever the user points at (descriptor, zip, or CSV plus schema) as a list of resources.

Refuses paths that leave the package (absolute, `..`, symlinks out, URLs) and zip members that
would escape the extraction folder; each refusal is a finding, not an exception. A resource is
read when it is CSV (or TSV) text, in one file or several (multipart), plain or gzip-compressed;
other formats and compressions are refused with a finding naming what is not supported.
"""

from __future__ import annotations

import tempfile
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from rareearths.checking.findings import Finding
from rareearths.opening import profile_check
from rareearths.opening.descriptor import DescriptorError, normalise_schema, read_descriptor, read_json
from rareearths.opening.dialect import CsvDialect, csv_dialect
from rareearths.opening.materialise import inline_to_csv, to_utf8, unzip_first

KNOWN_TYPES = {
    "string", "number", "integer", "boolean", "object", "array", "list", "date", "time", "datetime",
    "year", "yearmonth", "duration", "geopoint", "geojson", "any",
}  # fmt: skip


TEXT_FORMATS = {"csv": ",", "tsv": "\t"}  # format -> its default delimiter
COMPRESSIONS = {".gz": "gzip", ".gzip": "gzip", ".zip": "zip"}  # gzip: DuckDB reads it; zip: extracted
REFUSED_COMPRESSIONS = {".bz2": "bz2", ".xz": "xz", ".zst": "zstd", ".lz4": "lz4", ".tgz": "gzip tar"}
UTF8 = {"utf-8", "utf8", "utf-8-sig", "utf_8"}


@dataclass
class Resource:
    name: str
    path: Path  # the first (or only) file
    display_path: str
    schema: dict[str, Any]
    dialect: CsvDialect = field(default_factory=CsvDialect)
    encoding: str = "utf-8"
    parts: tuple[Path, ...] = ()  # every file of a multipart resource, in order; () for one file
    compression: str = ""  # "gzip", or "" for plain text
    integrity: dict[str, Any] = field(default_factory=dict)  # declared `bytes` and `hash`
    stored: tuple[Path, ...] = ()  # the files as stored (for bytes and hash), when `files` are copies
    tabular: bool = True  # False for a file that is not a table (no schema, not CSV): integrity only

    @property
    def files(self) -> tuple[Path, ...]:
        return self.parts or (self.path,)

    def size(self) -> int:
        """Bytes of its files (0 when one cannot be read: the loader reports it)."""
        try:
            return sum(p.stat().st_size for p in self.files)
        except OSError:
            return 0


@dataclass
class OpenedPackage:
    descriptor_path: Path | None
    basepath: Path
    descriptor: dict[str, Any]
    resources: list[Resource]
    findings: list[Finding]
    tempdir: tempfile.TemporaryDirectory | None = None
    unreadable: bool = False  # the descriptor itself could not be read: a usage error, exit 2
    profile: Future[list[Finding]] | None = None  # the descriptor's profile check, running beside the data's

    def profile_findings(self) -> list[Finding]:
        """The profile check's findings, once it is done (it runs in a thread while the data is read)."""
        found = self.profile.result() if self.profile is not None else []
        self.profile = None
        return found

    def close(self) -> None:
        if self.tempdir is not None:
            self.tempdir.cleanup()


def _is_url(p: str) -> bool:
    return "://" in p


def safe_local_path(basepath: Path, raw: str, where: str, what: str) -> tuple[Path | None, Finding | None]:
    """Resolve `raw` under `basepath`, or explain why it is refused."""

    def refuse(msg: str, kind: str = "path-error") -> tuple[None, Finding]:
        return None, Finding(where, raw, None, None, kind, f"{what} {msg}: {raw!r}")

    if _is_url(raw):
        return refuse("is a URL; remote data is fetched only with --allow-remote", "scheme-error")
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
    if not full.exists():  # frictionless calls a file it cannot load a scheme error
        return refuse("does not exist", "scheme-error" if what == "resource path" else "path-error")
    if full.is_dir():
        return refuse("is a directory, not a file")
    return full, None


def _frictionless_findings(descriptor: dict[str, Any], basepath: Path, where: str) -> list[Finding]:
    """Profile errors as frictionless reports them (`profile_check`)."""
    if CHECK_IN_CHILD and not profile_check.imported():
        errors = profile_check.in_child(descriptor, basepath)
    else:
        errors = profile_check.profile_errors(descriptor, str(basepath))
    return [Finding(None, where, None, None, type_, message) for type_, message in errors]


CHECK_IN_CHILD = False  # set by the command line, whose process imports frictionless for nothing else


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
    if raw is None:
        return None, []
    if not isinstance(raw, str):
        return None, [Finding(res_name, None, None, None, "schema-error", "schema must be an object or a path")]
    path, err = safe_local_path(basepath, raw, res_name, "schema path")
    if err:
        return None, [err]
    try:
        return read_descriptor(path, "schema-error"), []
    except DescriptorError as exc:
        return None, [exc.finding]


_PROFILE_CHECKS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rareearths-profile")
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


def _suffixes(raw_path: str) -> tuple[str, str]:
    """(format suffix, compression suffix) of a path: 'a.csv.gz' -> ('.csv', '.gz')."""
    parts = PurePosixPath(raw_path.split("?", 1)[0]).suffixes
    last = parts[-1].lower() if parts else ""
    if last in COMPRESSIONS or last in REFUSED_COMPRESSIONS:
        return (parts[-2].lower() if len(parts) > 1 else ""), last
    return last, ""


def _format_findings(raw: dict[str, Any], first: str, where: str) -> tuple[str, str, list[Finding]]:
    """The resource's text format ('csv' or 'tsv') and compression ('gzip' or ''), or why it is refused."""
    name = raw["name"]
    fmt_suffix, comp_suffix = _suffixes(first)
    declared = raw.get("compression")
    compression = COMPRESSIONS.get(comp_suffix, "")
    if isinstance(declared, str) and declared:
        compression = {"gz": "gzip", "gzip": "gzip", "zip": "zip"}.get(declared.lower(), declared.lower())
    refused = REFUSED_COMPRESSIONS.get(comp_suffix) if not declared else (
        compression if compression not in ("gzip", "zip") else None)  # fmt: skip
    if refused:
        return "", "", [Finding(name, where, None, None, "compression-error",
                                f"{refused} compression is not supported (only gzip and zip): decompress "
                                f"{first!r} or compress it with gzip")]  # fmt: skip
    fmt = str(raw.get("format") or fmt_suffix.lstrip(".") or "csv").lower()
    if fmt not in TEXT_FORMATS and not (fmt in ("txt", "text") and raw.get("format") is None):
        return "", "", [Finding(name, where, None, None, "format-error",
                                f"format {fmt!r} is not supported: only CSV and TSV files are read")]  # fmt: skip
    return (fmt if fmt in TEXT_FORMATS else "csv"), compression, []


def _dialect(raw: dict[str, Any], basepath: Path, fmt: str, where: str) -> tuple[CsvDialect, list[Finding]]:
    name = raw["name"]
    value = raw.get("dialect") or {}
    if isinstance(value, str):  # v1: a path to a JSON file
        path, err = safe_local_path(basepath, value, name, "dialect path")
        if err:
            return CsvDialect(), [err]
        try:
            value = read_json(path, "dialect-error")
        except DescriptorError as exc:
            return CsvDialect(), [exc.finding]
    if not isinstance(value, dict):
        return CsvDialect(), [Finding(name, where, None, None, "dialect-error", "dialect must be an object or a path")]
    if "delimiter" not in value and fmt == "tsv":
        value = {**value, "delimiter": TEXT_FORMATS["tsv"]}
    return csv_dialect(value, name, where)


def _temp(tempdir: tempfile.TemporaryDirectory | None) -> tempfile.TemporaryDirectory:
    return tempdir or tempfile.TemporaryDirectory(prefix="rareearths-")


def _readable(raw: dict[str, Any], paths: list[Path], compression: str, encoding: str,
              tempdir: tempfile.TemporaryDirectory | None) -> tuple[list[Path], str, list[str],
                                                                    tempfile.TemporaryDirectory | None]:  # fmt: skip
    """Paths DuckDB can read (zip members extracted, other encodings re-encoded), the compression
    left for DuckDB, and why a file could not be made readable."""
    errors: list[str] = []
    if compression == "zip":
        tempdir = _temp(tempdir)
        out = []
        for i, p in enumerate(paths):
            target, err = unzip_first(p, Path(tempdir.name), f"{raw['name']}-{i}")
            errors += [err] if err else []
            out += [target] if target else []
        paths, compression = out, ""
    if encoding.lower() not in UTF8 and not errors:
        if compression:
            return paths, compression, [f"encoding {encoding!r} is only read from uncompressed files"], tempdir
        tempdir = _temp(tempdir)
        out = []
        for i, p in enumerate(paths):
            target, err = to_utf8(p, encoding, Path(tempdir.name), f"{raw['name']}-{i}")
            errors += [err] if err else []
            out += [target] if target else []
        paths = out
    return paths, compression, errors, tempdir


def _resource(raw: dict[str, Any], basepath: Path, names: set[str], allow_remote: bool,
              tempdir: tempfile.TemporaryDirectory | None) -> tuple[Resource | None, list[Finding],
                                                                    tempfile.TemporaryDirectory | None]:  # fmt: skip
    """One resource of a descriptor, or the findings that say why it cannot be read."""
    name = raw["name"]
    if "dialect" not in raw and isinstance(raw.get("layout"), dict):
        raw = {**raw, "dialect": raw["layout"]}  # frictionless v4's name for the dialect
    path_value = raw.get("path")
    schema, schema_errs = _load_schema(raw.get("schema"), basepath, name)
    if path_value is None and "data" in raw:
        tempdir = _temp(tempdir)
        fields = [f.get("name") for f in (schema or {}).get("fields", []) if isinstance(f, dict)]
        if not isinstance(raw["data"], list):
            return None, schema_errs, tempdir  # the descriptor's profile error says so
        target, err = inline_to_csv(raw["data"], fields, Path(tempdir.name), name)
        if err or target is None:
            return None, [*schema_errs, Finding(name, name, None, None, "source-error", str(err))], tempdir
        raw = {**raw, "path": target.name, "format": "csv", "encoding": "utf-8"}
        basepath = Path(tempdir.name)
        path_value = target.name
    raw_paths = path_value if isinstance(path_value, list) else [path_value]
    if not raw_paths or not all(isinstance(p, str) and p for p in raw_paths):
        return None, [Finding(name, None, None, None, "scheme-error", "resource has no path or data")], tempdir
    display = raw_paths[0] if len(raw_paths) == 1 else " + ".join(raw_paths)
    findings: list[Finding] = list(schema_errs)
    paths: list[Path] = []
    for i, raw_path in enumerate(raw_paths):
        if allow_remote and _is_url(raw_path):
            tempdir = _temp(tempdir)
            path, err = fetch(raw_path, Path(tempdir.name), f"{name}-{i}")
        else:
            path, err = safe_local_path(basepath, raw_path, name, "resource path")
        if err:
            findings.append(err)
        elif path is not None:
            paths.append(path)
    if len(paths) != len(raw_paths):
        return None, findings, tempdir
    integrity = {k: raw[k] for k in ("bytes", "hash") if k in raw}
    fmt, compression, errs = _format_findings(raw, raw_paths[0], display)
    if schema is None and not schema_errs and (errs or raw.get("type") == "file"):
        # Not a table (a data package may hold any file): only its integrity is checked.
        return Resource(name, paths[0], display, {"fields": []}, integrity=integrity, tabular=False), findings, tempdir
    if errs:
        return None, findings + errs, tempdir
    encoding = str(raw.get("encoding") or "utf-8")
    stored = tuple(paths)
    paths, compression, errors, tempdir = _readable(raw, paths, compression, encoding, tempdir)
    for err in errors:
        findings.append(Finding(name, display, None, None, "encoding-error" if "encod" in err else "source-error",
                                err))  # fmt: skip
    if errors or not paths:
        return None, findings, tempdir
    dialect, errs = _dialect(raw, basepath, fmt, display)
    findings += errs
    if schema is None:
        if schema_errs:
            return None, findings, tempdir
        schema = {"fields": []}  # no schema: fields are named by the header, of type `any`
    norm = normalise_schema(schema, name)
    findings += _schema_findings(name, norm, names, display)
    parts = tuple(paths) if len(paths) > 1 else ()
    return (Resource(name, paths[0], display, norm, dialect, "utf-8", parts, compression, integrity, stored),
            findings, tempdir)  # fmt: skip


def from_descriptor(
    descriptor_path: Path, tempdir: tempfile.TemporaryDirectory | None = None, allow_remote: bool = False
) -> OpenedPackage:
    basepath = descriptor_path.parent
    where = str(descriptor_path)
    try:
        descriptor = read_descriptor(descriptor_path)
    except DescriptorError as exc:
        return OpenedPackage(descriptor_path, basepath, {}, [], [exc.finding], tempdir, unreadable=True)
    # frictionless takes a third of a second to import and check a descriptor: let it run while
    # the data is read (DuckDB works without holding the interpreter lock).
    profile = _PROFILE_CHECKS.submit(_frictionless_findings, descriptor, basepath, where)
    findings: list[Finding] = []
    if "resources" not in descriptor and ("path" in descriptor or "data" in descriptor):
        descriptor = {"resources": [{"name": "resource", **descriptor}]}  # a resource descriptor on its own
    raw_resources = descriptor.get("resources", [])
    if not isinstance(raw_resources, list):
        raw_resources = []
    names = [r.get("name") for r in raw_resources if isinstance(r, dict)]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        findings.append(Finding(dup, where, None, None, "package-error", f"resource name {dup!r} is used twice"))
    resources: list[Resource] = []
    for raw in raw_resources:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
            continue
        res, errs, tempdir = _resource(raw, basepath, set(names), allow_remote, tempdir)
        findings.extend(errs)
        if res is not None:
            resources.append(res)
    return OpenedPackage(descriptor_path, basepath, descriptor, resources, findings, tempdir, profile=profile)


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
        schema = read_descriptor(schema_path, "schema-error")
    except DescriptorError as exc:
        return OpenedPackage(None, csv_path.parent, {}, [], [exc.finding], unreadable=True)
    name = csv_path.name.split(".")[0] or "table"
    norm = normalise_schema(schema, name)
    findings = _schema_findings(name, norm, {name}, str(schema_path))
    # Foreign keys to other resources cannot be checked for a lone file; keep only self-references.
    norm["foreignKeys"] = [fk for fk in norm["foreignKeys"] if fk["reference"]["resource"] == name]
    findings = [f for f in findings if "does not exist" not in f.message]
    if not csv_path.exists():
        findings.append(Finding(name, str(csv_path), None, None, "path-error", f"file not found: {csv_path}"))
        return OpenedPackage(None, csv_path.parent, {}, [], findings)
    fmt, compression, errs = _format_findings({"name": name}, csv_path.name, str(csv_path))
    if errs:
        return OpenedPackage(None, csv_path.parent, {}, [], findings + errs)
    dialect = CsvDialect(delimiter=TEXT_FORMATS[fmt])
    res = Resource(name, csv_path, str(csv_path), norm, dialect, compression=compression)
    return OpenedPackage(None, csv_path.parent, {}, [res], findings)


def open_target(path: Path, schema: Path | None = None, allow_remote: bool = False) -> OpenedPackage:
    if schema is not None:
        return from_csv(path, schema)
    if path.is_dir():
        path = path / "datapackage.json"
    if path.suffix.lower() == ".zip":
        return from_zip(path, allow_remote)
    return from_descriptor(path, allow_remote=allow_remote)
