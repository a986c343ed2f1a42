"""Snippets for the hand-written home and download pages: version, tables, downloads, citation.

The build's artifacts are copied next to the pages so that the links work in an offline copy of
the site; their sizes and SHA-256 come from the files themselves and must match `dist/SHA256SUMS`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rareearths.site.markup import cell, human_size, md_table
from rareearths.site.package import Package

SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Artifact:
    """One file of `dist/`: its path relative to dist, size and SHA-256."""

    name: str
    size: int
    sha256: str


def read_sums(text: str) -> dict[str, str]:
    """Parse `sha256sum` output (`HASH  NAME` or `HASH *NAME`) into name -> hash."""
    sums = {}
    for line in text.splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*").removeprefix("./")] = digest.lower()
    return sums


def artifacts(dist: Path) -> list[Artifact]:
    """The files listed in `dist/SHA256SUMS`, plus that file itself; empty when nothing is built yet."""
    sums_path = dist / SUMS
    if not sums_path.is_file():
        return []
    out = []
    for name, expected in sorted(read_sums(sums_path.read_text(encoding="utf-8")).items()):
        data = (dist / name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != expected:
            raise ValueError(f"dist/{name}: SHA-256 {digest} does not match {SUMS} ({expected}); rebuild with make")
        out.append(Artifact(name, len(data), digest))
    data = sums_path.read_bytes()
    out.append(Artifact(SUMS, len(data), hashlib.sha256(data).hexdigest()))
    return out


def downloads_snippet(items: list[Artifact], prefix: str) -> str:
    """The download list; `prefix` is the path from the including page to `generated/downloads/`."""
    if not items:
        return (
            '!!! note "Nothing built yet"\n'
            "    The database, Parquet files and zip are built by `make` (which runs `rareearths build`). "
            "Run `make` in a clone of the repository, then `make site` to list them here.\n"
        )
    rows = [[f"[`{a.name}`]({prefix}{a.name})", human_size(a.size), f"<code>{a.sha256}</code>"] for a in items]
    return (
        md_table(["File", "Size", "SHA-256"], rows)
        + f"\nCheck a download with `sha256sum -c {SUMS}` in the folder holding the files.\n"
    )


def facts_snippet(package: Package, release: str) -> str:
    """Version, its release status (`release_label`), the evidence horizon and one line per table."""
    rows = [
        [
            f"[`{r.name}`](generated/dictionary/{r.name}.md)",
            cell(r.title),
            str(len(r.rows)),
            f"[browse](generated/data/{r.name}.md)",
        ]
        for r in package.resources
    ]
    lines = [
        f"**Current version: {package.version}** ({release}) · "
        f"{len(package.resources)} tables · {sum(len(r.rows) for r in package.resources)} rows",
        "",
        f"**Evidence horizon: {package.descriptor.get('evidenceHorizon', 'not recorded')}**: the sources were "
        "checked up to this date, and nothing is stated beyond it; a status after it is *unknown*.",
        "",
        md_table(["Table", "What it holds", "Rows", "Data"], rows),
    ]
    return "\n".join(lines)


def citation_snippet(cff: dict[str, Any]) -> str:
    """A plain-text citation built from CITATION.cff, so the two never disagree."""
    if not cff:
        return "No `CITATION.cff` at the root of the repository yet.\n"
    authors = "; ".join(
        a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
        for a in cff.get("authors", [])
    )
    year = str(cff.get("date-released", ""))[:4]
    parts = [f"{authors} ({year}). *{cff.get('title', '')}* (version {cff.get('version', '')}) [data set]."]
    if cff.get("url"):
        parts.append(f" <{cff['url']}>.")
    parts.append(f" Licence: {cff.get('license', '')}.")
    return "".join(parts) + "\n"


def load_cff(root: Path) -> dict[str, Any]:
    path = root / "CITATION.cff"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
