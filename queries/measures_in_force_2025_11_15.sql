-- title: Measures in force on 15 November 2025
-- description: A week after the US-China truce (controls_in_force): the October 2025 notices are suspended by No. 70, April's No. 18 stays in force, 2024 No. 46 has one clause suspended (by No. 72), and of the 2025 listings of US entities the export-control list No. 21 and the unreliable-entity list No. 7 are suspended, while export-control list Nos. 13 and 22 and unreliable-entity list Nos. 5 and 8 were lifted (Nos. 13 and 5 from 10 November, Nos. 22 and 8 from 12 August). The relaxations in force that day are listed after them (relaxations_in_force): No. 70, No. 72 and the two adjustments of 5 November 2025 to the entity lists.
SELECT measure_class, control_id, doc_number_en, measure_type, status, reason
FROM (
    SELECT *, 1 AS part FROM controls_in_force(DATE '2025-11-15')
    UNION ALL BY NAME
    SELECT *, 2 AS part FROM relaxations_in_force(DATE '2025-11-15')
)
ORDER BY part, announced_on, control_id;
