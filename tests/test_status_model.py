"""The status model of `derived.sql`: statuses never outrun the evidence, and the timeline chart and
`controls_in_force(d)` agree on every day from 2010 to the evidence horizon, by construction."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from rareearths.building.build import DB_NAME, build
from rareearths.dataset import derived_sql
from rareearths.dataset.rules import RULES
from rareearths.site.charts import CHARTS, TIMELINE_COLUMNS, controls_svg, timeline_csv
from rareearths.site.package import load_package, typed_connection
from tests.conftest import ROOT

HORIZON = date.fromisoformat(json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["evidenceHorizon"])
OCTOBER_2025 = [f"mofcom-2025-{n}" for n in (55, 56, 57, 58, 61, 62)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("dist")
    build(ROOT / "datapackage.json", out, rules=RULES, derived_sql=derived_sql())
    con = duckdb.connect(str(out / DB_NAME), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def chart_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSV the site publishes beside the timeline, made the way `rareearths docs` makes it."""
    con = typed_connection(load_package(ROOT), derived_sql())
    path = tmp_path_factory.mktemp("chart") / "export-controls-timeline.csv"
    path.write_bytes(timeline_csv(con))
    con.close()
    return path


def _status_on(db, day: str) -> dict[str, tuple]:
    rows = db.execute(
        f"SELECT control_id, status, reason, by_control_id, status_from, status_until "
        f"FROM control_status_on(DATE '{day}')"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _in_force(db, day: str, macro: str = "controls_in_force") -> set[str]:
    return {r[0] for r in db.execute(f"SELECT control_id FROM {macro}(DATE '{day}')").fetchall()}


def test_horizon_is_a_macro_and_a_metadata_row(db):
    assert db.execute("SELECT evidence_horizon()").fetchone()[0] == HORIZON
    meta = dict(db.execute("SELECT key, value FROM package_metadata").fetchall())
    assert meta["evidenceHorizon"] == HORIZON.isoformat() and meta["version"] == "2.0.0"


def test_status_at_the_horizon_says_where_the_evidence_stops(db):
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT control_id, status, reason, by_control_id, status_from, status_as_of FROM controls_status"
    ).fetchall()}  # fmt: skip
    assert {r[4] for r in rows.values()} == {HORIZON}  # the status is as of the horizon, not the clock
    for cid in OCTOBER_2025:  # No. 70's suspension is recorded until 2026-11-10 and nothing later
        status, reason, by, since, _ = rows[cid]
        assert (status, by, since) == ("unknown", "mofcom-2025-70", date(2026, 11, 11)), cid
        assert "recorded until 2026-11-10" in reason and "no source says what followed" in reason
    assert rows["mofcom-2025-70"][:2] == ("unknown", "its suspension was recorded until 2026-11-10; no source says "
                                          "whether it was extended")  # fmt: skip
    assert rows["mofcom-2025-18"][0] == "in_force"  # never suspended
    # control_links: the clause text of the No. 46 link, and the suspending notice by its doc_number_en
    # (mofcom-2025-11-09-suspension-2024-46 is No. 72 of 2025); valid_until 2026-11-27 is after the horizon.
    assert rows["mofcom-2024-46"][:3] == (
        "partially_suspended",
        "clause 2 (gallium, germanium, antimony, superhard materials to the United States; stricter graphite "
        "review) suspended by MOFCOM Announcement No. 72 of 2025 until 2026-11-27",
        "mofcom-2025-11-09-suspension-2024-46",
    )
    # The freeze's row cites World Journal of 2026-01-09, and its notes name Kyodo of 2026-01-12
    # (kyodo-2026-01-12-mfa-no-confirmation) and of 6 Feb 2026 via World Journal of 2026-02-08
    # (worldjournal-2026-02-08-japan-approvals), the newest: reported until 2026-02-08, then unknown.
    freeze = rows["chn-2026-01-japan-licence-freeze"]
    assert (freeze[0], freeze[3]) == ("unknown", date(2026, 2, 9)) and "no source after 2026-02-08" in freeze[1]
    assert rows["chn-2010-japan-rare-earth-halt"][:2] == ("ended", "ended: last applied c. 2010-11-19")
    assert rows["mofcom-rare-earth-export-quotas-2010-2014"][:2] == ("ended", "ended: last applied 2014-12-31")
    # The one-year suspensions of 5 Nov 2025 (ECL No. 21, UEL No. 7) are computed to end on 2026-11-10, as
    # No. 70's: nothing later, so the listings are unknown from 2026-11-11, like the October notices.
    for cid, by in (
        ("mofcom-2025-21", "mofcom-2025-11-05-ecl-adjustment"),
        ("uel-2025-7", "uel-2025-11-05-adjustment"),
    ):
        assert (rows[cid][0], rows[cid][2], rows[cid][3]) == ("unknown", by, date(2026, 11, 11)), cid
    # The 14 May 2025 suspensions ran 90 days, to 2025-08-12, and the 12 August notices continued them
    # (ECL No. 21, UEL No. 7) or lifted the measure (ECL No. 22, UEL No. 8) from that day: they have ended,
    # taken over, and so have the 12 August notices from 2025-11-11 (continued on 2025-11-10).
    for cid, by, since in (
        ("mofcom-2025-05-14-ecl-suspension", "mofcom-2025-08-12-ecl-adjustment", date(2025, 8, 13)),
        ("uel-2025-05-14-suspension", "uel-2025-08-12-adjustment", date(2025, 8, 13)),
        ("mofcom-2025-08-12-ecl-adjustment", "mofcom-2025-11-05-ecl-adjustment", date(2025, 11, 11)),
        ("uel-2025-08-12-adjustment", "uel-2025-11-05-adjustment", date(2025, 11, 11)),
    ):
        assert (rows[cid][0], rows[cid][2], rows[cid][3]) == ("ended", by, since), cid
        assert "taken over by " + by in rows[cid][1]
    # Lifted listings have ended (ECL No. 13 and UEL No. 5 from 2025-11-10; ECL No. 22, UEL No. 8 from 2025-08-12).
    lifted = ("mofcom-2025-13", "uel-2025-5", "mofcom-2025-22", "uel-2025-8")
    assert {c: rows[c][:1] + rows[c][3:4] for c in lifted} == {
        "mofcom-2025-13": ("ended", date(2025, 11, 10)), "uel-2025-5": ("ended", date(2025, 11, 10)),
        "mofcom-2025-22": ("ended", date(2025, 8, 12)), "uel-2025-8": ("ended", date(2025, 8, 12)),
    }  # fmt: skip


def test_a_suspension_of_a_lifted_measure_holds_no_longer(db):
    """UEL No. 8 was suspended on 14 May 2025 with no end date and lifted on 12 August: the suspension
    notice is not in force after the lift (it once stayed in force to the horizon)."""
    assert "uel-2025-05-14-suspension" in _in_force(db, "2025-08-11", "relaxations_in_force")
    assert "uel-2025-05-14-suspension" not in _in_force(db, "2025-08-13", "relaxations_in_force")
    assert _status_on(db, "2025-08-11")["uel-2025-8"][:3] == (
        "suspended",
        "suspended by uel-2025-05-14-suspension with no end date",
        "uel-2025-05-14-suspension",
    )


def test_a_reported_measure_is_never_in_force(db):
    reported = {
        r[0] for r in db.execute("SELECT control_id FROM export_controls WHERE certainty = 'reported'").fetchall()
    }
    assert reported == {"chn-2010-japan-rare-earth-halt", "chn-2026-01-japan-licence-freeze"}
    statuses = db.execute(
        "SELECT DISTINCT status FROM control_status_periods WHERE certainty = 'reported' ORDER BY 1"
    ).fetchall()
    assert [s[0] for s in statuses] == ["ended", "reported", "unknown"]
    assert _status_on(db, "2010-10-01")["chn-2010-japan-rare-earth-halt"][0] == "reported"
    assert _status_on(db, "2026-01-08")["chn-2026-01-japan-licence-freeze"][0] == "reported"
    assert not reported & _in_force(db, "2010-10-01") and not reported & _in_force(db, "2026-01-08")


def test_suspensions_before_and_after_the_truce(db):
    on = _status_on(db, "2025-11-15")
    assert on["mofcom-2025-57"] == ("suspended", "suspended by MOFCOM/GACC Announcement No. 70 of 2025 until "
                                    "2026-11-10", "mofcom-2025-70", date(2025, 11, 7), date(2026, 11, 10))  # fmt: skip
    assert on["mofcom-2025-18"][0] == "in_force" and on["mofcom-2024-46"][0] == "partially_suspended"
    assert _status_on(db, "2025-10-20")["mofcom-2025-57"][0] == "announced"  # effective only from 8 Nov
    nov = _in_force(db, "2025-11-15")
    assert "mofcom-2025-18" in nov and "mofcom-2024-46" in nov and not nov & set(OCTOBER_2025)
    assert "mofcom-2025-61" in _in_force(db, "2025-10-20")  # in force on publication, before No. 70


def test_in_force_lists_restrictions_and_relaxations_apart(db):
    day = "2025-12-15"
    restrictions, relaxations = _in_force(db, day), _in_force(db, day, "relaxations_in_force")
    # No. 70 (2025-11-07 to 2026-11-10), No. 72 on No. 46's clause 2 (2025-11-09 to 2026-11-27), the general
    # licences (from 2025-12-04) and the 5 November 2025 adjustments of the entity lists (from 2025-11-10 for
    # a year). The May and August 2025 suspensions were taken over by 2025-11-10.
    assert relaxations == {
        "mofcom-2025-70", "mofcom-2025-11-09-suspension-2024-46", "mofcom-2025-12-general-licences",
        "mofcom-2025-11-05-ecl-adjustment", "uel-2025-11-05-adjustment",
    }  # fmt: skip
    assert not restrictions & relaxations
    classes = dict(db.execute("SELECT control_id, measure_class FROM export_controls").fetchall())
    assert {classes[c] for c in restrictions} == {"restriction"}


def test_after_the_horizon_every_status_is_unknown(db):
    after = _status_on(db, "2027-01-01")
    assert len(after) == db.execute("SELECT count(*) FROM export_controls").fetchone()[0]
    assert {v[0] for v in after.values()} == {"unknown"}
    assert all("after the evidence horizon (2026-11-26)" in v[1] for v in after.values())
    assert _in_force(db, "2027-01-01") == set()


def test_periods_partition_each_life_from_announcement_to_the_horizon(db):
    gaps = db.execute(
        """
        SELECT p.control_id, p.status_from, p.status_until, c.announced_on,
               lag(p.status_until) OVER (PARTITION BY p.control_id ORDER BY p.status_from) AS previous_until
        FROM control_status_periods p JOIN export_controls c USING (control_id)
        QUALIFY (previous_until IS NULL AND p.status_from <> c.announced_on)
             OR (previous_until IS NOT NULL AND p.status_from <> previous_until + 1)
             OR p.status_until < p.status_from
        """
    ).fetchall()
    assert gaps == []
    last = db.execute("SELECT control_id, max(status_until), bool_or(open_at_horizon) FROM control_status_periods "
                      "GROUP BY 1").fetchall()  # fmt: skip
    measures = db.execute("SELECT count(*) FROM export_controls").fetchone()[0]
    assert len(last) == measures == 47 and {(r[1], r[2]) for r in last} == {(HORIZON, True)}


def test_precision_is_carried_into_the_periods(db):
    rows = db.execute(
        "SELECT control_id, status, date_label(status_from, status_from_precision) FROM control_status_periods "
        "WHERE status_from_precision <> 'day' ORDER BY 1, 2"
    ).fetchall()
    # export_controls: the halt was first reported on 2010-09-22 (a day), so its reported period starts on
    # a day; the practice began c. 2010-09-21, before the first report, where no period starts. It last
    # applied c. 2010-11-19 (approximate), so it has ended from c. 2010-11-20. The quotas applied on or
    # before 2010-01-01 (their start is not recorded) and last applied on 2014-12-31 (a day).
    assert rows == [
        ("chn-2010-japan-rare-earth-halt", "ended", "c. 2010-11-20"),
        ("mofcom-rare-earth-export-quotas-2010-2014", "in_force", "on or before 2010-01-01"),
    ]  # statuses sort in the order of the control_status ENUM
    assert db.execute("SELECT date_label(DATE '2011-03-01', 'month')").fetchone()[0] == "2011-03"
    reason = db.execute(
        "SELECT reason FROM control_status_periods WHERE control_id = 'mofcom-rare-earth-export-quotas-2010-2014' "
        "AND status = 'in_force'"
    ).fetchone()[0]
    assert reason == "in force on or before 2010-01-01; its start is not recorded"


# --- the timeline chart ---------------------------------------------------------------------------


def test_chart_data_is_exactly_the_periods(db, chart_csv: Path):
    with open(chart_csv, encoding="utf-8", newline="") as fh:
        published = list(csv.reader(fh))
    assert tuple(published[0]) == TIMELINE_COLUMNS
    cols = ", ".join(TIMELINE_COLUMNS)
    periods = db.execute(f"SELECT {cols} FROM control_status_periods").fetchall()
    as_text = [["" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in r] for r in periods]
    assert published[1:] == as_text and len(as_text) > 30
    timeline = next(c for c in CHARTS if c.file == "export-controls-timeline.svg")
    assert timeline.draw is controls_svg and timeline.data is timeline_csv


def test_controls_in_force_agrees_with_the_chart_on_every_day(db, chart_csv: Path):
    """For every day from 2010-01-01 to the horizon and every measure: the measure is in
    `controls_in_force(day)` exactly when the chart's data draws it as an in-force restriction."""
    disagreements, days, measure_days = db.execute(
        f"""
        WITH days AS (
            SELECT CAST(unnest(generate_series(DATE '2010-01-01', evidence_horizon(), INTERVAL 1 DAY)) AS DATE) AS d
        ),
        chart AS (SELECT * FROM read_csv({str(chart_csv)!r}, header = true, all_varchar = true)),
        drawn AS (
            SELECT days.d, chart.control_id FROM days JOIN chart
              ON days.d BETWEEN CAST(chart.status_from AS DATE) AND CAST(chart.status_until AS DATE)
            WHERE chart.measure_class = 'restriction' AND chart.status IN ('in_force', 'partially_suspended')
        ),
        listed AS (SELECT days.d, f.control_id FROM days, controls_in_force(days.d) f),
        differ AS ((SELECT * FROM drawn EXCEPT ALL SELECT * FROM listed)
                   UNION ALL (SELECT * FROM listed EXCEPT ALL SELECT * FROM drawn))
        SELECT (SELECT count(*) FROM differ), (SELECT count(*) FROM days), (SELECT count(*) FROM listed)
        """
    ).fetchone()
    assert days == (HORIZON - date(2010, 1, 1)).days + 1
    assert measure_days > 5000  # not vacuous: thousands of measure-days in force
    assert disagreements == 0


def test_chart_draws_one_bar_per_period(db):
    """The SVG has one bar (a patch) per period on each of its two panels, plus the legend's."""
    con = typed_connection(load_package(ROOT), derived_sql())
    svg = controls_svg(con).decode("utf-8")
    periods = con.execute("SELECT count(*) FROM control_status_periods").fetchone()[0]
    con.close()
    assert svg.count('id="patch_') >= 2 * periods
    # matplotlib keeps each text as a comment beside its glyphs: the horizon, and dates at their precision
    assert f"<!-- evidence horizon {HORIZON.isoformat()} -->" in svg
    assert "<!-- on or before 2010-01-01 -->" in svg  # the quotas' in-force bar, labelled at its precision
    assert "<!-- chn-2010-japan-rare-earth-halt (reported) · 2010-09-22 -->" in svg
