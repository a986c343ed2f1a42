"""The built database for Python users: `rareearths.connect()` and `rareearths.table(name)`.

Imported only when one of them is called (see `rareearths/__init__.py`), so `import rareearths`
and `rareearths --help` stay fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pandera.ibis as pandera

DB_NAME = "rare-earth-supply-chain.duckdb"
ENV_VAR = "RAREEARTHS_DB"
_REPO = Path(__file__).resolve().parents[2]  # validators/rareearths/ -> the repository, in a clone


def find_database(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: `path`, else $RAREEARTHS_DB, else dist/ under the current folder or the clone."""
    candidates = (
        [Path(path)]
        if path is not None
        else [Path(os.environ[ENV_VAR])]
        if os.environ.get(ENV_VAR)
        else [Path("dist") / DB_NAME, Path(DB_NAME), _REPO / "dist" / DB_NAME]
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"no database at {', '.join(str(c) for c in candidates)}: build it with `make` (or `rareearths build`), "
        f"download {DB_NAME} from a release, or pass its path"
    )


def connect(path: str | os.PathLike[str] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only DuckDB connection to the built database, with its views and table macros."""
    import duckdb

    return duckdb.connect(str(find_database(path)), read_only=True)


# DuckDB column types whose pandas conversion needs help: nullable integers and booleans would
# become float or object, and a text column that is empty throughout would become object.
_NULLABLE = {"TINYINT": "Int8", "SMALLINT": "Int16", "INTEGER": "Int32", "BIGINT": "Int64", "BOOLEAN": "boolean"}


def table(name: str, path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """A table or view of the database as a pandas DataFrame: dates as datetime64, enumerations as
    categoricals, text as strings, integers and booleans nullable where the column has gaps."""
    with connect(path) as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if name not in names:
            raise KeyError(f"no table or view {name!r}; there are: {', '.join(sorted(names))}")
        rel = con.table(name)
        types = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
        frame = rel.df()
    for column, sql_type in types.items():
        if sql_type in _NULLABLE and frame[column].isna().any():
            frame[column] = frame[column].astype(_NULLABLE[sql_type])
        elif sql_type == "VARCHAR" and frame[column].dtype == object:
            frame[column] = frame[column].astype("str")
    return frame


def pandera_schema(name: str, descriptor: str | os.PathLike[str] | None = None) -> pandera.DataFrameSchema:
    """The pandera (ibis) schema of one table of the built database: its Table Schema's types and
    constraints, and this package's row rules, from `descriptor` (a datapackage.json; by default
    the one under the current folder or the clone). Validate a table with
    `schema.validate(ibis.duckdb.from_connection(rareearths.connect()).table(name), lazy=True)`."""
    from rareearths.checking.to_pandera import rule_checks, to_pandera
    from rareearths.dataset.rules import RULES
    from rareearths.opening.package_source import open_target

    candidates = (
        [Path(descriptor)] if descriptor is not None else [Path("datapackage.json"), _REPO / "datapackage.json"]
    )
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise FileNotFoundError(f"no data package at {', '.join(map(str, candidates))}: pass its datapackage.json")
    pkg = open_target(found)
    try:
        res = next((r for r in pkg.resources if r.name == name), None)
        if res is None:
            raise KeyError(f"{name!r} is not a table of {found}; tables: {', '.join(r.name for r in pkg.resources)}")
        rules = [r for r in RULES.row if r.resource == name]
        return to_pandera(res.schema, name, rule_checks(rules), row_column=False)
    finally:
        pkg.close()
