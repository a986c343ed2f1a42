-- title: Measures in force on 15 November 2025
-- description: A week after the US-China truce: the October 2025 notices are suspended by No. 70, April's No. 18 stays in force, and 2024 No. 46 has one clause suspended.
SELECT control_id, doc_number_en, measure_type, status
FROM controls_in_force(DATE '2025-11-15')
ORDER BY announced_on, control_id;
