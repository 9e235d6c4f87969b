-- E3 决算中的“年初预算”各数等于该年度预算文件（同一部门、同一范围的当前版本）中的对应数。
-- E3 A final account's 年初预算 figures equal that year's budget filing (same department and
--    scope, current version), cell by cell (表1/表4 预算数, other tables 合计; a column under
--    年初预算数/ in the budget's column of that name, e.g. the 三公 items), and so do the
--    年初预算 amounts its narrative quotes (claim kind 'plan').
WITH finals AS (SELECT * FROM filing_series WHERE kind = '决算'),
opening AS (
    -- '年初预算数/公务接待费' is the budget's '公务接待费' column; a bare '年初预算' its amount column
    SELECT c.*, f.series, f.fiscal_year, regexp_extract(c.column_label, '年初预算数?/(.+)$', 1) AS part
    FROM cell c JOIN finals f USING (filing_id)
    WHERE c.column_label LIKE '%年初预算%'
),
o AS (
    SELECT o.filing_id, o.table_kind || ':' || o.row_code || ':' || o.column_label AS subject, o.amount_wan, o.half_unit, o.ev,
           b.filing_id AS budget_filing, bc.amount_wan AS budget_amt, bc.half_unit AS budget_half, bc.ev AS budget_ev
    FROM opening o
    LEFT JOIN filing_series b ON b.series = replace(o.series, '-final-', '-budget-') AND b.fiscal_year = o.fiscal_year AND b.is_current
    LEFT JOIN LATERAL (
        SELECT arg_min(c.amount_wan, c.column_label <> '预算数') AS amount_wan, arg_min(c.half_unit, c.column_label <> '预算数') AS half_unit,
               arg_min(c.ev, c.column_label <> '预算数') AS ev
        FROM cell c WHERE c.filing_id = b.filing_id AND c.table_kind = o.table_kind AND c.row_code = o.row_code
          AND CASE WHEN o.part <> '' THEN c.column_label = o.part ELSE c.column_label IN ('预算数', '合计') END
    ) bc ON true
),
-- 年初预算 quoted in the 决算 narrative (claim kind 'plan', subject as for amounts)
said AS (
    SELECT c.filing_id, 'plan:' || c.subject || CASE WHEN c.nth > 1 THEN '#' || c.nth ELSE '' END AS subject,
           c.amount_wan, narrative_half_unit() AS half_unit,
           struct_pack("table" := 'narrative', page := c.page, "row" := c.subject, label := c.label, "column" := '年初预算',
                       printed := c.text, unit := '万元') AS ev,
           b.filing_id AS budget_filing, v.amount_wan AS budget_amt, v.half_unit AS budget_half,
           struct_pack("table" := v.ev."table", page := v.ev.page, "row" := v.ev."row", label := v.ev.label, "column" := v.ev."column",
                       printed := v.ev.printed, unit := v.ev.unit) AS budget_ev
    FROM claim_ranked c JOIN finals f USING (filing_id)
    LEFT JOIN filing_series b ON b.series = replace(f.series, '-final-', '-budget-') AND b.fiscal_year = f.fiscal_year AND b.is_current
    LEFT JOIN subject_value v ON v.filing_id = b.filing_id AND v.subject = c.subject
    WHERE c.kind = 'plan' AND c.amount_wan IS NOT NULL
),
o2 AS (SELECT * FROM o UNION ALL BY NAME SELECT * FROM said),
d AS (SELECT *, coalesce(half_unit, 0) + coalesce(budget_half, 0) AS tol,
             tolerance_outcome(amount_wan - budget_amt, coalesce(half_unit, 0) + coalesce(budget_half, 0)) AS outcome FROM o2)
SELECT filing_id, 'E3' AS rule_id, subject, outcome,
       '决算“年初预算” ' || subject || '：' || CASE outcome
           WHEN 'pass' THEN '决算 ' || fmt_wan(amount_wan) || ' 万元，预算文件 ' || fmt_wan(budget_amt) || ' 万元，一致。'
           WHEN 'fail' THEN '决算 ' || fmt_wan(amount_wan) || ' 万元，预算文件（' || budget_filing || '）' || fmt_wan(budget_amt)
                || ' 万元，相差 ' || fmt_wan(abs(amount_wan - budget_amt)) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE CASE WHEN budget_filing IS NULL THEN '仓库中没有该年度的预算文件，无法核对。' ELSE '预算文件中未能提取对应金额，无法核对。' END END AS message,
       CAST(budget_amt AS DECIMAL(20, 6)) AS expected, CAST(amount_wan AS DECIMAL(20, 6)) AS actual,
       CAST(amount_wan - budget_amt AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN budget_amt IS NOT NULL THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '决算年初预算 = 当年预算文件', budget_filing := budget_filing, expected := budget_ev, actual := ev)) AS evidence
FROM d
UNION ALL
SELECT f.filing_id, 'E3', 'scope',
       CASE WHEN f.kind = '决算' THEN 'insufficient_data' ELSE 'not_applicable' END,
       CASE WHEN f.kind = '决算' THEN '决算中未提取到“年初预算”列，无法与预算文件核对。' ELSE '预算文件，本规则只适用于决算。' END,
       NULL, NULL, NULL, NULL, to_json(struct_pack(identity := '决算年初预算 = 当年预算文件', kind := f.kind))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM opening o WHERE o.filing_id = f.filing_id)
  AND NOT EXISTS (SELECT 1 FROM said s WHERE s.filing_id = f.filing_id)
