-- B1 收支总表（表1）与收入总表（表2）逐项一致：收入总计 = 表2 合计，本年收入合计 = 本年收入小计，
--    各项收入 = 表2 合计行相应列，上年结转结余 = 表2 上年结转结余小计。
-- B1 T1 = T2 totals, row by row: each T1 income row equals the T2 total row's column.
-- 决算（财政部 9 张公开表）：表1 金额列为“决算数”；表2 收入决算表只印本年收入（合计 = 本年收入合计，
--    财政拨款收入一列不分资金性质），故比较 本年收入合计 = 表2 合计 及 事业收入等各项收入。
-- 决算 (the Ministry's nine tables): T1's amount column is 决算数; T2 prints this year's income
--    only (its 合计 is 本年收入合计, and one 财政拨款收入 column for all funds), so T1
--    income_current = T2 合计 and the non-fiscal income rows are compared.
WITH budget_pairs(subject, t1_row, t2_col, name_zh) AS (VALUES
    ('income_total', 'income_total', '合计', '收入总计'),
    ('income_current', 'income_current', '本年收入/小计', '本年收入合计'),
    ('income:general_budget', 'income:general_budget', '本年收入/一般公共预算', '一般公共预算拨款收入'),
    ('income:gov_fund', 'income:gov_fund', '本年收入/政府性基金预算', '政府性基金预算拨款收入'),
    ('income:state_capital', 'income:state_capital', '本年收入/国有资本经营预算', '国有资本经营预算拨款收入'),
    ('income:special_account', 'income:special_account', '本年收入/财政专户管理资金', '财政专户管理资金收入'),
    ('income:business', 'income:business', '本年收入/事业收入', '事业收入'),
    ('income:operating', 'income:operating', '本年收入/事业单位经营收入', '事业单位经营收入'),
    ('income:superior_subsidy', 'income:superior_subsidy', '本年收入/上级补助收入', '上级补助收入'),
    ('income:affiliated', 'income:affiliated', '本年收入/附属单位上缴收入', '附属单位上缴收入'),
    ('income:other', 'income:other', '本年收入/其他收入', '其他收入'),
    ('income_carryover', 'income_carryover', '上年结转结余/小计', '上年结转结余')
),
final_pairs(subject, t1_row, t2_col, name_zh) AS (VALUES
    ('income_current', 'income_current', '合计', '本年收入合计'),
    ('income:business', 'income:business', '本年收入/事业收入', '事业收入'),
    ('income:operating', 'income:operating', '本年收入/事业单位经营收入', '事业单位经营收入'),
    ('income:superior_subsidy', 'income:superior_subsidy', '本年收入/上级补助收入', '上级补助收入'),
    ('income:affiliated', 'income:affiliated', '本年收入/附属单位上缴收入', '附属单位上缴收入'),
    ('income:other', 'income:other', '本年收入/其他收入', '其他收入')
),
pairs AS (
    SELECT '预算' AS kind, '预算数' AS t1_col, * FROM budget_pairs
    UNION ALL SELECT '决算', '决算数', * FROM final_pairs
),
has AS (
    SELECT f.filing_id, CASE WHEN f.kind = '决算' THEN '决算' ELSE '预算' END AS kind,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T1') AS t1,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T2') AS t2
    FROM filing f
),
sides AS (
    SELECT h.filing_id, p.subject, p.name_zh, h.t1 AND h.t2 AS ok,
           p.subject = CASE p.kind WHEN '决算' THEN 'income_current' ELSE 'income_total' END AS anchor,
           a.amount_wan AS t1_amt, a.half_unit AS t1_half, coalesce(a.ev, missing_ev('T1', p.t1_row, p.t1_col)) AS t1_ev,
           b.amount_wan AS t2_amt, b.half_unit AS t2_half, coalesce(b.ev, missing_ev('T2', 'total', p.t2_col)) AS t2_ev
    FROM has h JOIN pairs p ON p.kind = h.kind
    LEFT JOIN cell a ON a.filing_id = h.filing_id AND a.table_kind = 'T1' AND a.row_code = p.t1_row AND a.column_label = p.t1_col
    LEFT JOIN cell b ON b.filing_id = h.filing_id AND b.table_kind = 'T2' AND b.row_code = 'total' AND b.column_label = p.t2_col
),
-- a row printed on neither side says nothing; the totals are always compared
kept AS (SELECT * FROM sides WHERE NOT ok OR t1_amt IS NOT NULL OR t2_amt IS NOT NULL OR anchor),
terms AS (
    SELECT filing_id, 'B1' AS rule_id, CASE WHEN ok THEN subject ELSE 'tables' END AS subject, 'total' AS role, t1_amt AS amount_wan,
           t1_half AS half_unit, t1_ev AS ev, anchor AS required, ok AS inputs_ok,
           '表1 与表2：' || name_zh AS what, '表1' AS lhs_zh, '表2 合计行' AS rhs_zh, 0 AS ord
    FROM kept WHERE ok OR anchor
    UNION ALL
    SELECT filing_id, 'B1', CASE WHEN ok THEN subject ELSE 'tables' END, 'term', t2_amt, t2_half, t2_ev,
           -- the totals must be printed on both sides; a row printed in one table only is a difference
           anchor, ok, NULL, NULL, NULL, 1
    FROM kept WHERE ok OR anchor
)
SELECT * FROM sum_identity(terms)
