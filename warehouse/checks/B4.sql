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
-- 口径：有的模板（如财政部、武汉 2026 格式）表5-1 只列本年财政拨款安排的支出，表4 本年支出还含上年结转
-- 安排的支出。表5-1 合计恰等于表4 本年一般公共预算拨款、且两者之差恰为结转时，按本年拨款口径核对合计，
-- 各功能类（结转在各类间的分布未印出）无从比较。
-- Caliber: some templates print T5-1 on the current-appropriation caliber while T4's 本年支出 also
-- spends the carry-over. When T5-1's total equals T4's current general-budget income exactly and
-- T4 - T5-1 is exactly that carry-over, the total is checked on that caliber and the classes,
-- whose carry-over split is not printed, are not comparable.
caliber_rows AS (
    SELECT h.filing_id, h.t4_col,
           CASE WHEN cur.amount_wan IS NOT NULL AND co.amount_wan > 0
                 AND abs(t5.amount_wan - cur.amount_wan) <= coalesce(t5.half_unit, 0) + coalesce(cur.half_unit, 0)
                 AND abs(ex.amount_wan - t5.amount_wan - co.amount_wan)
                     <= coalesce(ex.half_unit, 0) + coalesce(t5.half_unit, 0) + coalesce(co.half_unit, 0)
                 AND abs(ex.amount_wan - t5.amount_wan) > coalesce(ex.half_unit, 0) + coalesce(t5.half_unit, 0)
                THEN cur.row_code END AS current_row,
           co.amount_wan AS carryover
    FROM has h
    JOIN cell ex ON ex.filing_id = h.filing_id AND ex.table_kind = 'T4' AND ex.row_code = 'expenditure_current' AND ex.column_label = h.t4_col
    JOIN cell t5 ON t5.filing_id = h.filing_id AND t5.table_kind = 'T5-1' AND t5.row_code = 'total' AND t5.column_label = '合计'
    LEFT JOIN cell cur ON cur.filing_id = h.filing_id AND cur.table_kind = 'T4' AND cur.column_label = h.t4_col
         AND cur.row_code = CASE WHEN h.t4_col IN ('预算数', '决算数') THEN 'income:general_budget' ELSE 'income_current' END
    LEFT JOIN cell co ON co.filing_id = h.filing_id AND co.table_kind = 'T4' AND co.column_label = h.t4_col
         AND co.row_code = CASE WHEN h.t4_col IN ('预算数', '决算数') THEN 'carryover:general_budget' ELSE 'income_carryover' END
    WHERE h.t4_col NOT IN ('missing', 'gate')
),
-- one verdict per filing, also where a table repeats a row (a 表4 printed over two pages)
caliber AS (
    SELECT filing_id, any_value(t4_col) AS t4_col,
           CASE WHEN count(DISTINCT current_row) = 1 AND bool_and(current_row IS NOT NULL) THEN min(current_row) END AS current_row,
           min(carryover) AS carryover
    FROM caliber_rows GROUP BY filing_id
),
keys AS (
    SELECT h.filing_id, h.t4_col, coalesce(k.current_row, 'expenditure_current') AS t4_row, 'total' AS t5_row
    FROM has h LEFT JOIN caliber k USING (filing_id) WHERE h.t4_col NOT IN ('missing', 'gate')
    UNION
    SELECT c.filing_id, h.t4_col, c.row_code, c.row_code FROM cell c JOIN has h USING (filing_id)
    WHERE h.t4_col NOT IN ('missing', 'gate') AND regexp_matches(c.row_code, '^[0-9]{3}$')
      AND NOT EXISTS (SELECT 1 FROM caliber k WHERE k.filing_id = c.filing_id AND k.current_row IS NOT NULL)
      AND ((c.table_kind = 'T4' AND c.column_label = h.t4_col) OR (c.table_kind = 'T5-1' AND c.column_label = '合计'))
),
terms AS (
    SELECT k.filing_id, 'B4' AS rule_id, CASE WHEN k.t5_row = 'total' THEN 'total' ELSE 'class:' || k.t5_row END AS subject,
           'total' AS role, a.amount_wan, a.half_unit, coalesce(a.ev, missing_ev('T4', k.t4_row, k.t4_col)) AS ev,
           k.t5_row = 'total' AS required, true AS inputs_ok,
           '表4 一般公共预算与表5-1：' || CASE WHEN k.t5_row <> 'total' THEN '功能类 ' || k.t5_row
                WHEN k.t4_row = 'expenditure_current' THEN '本年支出合计'
                ELSE '本年一般公共预算拨款（表5-1 按本年拨款口径编列，不含上年结转安排的支出）' END AS what,
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
UNION ALL
SELECT k.filing_id, 'B4', 'classes', 'not_applicable',
       '表4 一般公共预算与表5-1：各功能类：表5-1 按本年财政拨款编列，表4 本年支出另含上年结转 ' || fmt_wan(k.carryover)
           || ' 万元安排的支出，结转在各功能类间的分布未印出，无法逐类比较。',
       NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '表4 各功能类 = 表5-1 各功能类', caliber := '表5-1 不含上年结转'))
FROM caliber k WHERE k.current_row IS NOT NULL
