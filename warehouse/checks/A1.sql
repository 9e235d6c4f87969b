-- A1 收支总表（表1）：收入总计 = 支出总计；收入总计 = 本年收入合计 + 上年结转结余；
--    支出总计 = 本年支出合计 + 年终结转结余。
-- A1 T1: income total = expenditure total; each side's total = current year + carry-over.
--    T1's amount column is 预算数, in a 决算 决算数.
WITH spec(subject, ord, role, row_code, what, lhs_zh, rhs_zh) AS (VALUES
    ('balance', 0, 'total', 'income_total', '表1 收支总表 收入总计 = 支出总计', '收入总计', '支出总计'),
    ('balance', 1, 'term', 'expenditure_total', '表1 收支总表 收入总计 = 支出总计', '收入总计', '支出总计'),
    ('income', 0, 'total', 'income_total', '表1 收支总表 收入总计 = 本年收入合计 + 上年结转结余', '收入总计', '本年收入合计与上年结转结余之和'),
    ('income', 1, 'term', 'income_current', '表1 收支总表 收入总计 = 本年收入合计 + 上年结转结余', '收入总计', '本年收入合计与上年结转结余之和'),
    ('income', 2, 'term', 'income_carryover', '表1 收支总表 收入总计 = 本年收入合计 + 上年结转结余', '收入总计', '本年收入合计与上年结转结余之和'),
    ('expenditure', 0, 'total', 'expenditure_total', '表1 收支总表 支出总计 = 本年支出合计 + 年终结转结余', '支出总计', '本年支出合计与年终结转结余之和'),
    ('expenditure', 1, 'term', 'expenditure_current', '表1 收支总表 支出总计 = 本年支出合计 + 年终结转结余', '支出总计', '本年支出合计与年终结转结余之和'),
    ('expenditure', 2, 'term', 'expenditure_carryover', '表1 收支总表 支出总计 = 本年支出合计 + 年终结转结余', '支出总计', '本年支出合计与年终结转结余之和')
),
terms AS (
    SELECT f.filing_id, 'A1' AS rule_id, s.subject, s.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T1', s.row_code, CASE WHEN f.kind = '决算' THEN '决算数' ELSE '预算数' END)) AS ev,
           -- the balance compares two printed totals: a blank there is unknown, not 0
           (s.subject = 'balance') AS required,
           t.filing_id IS NOT NULL AS inputs_ok, s.what, s.lhs_zh, s.rhs_zh, s.ord
    FROM filing f CROSS JOIN spec s
    LEFT JOIN filing_table_seen t ON t.filing_id = f.filing_id AND t.table_kind = 'T1' AND t.has_number
    LEFT JOIN cell c ON c.filing_id = f.filing_id AND c.table_kind = 'T1' AND c.row_code = s.row_code
                    AND c.column_label = CASE WHEN f.kind = '决算' THEN '决算数' ELSE '预算数' END
)
SELECT * FROM sum_identity(terms)
