-- A3 支出总表（表3）每一行：合计 = 基本支出 + 项目支出 + 事业单位经营支出 + 上缴上级支出 + 对附属单位补助支出。
-- A3 T3 each row: total = basic + project + operating + paid to superior + subsidies to affiliates.
--    A table that prints 基本支出 only as its two parts (湖州: 人员支出 / 公用经费 under a 基本支出
--    header, no subtotal column) is checked with the parts in place of the subtotal. 江苏 adds a
--    单位预留机动经费 column (a reserve not yet allocated) to the types.
WITH cols(column_label, role, ord) AS (VALUES
    ('合计', 'total', 0), ('基本支出', 'term', 1), ('基本支出/人员经费', 'part', 1), ('基本支出/公用经费', 'part', 2),
    ('项目支出', 'term', 3), ('事业单位经营支出', 'term', 4), ('上缴上级支出', 'term', 5), ('对附属单位补助支出', 'term', 6),
    ('单位预留机动经费', 'term', 7)
),
rows_ AS (
    SELECT filing_id, row_code, min(row_label) AS row_label FROM fact WHERE table_kind = 'T3' GROUP BY ALL
),
basic_split AS (
    SELECT filing_id FROM fact WHERE table_kind = 'T3' GROUP BY filing_id
    HAVING NOT bool_or(column_label = '基本支出') AND bool_or(column_label LIKE '基本支出/%')
),
reserve AS (SELECT DISTINCT filing_id FROM fact WHERE table_kind = 'T3' AND column_label = '单位预留机动经费'),
terms AS (
    SELECT r.filing_id, 'A3' AS rule_id, 'T3:' || r.row_code AS subject,
           CASE k.role WHEN 'part' THEN 'term' ELSE k.role END AS role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T3', r.row_code, k.column_label)) AS ev, false AS required, true AS inputs_ok,
           '表3 支出总表 ' || CASE WHEN r.row_code = 'total' THEN '合计' ELSE r.row_code || ' ' || coalesce(r.row_label, '') END
               || ' 行：合计 = 基本支出' || CASE WHEN s.filing_id IS NOT NULL THEN '（人员经费 + 公用经费）' ELSE '' END
               || ' + 项目支出 + 事业单位经营支出 + 上缴上级支出 + 对附属单位补助支出'
               || CASE WHEN m.filing_id IS NOT NULL THEN ' + 单位预留机动经费' ELSE '' END AS what,
           '合计' AS lhs_zh, '各支出类型之和' AS rhs_zh, k.ord
    FROM rows_ r CROSS JOIN cols k
    LEFT JOIN basic_split s ON s.filing_id = r.filing_id
    LEFT JOIN reserve m ON m.filing_id = r.filing_id
    LEFT JOIN cell c ON c.filing_id = r.filing_id AND c.table_kind = 'T3' AND c.row_code = r.row_code
                    AND c.column_label = k.column_label
    WHERE (k.role = 'part') = (s.filing_id IS NOT NULL) OR k.column_label NOT LIKE '基本支出%'
),
missing AS (
    SELECT f.filing_id, 'A3', 'T3', 'total', NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 8), missing_ev('T3', 'total', '合计'),
           false, false, '表3 支出总表 每行合计 = 各支出类型之和', '', '', 0
    FROM filing f WHERE NOT EXISTS (SELECT 1 FROM rows_ r WHERE r.filing_id = f.filing_id)
),
all_terms AS (SELECT * FROM terms UNION ALL SELECT * FROM missing)
SELECT * FROM sum_identity(all_terms)
