-- B2 收支总表（表1）本年支出合计 = 支出总表（表3）合计；表1 各功能类 = 表3 相应类的合计，两表类的集合相同。
-- B2 T1 current-year expenditure = T3 total; each T1 class row = the T3 class row (same set of classes).
--    T1's amount column is 预算数, in a 决算 决算数.
WITH has AS (
    SELECT f.filing_id, CASE WHEN f.kind = '决算' THEN '决算数' ELSE '预算数' END AS t1_col,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T1') AND
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T3') AS ok
    FROM filing f
),
keys AS (
    SELECT h.filing_id, h.ok, h.t1_col, 'total' AS subject, 'expenditure_current' AS t1_row, 'total' AS t3_row FROM has h
    UNION
    SELECT c.filing_id, true, h.t1_col, 'class:' || c.row_code, c.row_code, c.row_code
    FROM cell c JOIN has h USING (filing_id)
    WHERE h.ok AND c.table_kind IN ('T1', 'T3') AND regexp_matches(c.row_code, '^[0-9]{3}$')
      AND ((c.table_kind = 'T1' AND c.column_label = h.t1_col) OR (c.table_kind = 'T3' AND c.column_label = '合计'))
),
terms AS (
    SELECT k.filing_id, 'B2' AS rule_id, k.subject, 'total' AS role, a.amount_wan, a.half_unit,
           coalesce(a.ev, missing_ev('T1', k.t1_row, k.t1_col)) AS ev,
           -- a class only one table lists is a difference (the other side counts as 0)
           k.subject = 'total' AS required, k.ok AS inputs_ok,
           '表1 与表3：' || CASE WHEN k.subject = 'total' THEN '本年支出合计 = 表3 合计' ELSE '功能类 ' || k.t1_row || ' 支出' END AS what,
           '表1' AS lhs_zh, '表3' AS rhs_zh, 0 AS ord
    FROM keys k
    LEFT JOIN cell a ON a.filing_id = k.filing_id AND a.table_kind = 'T1' AND a.row_code = k.t1_row AND a.column_label = k.t1_col
    UNION ALL
    SELECT k.filing_id, 'B2', k.subject, 'term', b.amount_wan, b.half_unit, coalesce(b.ev, missing_ev('T3', k.t3_row, '合计')),
           k.subject = 'total', k.ok, NULL, NULL, NULL, 1
    FROM keys k
    LEFT JOIN cell b ON b.filing_id = k.filing_id AND b.table_kind = 'T3' AND b.row_code = k.t3_row AND b.column_label = '合计'
)
SELECT * FROM sum_identity(terms)
