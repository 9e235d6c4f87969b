-- D2 占比可重算：说明中的占比 = 该项金额 ÷ 支出合计（表3 合计，缺则表1 本年支出合计）×100%，
--    容差 0.5 个百分点。例：基本支出 454.75 ÷ 564.25 = 80.59%。
--    决算“三公”经费“支出决算为 Y 万元，完成预算的 P%”：P = Y ÷ 年初预算数（表7 年初预算数列；
--    年初预算合计已填列时空白项按 0 计；表7 无该列时用说明所称年初预算）×100%，容差同上；
--    年初预算为 0 时，决算亦为 0 即一致，否则不应给出完成率。
-- D2 Shares recompute: quoted % = amount / total expenditure (T3 total, else T1) x 100,
--    within 0.5 percentage points. A 决算's 三公 "支出决算为 Y 万元，完成预算的 P%": P = Y / the
--    年初预算 (T7's 年初预算数 columns, a blank item counting 0 where their 合计 is printed; else the
--    narrative's own 年初预算) x 100; with a zero budget only a zero actual is consistent.
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
SELECT * FROM (
    -- each 三公 item's opening-budget column: '年初预算数/' before its T7 column (sangong_item)
    WITH plan_col AS (SELECT subject, '年初预算数/' || column_label AS column_label FROM sangong_item),
    t7_plan AS (
        SELECT c.filing_id, p.subject, arg_min(c.amount_wan, c.seq) AS amount_wan, arg_min(c.ev, c.seq) AS ev
        FROM cell c JOIN plan_col p USING (column_label)
        WHERE c.table_kind = 'T7' AND c.row_code = 'total' GROUP BY ALL
    ),
    said_plan AS (
        SELECT filing_id, subject, arg_min(amount_wan, nth) AS amount_wan, arg_min(ev, nth) AS ev
        FROM claim_ranked WHERE kind = 'plan' AND subject LIKE 'sangong:%' GROUP BY ALL
    ),
    comp AS (
        SELECT c.filing_id, c.subject || CASE WHEN c.nth > 1 THEN '#' || c.nth ELSE '' END AS subject,
               c.amount_wan AS actual, c.percent, c.ev,
               coalesce(p.amount_wan, CASE WHEN pt.filing_id IS NOT NULL THEN 0 END, sp.amount_wan) AS plan,
               coalesce(p.ev, pt.ev, sp.ev) AS plan_ev
        FROM claim_ranked c
        LEFT JOIN t7_plan p ON p.filing_id = c.filing_id AND p.subject = c.subject
        LEFT JOIN t7_plan pt ON pt.filing_id = c.filing_id AND pt.subject = 'sangong:total'
        LEFT JOIN said_plan sp ON sp.filing_id = c.filing_id AND sp.subject = c.subject
        WHERE c.kind = 'completion' AND c.percent IS NOT NULL
    ),
    calc AS (SELECT *, CASE WHEN plan <> 0 THEN round(actual * 100 / plan, 4) END AS pct_calc FROM comp),
    d AS (
        SELECT *, CASE WHEN actual IS NULL OR plan IS NULL THEN 'insufficient_data'
                       WHEN plan = 0 THEN CASE WHEN actual = 0 THEN 'pass' ELSE 'fail' END
                       ELSE tolerance_outcome(percent - pct_calc, pct_tolerance()) END AS outcome
        FROM calc
    )
    SELECT filing_id, 'D2' AS rule_id, 'completion:' || subject AS subject, outcome,
           '完成预算比例：' || CASE
               WHEN outcome = 'insufficient_data' THEN '年初预算数未能提取，无法重算。'
               WHEN plan = 0 THEN '年初预算为 0，决算 ' || fmt_wan(actual) || ' 万元，说明为 '
                    || CAST(CAST(percent AS DOUBLE) AS VARCHAR) || '%'
                    || CASE outcome WHEN 'pass' THEN '，一致。' ELSE '：年初预算为零，不应给出完成率。' END
               ELSE fmt_wan(actual) || ' ÷ ' || fmt_wan(plan) || ' = ' || CAST(round(pct_calc, 2) AS VARCHAR)
                    || '%，说明为 ' || CAST(CAST(percent AS DOUBLE) AS VARCHAR) || '%'
                    || CASE outcome WHEN 'pass' THEN '，一致。' ELSE '，相差超过 0.5 个百分点。' END END AS message,
           CAST(pct_calc AS DECIMAL(20, 6)) AS expected, CAST(percent AS DECIMAL(20, 6)) AS actual,
           CAST(percent - pct_calc AS DECIMAL(20, 6)) AS difference, pct_tolerance() AS tolerance,
           to_json(struct_pack(identity := '完成预算比例 = 决算数 ÷ 年初预算数 × 100%', unit := '%',
                               expected := struct_pack(actual := actual, plan := plan, percent_recomputed := pct_calc,
                                                       plan_cell := plan_ev),
                               actual := ev)) AS evidence
    FROM d
)

UNION ALL
SELECT * FROM claims_missing('D2', 'share', '%', '占比表述')
