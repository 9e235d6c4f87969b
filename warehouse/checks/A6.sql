-- A6 一般公共预算支出表（表5-1 分功能科目、表5-2 分单位）：每行 合计 = 基本支出小计 + 项目支出，
--    基本支出小计 = 人员经费 + 公用经费；表5-2 合计 = 各单位之和（部门行 = 其下各单位之和）。
-- A6 T5 each row: total = basic subtotal + project; basic subtotal = personnel + public.
--    T5-2: the total row = sum of the unit rows (a department row = sum of its units).
WITH tables(table_kind) AS (VALUES ('T5-1'), ('T5-2')),
row_spec(ident, ord, role, column_label, what_zh, lhs_zh, rhs_zh) AS (VALUES
    ('合计=基本+项目', 0, 'total', '合计', '合计 = 基本支出小计 + 项目支出', '合计', '基本支出小计与项目支出之和'),
    ('合计=基本+项目', 1, 'term', '基本支出/小计', '合计 = 基本支出小计 + 项目支出', '合计', '基本支出小计与项目支出之和'),
    ('合计=基本+项目', 2, 'term', '项目支出', '合计 = 基本支出小计 + 项目支出', '合计', '基本支出小计与项目支出之和'),
    ('基本=人员+公用', 0, 'total', '基本支出/小计', '基本支出小计 = 人员经费 + 公用经费', '基本支出小计', '人员经费与公用经费之和'),
    ('基本=人员+公用', 1, 'term', '基本支出/人员经费', '基本支出小计 = 人员经费 + 公用经费', '基本支出小计', '人员经费与公用经费之和'),
    ('基本=人员+公用', 2, 'term', '基本支出/公用经费', '基本支出小计 = 人员经费 + 公用经费', '基本支出小计', '人员经费与公用经费之和')
),
rows_ AS (
    SELECT filing_id, table_kind, row_code, min(row_label) AS row_label FROM fact
    WHERE table_kind IN (SELECT table_kind FROM tables)
    GROUP BY ALL
),
-- An identity applies where the table prints at least one of its term columns: some
-- templates (武汉市 2026) print T5-1 without the 人员经费 / 公用经费 split.
cols_present AS (
    SELECT DISTINCT filing_id, table_kind, column_label FROM fact
    WHERE table_kind IN (SELECT table_kind FROM tables)
),
applicable AS (
    SELECT DISTINCT p.filing_id, p.table_kind, s.ident
    FROM cols_present p JOIN row_spec s ON s.column_label = p.column_label AND s.role = 'term'
),
row_terms AS (
    SELECT r.filing_id, 'A6' AS rule_id, r.table_kind || ':' || r.row_code || ':' || s.ident AS subject, s.role,
           c.amount_wan, c.half_unit, coalesce(c.ev, missing_ev(r.table_kind, r.row_code, s.column_label)) AS ev,
           false AS required, true AS inputs_ok,
           table_zh(r.table_kind) || ' ' || CASE WHEN r.row_code = 'total' THEN '合计' ELSE r.row_code || ' ' || coalesce(r.row_label, '') END
               || ' 行：' || s.what_zh AS what,
           s.lhs_zh, s.rhs_zh, s.ord
    FROM rows_ r CROSS JOIN row_spec s
    JOIN applicable a ON a.filing_id = r.filing_id AND a.table_kind = r.table_kind AND a.ident = s.ident
    LEFT JOIN cell c ON c.filing_id = r.filing_id AND c.table_kind = r.table_kind
                    AND c.row_code = r.row_code AND c.column_label = s.column_label
),
-- T5-2 units: each coded row belongs to the longest other code that prefixes it, else to 合计
units AS (SELECT * FROM rows_ WHERE table_kind = 'T5-2' AND row_code <> 'total'),
unit_parent AS (
    SELECT u.filing_id, u.row_code AS child,
           coalesce(arg_max(p.row_code, length(p.row_code)) FILTER (WHERE p.row_code IS NOT NULL), 'total') AS parent
    FROM units u LEFT JOIN units p ON p.filing_id = u.filing_id AND p.row_code <> u.row_code
                                  AND starts_with(u.row_code, p.row_code)
    GROUP BY u.filing_id, u.row_code
),
unit_ident AS (
    SELECT DISTINCT up.filing_id, up.parent, r.row_label AS parent_label, k.column_label
    FROM unit_parent up
    JOIN (SELECT DISTINCT filing_id, column_label FROM cell WHERE table_kind = 'T5-2') k USING (filing_id)
    LEFT JOIN rows_ r ON r.filing_id = up.filing_id AND r.table_kind = 'T5-2' AND r.row_code = up.parent
),
unit_terms AS (
    SELECT i.filing_id, 'A6' AS rule_id, 'T5-2:' || i.parent || ':' || i.column_label || ':Σ单位' AS subject, 'total' AS role,
           c.amount_wan, c.half_unit, coalesce(c.ev, missing_ev('T5-2', i.parent, i.column_label)) AS ev,
           false AS required, true AS inputs_ok,
           table_zh('T5-2') || '「' || i.column_label || '」列：'
               || CASE WHEN i.parent = 'total' THEN '合计' ELSE i.parent || ' ' || coalesce(i.parent_label, '') END
               || ' = 所属各单位之和' AS what,
           CASE WHEN i.parent = 'total' THEN '合计行' ELSE i.parent || ' 行' END AS lhs_zh, '所属各单位之和' AS rhs_zh, 0 AS ord
    FROM unit_ident i
    LEFT JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = 'T5-2'
                    AND c.row_code = i.parent AND c.column_label = i.column_label
    UNION ALL
    SELECT i.filing_id, 'A6', 'T5-2:' || i.parent || ':' || i.column_label || ':Σ单位', 'term',
           c.amount_wan, c.half_unit, c.ev, false, true, NULL, NULL, NULL, 1
    FROM unit_ident i
    JOIN unit_parent up ON up.filing_id = i.filing_id AND up.parent = i.parent
    JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = 'T5-2'
               AND c.row_code = up.child AND c.column_label = i.column_label
),
missing AS (
    SELECT f.filing_id, 'A6' AS rule_id, 'T5-1' AS subject, 'total' AS role, NULL::DECIMAL(20, 6) AS amount_wan,
           NULL::DECIMAL(20, 8) AS half_unit, missing_ev('T5-1', 'total', '合计') AS ev, false AS required,
           false AS inputs_ok, table_zh('T5-1') || '：各行合计与基本支出、项目支出加总' AS what, '' AS lhs_zh, '' AS rhs_zh, 0 AS ord
    FROM filing f
    WHERE NOT EXISTS (SELECT 1 FROM rows_ r WHERE r.filing_id = f.filing_id AND r.table_kind = 'T5-1')
),
all_terms AS (
    SELECT * FROM row_terms
    UNION ALL SELECT * FROM unit_terms
),
printed AS (SELECT DISTINCT filing_id, subject FROM all_terms WHERE amount_wan IS NOT NULL),
kept AS (
    SELECT * FROM all_terms WHERE (filing_id, subject) IN (SELECT (filing_id, subject) FROM printed)
    UNION ALL SELECT * FROM missing
)
SELECT * FROM sum_identity(kept)
