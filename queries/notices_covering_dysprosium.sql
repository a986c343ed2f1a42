-- title: Every notice that covers dysprosium
-- description: controls_covering('dy'): notices with an item on dysprosium (Dy) itself or on any group it belongs to, through material_groups (heavy rare earths, MOFCOM's medium and heavy rare earths, rare earths), with the path from Dy to the covered item.
SELECT control_id, doc_number_en, announced, measure_class, certainty, item_id, covered_as, path
FROM controls_covering('dy')
ORDER BY announced_on, control_id, item_id;
