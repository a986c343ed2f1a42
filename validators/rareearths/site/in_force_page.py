""" "What was in force on …": each measure's status on a date the reader picks, in the browser.

`status_export` reads the built database's `control_status_periods` (and, for dates after the
evidence horizon, what `control_status_on` answers there) into JSON; the page's script
(`docs/javascripts/in_force.js`) picks the period holding the chosen day, so the page answers
exactly as `control_status_on(d)` does, without an engine in the browser.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Any

import duckdb

from rareearths.site.markup import HIDE_TOC

PERIOD_COLUMNS = (
    "control_id", "status", "reason", "by_control_id", "status_from", "status_from_precision",
    "status_until", "status_until_precision", "open_at_horizon", "source_id",
)  # fmt: skip
MEASURE_COLUMNS = (
    "control_id", "doc_number_en", "title_en", "measure_type", "measure_class", "certainty", "announced_on",
)  # fmt: skip


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if value is None or isinstance(value, bool | int | float) else str(value)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{c: _json_value(v) for c, v in zip(columns, row, strict=True)} for row in con.execute(sql).fetchall()]


def status_export(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Horizon, measures, every status period, and the answer for any day after the horizon."""
    (horizon,) = con.execute("SELECT evidence_horizon()").fetchone()
    cols = ", ".join(PERIOD_COLUMNS)
    return {
        "horizon": horizon.isoformat(),
        "measures": _rows(
            con, f"SELECT {', '.join(MEASURE_COLUMNS)} FROM export_controls ORDER BY announced_on, control_id",
            MEASURE_COLUMNS,
        ),
        "periods": _rows(con, f"SELECT {cols} FROM control_status_periods ORDER BY control_id, status_from",
                         PERIOD_COLUMNS),
        "sources": {
            source_id: ", ".join(filter(None, [publisher, published]))
            for source_id, publisher, published in con.execute(
                "SELECT source_id, publisher_en, strftime(published_on, '%Y-%m-%d') FROM sources ORDER BY 1"
            ).fetchall()
        },
        "after_horizon": _rows(
            con, f"SELECT {cols} FROM control_status_on(evidence_horizon() + 1) ORDER BY control_id", PERIOD_COLUMNS
        ),
    }  # fmt: skip


def export_from_database(db: Path) -> dict[str, Any] | None:
    """The export from a built database, or None when there is none or it has no status model."""
    if not db.is_file():
        return None
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            return status_export(con)
        except duckdb.CatalogException:
            return None


def export_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


STATUS_WORDS = {
    "in_force": "in force",
    "partially_suspended": "in force, a clause suspended",
    "suspended": "suspended",
    "announced": "announced, not yet applying",
    "ended": "ended",
    "reported": "reported only",
    "unknown": "unknown",
}


def in_force_page(data: dict[str, Any] | None, export_file: str) -> str:
    """The page: a date input (default the evidence horizon) and the table the script fills."""
    if data is None:
        return (
            "# What was in force on …\n\n"
            '!!! note "Not built yet"\n    This page reads the status periods of the built database: run `make` '
            "(`rareearths build`, then `make site`).\n"
        )
    horizon = data["horizon"]
    first = min(m["announced_on"] for m in data["measures"]) if data["measures"] else horizon
    legend = "".join(f'<span class="re-status re-status-{k}">{html.escape(v)}</span>' for k, v in STATUS_WORDS.items())
    return f"""{HIDE_TOC}# What was in force on …

Pick a day to see every Chinese export-control measure announced by then, with its status on that
day, why, which notice caused it and the source. The answer comes from the status periods of the
database (`control_status_periods`), so it is the same as
`SELECT * FROM control_status_on(DATE '…')` in the [Query page](query.md) or the downloaded database.

The sources were checked up to the **evidence horizon, {horizon}**; for a later day every status is
*unknown*, because nothing later was looked at.

<div id="re-inforce" class="re-inforce" data-export="{html.escape(export_file, quote=True)}">
<div class="re-query-bar">
<label for="re-inforce-date">Day</label>
<input type="date" id="re-inforce-date" value="{horizon}" min="{first}">
<button type="button" class="md-button" data-day="{horizon}">Evidence horizon</button>
<button type="button" class="md-button" data-day="2025-11-15">After the US-China truce</button>
<button type="button" class="md-button" data-day="2010-10-15">Autumn 2010</button>
</div>
<p id="re-inforce-summary" class="re-inforce-summary" role="status">The statuses need JavaScript.</p>
<div class="re-table-wrap"><table id="re-inforce-result" class="re-query-result re-inforce-result"></table></div>
<p class="re-inforce-legend">{legend}</p>
</div>

<script src="../javascripts/in_force.js"></script>

Statuses: *in force* (a restriction or relaxation applies); *in force, a clause suspended*;
*suspended* by a later notice; *announced, not yet applying*; *ended* (expired, lifted or
superseded); *reported only* (media reports, never confirmed by the authority, never counted as in
force); *unknown* (the evidence stops: the reason says where). Dates are shown at the precision the
source gives. Data: [`status-periods.json`]({export_file}), written by `rareearths docs` from the database.
"""
