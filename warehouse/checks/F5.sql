-- F5 部门所属各单位均公开单位预算：部门预算表2 / 表5-2 列出两个及以上单位时，每个单位都应有本年度的单位预算文件。
--    只有一个单位（本级）的部门，部门预算即单位预算。
-- F5 Every unit of a department publishes its own 单位 budget: where the department's T2 / T5-2
--    lists two or more units, each has a 单位 filing of the same year and kind.
--    The warehouse holds what was collected, not all that was published: an absence is a
--    finding only where it holds 单位 filings of the same department, year and kind (its units
--    are published and collected). Elsewhere (a sample of a city's department budgets)
--    the rule cannot know: insufficient_data.
WITH depts AS (SELECT * FROM filing_series WHERE unit_scope = '部门'),
listed AS (
    SELECT x.filing_id, x.row_code AS unit_code, min(x.row_label) AS label
    FROM fact x JOIN depts d USING (filing_id)
    WHERE x.table_kind IN ('T2', 'T5-2') AND regexp_matches(x.row_code, '^[0-9]{6}$')
    GROUP BY ALL
),
n AS (SELECT filing_id, count(*) AS n_units FROM listed GROUP BY filing_id),
o AS (
    SELECT l.*, n.n_units,
           (SELECT any_value(u.filing_id) FROM filing_series u JOIN depts d ON d.filing_id = l.filing_id
            WHERE u.unit_scope = '单位' AND u.is_current AND u.region_code = d.region_code AND u.fiscal_year = d.fiscal_year
              AND u.kind = d.kind AND u.unit_code = l.unit_code) AS unit_filing
           , EXISTS (SELECT 1 FROM filing_series u JOIN depts d ON d.filing_id = l.filing_id
                     WHERE u.unit_scope = '单位' AND u.is_current AND u.region_code = d.region_code
                       AND u.fiscal_year = d.fiscal_year AND u.kind = d.kind
                       -- a unit code is its department's code + 3 digits (118001 of 118)
                       AND left(u.unit_code, length(l.unit_code) - 3) = left(l.unit_code, length(l.unit_code) - 3)) AS units_collected
    FROM listed l JOIN n USING (filing_id)
    WHERE n.n_units > 1
)
SELECT filing_id, 'F5' AS rule_id, 'unit:' || unit_code AS subject,
       CASE WHEN unit_filing IS NOT NULL THEN 'pass' WHEN units_collected THEN 'fail' ELSE 'insufficient_data' END AS outcome,
       '单位 ' || unit_code || ' ' || coalesce(label, '') || '：' || CASE WHEN unit_filing IS NOT NULL
            THEN '已公开单位预算（' || unit_filing || '）。'
            WHEN units_collected THEN '部门预算列有该单位（共 ' || n_units || ' 个单位），但未见其单位预算公开。'
            ELSE '库中没有该部门本年度的任何单位预算（未收集），无法判断是否公开。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '各单位公开单位预算', unit_code := unit_code, unit_filing := unit_filing)) AS evidence
FROM o
UNION ALL
SELECT f.filing_id, 'F5', 'units',
       CASE WHEN f.unit_scope = '单位' THEN 'not_applicable' WHEN n.n_units = 1 THEN 'not_applicable' ELSE 'insufficient_data' END,
       CASE WHEN f.unit_scope = '单位' THEN '单位预算，本规则看部门预算。' WHEN n.n_units = 1 THEN '部门只有一个单位，部门预算即其单位预算。'
            ELSE '未从表2 / 表5-2 提取到所属单位，无法核对。' END,
       NULL, NULL, NULL, NULL, to_json(struct_pack(identity := '各单位公开单位预算', n_units := n.n_units))
FROM filing f LEFT JOIN n USING (filing_id)
WHERE coalesce(n.n_units, 0) <= 1
