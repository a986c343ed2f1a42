"""The files that travel in the zip beside the package: a short data README written for the zip
(what is in it, the version, the evidence horizon, how to cite and check it), the licences and
CITATION.cff. They are not part of the package's content digest.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from rareearths.opening.package_source import OpenedPackage

LICENCE_FILES = {"LICENSES/CC-BY-4.0.txt": "LICENSES/CC-BY-4.0.txt", "LICENSES/MIT.txt": "LICENSE"}
CITATION = "CITATION.cff"


def _rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def data_readme(descriptor: dict[str, Any], tables: list[tuple[str, str, int]], extras: list[str]) -> str:
    """README.md for the zip; `tables` are (name, title, rows)."""
    version = descriptor.get("version", "")
    horizon = descriptor.get("evidenceHorizon")
    lines = [
        f"# {descriptor.get('title', descriptor.get('name', 'Data package'))}",
        "",
        f"Version {version} of the data package `{descriptor.get('name', '')}`.",
        "",
        str(descriptor.get("description", "")),
        "",
        "**Evidence horizon:** "
        + (
            f"{horizon}. Sources were checked up to this day; later events are not in the data."
            if horizon
            else "not stated in this version's datapackage.json."
        ),
        "",
        "## Files",
        "",
        "- `datapackage.json`: the Data Package descriptor (Data Package v2): tables, licences, sources.",
        "- `schemas/*.json`: one Table Schema per table (types, constraints, keys, field descriptions).",
        "- `data/*.csv`: the tables, UTF-8, comma-separated, one header row, an empty cell is a missing value.",
    ]
    if extras:
        lines.append("- " + ", ".join(f"`{e}`" for e in extras) + ": licences and citation metadata.")
    lines += ["", "| Table | What one row is | Rows |", "|---|---|---|"]
    lines += [f"| `{name}` | {title} | {rows} |" for name, title, rows in tables]
    homepage = descriptor.get("homepage", "")
    lines += [
        "",
        "## Use",
        "",
        "Read the CSVs with the types the Table Schemas give, or load the package with any Frictionless "
        "tool. Check it with the project's validator: `rareearths validate " + f"{descriptor.get('name', '')}"
        f"-{version}.zip`.",
        "",
        "## Licences and citation",
        "",
        "The data (`datapackage.json`, `schemas/`, `data/`) is licensed under Creative Commons Attribution 4.0 "
        '(`LICENSES/CC-BY-4.0.txt`); credit "rareearths contributors" and name the version. The project\'s '
        "code is MIT-licensed (`LICENSES/MIT.txt`). How to cite: `CITATION.cff`.",
    ]
    if homepage:
        lines += ["", f"Project, documentation and releases: <{homepage}>."]
    return "\n".join(lines) + "\n"


def zip_extras(pkg: OpenedPackage) -> list[tuple[str, bytes]]:
    """README.md, the licences and CITATION.cff found beside the descriptor, by path inside the zip."""
    base = pkg.basepath
    extras: list[tuple[str, bytes]] = []
    for arcname, rel in LICENCE_FILES.items():
        if (base / rel).is_file():
            extras.append((arcname, (base / rel).read_bytes()))
    if (base / CITATION).is_file():
        extras.append((CITATION, (base / CITATION).read_bytes()))
    titles = {r.get("name"): r.get("title", r.get("name")) for r in pkg.descriptor.get("resources", [])}
    tables = [(r.name, str(titles.get(r.name, r.name)), _rows(r.path)) for r in pkg.resources]
    readme = data_readme(pkg.descriptor, tables, [name for name, _ in extras])
    return [("README.md", readme.encode("utf-8")), *extras]
