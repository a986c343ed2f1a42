"""Write files so that no reader ever sees half of one, and so that two builds give the same bytes."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # earliest zip timestamp: no build time leaks into the archive


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_zip(target: Path, members: Iterable[tuple[str, Path]], extras: Iterable[tuple[str, bytes]] = ()) -> None:
    """A zip with members (files) and extras (contents) in sorted order, fixed timestamps and permissions."""
    contents = [(arcname, path.read_bytes()) for arcname, path in members] + list(extras)
    with zipfile.ZipFile(target, "w") as zf:
        for arcname, data in sorted(contents):
            info = zipfile.ZipInfo(arcname, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever the building machine is
            zf.writestr(info, data, compresslevel=9)


def content_digest(members: Iterable[tuple[str, Path]]) -> str:
    """A digest of the package's files themselves, independent of how the zip compresses them."""
    h = hashlib.sha256()
    for arcname, path in sorted(members):
        h.update(f"{sha256(path)}  {arcname}\n".encode())
    return h.hexdigest()


def publish(staging: Path, dist: Path, order: list[str]) -> None:
    """Move staged files into `dist` one atomic rename at a time, in `order` (checksums last)."""
    for rel in order:
        src, dst = staging / rel, dist / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)


def remove_stale(dist: Path, kept: list[str], patterns: list[str]) -> list[str]:
    """Delete files of `dist` matching `patterns` that this build did not write (an older version's
    zip, the Parquet file of a table that no longer exists); returns what was removed."""
    keep = set(kept)
    removed = []
    for pattern in patterns:
        for path in sorted(dist.glob(pattern)):
            rel = path.relative_to(dist).as_posix()
            if path.is_file() and rel not in keep:
                path.unlink()
                removed.append(rel)
    return removed
