-- title: Chinese measures in force today
-- description: The export-control measures in force on today's date, with suspensions respected; a measure with one clause suspended shows as partially_suspended.
SELECT control_id, doc_number_en, measure_type, target_code, status, status_from, status_until
FROM controls_in_force(current_date)
ORDER BY announced_on, control_id;
