"""`rareearths query`: read-only SQL against the built database.

The database is opened read-only with external access disabled and the configuration locked, so
DuckDB itself refuses writes, ATTACH, COPY, INSTALL/LOAD and every function that reads files or
the network; statement types are checked first only to give a clearer message.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import signal
import threading
from pathlib import Path
from typing import Any

import duckdb

ALLOWED = {"SELECT", "EXPLAIN"}


class QueryRefused(Exception):
    """The SQL may not run here; the message says why."""


def open_readonly(database: Path) -> duckdb.DuckDBPyConnection:
    if not database.exists():
        raise FileNotFoundError(database)
    config = {"enable_external_access": False, "autoload_known_extensions": False,
              "autoinstall_known_extensions": False, "lock_configuration": True}  # fmt: skip
    return duckdb.connect(str(database), read_only=True, config=config)


def check_statements(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"SQL does not parse: {str(exc).splitlines()[0]}") from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    for st in statements:
        kind = str(st.type).rsplit(".", 1)[-1]
        if kind not in ALLOWED:
            raise QueryRefused(f"{kind} statements are refused: the database is opened read-only for queries")


def _execute(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run in a worker thread so that Ctrl-C reaches the main thread, which interrupts DuckDB
    (a signal handler cannot run while the main thread is inside DuckDB).

    Ctrl-C is caught by a handler of our own rather than as a KeyboardInterrupt, so it can never
    land between two statements here; the worker always finishes before we return or raise,
    because a thread still inside DuckDB when Python exits aborts the process.
    """
    outcome: dict[str, Any] = {}
    stop = threading.Event()
    cursor = con.cursor()

    def work() -> None:
        try:
            cursor.execute(sql)
            outcome["result"] = ([d[0] for d in cursor.description or []], cursor.fetchall())
        except Exception as exc:  # handed to the main thread
            outcome["error"] = exc

    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        while worker.is_alive():
            if stop.is_set():
                cursor.interrupt()  # repeated: the query may not have reached DuckDB yet
            worker.join(0.1)
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop.is_set():
        raise KeyboardInterrupt
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def run(database: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = open_readonly(database)
    try:
        check_statements(con, sql)
        try:
            return _execute(con, sql)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            if "disabled by configuration" in first or "Permission Error" in first:
                raise QueryRefused(f"refused: {first}") from None
            raise QueryRefused(first) from None
    finally:
        with contextlib.suppress(duckdb.Error):  # a query still unwinding after Ctrl-C; we are exiting
            con.close()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def to_csv(columns: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows([[_plain(v) for v in r] for r in rows])
    return buf.getvalue()


def to_json(columns: list[str], rows: list[tuple]) -> str:
    return json.dumps([dict(zip(columns, map(_plain, r), strict=True)) for r in rows], ensure_ascii=False, indent=2)


def to_markdown(columns: list[str], rows: list[tuple]) -> str:
    def cell(v: Any) -> str:
        v = _plain(v)
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def read_query_file(path: Path) -> dict[str, str]:
    """A named example query: `-- title:` and `-- description:` header comments, then SQL."""
    text = path.read_text(encoding="utf-8")
    meta = {"name": path.stem, "sql": text.strip()}
    for line in text.splitlines():
        if line.startswith("-- ") and ":" in line:
            key, _, value = line[3:].partition(":")
            if key.strip() in ("title", "description"):
                meta[key.strip()] = value.strip()
    return meta
