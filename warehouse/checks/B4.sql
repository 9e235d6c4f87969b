-- B4 财政拨款收支总表（表4）一般公共预算列 = 一般公共预算支出表（表5-1）：本年支出合计 = 表5-1 合计，
--    各功能类 = 表5-1 该类合计。表4 只印一列时，仅当表4 没有政府性基金、国有资本经营资金（口径闸门）才可比。
-- B4 T4 general-budget column = T5-1, overall and per class. A one-column T4 compares only when
--    it holds no government-fund or state-capital money (caliber gate).
WITH t4cols AS (
    SELECT filing_id,
           -- the 一般公共预算 column: '一般公共预算' (a 决算's '决算数/一般公共预算'); one column: 预算数 (决算数)
           max(column_label) FILTER (WHERE column_label IN ('一般公共预算', '决算数/一般公共预算')) AS split_col,
           max(column_label) FILTER (WHERE column_label IN ('预算数', '决算数')) AS one_col,
           coalesce(sum(abs(amount_wan)) FILTER (WHERE row_code IN ('income:gov_fund', 'income:state_capital',
                    'carryover:gov_fund', 'carryover:state_capital')
                    OR column_label IN ('政府性基金预算', '国有资本经营预算', '决算数/政府性基金预算', '决算数/国有资本经营预算')), 0) AS other_funds
    FROM cell WHERE table_kind = 'T4' GROUP BY filing_id
),
-- the same funds as 收支总表 (T1) prints them: a one-column T4 whose fund rows were not read is
-- still all-funds money when T1 shows government-fund or state-capital income
t1funds AS (
    SELECT filing_id, coalesce(sum(abs(amount_wan)), 0) AS other_funds FROM cell
    WHERE table_kind = 'T1' AND row_code IN ('income:gov_fund', 'income:state_capital',
                                             'carryover:gov_fund', 'carryover:state_capital')
    GROUP BY filing_id
),
has AS (
    SELECT f.filing_id, t.other_funds,
           CASE WHEN t.filing_id IS NULL OR NOT EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T5-1')
                THEN 'missing'
                WHEN t.split_col IS NOT NULL THEN t.split_col
                WHEN t.other_funds = 0 AND coalesce(t1.other_funds, 0) = 0 THEN coalesce(t.one_col, '预算数') ELSE 'gate' END AS t4_col
    FROM filing f LEFT JOIN t4cols t USING (filing_id) LEFT JOIN t1funds t1 USING (filing_id)
),
keys AS (
    SELECT h.filing_id, h.t4_col, 'expenditure_current' AS t4_row, 'total' AS t5_row FROM has h WHERE h.t4_col NOT IN ('missing', 'gate')
    UNION
    SELECT c.filing_id, h.t4_col, c.row_code, c.row_code FROM cell c JOIN has h USING (filing_id)
    WHERE h.t4_col NOT IN ('missing', 'gate') AND regexp_matches(c.row_code, '^[0-9]{3}$')
      AND ((c.table_kind = 'T4' AND c.column_label = h.t4_col) OR (c.table_kind = 'T5-1' AND c.column_label = '合计'))
),
terms AS (
    SELECT k.filing_id, 'B4' AS rule_id, CASE WHEN k.t5_row = 'total' THEN 'total' ELSE 'class:' || k.t5_row END AS subject,
           'total' AS role, a.amount_wan, a.half_unit, coalesce(a.ev, missing_ev('T4', k.t4_row, k.t4_col)) AS ev,
           k.t5_row = 'total' AS required, true AS inputs_ok,
           '表4 一般公共预算与表5-1：' || CASE WHEN k.t5_row = 'total' THEN '本年支出合计' ELSE '功能类 ' || k.t5_row END AS what,
           '表4「' || k.t4_col || '」' AS lhs_zh, '表5-1 合计' AS rhs_zh, 0 AS ord
    FROM keys k
    LEFT JOIN cell a ON a.filing_id = k.filing_id AND a.table_kind = 'T4' AND a.row_code = k.t4_row AND a.column_label = k.t4_col
    UNION ALL
    SELECT k.filing_id, 'B4', CASE WHEN k.t5_row = 'total' THEN 'total' ELSE 'class:' || k.t5_row END, 'term', b.amount_wan,
           b.half_unit, coalesce(b.ev, missing_ev('T5-1', k.t5_row, '合计')), k.t5_row = 'total', true, NULL, NULL, NULL, 1
    FROM keys k
    LEFT JOIN cell b ON b.filing_id = k.filing_id AND b.table_kind = 'T5-1' AND b.row_code = k.t5_row AND b.column_label = '合计'
    UNION ALL
    SELECT h.filing_id, 'B4', 'tables', 'total', NULL, NULL, missing_ev('T4', 'total', '一般公共预算'), false, false,
           CASE WHEN h.t4_col = 'gate' THEN '表4 只印一列且含政府性基金或国有资本经营资金，无法分出一般公共预算部分'
                ELSE '表4 或表5-1 未能提取' END, '', '', 0
    FROM has h WHERE h.t4_col IN ('missing', 'gate')
)
SELECT * FROM sum_identity(terms)
