"""Toolkit for the rare-earth supply-chain data package: validate, build, query, document.

For Python users of the built database:

    import rareearths
    con = rareearths.connect()             # read-only DuckDB connection, views and macros included
    deals = rareearths.table("deals")      # a pandas DataFrame; dates are datetime64, enums categorical
    schema = rareearths.pandera_schema("deals")  # its types, constraints and row rules, for pandera

Both import DuckDB and pandas only when called, so importing this package stays cheap.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pandera.ibis as pandera


def __getattr__(name: str) -> Any:
    """`__version__`, looked up when asked for: importlib.metadata takes 0.05 s to import, at every start."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rareearths")
    except PackageNotFoundError:  # running from a source tree without an install
        return "0.0.0"


def connect(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to the built database (by default dist/rare-earth-supply-chain.duckdb)."""
    from rareearths.database import connect as _connect

    return _connect(path)


def table(name: str, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One table or view of the built database as a pandas DataFrame with proper dtypes."""
    from rareearths.database import table as _table

    return _table(name, path)


def pandera_schema(name: str, descriptor: str | os.PathLike[str] | None = None) -> pandera.DataFrameSchema:
    """One table's pandera (ibis) schema: its Table Schema's types and constraints, and the package's row rules."""
    from rareearths.database import pandera_schema as _pandera_schema

    return _pandera_schema(name, descriptor)


__all__ = ["__version__", "connect", "pandera_schema", "table"]
