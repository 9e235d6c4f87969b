-- A7 一般公共预算基本支出表（表6）：每行 合计 = 人员经费 + 公用经费；每列 类 = Σ其下各款，合计 = Σ类。
-- A7 T6 each row: total = personnel + public; per column: class (3 digits) = sum of its 款
--    (5 digits), total = sum of classes.
WITH rows_ AS (
    SELECT filing_id, row_code, min(row_label) AS row_label FROM fact
    WHERE table_kind = 'T6' AND (row_code = 'total' OR regexp_matches(row_code, '^[0-9]{3}([0-9]{2})?$'))
    GROUP BY ALL
),
row_cols(column_label, role, ord) AS (VALUES ('合计', 'total', 0), ('人员经费', 'term', 1), ('公用经费', 'term', 2)),
applicable AS (SELECT DISTINCT filing_id FROM fact WHERE table_kind = 'T6' AND column_label IN ('人员经费', '公用经费')),
row_terms AS (
    SELECT r.filing_id, 'A7' AS rule_id, 'T6:' || r.row_code || ':合计=人员+公用' AS subject, k.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T6', r.row_code, k.column_label)) AS ev, false AS required, true AS inputs_ok,
           '表6 基本支出表 ' || CASE WHEN r.row_code = 'total' THEN '合计' ELSE r.row_code || ' ' || coalesce(r.row_label, '') END
               || ' 行：合计 = 人员经费 + 公用经费' AS what, '合计' AS lhs_zh, '人员经费与公用经费之和' AS rhs_zh, k.ord
    FROM rows_ r CROSS JOIN row_cols k
    LEFT JOIN cell c ON c.filing_id = r.filing_id AND c.table_kind = 'T6' AND c.row_code = r.row_code
                    AND c.column_label = k.column_label
    WHERE r.filing_id IN (SELECT filing_id FROM applicable)
),
pairs AS (
    SELECT p.filing_id, p.row_code AS parent, p.row_label AS parent_label, c.row_code AS child
    FROM rows_ p JOIN rows_ c ON c.filing_id = p.filing_id
     AND ((p.row_code = 'total' AND length(c.row_code) = 3)
       OR (p.row_code <> 'total' AND length(c.row_code) = length(p.row_code) + 2 AND starts_with(c.row_code, p.row_code)))
),
cols AS (SELECT DISTINCT filing_id, column_label FROM cell WHERE table_kind = 'T6'),
ident AS (SELECT DISTINCT p.filing_id, p.parent, p.parent_label, k.column_label FROM pairs p JOIN cols k USING (filing_id)),
tree_terms AS (
    SELECT i.filing_id, 'A7' AS rule_id, 'T6:' || i.parent || ':' || i.column_label AS subject, 'total' AS role,
           c.amount_wan, c.half_unit, coalesce(c.ev, missing_ev('T6', i.parent, i.column_label)) AS ev, false AS required,
           true AS inputs_ok,
           '表6 基本支出表「' || i.column_label || '」列：' || CASE WHEN i.parent = 'total' THEN '合计 = 各类之和'
                ELSE i.parent || ' ' || coalesce(i.parent_label, '') || ' = 各款之和' END AS what,
           CASE WHEN i.parent = 'total' THEN '合计行' ELSE i.parent || ' 行' END AS lhs_zh,
           CASE WHEN i.parent = 'total' THEN '各类之和' ELSE '各款之和' END AS rhs_zh, '' AS ord
    FROM ident i
    LEFT JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = 'T6' AND c.row_code = i.parent AND c.column_label = i.column_label
    UNION ALL
    SELECT i.filing_id, 'A7', 'T6:' || i.parent || ':' || i.column_label, 'term', c.amount_wan, c.half_unit, c.ev,
           false, true, NULL, NULL, NULL, p.child
    FROM ident i JOIN pairs p USING (filing_id, parent)
    JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = 'T6' AND c.row_code = p.child AND c.column_label = i.column_label
),
printed AS (SELECT DISTINCT filing_id, subject FROM tree_terms WHERE amount_wan IS NOT NULL),
missing AS (
    SELECT f.filing_id, 'A7', 'T6', 'total', NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 8), missing_ev('T6', 'total', '合计'),
           false, false, '表6 基本支出表 加总', '', '', ''
    FROM filing f WHERE NOT EXISTS (SELECT 1 FROM rows_ r WHERE r.filing_id = f.filing_id)
),
all_terms AS (
    SELECT filing_id, rule_id, subject, role, amount_wan, half_unit, ev, required, inputs_ok, what, lhs_zh, rhs_zh,
           CAST(ord AS VARCHAR) AS ord FROM row_terms
    UNION ALL SELECT * FROM tree_terms WHERE (filing_id, subject) IN (SELECT (filing_id, subject) FROM printed)
    UNION ALL SELECT * FROM missing
)
SELECT * FROM sum_identity(all_terms)
