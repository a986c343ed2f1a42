-- Views and macros derived from this package's tables, documented with COMMENT ON. `rareearths build`
-- runs this after the tables and `package_metadata` (the descriptor's top-level properties) exist.
--
-- Nothing here looks at the clock: every status is computed up to the package's evidence horizon,
-- the date up to which its sources were checked (`evidenceHorizon` in datapackage.json).

-- The evidence horizon, and dates shown at their precision --------------------------------------

CREATE MACRO evidence_horizon() AS (
    SELECT CASE WHEN count(*) = 1 THEN CAST(min(value) AS DATE)
                ELSE error('datapackage.json has no evidenceHorizon: the date up to which sources were checked') END
    FROM package_metadata WHERE key = 'evidenceHorizon'
);
COMMENT ON MACRO evidence_horizon IS 'The date up to which the package''s sources were checked (datapackage.json evidenceHorizon). No status is computed beyond it.';

-- "2011-03" for a month, "2010" for a year, "c. 2010-09-21" for an approximate day, "on or before 2010-01-01".
CREATE MACRO date_label(d, precision) AS CASE
    WHEN d IS NULL THEN NULL
    WHEN precision = 'year' THEN strftime(d, '%Y')
    WHEN precision = 'month' THEN strftime(d, '%Y-%m')
    WHEN precision = 'approximate' THEN 'c. ' || strftime(d, '%Y-%m-%d')
    WHEN precision = 'on_or_before' THEN 'on or before ' || strftime(d, '%Y-%m-%d')
    ELSE strftime(d, '%Y-%m-%d')
END;
COMMENT ON MACRO date_label IS 'A date as its precision allows: 2010 (year), 2011-03 (month), c. 2010-09-21 (approximate), on or before 2010-01-01 (on_or_before), 2025-04-04 (day).';

-- The status of export-control measures ----------------------------------------------------------

CREATE TYPE control_status AS ENUM (
    'announced', 'in_force', 'partially_suspended', 'suspended', 'ended', 'reported', 'unknown'
);

-- Each measure's life, from its announcement to the evidence horizon, cut into periods of one
-- status. The cuts are every date on which something recorded happens to the measure (it is
-- announced, takes effect, ends, is lifted; a suspension window opens or closes; the last source on
-- a reported measure was published). Within a piece the status is constant; equal neighbours merge.
-- A suspension notice runs while its suspensions do; when they stop, it has ended if a later notice
-- took over every measure it suspended (continued the suspension, lifted or replaced the measure), and
-- is unknown otherwise. A suspension stops holding when the measure it suspends is lifted.
CREATE VIEW control_status_periods AS
WITH
measure AS (
    SELECT control_id, certainty, source_id, coalesce(doc_number_en, control_id) AS label,
           announced_on, announced_on_precision,
           coalesce(effective_on, announced_on) AS applies_on,
           CASE WHEN effective_on IS NULL THEN announced_on_precision ELSE effective_on_precision END AS applies_p,
           effective_on IS NULL AS no_effective_date,
           ended_on, ended_on_precision
    FROM export_controls
),
link AS (
    SELECT l.link_id, l.from_control_id, l.relation, l.to_control_id, l.clause, l.valid_from,
           coalesce(l.valid_until, DATE '9999-12-31') AS valid_until, l.source_id,
           coalesce(f.doc_number_en, f.control_id) AS by_label
    FROM control_links l JOIN export_controls f ON f.control_id = l.from_control_id
),
lifted AS (  -- the first lift or supersession of each measure
    SELECT to_control_id AS control_id, min(valid_from) AS lifted_on,
           arg_min(from_control_id, valid_from) AS by_id, arg_min(by_label, valid_from) AS by_label,
           arg_min(relation, valid_from) AS relation, arg_min(source_id, valid_from) AS source_id
    FROM link WHERE relation IN ('lifts', 'supersedes') GROUP BY 1
),
held_link AS (  -- a suspension holds until its recorded end, or until the measure it suspends is lifted
    SELECT s.*, least(s.valid_until, coalesce(lf.lifted_on - 1, DATE '9999-12-31')) AS held_until
    FROM link s LEFT JOIN lifted lf ON lf.control_id = s.to_control_id
    WHERE s.relation = 'suspends'
),
followed AS (  -- a later notice that took over when a suspension stopped: it continued, lifted or replaced
    SELECT h.link_id, arg_min({'by': n.from_control_id, 'label': n.by_label, 'source_id': n.source_id,
                               'from': n.valid_from}, n.valid_from) AS next
    FROM held_link h
    JOIN link n ON n.to_control_id = h.to_control_id AND n.link_id <> h.link_id
               AND n.relation IN ('suspends', 'lifts', 'supersedes')
               AND n.valid_from > h.valid_from AND n.valid_from <= h.held_until + 1
    WHERE h.held_until < DATE '9999-12-31'
    GROUP BY 1
),
own_window AS (  -- a suspension notice applies while its windows run, as far as they are recorded;
                 -- taken_over: every suspension it made was followed by a later notice's act
    SELECT h.from_control_id AS control_id, max(h.held_until) AS until,
           bool_and(f.next IS NOT NULL) AS taken_over,
           string_agg(DISTINCT f.next.label, ', ' ORDER BY f.next.label) AS next_labels,
           arg_max(f.next, h.held_until) AS next
    FROM held_link h LEFT JOIN followed f USING (link_id)
    GROUP BY 1 HAVING max(h.held_until) < DATE '9999-12-31'
),
evidence AS (  -- the newest source about each measure (its row, its items, the links acting on it, and the
               -- sources those rows name by id in their notes)
    SELECT x.control_id, max(s.published_on) AS latest
    FROM (SELECT control_id, source_id, notes FROM export_controls
          UNION ALL SELECT to_control_id, source_id, notes FROM control_links
          UNION ALL SELECT control_id, source_id, notes FROM control_items) x
    JOIN sources s ON s.source_id = x.source_id OR contains(coalesce(x.notes, ''), s.source_id)
    GROUP BY 1
),
life AS (
    SELECT m.*, ow.until AS window_until, ow.taken_over, ow.next_labels, ow.next AS window_next, ev.latest,
           CASE WHEN m.certainty = 'reported' AND m.ended_on IS NULL
                THEN greatest(m.announced_on, coalesce(ev.latest, m.announced_on)) END AS reported_until,
           CASE WHEN m.ended_on IS NOT NULL AND (lf.lifted_on IS NULL OR m.ended_on < lf.lifted_on)
                THEN {'day': m.ended_on + 1, 'p': m.ended_on_precision::VARCHAR, 'by': NULL::VARCHAR,
                      'source_id': m.source_id,
                      'reason': 'ended: last applied ' || date_label(m.ended_on, m.ended_on_precision)}
                WHEN lf.lifted_on IS NOT NULL
                THEN {'day': lf.lifted_on, 'p': 'day', 'by': lf.by_id, 'source_id': lf.source_id,
                      'reason': CASE lf.relation WHEN 'lifts' THEN 'lifted by ' ELSE 'superseded by ' END
                                || lf.by_label || ' from ' || strftime(lf.lifted_on, '%Y-%m-%d')}
           END AS stop
    FROM measure m
    LEFT JOIN own_window ow USING (control_id)
    LEFT JOIN evidence ev USING (control_id)
    LEFT JOIN lifted lf USING (control_id)
),
suspension AS (
    SELECT to_control_id AS control_id, clause, valid_from, valid_until, from_control_id AS by_id, by_label,
           source_id
    FROM link WHERE relation = 'suspends'
),
cut AS (
    SELECT control_id, announced_on AS day FROM life
    UNION SELECT control_id, applies_on FROM life
    UNION SELECT control_id, stop.day FROM life WHERE stop IS NOT NULL
    UNION SELECT control_id, window_until + 1 FROM life WHERE window_until IS NOT NULL
    UNION SELECT control_id, reported_until + 1 FROM life WHERE reported_until IS NOT NULL
    UNION SELECT control_id, valid_from FROM suspension
    UNION SELECT control_id, valid_until + 1 FROM suspension WHERE valid_until < DATE '9999-12-31'
),
piece AS (
    SELECT c.control_id, c.day AS piece_from,
           coalesce(lead(c.day) OVER (PARTITION BY c.control_id ORDER BY c.day) - 1, evidence_horizon()) AS piece_until
    FROM cut c JOIN life l USING (control_id)
    WHERE c.day >= l.announced_on AND c.day <= evidence_horizon()
),
-- the suspension in force on each piece's first day (whole notice or a clause), and the latest
-- one that had already closed by then; where several apply, the one that runs longest
held AS (
    SELECT p.control_id, p.piece_from, s.clause IS NULL AS whole, s.valid_until < p.piece_from AS closed,
           arg_max({'by': s.by_id, 'label': s.by_label, 'clause': s.clause, 'until': s.valid_until,
                    'source_id': s.source_id}, s.valid_until) AS s
    FROM piece p JOIN suspension s ON s.control_id = p.control_id AND s.valid_from <= p.piece_from
    GROUP BY ALL
),
state AS (
    SELECT p.control_id, p.piece_from, p.piece_until,
        CASE
        WHEN l.stop IS NOT NULL AND p.piece_from >= l.stop.day THEN
            {'status': 'ended', 'reason': l.stop.reason, 'by': l.stop.by, 'source_id': l.stop.source_id,
             'p': l.stop.p}
        WHEN l.certainty = 'reported' AND p.piece_from <= coalesce(l.reported_until, l.ended_on) THEN
            {'status': 'reported', 'reason': 'reported in the media, not confirmed by the authority; never shown as in force',
             'by': NULL, 'source_id': l.source_id, 'p': l.announced_on_precision::VARCHAR}
        WHEN l.certainty = 'reported' THEN
            {'status': 'unknown', 'reason': 'reported practice: no source after ' || strftime(coalesce(l.latest, l.announced_on), '%Y-%m-%d')
                                            || ' says whether it continued',
             'by': NULL, 'source_id': l.source_id, 'p': 'day'}
        WHEN wn.s IS NOT NULL THEN
            {'status': 'suspended',
             'reason': 'suspended by ' || wn.s.label || CASE WHEN wn.s.until = DATE '9999-12-31' THEN ' with no end date'
                       ELSE ' until ' || strftime(wn.s.until, '%Y-%m-%d') END,
             'by': wn.s.by, 'source_id': wn.s.source_id, 'p': 'day'}
        WHEN wc.s IS NOT NULL THEN
            {'status': 'unknown', 'reason': 'the suspension by ' || wc.s.label || ' was recorded until '
                                            || strftime(wc.s.until, '%Y-%m-%d') || '; no source says what followed',
             'by': wc.s.by, 'source_id': wc.s.source_id, 'p': 'day'}
        WHEN l.window_until IS NOT NULL AND p.piece_from > l.window_until AND l.taken_over THEN
            {'status': 'ended', 'reason': 'its suspension ran until ' || strftime(l.window_until, '%Y-%m-%d')
                                          || '; taken over by ' || l.next_labels || ' from '
                                          || strftime(l.window_next.from, '%Y-%m-%d'),
             'by': l.window_next.by, 'source_id': l.window_next.source_id, 'p': 'day'}
        WHEN l.window_until IS NOT NULL AND p.piece_from > l.window_until THEN
            {'status': 'unknown', 'reason': 'its suspension was recorded until ' || strftime(l.window_until, '%Y-%m-%d')
                                            || '; no source says whether it was extended',
             'by': NULL, 'source_id': l.source_id, 'p': 'day'}
        WHEN p.piece_from < l.applies_on THEN
            {'status': 'announced', 'reason': 'announced; applies from ' || date_label(l.applies_on, l.applies_p),
             'by': NULL, 'source_id': l.source_id, 'p': l.announced_on_precision::VARCHAR}
        WHEN pn.s IS NOT NULL THEN
            {'status': 'partially_suspended',
             'reason': pn.s.clause || ' suspended by ' || pn.s.label
                       || CASE WHEN pn.s.until = DATE '9999-12-31' THEN ' with no end date'
                          ELSE ' until ' || strftime(pn.s.until, '%Y-%m-%d') END,
             'by': pn.s.by, 'source_id': pn.s.source_id, 'p': 'day'}
        WHEN pc.s IS NOT NULL THEN
            {'status': 'unknown', 'reason': 'the suspension of ' || pc.s.clause || ' by ' || pc.s.label
                                            || ' was recorded until ' || strftime(pc.s.until, '%Y-%m-%d')
                                            || '; no source says what followed',
             'by': pc.s.by, 'source_id': pc.s.source_id, 'p': 'day'}
        ELSE
            {'status': 'in_force',
             'reason': CASE WHEN l.no_effective_date THEN 'applies from its announcement (no effective date recorded)'
                       WHEN l.applies_p = 'on_or_before' THEN 'in force ' || date_label(l.applies_on, l.applies_p)
                                                              || '; its start is not recorded'
                       ELSE 'in force from ' || date_label(l.applies_on, l.applies_p) END,
             'by': NULL, 'source_id': l.source_id, 'p': l.applies_p::VARCHAR}
        END AS st
    FROM piece p
    JOIN life l USING (control_id)
    LEFT JOIN held wn ON wn.control_id = p.control_id AND wn.piece_from = p.piece_from AND wn.whole AND NOT wn.closed
    LEFT JOIN held wc ON wc.control_id = p.control_id AND wc.piece_from = p.piece_from AND wc.whole AND wc.closed
    LEFT JOIN held pn ON pn.control_id = p.control_id AND pn.piece_from = p.piece_from AND NOT pn.whole AND NOT pn.closed
    LEFT JOIN held pc ON pc.control_id = p.control_id AND pc.piece_from = p.piece_from AND NOT pc.whole AND pc.closed
),
island AS (  -- consecutive pieces with the same status, reason, notice and source form one period
    SELECT *, row_number() OVER (PARTITION BY control_id ORDER BY piece_from)
              - row_number() OVER (PARTITION BY control_id, st.status, st.reason, st.by, st.source_id
                                   ORDER BY piece_from) AS grp
    FROM state
),
period AS (
    SELECT control_id, CAST(st.status AS control_status) AS status, st.reason AS reason, st.by AS by_control_id,
           min(piece_from) AS status_from, arg_min(st.p, piece_from) AS status_from_precision,
           max(piece_until) AS status_until, st.source_id AS source_id
    FROM island GROUP BY control_id, st.status, st.reason, st.by, st.source_id, grp
)
SELECT p.control_id, c.measure_class, c.certainty, p.status, p.reason, p.by_control_id,
       p.status_from, p.status_from_precision,
       p.status_until,
       CASE WHEN p.status_until = evidence_horizon() THEN 'day'
            ELSE lead(p.status_from_precision) OVER (PARTITION BY p.control_id ORDER BY p.status_from) END
           AS status_until_precision,
       p.status_until = evidence_horizon() AS open_at_horizon,
       p.source_id
FROM period p JOIN export_controls c USING (control_id)
ORDER BY c.announced_on, p.control_id, p.status_from;
COMMENT ON VIEW control_status_periods IS 'Each export-control measure''s life from its announcement to the evidence horizon, cut into periods of one status (announced, in_force, partially_suspended, suspended, ended, reported, unknown) with the reason, the notice that caused it (by_control_id) and the source. Dates are exact days; status_from_precision says how precise the recorded date behind a period start is. open_at_horizon: the period still holds on the horizon, and what follows is not known. A suspension notice has ended once later notices took over every measure it suspended; without them it is unknown after its recorded window.';

-- The status of every measure announced by day d. After the evidence horizon every status is unknown.
CREATE MACRO control_status_on(d) AS TABLE
SELECT control_id, measure_class, certainty, status, reason, by_control_id, status_from, status_from_precision,
       status_until, status_until_precision, open_at_horizon, source_id
FROM control_status_periods
WHERE CAST(d AS DATE) BETWEEN status_from AND status_until
UNION ALL
SELECT control_id, measure_class, certainty, CAST('unknown' AS control_status),
       'after the evidence horizon (' || strftime(evidence_horizon(), '%Y-%m-%d') || '): the sources were checked up to that date',
       NULL, evidence_horizon() + 1, 'day', NULL, NULL, NULL, NULL
FROM export_controls
WHERE CAST(d AS DATE) > evidence_horizon() AND announced_on <= evidence_horizon();
COMMENT ON MACRO TABLE control_status_on IS 'The status of every measure announced by day d, with the reason, the notice that caused it, the dates the status holds and its source; unknown after the evidence horizon. Read from control_status_periods.';

-- Measures of one class in force on day d (a measure with a clause suspended counts, as
-- partially_suspended); reported measures never appear here. Restrictions and relaxations are kept
-- apart: controls_in_force(d) lists the first, relaxations_in_force(d) the second.
CREATE MACRO measures_in_force(d, cls) AS TABLE
SELECT c.*, s.status, s.reason, s.by_control_id, s.status_from, s.status_until, s.open_at_horizon,
       s.source_id AS status_source_id
FROM export_controls c
JOIN control_status_on(d) s USING (control_id)
WHERE c.measure_class = cls AND s.status IN ('in_force', 'partially_suspended')
ORDER BY c.announced_on, c.control_id;
COMMENT ON MACRO TABLE measures_in_force IS 'Measures of one class (restriction or relaxation) in force on day d (status in_force or partially_suspended), read from control_status_periods.';

CREATE MACRO controls_in_force(d) AS TABLE SELECT * FROM measures_in_force(d, 'restriction');
COMMENT ON MACRO TABLE controls_in_force IS 'Restrictions in force on day d (status in_force or partially_suspended), read from control_status_periods. Relaxations (suspensions, general licences) are in relaxations_in_force(d).';

CREATE MACRO relaxations_in_force(d) AS TABLE SELECT * FROM measures_in_force(d, 'relaxation');
COMMENT ON MACRO TABLE relaxations_in_force IS 'Relaxations (suspension notices, general licences) in force on day d, read from control_status_periods.';

CREATE VIEW controls_status AS
SELECT c.control_id, c.doc_number_en, c.title_en, c.measure_type, c.measure_class, c.certainty,
       date_label(c.announced_on, c.announced_on_precision) AS announced,
       date_label(c.effective_on, c.effective_on_precision) AS effective,
       s.status, s.reason, s.by_control_id, s.status_from, s.status_from_precision, s.source_id,
       evidence_horizon() AS status_as_of
FROM export_controls c
JOIN control_status_on(evidence_horizon()) s USING (control_id)
ORDER BY c.announced_on, c.control_id;
COMMENT ON VIEW controls_status IS 'Each export-control measure with its status at the evidence horizon (status_as_of), not at today''s date: the sources say nothing later. Use control_status_on(DATE) for another day.';

-- Every notice that covers a material, directly or through any group the material belongs to
-- (groups may contain groups), with the shortest path from the material to the covered item.
CREATE MACRO controls_covering(material) AS TABLE
WITH RECURSIVE up(material_id, path, depth) AS (
    SELECT CAST(material AS VARCHAR), [CAST(material AS VARCHAR)], 0
    UNION ALL
    SELECT g.group_id, list_append(u.path, g.group_id), u.depth + 1
    FROM up u JOIN material_groups g ON g.member_id = u.material_id
    WHERE NOT list_contains(u.path, g.group_id)
)
SELECT c.control_id, c.doc_number_en, c.title_en, c.measure_class, c.certainty, c.announced_on,
       date_label(c.announced_on, c.announced_on_precision) AS announced,
       i.item_id, i.item_type, i.material_id AS covered_as, array_to_string(u.path, ' > ') AS path, u.depth
FROM up u
JOIN control_items i ON i.material_id = u.material_id
JOIN export_controls c ON c.control_id = i.control_id
QUALIFY row_number() OVER (PARTITION BY i.item_id ORDER BY u.depth, array_to_string(u.path, ' > ')) = 1
ORDER BY c.announced_on, c.control_id, i.item_id;
COMMENT ON MACRO TABLE controls_covering IS 'Every notice with an item on the material or on any group it belongs to (through material_groups, transitively), one row per item, with the shortest path (e.g. dy > medium-and-heavy-rare-earths, or dy > heavy-rare-earths > rare-earths).';

-- Dependence ---------------------------------------------------------------------------------------

-- The latest figure per importer, supplier, material, metric, basis and scope: figures that differ
-- in basis or scope are never one series. Ties (several sources for the same latest period) are all
-- kept, each with its source.
CREATE VIEW latest_dependency AS
SELECT r.* EXCLUDE (rk), s.publisher_en AS source_publisher_en,
       date_label(s.published_on, s.published_on_precision) AS source_published,
       count(*) OVER (PARTITION BY r.importer_code, r.supplier_code, r.material_id, r.metric, r.basis, r.scope)
           AS figures_for_period
FROM (
    SELECT *, rank() OVER (
        PARTITION BY importer_code, supplier_code, material_id, metric, basis, scope
        ORDER BY period_end DESC, period_start DESC
    ) AS rk
    FROM dependency_ratios
) r
JOIN sources s USING (source_id)
WHERE r.rk = 1
ORDER BY r.importer_code, r.supplier_code, r.material_id, r.metric, r.basis, r.scope, r.ratio_id;
COMMENT ON VIEW latest_dependency IS 'The latest figure per importer, supplier, material, metric, basis and scope (latest period end, then latest start); ties are kept, each with its source (figures_for_period counts them).';

-- Money ----------------------------------------------------------------------------------------------

-- Every deal with an amount, and whether its money counts: a commitment is counted once. A row
-- replaced by a later total, a tranche of its parent, an extension or amendment (no new money) and
-- a cancelled deal are not counted; an increment is.
CREATE VIEW deal_commitments AS
SELECT d.deal_id, d.title_en, d.announced_on, d.announced_on_precision, d.status, d.amount, d.currency,
       d.amount_qualifier, d.funder_code, d.funder_sector, d.parent_deal_id, d.parent_relation,
       CASE
           WHEN d.status = 'cancelled' THEN 'cancelled'
           WHEN d.parent_relation = 'tranche' THEN 'part of the amount of ' || d.parent_deal_id
           WHEN d.parent_relation IN ('extension', 'amendment') THEN 'changed terms of ' || d.parent_deal_id || ', no new money'
           WHEN r.deal_id IS NOT NULL THEN 'replaced by the later total ' || r.deal_id
       END AS not_counted_because,
       not_counted_because IS NULL AS counted
FROM deals d
LEFT JOIN (SELECT parent_deal_id, min(deal_id) AS deal_id FROM deals WHERE parent_relation = 'replaces' GROUP BY 1) r
    ON r.parent_deal_id = d.deal_id
WHERE d.amount IS NOT NULL
ORDER BY d.announced_on, d.deal_id;
COMMENT ON VIEW deal_commitments IS 'Every deal with an amount, and whether funding_by_country counts it (counted, not_counted_because): replaced totals, tranches, extensions, amendments and cancelled deals are not counted.';

-- Money by funder's jurisdiction, sector and currency, paid (disbursed) or only pledged (announced,
-- conditional, signed). Point amounts (exact, about, nearly) are added; up_to and at_least amounts
-- have their own columns and are never added to them; currencies are never added together.
CREATE VIEW funding_by_country AS
SELECT funder_code, funder_sector, currency,
       CASE WHEN status = 'disbursed' THEN 'disbursed' ELSE 'pledged' END AS stage,
       sum(amount) FILTER (WHERE amount_qualifier IN ('exact', 'about', 'nearly')) AS amount,
       sum(amount) FILTER (WHERE amount_qualifier IN ('about', 'nearly')) AS of_which_approximate,
       sum(amount) FILTER (WHERE amount_qualifier = 'up_to') AS up_to,
       sum(amount) FILTER (WHERE amount_qualifier = 'at_least') AS at_least,
       count(*) AS deals,
       string_agg(deal_id, ' ' ORDER BY deal_id) AS deal_ids
FROM deal_commitments
WHERE counted
GROUP BY ALL
ORDER BY funder_code, funder_sector NULLS LAST, currency, stage;
COMMENT ON VIEW funding_by_country IS 'Money by funder jurisdiction, sector (public, private, multilateral; empty for a deal mixing sectors that awaits its split) and currency, disbursed or pledged, each commitment once (see deal_commitments). amount adds exact, about and nearly amounts (of_which_approximate: the about and nearly part); up_to and at_least are ceilings and floors, summed apart. Currencies are never added together.';

CREATE VIEW deals_with_parties AS
SELECT d.deal_id, d.title_en, d.announced_on, d.announced_on_precision, d.instrument, d.status, d.amount, d.currency,
       d.amount_qualifier, d.amount_usd, d.funder_code, d.funder_sector, d.project_code, d.project,
       d.parent_deal_id, d.parent_relation,
       string_agg(p.entity_id || ' (' || p.role || ')', '; ' ORDER BY p.role, p.entity_id) AS parties,
       list(DISTINCT p.entity_id ORDER BY p.entity_id) FILTER (WHERE p.role IN ('lender', 'investor', 'grantor', 'offtaker', 'guarantor', 'government', 'arranger')) AS funders,
       list(DISTINCT p.entity_id ORDER BY p.entity_id) FILTER (WHERE p.role IN ('recipient', 'supplier')) AS recipients
FROM deals d LEFT JOIN deal_parties p USING (deal_id)
GROUP BY ALL
ORDER BY d.announced_on, d.deal_id;
COMMENT ON VIEW deals_with_parties IS 'Each deal with its parties flattened: all parties with roles, the funding side and the receiving side.';
