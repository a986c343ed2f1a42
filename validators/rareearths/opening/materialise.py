"""Resources DuckDB cannot read as they are, made readable in a temporary folder.

DuckDB's CSV reader takes plain or gzip-compressed UTF-8 files. Three other shapes are cheap to
turn into that, once, with Python doing the copying in C: a zip holding the CSV (its first member
is extracted, as Frictionless reads it), a file in another encoding (re-encoded as UTF-8), and
inline `data` (rows written out as CSV). Everything else is refused by `package_source`.
"""

from __future__ import annotations

import codecs
import csv
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

CHUNK = 1 << 22


def unzip_first(archive: Path, folder: Path, stem: str) -> tuple[Path | None, str | None]:
    """The first file in `archive`, extracted into `folder`; or why it cannot be."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if not members:
                return None, "the zip holds no file"
            target = folder / f"{stem}-{Path(members[0].filename).name}"
            with zf.open(members[0]) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
            return target, None
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        return None, f"cannot read the zip: {exc}"


def to_utf8(path: Path, encoding: str, folder: Path, stem: str) -> tuple[Path | None, str | None]:
    """`path` re-encoded from `encoding` to UTF-8, or why it cannot be (unknown codec, bad bytes)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return None, f"encoding {encoding!r} is not known"
    target = folder / f"{stem}-utf8{path.suffix}"
    try:
        with open(path, encoding=encoding, newline="") as src, open(target, "w", encoding="utf-8", newline="") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
    except UnicodeDecodeError as exc:
        return None, f"the file is not valid {encoding} (at byte {exc.start} of a chunk)"
    except OSError as exc:
        return None, f"cannot read the file: {exc}"
    return target, None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def inline_to_csv(data: Any, fields: list[str], folder: Path, stem: str) -> tuple[Path | None, str | None]:
    """Inline `data` (rows as lists, the first one the header, or as objects keyed by field name)
    written as a CSV file."""
    if not isinstance(data, list):
        return None, "inline data must be a list of rows"
    target = folder / f"{stem}-inline.csv"
    rows: list[list[str]]
    if data and all(isinstance(r, dict) for r in data):
        header = fields or list(dict.fromkeys(k for r in data for k in r))
        rows = [header] + [[_text(r.get(k)) for k in header] for r in data]
    elif all(isinstance(r, list) for r in data):
        rows = [[_text(v) for v in r] for r in data]
    else:
        return None, "inline data must hold rows that are all lists or all objects"
    with open(target, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return target, None
