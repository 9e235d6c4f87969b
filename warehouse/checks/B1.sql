-- B1 收支总表（表1）与收入总表（表2）逐项一致：收入总计 = 表2 合计，本年收入合计 = 本年收入小计，
--    各项收入 = 表2 合计行相应列，上年结转结余 = 表2 上年结转结余小计。
-- B1 T1 = T2 totals, row by row: each T1 income row equals the T2 total row's column.
-- 决算（财政部 9 张公开表）：表1 金额列为“决算数”；表2 收入决算表只印本年收入（合计 = 本年收入合计，
--    财政拨款收入一列不分资金性质），故比较 本年收入合计 = 表2 合计 及 事业收入等各项收入。
-- 决算 (the Ministry's nine tables): T1's amount column is 决算数; T2 prints this year's income
--    only (its 合计 is 本年收入合计, and one 财政拨款收入 column for all funds), so T1
--    income_current = T2 合计 and the non-fiscal income rows are compared.
-- 表2 只印一列“财政拨款收入”而不分资金性质（上海、普陀、决算）、或表1 只印“财政拨款收入”一行时，
--    一般公共预算等分项无法逐项对照：改为比较两表的财政拨款收入合计（一侧未印合计时取其分项之和），
--    分项记为无需核对（not_applicable），不把未印的列读作 0。
-- When either table prints 财政拨款 as one figure (上海 / 普陀 T2's single 财政拨款收入 column,
--    the 决算 T2), the per-fund rows cannot be matched: the combined 财政拨款 figures are
--    compared instead (a side that prints only the funds gives their sum), and the per-fund
--    pairs are not_applicable rather than read as 0.
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
fiscal_rows(row_code) AS (VALUES ('income:general_budget'), ('income:gov_fund'), ('income:state_capital')),
fiscal_cols(column_label, row_code) AS (VALUES ('本年收入/一般公共预算', 'income:general_budget'),
    ('本年收入/政府性基金预算', 'income:gov_fund'), ('本年收入/国有资本经营预算', 'income:state_capital')),
shape AS (
    SELECT h.filing_id, h.kind, p.t1_col,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = h.filing_id AND c.table_kind = 'T1'
                   AND c.column_label = p.t1_col AND c.row_code = 'income:fiscal') AS t1_fiscal,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = h.filing_id AND c.table_kind = 'T1'
                   AND c.column_label = p.t1_col AND c.row_code IN (SELECT row_code FROM fiscal_rows)) AS t1_split,
           EXISTS (SELECT 1 FROM fact x WHERE x.filing_id = h.filing_id AND x.table_kind = 'T2'
                   AND x.column_label = '本年收入/财政拨款收入') AS t2_fiscal,
           EXISTS (SELECT 1 FROM fact x WHERE x.filing_id = h.filing_id AND x.table_kind = 'T2'
                   AND x.column_label IN (SELECT column_label FROM fiscal_cols)) AS t2_split
    FROM has h JOIN (SELECT DISTINCT kind, t1_col FROM pairs) p ON p.kind = h.kind
    WHERE h.t1 AND h.t2
),
-- 财政拨款 printed as one figure on one side and by fund on the other (or only as one figure)
fiscal_mode AS (
    SELECT * FROM shape WHERE (t1_fiscal OR t1_split) AND (t2_fiscal OR t2_split) AND NOT (t1_split AND t2_split)
),
-- 表2 without a 本年收入 小计 column (深圳, with a carry-over beside it): 本年收入合计 is
-- compared with the sum of its 本年收入 columns (the 财政拨款收入 column or the funds, not both)
no_subtotal AS (
    SELECT h.filing_id FROM has h
    WHERE h.kind = '预算' AND h.t1 AND h.t2
      AND NOT EXISTS (SELECT 1 FROM fact x WHERE x.filing_id = h.filing_id AND x.table_kind = 'T2'
                      AND x.column_label = '本年收入/小计')
      AND EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = h.filing_id AND c.table_kind = 'T2'
                  AND c.row_code = 'total' AND c.column_label LIKE '本年收入/%')
),
-- a row printed on neither side says nothing; the totals are always compared
kept AS (
    SELECT * FROM sides s
    WHERE (NOT ok OR t1_amt IS NOT NULL OR t2_amt IS NOT NULL OR anchor)
      AND NOT (s.subject IN (SELECT row_code FROM fiscal_rows) AND s.filing_id IN (SELECT filing_id FROM fiscal_mode))
      AND NOT (s.subject = 'income_current' AND s.filing_id IN (SELECT filing_id FROM no_subtotal))
),
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
    UNION ALL
    SELECT s.filing_id, 'B1', s.subject, 'total', s.t1_amt, s.t1_half, s.t1_ev, true, true,
           '表1 与表2：' || s.name_zh, '表1', '表2 合计行本年收入各列之和', 0
    FROM sides s WHERE s.subject = 'income_current' AND s.filing_id IN (SELECT filing_id FROM no_subtotal)
    UNION ALL
    SELECT c.filing_id, 'B1', 'income_current', 'term', c.amount_wan, c.half_unit, c.ev, true, true, NULL, NULL, NULL, c.seq
    FROM cell c JOIN no_subtotal n USING (filing_id)
    WHERE c.table_kind = 'T2' AND c.row_code = 'total' AND c.column_label LIKE '本年收入/%'
      AND NOT (c.column_label = '本年收入/财政拨款收入' AND EXISTS (
          SELECT 1 FROM cell y WHERE y.filing_id = c.filing_id AND y.table_kind = 'T2' AND y.row_code = 'total'
             AND y.column_label IN (SELECT column_label FROM fiscal_cols)))
    UNION ALL
    -- 表1 prints 财政拨款收入: it against 表2's 财政拨款收入 column, or the sum of 表2's fund columns
    SELECT m.filing_id, 'B1', 'income:fiscal', 'total', c.amount_wan, c.half_unit, c.ev, false, true,
           '表1 与表2：财政拨款收入', '表1', '表2 合计行', 0
    FROM fiscal_mode m
    JOIN cell c ON c.filing_id = m.filing_id AND c.table_kind = 'T1' AND c.column_label = m.t1_col AND c.row_code = 'income:fiscal'
    UNION ALL
    SELECT m.filing_id, 'B1', 'income:fiscal', 'term', c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T2', 'total', k.column_label)), false, true, NULL, NULL, NULL, k.ord
    FROM fiscal_mode m
    JOIN (SELECT '本年收入/财政拨款收入' AS column_label, 1 AS ord, true AS combined
          UNION ALL SELECT column_label, 2, false FROM fiscal_cols) k ON k.combined = m.t2_fiscal
    LEFT JOIN cell c ON c.filing_id = m.filing_id AND c.table_kind = 'T2' AND c.row_code = 'total' AND c.column_label = k.column_label
    WHERE m.t1_fiscal
    UNION ALL
    -- 表1 prints the funds only: 表2's 财政拨款收入 column against their sum
    SELECT m.filing_id, 'B1', 'income:fiscal', 'total', c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T2', 'total', '本年收入/财政拨款收入')), false, true,
           '表1 与表2：财政拨款收入', '表2 合计行', '表1 各项财政拨款收入之和', 0
    FROM fiscal_mode m
    LEFT JOIN cell c ON c.filing_id = m.filing_id AND c.table_kind = 'T2' AND c.row_code = 'total'
                    AND c.column_label = '本年收入/财政拨款收入'
    WHERE NOT m.t1_fiscal
    UNION ALL
    SELECT m.filing_id, 'B1', 'income:fiscal', 'term', c.amount_wan, c.half_unit, c.ev, false, true, NULL, NULL, NULL, 1
    FROM fiscal_mode m
    JOIN cell c ON c.filing_id = m.filing_id AND c.table_kind = 'T1' AND c.column_label = m.t1_col
               AND c.row_code IN (SELECT row_code FROM fiscal_rows)
    WHERE NOT m.t1_fiscal
)
SELECT * FROM sum_identity(terms)
UNION ALL
-- the per-fund rows a side does not print by fund
SELECT s.filing_id, 'B1', s.subject, 'not_applicable',
       '表1 与表2：' || s.name_zh || '：' ||
       CASE WHEN m.t2_fiscal AND NOT m.t2_split THEN '表2 只印“财政拨款收入”一列，未按资金性质分列'
            ELSE '表1 只印“财政拨款收入”一行，未按资金性质分列' END
       || '，此项无法逐项核对，已改为核对两表的财政拨款收入合计。',
       NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 6),
       to_json(struct_pack(identity := '表1 与表2：' || s.name_zh, lhs := '表1', rhs := '表2 合计行',
                           expected := s.t1_ev, actual := [s.t2_ev]))
FROM sides s JOIN fiscal_mode m USING (filing_id)
WHERE s.subject IN (SELECT row_code FROM fiscal_rows) AND (s.t1_amt IS NOT NULL OR s.t2_amt IS NOT NULL)
