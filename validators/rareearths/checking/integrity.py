"""A resource's declared `bytes` and `hash`, checked against its files (`byte-count`, `hash-count`).

The files are read in large chunks; hashlib releases the interpreter lock on them, so this runs in
a thread beside the scans. Like Frictionless, the hash is over the bytes as stored, a multipart
resource's parts taken together, and a hash without an algorithm prefix is MD5.
"""

from __future__ import annotations

import hashlib

from rareearths.checking.findings import Finding
from rareearths.opening.package_source import Resource

CHUNK = 1 << 24


def _declared_hash(value: object) -> tuple[str, str] | None:
    if not isinstance(value, str) or not value:
        return None
    algorithm, _, digest = value.rpartition(":")
    return (algorithm or "md5").lower(), digest.lower()


def check_resource(res: Resource) -> list[Finding]:
    expected_bytes = res.integrity.get("bytes")
    declared = _declared_hash(res.integrity.get("hash"))
    if expected_bytes is None and declared is None:
        return []
    out: list[Finding] = []
    algorithm = declared[0] if declared else "md5"
    if algorithm not in hashlib.algorithms_available:
        out.append(Finding(res.name, res.display_path, None, None, "hash-count",
                           f"hash algorithm {algorithm!r} is not known"))  # fmt: skip
        declared = None
    digest = hashlib.new(algorithm)
    size = 0
    try:
        for path in res.stored or res.files:
            with open(path, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    size += len(chunk)
                    if declared:
                        digest.update(chunk)
    except OSError as exc:
        return [Finding(res.name, res.display_path, None, None, "source-error", f"cannot read file: {exc}")]
    if declared and digest.hexdigest() != declared[1]:
        out.append(
            Finding(
                res.name,
                res.display_path,
                None,
                None,
                "hash-count",
                f"the file's {algorithm} hash is {digest.hexdigest()}, not the declared {declared[1]}",
            )
        )
    if expected_bytes is not None and expected_bytes != size:
        out.append(Finding(res.name, res.display_path, None, None, "byte-count",
                           f"the file has {size} bytes, not the declared {expected_bytes}"))  # fmt: skip
    return out


def integrity_findings(resources: list[Resource]) -> list[Finding]:
    return [f for res in resources for f in check_resource(res)]
