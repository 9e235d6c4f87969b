-- A2 收支总表（表1）：本年收入合计 = 各收入行之和；本年支出合计 = 各功能分类类级行之和。
-- A2 T1: current-year income = sum of the income rows; current-year expenditure = sum of the
--    功能分类 class (3-digit) rows. T1's amount column is 预算数, in a 决算 决算数.
--    The national template prints 一、财政拨款收入 with its parts below it (1. 一般公共预算
--    2. 政府性基金 3. 国有资本经营, "其中" rows): a filing that prints the parent sums the
--    parent, not the parent and its parts twice.
WITH amount_col AS (SELECT filing_id, CASE WHEN kind = '决算' THEN '决算数' ELSE '预算数' END AS col FROM filing),
rows_ AS (
    SELECT x.filing_id, x.row_code, a.col, min(x.seq) AS ord FROM fact x JOIN amount_col a USING (filing_id)
    WHERE x.table_kind = 'T1' AND x.column_label = a.col
    GROUP BY ALL
),
fiscal_parent AS (
    SELECT DISTINCT x.filing_id FROM fact x JOIN amount_col a USING (filing_id)
    WHERE x.table_kind = 'T1' AND x.column_label = a.col AND x.row_code = 'income:fiscal' AND x.amount_wan IS NOT NULL
),
spec AS (
    SELECT filing_id, 'income' AS subject, row_code, col, CASE WHEN row_code = 'income_current' THEN 'total' ELSE 'term' END AS role, ord
    FROM rows_ WHERE row_code = 'income_current'
       OR (row_code LIKE 'income:%' AND NOT (row_code IN ('income:general_budget', 'income:gov_fund', 'income:state_capital')
                                             AND filing_id IN (SELECT filing_id FROM fiscal_parent)))
    UNION ALL
    SELECT filing_id, 'expenditure', row_code, col, CASE WHEN row_code = 'expenditure_current' THEN 'total' ELSE 'term' END, ord
    FROM rows_ WHERE row_code = 'expenditure_current' OR regexp_matches(row_code, '^[0-9]{3}$')
),
terms AS (
    SELECT s.filing_id, 'A2' AS rule_id, s.subject, s.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T1', s.row_code, s.col)) AS ev, false AS required, true AS inputs_ok,
           CASE s.subject WHEN 'income' THEN '表1 收支总表 本年收入合计 = 各项收入之和'
                ELSE '表1 收支总表 本年支出合计 = 各功能分类（类）支出之和' END AS what,
           CASE s.subject WHEN 'income' THEN '本年收入合计' ELSE '本年支出合计' END AS lhs_zh,
           CASE s.subject WHEN 'income' THEN '各项收入之和' ELSE '各类支出之和' END AS rhs_zh, s.ord
    FROM spec s
    LEFT JOIN cell c ON c.filing_id = s.filing_id AND c.table_kind = 'T1' AND c.row_code = s.row_code
                    AND c.column_label = s.col
),
missing AS (
    SELECT f.filing_id, 'A2', s.subject, 'total', NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 8),
           missing_ev('T1', 'total', '预算数'), false, false, '表1 收支总表 本年合计 = 各行之和', '', '', 0
    FROM filing f CROSS JOIN (VALUES ('income'), ('expenditure')) s(subject)
    WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.filing_id = f.filing_id AND t.subject = s.subject)
),
all_terms AS (SELECT * FROM terms UNION ALL SELECT * FROM missing)
SELECT * FROM sum_identity(all_terms)
