-- Views and macros derived from the tables, documented with COMMENT ON. Run by `rareearths build`.

-- When each measure applies: from its effective date (or its announcement, where the source gives
-- no separate effective date) until it ended. A suspension notice ends when its last suspension
-- window closes.
CREATE VIEW control_periods AS
SELECT
    c.control_id,
    coalesce(c.effective_on, c.announced_on) AS applies_from,
    coalesce(
        c.ended_on,
        CASE WHEN c.measure_type = 'suspension'
             THEN (SELECT max(l.valid_until) FROM control_links l
                   WHERE l.from_control_id = c.control_id AND l.relation = 'suspends') END
    ) AS applies_until
FROM export_controls c;
COMMENT ON VIEW control_periods IS 'The dates between which each measure applies, before suspensions by other notices are taken into account.';

-- Status of every measure on day d, and the dates that status holds around d.
CREATE MACRO control_status_on(d) AS TABLE
SELECT control_id, status, status_from, nullif(status_until, DATE '9999-12-31') AS status_until FROM (
WITH s AS (
    SELECT l.to_control_id AS control_id, l.clause, l.valid_from, l.valid_until
    FROM control_links l WHERE l.relation = 'suspends'
),
whole_now AS (
    SELECT control_id, min(valid_from) AS f, max(coalesce(valid_until, DATE '9999-12-31')) AS u FROM s
    WHERE clause IS NULL AND valid_from <= d AND d <= coalesce(valid_until, DATE '9999-12-31')
    GROUP BY control_id
),
part_now AS (
    SELECT control_id, min(valid_from) AS f, max(coalesce(valid_until, DATE '9999-12-31')) AS u FROM s
    WHERE clause IS NOT NULL AND valid_from <= d AND d <= coalesce(valid_until, DATE '9999-12-31')
    GROUP BY control_id
),
edges AS (  -- nearest suspension boundaries before and after d
    SELECT control_id,
           max(valid_until) FILTER (WHERE valid_until < d) AS last_end,
           min(valid_from) FILTER (WHERE valid_from > d) AS next_start
    FROM s WHERE clause IS NULL GROUP BY control_id
)
SELECT
    c.control_id,
    CASE
        WHEN d < c.announced_on THEN 'not_yet_announced'
        WHEN p.applies_until IS NOT NULL AND d > p.applies_until THEN 'ended'
        WHEN w.control_id IS NOT NULL THEN 'suspended'
        WHEN d < p.applies_from THEN 'announced'
        WHEN pn.control_id IS NOT NULL THEN 'partially_suspended'
        ELSE 'in_force'
    END AS status,
    CASE
        WHEN d < c.announced_on THEN NULL
        WHEN p.applies_until IS NOT NULL AND d > p.applies_until THEN p.applies_until + 1
        WHEN w.control_id IS NOT NULL THEN w.f
        WHEN d < p.applies_from THEN c.announced_on
        WHEN pn.control_id IS NOT NULL THEN pn.f
        ELSE greatest(p.applies_from, coalesce(e.last_end + 1, p.applies_from))
    END AS status_from,
    CASE
        WHEN d < c.announced_on THEN c.announced_on - 1
        WHEN p.applies_until IS NOT NULL AND d > p.applies_until THEN NULL
        WHEN w.control_id IS NOT NULL THEN nullif(w.u, DATE '9999-12-31')
        WHEN d < p.applies_from THEN p.applies_from - 1
        WHEN pn.control_id IS NOT NULL THEN nullif(pn.u, DATE '9999-12-31')
        ELSE least(coalesce(p.applies_until, DATE '9999-12-31'), coalesce(e.next_start - 1, DATE '9999-12-31'))
    END AS status_until
FROM export_controls c
JOIN control_periods p USING (control_id)
LEFT JOIN whole_now w USING (control_id)
LEFT JOIN part_now pn USING (control_id)
LEFT JOIN edges e USING (control_id)
);

-- The measures in force on day d: applying on d and not suspended as a whole. A measure with
-- only a clause suspended stays in force (status partially_suspended).
CREATE MACRO controls_in_force(d) AS TABLE
SELECT c.*, s.status, s.status_from, s.status_until
FROM export_controls c
JOIN control_status_on(d) s USING (control_id)
WHERE s.status IN ('in_force', 'partially_suspended')
ORDER BY c.announced_on, c.control_id;

CREATE VIEW controls_status AS
SELECT c.control_id, c.doc_number_en, c.title_en, c.measure_type, c.announced_on, c.effective_on,
       s.status, s.status_from, s.status_until
FROM export_controls c
JOIN control_status_on(current_date) s USING (control_id)
ORDER BY c.announced_on, c.control_id;
COMMENT ON VIEW controls_status IS 'Each export-control measure with its status today (announced, in_force, partially_suspended, suspended, ended) and the dates that status holds. Use control_status_on(DATE) for another day.';

-- The most recent figure per importer, supplier, material and metric (latest period end; ties
-- broken by the later period start, then by id so the answer is stable).
CREATE VIEW latest_dependency AS
SELECT * EXCLUDE (rn) FROM (
    SELECT r.*, row_number() OVER (
        PARTITION BY importer_code, supplier_code, material_id, metric
        ORDER BY period_end DESC, period_start DESC, ratio_id
    ) AS rn
    FROM dependency_ratios r
) WHERE rn = 1;
COMMENT ON VIEW latest_dependency IS 'The latest dependency figure per importer, supplier, material and metric (latest period end).';

CREATE VIEW deals_with_parties AS
SELECT d.deal_id, d.title_en, d.announced_on, d.instrument, d.status, d.amount, d.currency, d.amount_qualifier,
       d.amount_usd, d.funder_code, d.project_code, d.project,
       string_agg(p.entity_id || ' (' || p.role || ')', '; ' ORDER BY p.role, p.entity_id) AS parties,
       list(DISTINCT p.entity_id ORDER BY p.entity_id) FILTER (WHERE p.role IN ('lender', 'investor', 'grantor', 'offtaker', 'guarantor', 'government', 'arranger')) AS funders,
       list(DISTINCT p.entity_id ORDER BY p.entity_id) FILTER (WHERE p.role IN ('recipient', 'supplier')) AS recipients
FROM deals d LEFT JOIN deal_parties p USING (deal_id)
GROUP BY ALL
ORDER BY d.announced_on, d.deal_id;
COMMENT ON VIEW deals_with_parties IS 'Each deal with its parties flattened: all parties with roles, the funding side and the receiving side.';
