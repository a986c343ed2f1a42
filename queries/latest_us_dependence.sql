-- title: The latest figure of US import dependence, for each definition
-- description: latest_dependency for the United States: the latest figure per supplier, material, metric, basis and scope, each with its source. Figures that differ in basis or scope are different questions, so each keeps its own latest; several sources for the same latest period would all be listed.
SELECT supplier_code, material_id, metric, basis, scope, period_start, period_end, value, value_low, value_high,
       value_qualifier, source_publisher_en, ratio_id, figures_for_period
FROM latest_dependency
WHERE importer_code = 'USA'
ORDER BY supplier_code, material_id, metric, basis, scope, ratio_id;
