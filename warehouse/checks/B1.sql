-- B1 收支总表（表1）与收入总表（表2）逐项一致：收入总计 = 表2 合计，本年收入合计 = 本年收入小计，
--    各项收入 = 表2 合计行相应列，上年结转结余 = 表2 上年结转结余小计。
-- B1 T1 = T2 totals, row by row: each T1 income row equals the T2 total row's column.
WITH pairs(subject, t1_row, t2_col, name_zh) AS (VALUES
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
has AS (
    SELECT f.filing_id,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T1') AS t1,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T2') AS t2
    FROM filing f
),
sides AS (
    SELECT h.filing_id, p.subject, p.name_zh, h.t1 AND h.t2 AS ok,
           a.amount_wan AS t1_amt, a.half_unit AS t1_half, coalesce(a.ev, missing_ev('T1', p.t1_row, '预算数')) AS t1_ev,
           b.amount_wan AS t2_amt, b.half_unit AS t2_half, coalesce(b.ev, missing_ev('T2', 'total', p.t2_col)) AS t2_ev
    FROM has h CROSS JOIN pairs p
    LEFT JOIN cell a ON a.filing_id = h.filing_id AND a.table_kind = 'T1' AND a.row_code = p.t1_row AND a.column_label = '预算数'
    LEFT JOIN cell b ON b.filing_id = h.filing_id AND b.table_kind = 'T2' AND b.row_code = 'total' AND b.column_label = p.t2_col
),
-- a row printed on neither side says nothing; the totals are always compared
kept AS (SELECT * FROM sides WHERE NOT ok OR t1_amt IS NOT NULL OR t2_amt IS NOT NULL OR subject = 'income_total'),
terms AS (
    SELECT filing_id, 'B1' AS rule_id, CASE WHEN ok THEN subject ELSE 'tables' END AS subject, 'total' AS role, t1_amt AS amount_wan,
           t1_half AS half_unit, t1_ev AS ev, subject = 'income_total' AS required, ok AS inputs_ok,
           '表1 与表2：' || name_zh AS what, '表1' AS lhs_zh, '表2 合计行' AS rhs_zh, 0 AS ord
    FROM kept WHERE ok OR subject = 'income_total'
    UNION ALL
    SELECT filing_id, 'B1', CASE WHEN ok THEN subject ELSE 'tables' END, 'term', t2_amt, t2_half, t2_ev,
           -- the totals must be printed on both sides; a row printed in one table only is a difference
           subject = 'income_total', ok, NULL, NULL, NULL, 1
    FROM kept WHERE ok OR subject = 'income_total'
)
SELECT * FROM sum_identity(terms)
