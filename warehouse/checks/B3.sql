-- B3 收支总表（表1）与财政拨款收支总表（表4）的口径闸门：表1 没有非财政拨款收入（事业收入、
--    经营收入、其他收入、财政专户、非财政拨款结转等）时，两表收入总计、支出总计与各功能类相等；
--    否则只要求表4 ≤ 表1。
-- B3 caliber gate: T1 = T4 (totals and classes) only when T1 has no non-财政拨款 income;
--    otherwise T4 <= T1. 一、财政拨款收入 (the national template's parent of the three fund rows) is
--    财政拨款, not other income. A row blank in both tables compares nothing: not_applicable;
--    blank on one side only: insufficient_data (a blank is not printed, not 0).
WITH t1_income AS (
    SELECT filing_id,
           coalesce(sum(abs(amount_wan)) FILTER (WHERE row_code LIKE 'income:%'
                AND row_code NOT IN ('income:fiscal', 'income:general_budget', 'income:gov_fund', 'income:state_capital')), 0) AS non_fiscal,
           -- carry-over not split by fund: its kind is unknown
           bool_or(row_code = 'income_carryover' AND amount_wan <> 0) AND NOT bool_or(row_code LIKE 'carryover:%') AS carry_unsplit
    FROM cell WHERE table_kind = 'T1' GROUP BY filing_id
),
has AS (
    SELECT f.filing_id, i.non_fiscal, coalesce(i.carry_unsplit, false) AS carry_unsplit,
           i.filing_id IS NOT NULL AND EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T4') AS ok
    FROM filing f LEFT JOIN t1_income i USING (filing_id)
),
keys AS (
    SELECT filing_id, row_code FROM cell WHERE table_kind IN ('T1', 'T4')
      AND (row_code IN ('income_total', 'expenditure_total') OR regexp_matches(row_code, '^[0-9]{3}$'))
    GROUP BY ALL
),
t4 AS (
    -- T4's amount column: 预算数, or 合计 where the template splits by fund
    SELECT filing_id, row_code, arg_min(amount_wan, column_label <> '预算数') AS amount_wan,
           arg_min(half_unit, column_label <> '预算数') AS half_unit, arg_min(ev, column_label <> '预算数') AS ev
    FROM cell WHERE table_kind = 'T4' AND column_label IN ('预算数', '合计') GROUP BY ALL
),
s AS (
    SELECT h.filing_id, k.row_code, h.ok, h.non_fiscal = 0 AND NOT h.carry_unsplit AS equal_gate, h.non_fiscal,
           a.amount_wan AS t1, a.half_unit AS t1_half, coalesce(a.ev, missing_ev('T1', k.row_code, '预算数')) AS t1_ev,
           b.amount_wan AS t4, b.half_unit AS t4_half, coalesce(b.ev, missing_ev('T4', k.row_code, '预算数')) AS t4_ev
    FROM has h JOIN keys k USING (filing_id)
    LEFT JOIN cell a ON a.filing_id = h.filing_id AND a.table_kind = 'T1' AND a.row_code = k.row_code AND a.column_label = '预算数'
    LEFT JOIN t4 b ON b.filing_id = h.filing_id AND b.row_code = k.row_code
),
o AS (
    SELECT *, coalesce(t1_half, 0) + coalesce(t4_half, 0) AS tol,
           CASE WHEN NOT ok THEN 'insufficient_data'
                WHEN t1 IS NULL AND t4 IS NULL THEN 'not_applicable'
                -- compare only what is printed: a blank is not 0
                WHEN t1 IS NULL OR t4 IS NULL THEN 'insufficient_data'
                WHEN equal_gate THEN tolerance_outcome(coalesce(t4, 0) - coalesce(t1, 0), coalesce(t1_half, 0) + coalesce(t4_half, 0))
                WHEN coalesce(t4, 0) - coalesce(t1, 0) <= coalesce(t1_half, 0) + coalesce(t4_half, 0) THEN 'pass'
                ELSE 'fail' END AS outcome
    FROM s
),
missing AS (
    SELECT filing_id, 'tables' AS row_code FROM has WHERE NOT ok
)
SELECT filing_id, 'B3' AS rule_id, row_code AS subject, outcome,
       '表1 与表4 ' || CASE row_code WHEN 'income_total' THEN '收入总计' WHEN 'expenditure_total' THEN '支出总计' ELSE '功能类 ' || row_code END
       || CASE WHEN equal_gate THEN '（表1 全部为财政拨款收入，两表应相等）' ELSE '（表1 含非财政拨款收入 ' || fmt_wan(non_fiscal) || ' 万元，表4 应不超过表1）' END
       || '：' || CASE outcome
           WHEN 'pass' THEN '表1 ' || fmt_wan(t1) || ' 万元，表4 ' || fmt_wan(t4) || ' 万元，符合。'
           WHEN 'fail' THEN '表1 ' || fmt_wan(t1) || ' 万元，表4 ' || fmt_wan(t4) || ' 万元，相差 ' || fmt_wan(abs(coalesce(t4, 0) - coalesce(t1, 0))) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           WHEN 'not_applicable' THEN '两表均未填列，无需比较。'
           ELSE CASE WHEN t1 IS NULL THEN '表1 未填列，表4 ' || fmt_wan(t4) || ' 万元'
                     ELSE '表1 ' || fmt_wan(t1) || ' 万元，表4 未填列' END || '（空白不等于 0），无法比较。' END AS message,
       CAST(t1 AS DECIMAL(20, 6)) AS expected, CAST(t4 AS DECIMAL(20, 6)) AS actual,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN coalesce(t4, 0) - coalesce(t1, 0) END AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := CASE WHEN equal_gate THEN '表1 = 表4' ELSE '表4 ≤ 表1' END,
                           comparison := CASE WHEN equal_gate THEN '=' ELSE '<=' END,
                           non_fiscal_income := non_fiscal, expected := t1_ev, actual := t4_ev)) AS evidence
FROM o WHERE ok
UNION ALL
SELECT filing_id, 'B3', 'tables', 'insufficient_data', '表1 或表4 未能提取，无法比较。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '表1 与表4 口径')) FROM missing
