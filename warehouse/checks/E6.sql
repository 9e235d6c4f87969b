-- E6 同类部门间的异常值：同一区、同一年度、同类文件（部门预算）之间，用稳健 z 分数
--    z = 0.6745 ×（x − 中位数）÷ 中位数绝对偏差，|z| > 3.5 且同侪不少于 8 个时报告。指标：
--    “三公”经费同比增长率（需上年文件）、人均人员经费与人均公用经费（需说明“人员构成”中的人数，
--    claim kind 'staff'）。只报告离群，不判断对错。
-- E6 Outliers among peer departments (same region, year, kind and scope), by robust z-score
--    0.6745 (x − median) / MAD, reported when |z| > 3.5 with at least 8 peers: 三公 growth on
--    last year, personnel and public cost per staff member (staff from the narrative's 人员构成,
--    claim kind 'staff'; insufficient_data until extracted).
WITH cur AS (SELECT * FROM filing_series WHERE is_current AND unit_scope = '部门'),
staff AS (
    SELECT filing_id, max(amount_wan) AS staff FROM claim WHERE kind = 'staff' AND subject IN ('staff:total', 'staff') GROUP BY filing_id
),
metrics AS (
    SELECT c.filing_id, c.region_code, c.fiscal_year, c.kind, 'sangong_growth' AS metric,
           CASE WHEN lt.sangong_total > 0 THEN (t.sangong_total - lt.sangong_total) / lt.sangong_total * 100 END AS x,
           CASE WHEN t.sangong_total IS NULL THEN '本年“三公”经费未能提取'
                WHEN p.filing_id IS NULL THEN '仓库中没有上年文件'
                WHEN lt.sangong_total IS NULL THEN '上年“三公”经费未能提取'
                WHEN lt.sangong_total = 0 THEN '上年“三公”经费为零，增长率无意义' END AS why_not
    FROM cur c
    LEFT JOIN filing_totals_all_versions t ON t.filing_id = c.filing_id
    LEFT JOIN cur p ON p.series = c.series AND p.fiscal_year = c.fiscal_year - 1
    LEFT JOIN filing_totals_all_versions lt ON lt.filing_id = p.filing_id
    UNION ALL
    SELECT c.filing_id, c.region_code, c.fiscal_year, c.kind, m.metric,
           CASE WHEN s.staff > 0 THEN CASE m.metric WHEN 'personnel_per_staff' THEN t.personnel_expenditure ELSE t.public_expenditure END / s.staff END,
           CASE WHEN s.staff IS NULL THEN '说明“人员构成”中的人数未能提取'
                WHEN s.staff = 0 THEN '人数为零' ELSE NULL END
    FROM cur c CROSS JOIN (VALUES ('personnel_per_staff'), ('public_per_staff')) m(metric)
    LEFT JOIN filing_totals_all_versions t ON t.filing_id = c.filing_id
    LEFT JOIN staff s ON s.filing_id = c.filing_id
),
peers AS (
    SELECT region_code, fiscal_year, kind, metric, count(x) AS n, median(x) AS med
    FROM metrics WHERE x IS NOT NULL GROUP BY ALL
),
mad AS (
    SELECT m.region_code, m.fiscal_year, m.kind, m.metric, median(abs(m.x - p.med)) AS mad
    FROM metrics m JOIN peers p USING (region_code, fiscal_year, kind, metric) WHERE m.x IS NOT NULL GROUP BY ALL
),
o AS (
    SELECT m.*, p.n, p.med, d.mad,
           CASE WHEN m.x IS NOT NULL AND d.mad > 0 THEN 0.6745 * (m.x - p.med) / d.mad END AS z
    FROM metrics m
    LEFT JOIN peers p USING (region_code, fiscal_year, kind, metric)
    LEFT JOIN mad d USING (region_code, fiscal_year, kind, metric)
),
r AS (
    SELECT *, CASE WHEN x IS NULL THEN 'insufficient_data'
                   WHEN n < 8 THEN 'not_applicable'
                   WHEN mad = 0 THEN 'not_applicable'
                   WHEN abs(z) > 3.5 THEN 'fail' ELSE 'pass' END AS outcome,
           CASE metric WHEN 'sangong_growth' THEN '“三公”经费同比增长率' WHEN 'personnel_per_staff' THEN '人均人员经费'
                ELSE '人均公用经费' END AS name_zh,
           CASE metric WHEN 'sangong_growth' THEN '%' ELSE '万元/人' END AS unit
    FROM o
)
SELECT filing_id, 'E6' AS rule_id, metric AS subject, outcome,
       name_zh || '：' || CASE outcome
           WHEN 'pass' THEN CAST(round(x, 2) AS VARCHAR) || ' ' || unit || '，同侪 ' || n || ' 个部门中位数 ' || CAST(round(med, 2) AS VARCHAR)
                || ' ' || unit || '，稳健 z 分数 ' || CAST(round(z, 2) AS VARCHAR) || '，不属离群。'
           WHEN 'fail' THEN CAST(round(x, 2) AS VARCHAR) || ' ' || unit || '，同侪 ' || n || ' 个部门中位数 ' || CAST(round(med, 2) AS VARCHAR)
                || ' ' || unit || '、中位数绝对偏差 ' || CAST(round(mad, 2) AS VARCHAR) || '，稳健 z 分数 ' || CAST(round(z, 2) AS VARCHAR)
                || '，超过 3.5，属离群值（提示核实，不代表错误）。'
           WHEN 'not_applicable' THEN '同侪不足 8 个或数值完全相同，不作离群判断。'
           ELSE why_not || '，无法计算。' END AS message,
       CAST(med AS DECIMAL(20, 6)) AS expected, CAST(x AS DECIMAL(20, 6)) AS actual,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN z END AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN 3.5 END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '稳健 z 分数 = 0.6745 ×（x − 中位数）÷ 中位数绝对偏差，|z| > 3.5 为离群', metric := metric,
                           unit := unit, value := x, peers := n, median := med, mad := mad, z := z)) AS evidence
FROM r
UNION ALL
SELECT f.filing_id, 'E6', 'scope', 'not_applicable', '非部门预算或非当前版本，不参与同侪比较。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '同侪离群值'))
FROM filing f WHERE f.filing_id NOT IN (SELECT filing_id FROM cur)
