-- E1 本年说明引用的上年数（本年数 − 增减额，如“比上年减少 20.28 万元”）等于上年同一部门文件中的该数。
-- E1 Last year's figure implied by this year's sentence (this year − the change quoted) equals
--    last year's filing of the same department (its current version).
WITH y AS (
    SELECT c.filing_id, c.subject, c.kind || ':' || c.subject || CASE WHEN c.nth > 1 THEN '#' || c.nth ELSE '' END AS key,
           coalesce(c.amount_wan, v.amount_wan) AS this_year, c.delta_wan AS delta,
           coalesce(c.prior_year, s.fiscal_year - 1) AS prior_year, c.ev, s.series,
           CASE WHEN c.amount_wan IS NULL THEN v.half_unit ELSE narrative_half_unit() END AS this_half
    FROM claim_ranked c JOIN filing_series s USING (filing_id)
    LEFT JOIN subject_value v ON v.filing_id = c.filing_id AND v.subject = c.subject
    WHERE c.kind = 'yoy'
),
o AS (
    SELECT y.*, p.filing_id AS prior_filing, pv.amount_wan AS last_year, pv.ev AS last_ev,
           coalesce(y.this_half, 0) + narrative_half_unit() + coalesce(pv.half_unit, 0) AS tol
    FROM y
    LEFT JOIN filing_series p ON p.series = y.series AND p.fiscal_year = y.prior_year AND p.is_current
    LEFT JOIN subject_value pv ON pv.filing_id = p.filing_id AND pv.subject = y.subject
),
d AS (SELECT *, tolerance_outcome((this_year - delta) - last_year, tol) AS outcome FROM o)
SELECT filing_id, 'E1' AS rule_id, key AS subject, outcome,
       '与 ' || prior_year || ' 年文件比较（' || subject || '）：' || CASE outcome
           WHEN 'pass' THEN '本年 ' || fmt_wan(this_year) || ' 万元、增减 ' || fmt_wan(delta) || ' 万元，推出上年 ' || fmt_wan(this_year - delta)
                || ' 万元，上年文件为 ' || fmt_wan(last_year) || ' 万元，一致。'
           WHEN 'fail' THEN '本年 ' || fmt_wan(this_year) || ' 万元、增减 ' || fmt_wan(delta) || ' 万元，推出上年 ' || fmt_wan(this_year - delta)
                || ' 万元；上年文件（' || prior_filing || '）为 ' || fmt_wan(last_year) || ' 万元，相差 '
                || fmt_wan(abs(this_year - delta - last_year)) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE CASE WHEN prior_filing IS NULL THEN '仓库中没有该部门 ' || prior_year || ' 年的文件，无法核对。'
                     WHEN this_year IS NULL OR delta IS NULL THEN '说明未给出本年数或增减额，无法核对。'
                     ELSE '上年文件中未能提取该项金额，无法核对。' END END AS message,
       CAST(last_year AS DECIMAL(20, 6)) AS expected, CAST(this_year - delta AS DECIMAL(20, 6)) AS actual,
       CAST(this_year - delta - last_year AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN last_year IS NOT NULL THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '本年数 − 增减额 = 上年文件中的数', prior_filing := prior_filing,
                           expected := last_ev, actual := ev)) AS evidence
FROM d
UNION ALL
SELECT * FROM claims_missing('E1', 'yoy', '%', '同比增减表述')
