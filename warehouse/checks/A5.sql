-- A5 财政拨款收支总表（表4）：收入总计 = 支出总计；每一金额列 本年收入 + 上年结转 = 收入总计、
--    本年支出 + 年终结转 = 支出总计、本年收入 = 各拨款收入之和、本年支出 = 各功能类之和；
--    分列印制时每行 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算。
-- A5 T4: income total = expenditure total; per column the sides add up (a printed 财政拨款
--    subtotal row = its three kinds); per row (where the
--    template prints the fund columns) total = general budget + government funds + state capital.
WITH rows_ AS (
    SELECT filing_id, row_code, min(seq) AS ord, min(row_label) AS row_label FROM fact WHERE table_kind = 'T4' GROUP BY ALL
),
cols AS (SELECT DISTINCT filing_id, column_label FROM cell WHERE table_kind = 'T4'),
has_carry AS (SELECT DISTINCT filing_id FROM rows_ WHERE row_code = 'income_carryover'),
-- 财政拨款 printed as a subtotal row above its three kinds (深圳, 湖州): the kinds make up
-- 本年收入 and the subtotal is checked against them, not added to them a second time
fiscal_split AS (
    SELECT filing_id FROM rows_ GROUP BY filing_id
    HAVING bool_or(row_code = 'income:fiscal')
       AND bool_or(row_code IN ('income:general_budget', 'income:gov_fund', 'income:state_capital'))
),
members AS (
    -- (identity, row, role); income_carryover stands for the carryover:* rows where printed
    SELECT r.filing_id, 'balance' AS ident, r.row_code, CASE r.row_code WHEN 'income_total' THEN 'total' ELSE 'term' END AS role, r.ord
    FROM rows_ r WHERE r.row_code IN ('income_total', 'expenditure_total')
    UNION ALL
    SELECT r.filing_id, 'income', r.row_code, CASE r.row_code WHEN 'income_total' THEN 'total' ELSE 'term' END, r.ord
    FROM rows_ r WHERE r.row_code IN ('income_total', 'income_current', 'income_carryover')
       OR (r.row_code LIKE 'carryover:%' AND r.filing_id NOT IN (SELECT filing_id FROM has_carry))
    UNION ALL
    SELECT r.filing_id, 'income_current', r.row_code, CASE r.row_code WHEN 'income_current' THEN 'total' ELSE 'term' END, r.ord
    FROM rows_ r WHERE r.row_code = 'income_current'
       OR (r.row_code LIKE 'income:%' AND NOT (r.row_code = 'income:fiscal' AND r.filing_id IN (SELECT filing_id FROM fiscal_split)))
    UNION ALL
    SELECT r.filing_id, 'income_fiscal', r.row_code, CASE r.row_code WHEN 'income:fiscal' THEN 'total' ELSE 'term' END, r.ord
    FROM rows_ r WHERE r.filing_id IN (SELECT filing_id FROM fiscal_split)
       AND r.row_code IN ('income:fiscal', 'income:general_budget', 'income:gov_fund', 'income:state_capital')
    UNION ALL
    SELECT r.filing_id, 'expenditure', r.row_code, CASE r.row_code WHEN 'expenditure_total' THEN 'total' ELSE 'term' END, r.ord
    FROM rows_ r WHERE r.row_code IN ('expenditure_total', 'expenditure_current', 'expenditure_carryover')
    UNION ALL
    SELECT r.filing_id, 'expenditure_current', r.row_code, CASE r.row_code WHEN 'expenditure_current' THEN 'total' ELSE 'term' END, r.ord
    FROM rows_ r WHERE r.row_code = 'expenditure_current' OR regexp_matches(r.row_code, '^[0-9]{3}$')
),
idents(ident, what, lhs_zh, rhs_zh) AS (VALUES
    ('balance', '收入总计 = 支出总计', '收入总计', '支出总计'),
    ('income', '收入总计 = 本年收入 + 上年结转', '收入总计', '本年收入与上年结转之和'),
    ('income_current', '本年收入 = 各项财政拨款收入之和', '本年收入', '各项拨款收入之和'),
    ('income_fiscal', '财政拨款收入 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算拨款收入', '财政拨款收入', '三项拨款收入之和'),
    ('expenditure', '支出总计 = 本年支出 + 年终结转结余', '支出总计', '本年支出与年终结转结余之和'),
    ('expenditure_current', '本年支出 = 各功能类支出之和', '本年支出', '各类支出之和')
),
col_terms AS (
    SELECT m.filing_id, 'A5' AS rule_id, 'T4:' || m.ident || ':' || k.column_label AS subject, m.role,
           c.amount_wan, c.half_unit, coalesce(c.ev, missing_ev('T4', m.row_code, k.column_label)) AS ev,
           (m.ident = 'balance') AS required, true AS inputs_ok,
           '表4 财政拨款收支总表「' || k.column_label || '」列：' || i.what AS what, i.lhs_zh, i.rhs_zh, m.ord
    FROM members m JOIN idents i USING (ident) JOIN cols k USING (filing_id)
    LEFT JOIN cell c ON c.filing_id = m.filing_id AND c.table_kind = 'T4' AND c.row_code = m.row_code
                    AND c.column_label = k.column_label
),
-- identities with a total but no printed term in this column say nothing
col_ok AS (SELECT DISTINCT filing_id, subject FROM col_terms WHERE role = 'term' AND (amount_wan IS NOT NULL OR required)),
fund_cols(column_label, role, ord) AS (VALUES ('合计', 'total', 0), ('一般公共预算', 'term', 1), ('政府性基金预算', 'term', 2), ('国有资本经营预算', 'term', 3)),
row_terms AS (
    SELECT r.filing_id, 'A5', 'T4:' || r.row_code || ':合计=各资金', k.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T4', r.row_code, k.column_label)), false, true,
           '表4 财政拨款收支总表 ' || coalesce(r.row_label, r.row_code) || ' 行：合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算',
           '合计', '各资金性质之和', k.ord
    FROM rows_ r CROSS JOIN fund_cols k
    LEFT JOIN cell c ON c.filing_id = r.filing_id AND c.table_kind = 'T4' AND c.row_code = r.row_code
                    AND c.column_label = k.column_label
    WHERE r.filing_id IN (SELECT filing_id FROM cols WHERE column_label IN ('一般公共预算', '政府性基金预算', '国有资本经营预算'))
),
missing AS (
    SELECT f.filing_id, 'A5', 'T4', 'total', NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 8), missing_ev('T4', 'total', '合计'),
           false, false, '表4 财政拨款收支总表 收支平衡', '', '', 0
    FROM filing f WHERE NOT EXISTS (SELECT 1 FROM rows_ r WHERE r.filing_id = f.filing_id)
),
all_terms AS (
    SELECT * FROM col_terms WHERE (filing_id, subject) IN (SELECT (filing_id, subject) FROM col_ok)
    UNION ALL SELECT * FROM row_terms
    UNION ALL SELECT * FROM missing
)
SELECT * FROM sum_identity(all_terms)
