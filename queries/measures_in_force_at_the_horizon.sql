-- title: Chinese restrictions in force at the evidence horizon
-- description: The export-control restrictions in force on the date up to which the sources were checked (evidence_horizon()), not on today's date: the package says nothing later. Suspended, reported and unknown measures are not listed (see controls_status for them); a measure with one clause suspended shows as partially_suspended.
SELECT control_id, doc_number_en, measure_type, target_code, status, status_from, reason
FROM controls_in_force(evidence_horizon())
ORDER BY announced_on, control_id;
