-- D3 年度标注：预算文件的年度为 Y 时，项目申报表“前两年”与整体绩效目标表“近两年”应为 Y-2、Y-1，
--    同比句的比较年度应为 Y-1。指向其他年度的标注是问题（例：2026 年文件把前两年标为 2025 / 2026）。
-- D3 Year labels: in a filing for year Y, T12's 前两年 and T11's 近两年 columns are Y-2 and Y-1,
--    and year-on-year sentences compare with Y-1. A label pointing at another year is a finding.
WITH labels AS (
    SELECT f.filing_id, f.fiscal_year, x.table_kind AS source,
           CAST(regexp_extract(x.column_label, '(?:前两年|近两年)/(\d{4})', 1) AS INTEGER) AS year,
           arg_min(struct_pack("table" := x.table_kind, page := x.page, "row" := x.row_code, "column" := x.column_label), x.seq) AS ev
    FROM filing f JOIN fact x USING (filing_id)
    WHERE regexp_matches(x.column_label, '(前两年|近两年)/\d{4}')
    GROUP BY ALL
    UNION ALL
    SELECT f.filing_id, f.fiscal_year, 'yoy', c.prior_year,
           arg_min(struct_pack("table" := 'narrative', page := c.page, "row" := c.subject, "column" := c.text), c.seq)
    FROM filing f JOIN claim c USING (filing_id)
    WHERE c.kind = 'yoy' AND c.prior_year IS NOT NULL
    GROUP BY ALL
),
g AS (
    SELECT filing_id, any_value(fiscal_year) AS fy, source,
           list(DISTINCT year ORDER BY year) AS years,
           list(year ORDER BY year) FILTER (WHERE source <> 'yoy' AND year NOT IN (fiscal_year - 2, fiscal_year - 1)
                                              OR source = 'yoy' AND year <> fiscal_year - 1) AS wrong,
           list(ev ORDER BY year) AS ev
    FROM labels GROUP BY filing_id, source
),
o AS (
    SELECT *, CASE WHEN fy IS NULL THEN 'insufficient_data' WHEN len(coalesce(wrong, [])) > 0 THEN 'fail' ELSE 'pass' END AS outcome,
           CASE source WHEN 'T12' THEN '表12 项目申报表“前两年”' WHEN 'T11' THEN '表11“近两年”' ELSE '同比句的比较年度' END AS what,
           CASE source WHEN 'yoy' THEN [fy - 1] ELSE [fy - 2, fy - 1] END AS expected_years
    FROM g
)
SELECT filing_id, 'D3' AS rule_id, 'years:' || source AS subject, outcome,
       what || '：' || CASE outcome
           WHEN 'pass' THEN '标注为 ' || array_to_string(years, ' / ') || ' 年，与 ' || fy || ' 年度文件相符。'
           WHEN 'fail' THEN '标注为 ' || array_to_string(years, ' / ') || ' 年，' || fy || ' 年度文件应为 '
                || array_to_string(expected_years, ' / ') || ' 年。'
           ELSE '文件年度未能识别，无法核对。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference,
       NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '年度标注指向 Y-2 / Y-1', fiscal_year := fy, expected := expected_years,
                           actual := years, cells := ev)) AS evidence
FROM o
UNION ALL
SELECT f.filing_id, 'D3', 'years', 'insufficient_data', '未提取到年度标注（前两年、近两年或同比年度），无法核对。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '年度标注指向 Y-2 / Y-1'))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.filing_id = f.filing_id)
