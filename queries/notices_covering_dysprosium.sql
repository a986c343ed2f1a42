-- title: Every notice that covers dysprosium
-- description: Notices with an item naming dysprosium (Dy) itself or any group it belongs to (heavy rare earths, MOFCOM's medium and heavy rare earths, rare earths).
WITH RECURSIVE dy_and_groups(material_id) AS (
    SELECT 'dy'
    UNION
    SELECT g.group_id FROM material_groups g JOIN dy_and_groups d ON g.member_id = d.material_id
)
SELECT c.control_id, c.doc_number_en, c.announced_on, string_agg(DISTINCT i.material_id, ', ') AS via_material
FROM control_items i
JOIN dy_and_groups USING (material_id)
JOIN export_controls c USING (control_id)
GROUP BY ALL
ORDER BY c.announced_on, c.control_id;
