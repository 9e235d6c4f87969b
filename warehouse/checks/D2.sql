-- D2 占比可重算：说明中的占比 = 该项金额 ÷ 支出合计（表3 合计，缺则表1 本年支出合计）×100%，
--    容差 0.5 个百分点。例：基本支出 454.75 ÷ 564.25 = 80.59%。
-- D2 Shares recompute: quoted % = amount / total expenditure (T3 total, else T1) x 100,
--    within 0.5 percentage points.
-- one cell per table: a total read twice (a 江苏 收支总表 whose 支出合计 runs onto the next
-- page) must not make every share a duplicate finding
WITH totals AS (
    SELECT filing_id, table_kind, arg_min(amount_wan, seq) AS amount_wan, arg_min(ev, seq) AS ev
    FROM cell
    WHERE (table_kind = 'T3' AND row_code = 'total' AND column_label = '合计')
       OR (table_kind = 'T1' AND row_code = 'expenditure_current' AND column_label IN ('预算数', '决算数'))
    GROUP BY ALL
),
base AS (
    SELECT f.filing_id,
           coalesce(t3.amount_wan, t1.amount_wan) AS total, coalesce(t3.ev, t1.ev) AS total_ev
    FROM filing f
    LEFT JOIN totals t3 ON t3.filing_id = f.filing_id AND t3.table_kind = 'T3'
    LEFT JOIN totals t1 ON t1.filing_id = f.filing_id AND t1.table_kind = 'T1'
),
s AS (
    SELECT c.filing_id, c.subject || CASE WHEN c.nth > 1 THEN '#' || c.nth ELSE '' END AS subject,
           coalesce(c.amount_wan, v.amount_wan) AS amount, c.percent, c.ev, v.ev AS table_ev,
           b.total, b.total_ev
    FROM claim_ranked c
    LEFT JOIN subject_value v ON v.filing_id = c.filing_id AND v.subject = c.subject
    LEFT JOIN base b ON b.filing_id = c.filing_id
    WHERE c.kind = 'share' AND c.percent IS NOT NULL
),
o AS (
    SELECT *, CASE WHEN total <> 0 THEN round(amount * 100 / total, 4) END AS pct_calc
    FROM s
),
d AS (SELECT *, tolerance_outcome(percent - pct_calc, pct_tolerance()) AS outcome FROM o)
SELECT filing_id, 'D2' AS rule_id, 'share:' || subject AS subject, outcome,
       '占比：' || CASE outcome
           WHEN 'pass' THEN fmt_wan(amount) || ' ÷ ' || fmt_wan(total) || ' = ' || CAST(round(pct_calc, 2) AS VARCHAR)
                || '%，说明为 ' || CAST(CAST(percent AS DOUBLE) AS VARCHAR) || '%，一致。'
           WHEN 'fail' THEN fmt_wan(amount) || ' ÷ ' || fmt_wan(total) || ' = ' || CAST(round(pct_calc, 2) AS VARCHAR)
                || '%，说明为 ' || CAST(CAST(percent AS DOUBLE) AS VARCHAR) || '%，相差超过 0.5 个百分点。'
           ELSE '金额或支出合计未能提取，无法重算占比。' END AS message,
       CAST(pct_calc AS DECIMAL(20, 6)) AS expected, CAST(percent AS DECIMAL(20, 6)) AS actual,
       CAST(percent - pct_calc AS DECIMAL(20, 6)) AS difference, pct_tolerance() AS tolerance,
       to_json(struct_pack(identity := '占比 = 金额 ÷ 支出合计 × 100%', unit := '%',
                           expected := struct_pack(amount := amount, total := total, percent_recomputed := pct_calc,
                                                   amount_cell := table_ev, total_cell := total_ev),
                           actual := ev)) AS evidence
FROM d

UNION ALL
SELECT * FROM claims_missing('D2', 'share', '%', '占比表述')
