-- title: Japan's dependence on China over time
-- description: Every figure for Japan's imports from China, oldest first, with material, metric, basis, qualifier (exact, about, nearly, at_least), confidence, source and scope; ranges as ranges. Figures of different scope or basis (Ministry of Finance quantities, a JOGMEC or industry estimate, NdFeB magnets, HS heading 2805 by value, heavy rare earths) are different questions: compare within one scope.
SELECT r.period_start, r.period_end, m.name_en AS material, r.metric, r.basis,
       r.value, r.value_low, r.value_high, r.value_kind, r.value_qualifier, r.confidence,
       s.publisher_en AS publisher, r.ratio_id, r.scope
FROM dependency_ratios r
JOIN materials m USING (material_id)
JOIN sources s USING (source_id)
WHERE r.importer_code = 'JPN' AND r.supplier_code = 'CHN'
ORDER BY r.period_end, r.period_start, r.ratio_id;
