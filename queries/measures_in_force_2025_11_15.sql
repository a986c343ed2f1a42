-- title: Measures in force on 15 November 2025
-- description: A week after the US-China truce: the October 2025 notices are suspended by No. 70, April's No. 18 stays in force, and 2024 No. 46 has one clause suspended (controls_in_force). The relaxations in force that day are listed after them (relaxations_in_force): No. 70 itself and the suspension of No. 46's clause 2.
SELECT measure_class, control_id, doc_number_en, measure_type, status, reason
FROM (
    SELECT *, 1 AS part FROM controls_in_force(DATE '2025-11-15')
    UNION ALL BY NAME
    SELECT *, 2 AS part FROM relaxations_in_force(DATE '2025-11-15')
)
ORDER BY part, announced_on, control_id;
