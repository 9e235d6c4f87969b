-- D1 同比增减自洽：增减额 = 本年 − 上年；增减率 = 增减额 ÷ 上年（容差 0.5 个百分点）；
--    “增加/减少”与增减额的正负一致；上年为零时不应给出百分比；“持平”仅当增减额为零。
--    上年数由说明自身推出（本年 − 增减额）；与上年文件的核对属 E1。
--    “增加 0 万元（增长 0%）”即未变，按“持平”读，不算用词错误，也不算以零为基数给出增减率。
-- D1 Year-on-year: % = Δ / last year (0.5 points); the word matches the sign; no % from a zero
--    base; 持平 only when Δ = 0. Last year = this year − Δ as quoted (E1 checks it against
--    last year's filing). "增加 0 万元, 增长 0%" says nothing changed: read as 持平, neither a
--    wrong word nor a percentage from a zero base.
WITH y AS (
    SELECT c.filing_id, c.subject || CASE WHEN c.nth > 1 THEN '#' || c.nth ELSE '' END AS subject,
           coalesce(c.amount_wan, v.amount_wan) AS this_year, c.delta_wan AS delta, c.percent, c.direction,
           c.prior_year, c.ev,
           CASE WHEN c.amount_wan IS NULL THEN v.ev END AS table_ev  -- this year taken from the table
    FROM claim_ranked c
    LEFT JOIN subject_value v ON v.filing_id = c.filing_id AND v.subject = c.subject
    WHERE c.kind = 'yoy'
),
calc AS (
    SELECT *, this_year - delta AS last_year,
           CASE WHEN this_year - delta <> 0 THEN round(abs(delta) * 100 / (this_year - delta), 4) END AS pct_calc
    FROM y
),
problems AS (
    SELECT *,
        list_filter([
            CASE WHEN direction = '增加' AND delta < 0 THEN '称“增加”但增减额为负' END,
            CASE WHEN direction = '减少' AND delta > 0 THEN '称“减少”但增减额为正' END,
            CASE WHEN direction = '持平' AND delta <> 0 THEN '称“持平”但增减额为 ' || fmt_wan(delta) || ' 万元' END,
            CASE WHEN direction <> '持平' AND delta = 0 AND coalesce(percent, 0) <> 0
                 THEN '增减额为零却称“' || direction || '”' END,
            CASE WHEN percent IS NOT NULL AND last_year = 0 AND NOT (delta = 0 AND percent = 0)
                 THEN '上年为零，不应给出增减率' END,
            CASE WHEN percent IS NOT NULL AND pct_calc IS NOT NULL AND abs(abs(percent) - pct_calc) > pct_tolerance()
                 THEN '增减率应为 ' || CAST(round(pct_calc, 2) AS VARCHAR) || '%，说明为 ' || CAST(CAST(abs(percent) AS DOUBLE) AS VARCHAR) || '%' END
        ], lambda x: x IS NOT NULL) AS issues
    FROM calc
),
o AS (
    SELECT *, CASE WHEN delta IS NULL OR this_year IS NULL THEN 'insufficient_data'
                   WHEN len(issues) > 0 THEN 'fail' ELSE 'pass' END AS outcome
    FROM problems
)
SELECT filing_id, 'D1' AS rule_id, 'yoy:' || subject AS subject, outcome,
       '同比（' || coalesce(CAST(prior_year AS VARCHAR) || ' 年', '上年') || '）：' || CASE outcome
           WHEN 'pass' THEN '本年 ' || fmt_wan(this_year) || ' 万元，' || CASE WHEN delta = 0 THEN '与上年持平'
                ELSE coalesce(direction, '') || ' ' || fmt_wan(abs(delta)) || ' 万元' END || coalesce('，' || CAST(CAST(abs(percent) AS DOUBLE) AS VARCHAR) || '%（按上年 '
                || fmt_wan(last_year) || ' 万元计算为 ' || CAST(round(pct_calc, 2) AS VARCHAR) || '%）', '') || '，自洽。'
           WHEN 'fail' THEN '本年 ' || fmt_wan(this_year) || ' 万元，' || coalesce(direction, '') || ' ' || fmt_wan(abs(delta))
                || ' 万元：' || array_to_string(issues, '；') || '。'
           ELSE '说明未给出可核对的本年数或增减额。' END AS message,
       CAST(pct_calc AS DECIMAL(20, 6)) AS expected,
       CAST(abs(percent) AS DECIMAL(20, 6)) AS actual,
       CAST(abs(percent) - pct_calc AS DECIMAL(20, 6)) AS difference,
       CASE WHEN percent IS NOT NULL THEN pct_tolerance() END AS tolerance,
       to_json(struct_pack(identity := '增减率 = 增减额 ÷ (本年 − 增减额)', unit := '%',
                           expected := struct_pack(this_year := this_year, delta := delta, last_year := last_year,
                                                   percent_recomputed := pct_calc, this_year_cell := table_ev),
                           actual := ev, issues := issues)) AS evidence
FROM o

UNION ALL
SELECT * FROM claims_missing('D1', 'yoy', '%', '同比增减表述')
