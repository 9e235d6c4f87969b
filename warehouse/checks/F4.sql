-- F4 细化程度：一般公共预算支出表（表5-1）功能分类细化到项（7 位），每个有金额的款都列出其下的项；
--    基本支出表（表6）经济分类细化到款（5 位），每个有金额的类都列出其下的款。
-- F4 Detail: T5-1 功能分类 down to 项 (7 digits) under every 款 with money; T6 经济分类 down to
--    款 (5 digits) under every class with money.
WITH spec(subject, table_kind, parent_len, child_len, name_zh, level_zh) AS (VALUES
    ('func', 'T5-1', 5, 7, '表5-1 功能分类', '项'),
    ('econ', 'T6', 3, 5, '表6 经济分类', '款')
),
rows_ AS (
    SELECT c.filing_id, c.table_kind, c.row_code, any_value(c.row_label) AS label, max(abs(c.amount_wan)) AS amt
    FROM cell c WHERE c.table_kind IN ('T5-1', 'T6') AND regexp_matches(c.row_code, '^[0-9]{3,7}$') GROUP BY ALL
),
bare AS (
    SELECT s.subject, p.filing_id, list(p.row_code || ' ' || coalesce(p.label, '') ORDER BY p.row_code) AS parents
    FROM spec s JOIN rows_ p ON p.table_kind = s.table_kind AND length(p.row_code) = s.parent_len AND p.amt > 0
    WHERE NOT EXISTS (SELECT 1 FROM rows_ c WHERE c.filing_id = p.filing_id AND c.table_kind = s.table_kind
                      AND length(c.row_code) = s.child_len AND starts_with(c.row_code, p.row_code))
    GROUP BY ALL
),
has AS (SELECT DISTINCT filing_id, table_kind FROM rows_)
SELECT f.filing_id, 'F4' AS rule_id, s.subject,
       CASE WHEN h.filing_id IS NULL THEN 'insufficient_data' WHEN b.parents IS NOT NULL THEN 'fail' ELSE 'pass' END AS outcome,
       s.name_zh || '细化到' || s.level_zh || '：' || CASE WHEN h.filing_id IS NULL THEN '表格未能提取，无法核对。'
            WHEN b.parents IS NOT NULL THEN '以下科目未细化到' || s.level_zh || '：' || array_to_string(b.parents[:10], '；')
                 || CASE WHEN len(b.parents) > 10 THEN ' 等 ' || len(b.parents) || ' 个' ELSE '' END || '。'
            ELSE '符合。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := s.name_zh || '细化到' || s.level_zh, "table" := s.table_kind, parents := b.parents)) AS evidence
FROM filing f CROSS JOIN spec s
LEFT JOIN has h ON h.filing_id = f.filing_id AND h.table_kind = s.table_kind
LEFT JOIN bare b ON b.filing_id = f.filing_id AND b.subject = s.subject
