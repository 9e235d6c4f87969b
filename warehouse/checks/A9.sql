-- A9 项目支出表（表10）：每个项目 合计 = 各资金来源列之和；单位（及部门）小计 = 其下各项目之和；
--    合计行 = 全部项目之和。项目按其在表中的位置归属于上方最近的单位行（6 位编码）与部门行（3 位编码）。
-- A9 T10: each project's total = sum of its funding columns; a unit (department) row = sum of
--    the projects printed under it; the total row = sum of all projects.
WITH rows_ AS (
    SELECT filing_id, row_code, min(seq) AS ord, min(row_label) AS row_label FROM fact WHERE table_kind = 'T10' GROUP BY ALL
),
projects AS (SELECT * FROM rows_ WHERE length(row_code) >= 10),
groups_ AS (SELECT * FROM rows_ WHERE row_code = 'total' OR regexp_matches(row_code, '^[0-9]{3}([0-9]{3})?$')),
belongs AS (
    -- a project belongs to the total row, to the nearest department row and to the nearest unit row above it
    SELECT p.filing_id, p.row_code AS project, p.ord AS pord, g.row_code AS parent, g.row_label AS parent_label
    FROM projects p JOIN groups_ g ON g.filing_id = p.filing_id
    WHERE g.row_code = 'total'
       OR g.ord = (SELECT max(h.ord) FROM groups_ h WHERE h.filing_id = p.filing_id AND h.ord < p.ord
                   AND length(h.row_code) = length(g.row_code) AND h.row_code <> 'total')
),
cols AS (SELECT DISTINCT filing_id, column_label FROM cell WHERE table_kind = 'T10'),
project_terms AS (
    SELECT p.filing_id, 'A9' AS rule_id, 'T10:' || p.row_code || ':合计=各资金来源' AS subject,
           CASE WHEN k.column_label = '合计' THEN 'total' ELSE 'term' END AS role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T10', p.row_code, k.column_label)) AS ev, false AS required, true AS inputs_ok,
           '表10 项目支出表 项目 ' || p.row_code || ' ' || coalesce(p.row_label, '') || '：合计 = 各资金来源之和' AS what,
           '合计' AS lhs_zh, '各资金来源之和' AS rhs_zh, k.column_label AS ord
    FROM projects p JOIN cols k USING (filing_id)
    LEFT JOIN cell c ON c.filing_id = p.filing_id AND c.table_kind = 'T10' AND c.row_code = p.row_code AND c.column_label = k.column_label
),
group_ident AS (SELECT DISTINCT b.filing_id, b.parent, b.parent_label, k.column_label FROM belongs b JOIN cols k USING (filing_id)),
group_terms AS (
    SELECT i.filing_id, 'A9' AS rule_id, 'T10:' || i.parent || ':' || i.column_label || ':Σ项目' AS subject, 'total' AS role,
           c.amount_wan, c.half_unit, coalesce(c.ev, missing_ev('T10', i.parent, i.column_label)) AS ev, false AS required,
           true AS inputs_ok,
           '表10 项目支出表「' || i.column_label || '」列：' || CASE WHEN i.parent = 'total' THEN '合计'
                ELSE i.parent || ' ' || coalesce(i.parent_label, '') END || ' = 其下各项目之和' AS what,
           CASE WHEN i.parent = 'total' THEN '合计行' ELSE i.parent || ' 行' END AS lhs_zh, '其下各项目之和' AS rhs_zh, '' AS ord
    FROM group_ident i
    LEFT JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = 'T10' AND c.row_code = i.parent AND c.column_label = i.column_label
    UNION ALL
    SELECT i.filing_id, 'A9', 'T10:' || i.parent || ':' || i.column_label || ':Σ项目', 'term', c.amount_wan, c.half_unit,
           c.ev, false, true, NULL, NULL, NULL, b.project
    FROM group_ident i JOIN belongs b USING (filing_id, parent)
    JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = 'T10' AND c.row_code = b.project AND c.column_label = i.column_label
),
missing AS (
    SELECT f.filing_id, 'A9', 'T10', 'total', NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 8), missing_ev('T10', 'total', '合计'),
           false, false, '表10 项目支出表 加总', '', '', ''
    FROM filing f WHERE NOT EXISTS (SELECT 1 FROM rows_ r WHERE r.filing_id = f.filing_id)
),
all_terms AS (
    SELECT * FROM project_terms WHERE (filing_id, subject) IN (SELECT (filing_id, subject) FROM project_terms WHERE role = 'term' AND amount_wan IS NOT NULL)
    UNION ALL SELECT * FROM group_terms WHERE (filing_id, subject) IN (SELECT (filing_id, subject) FROM group_terms WHERE amount_wan IS NOT NULL)
    UNION ALL SELECT * FROM missing
)
SELECT * FROM sum_identity(all_terms)
