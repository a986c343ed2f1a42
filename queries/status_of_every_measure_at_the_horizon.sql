-- title: The status of every measure at the evidence horizon, and why
-- description: controls_status: each measure's status on the date up to which the sources were checked (status_as_of), with the reason and the notice that caused it. Where the evidence stops (suspensions recorded until 10 November 2026 with nothing later, a practice last reported in February 2026) the status is unknown, never in force; a suspension that a later notice continued or ended has itself ended.
SELECT control_id, doc_number_en, measure_class, certainty, status, status_from, by_control_id, reason, status_as_of
FROM controls_status
ORDER BY control_id;
