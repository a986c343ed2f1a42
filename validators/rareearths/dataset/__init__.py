"""What is this package's own: its domain rules and the SQL derived from its tables."""

from __future__ import annotations

from importlib.resources import files


def derived_sql() -> str:
    """The views and macros built into the database after the tables (`derived.sql`)."""
    return files("rareearths.dataset").joinpath("derived.sql").read_text(encoding="utf-8")
