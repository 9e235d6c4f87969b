-- E5 项目编码（预算管理一体化，如 42010426118T000000100 = 区划 420104 + 年度 26 + 部门 118 + T + 序号）：
--    编码中的区划、部门应为本文件的；年度不是本年度时，应是该部门当年文件中已有的同名常年性项目；
--    同一编码在本区任何文件中都应是同一项目名称（编码含区划，跨区比较由区划一项负责）。
-- E5 Project codes: the embedded region and department are the filing's own; an embedded year
--    other than the filing's must be a recurring project found under that code and name in the
--    department's filing of that year; one code names one project across the district's filings.
WITH p AS (
    SELECT x.filing_id, x.row_code AS code, min(x.row_label) AS label,
           regexp_replace(coalesce(min(x.row_label_nfkc), ''), '\s+', '', 'g') AS key,
           arg_min(struct_pack("table" := 'T10', page := x.page, "row" := x.row_code, label := x.row_label), x.seq) AS ev
    FROM fact x JOIN filing f USING (filing_id)
    WHERE x.table_kind = 'T10' AND regexp_matches(x.row_code, '^[0-9]{11}[A-Z][0-9]+$') AND f.is_current
    GROUP BY ALL
),
parts AS (
    SELECT p.*, s.region_code, s.department_code, s.fiscal_year, s.series,
           substr(code, 1, 6) AS c_region, 2000 + CAST(substr(code, 7, 2) AS INTEGER) AS c_year, substr(code, 9, 3) AS c_dept
    FROM p JOIN filing_series s USING (filing_id)
),
others AS (
    -- the same code elsewhere in the same district under another name. A code embeds its district,
    -- so the same code in another district's filing is that filing's region finding, not a reuse here.
    SELECT a.filing_id, a.code, list(DISTINCT b.label) AS other_names, list(DISTINCT b.filing_id) AS other_filings
    FROM parts a JOIN parts b ON a.code = b.code AND a.filing_id <> b.filing_id AND a.key <> b.key
     AND a.region_code IS NOT DISTINCT FROM b.region_code
    GROUP BY ALL
),
origin AS (
    -- the department's filing of the year the code embeds, and whether it lists the code under this name
    SELECT a.filing_id, a.code, o.filing_id AS origin_filing,
           EXISTS (SELECT 1 FROM p q WHERE q.filing_id = o.filing_id AND q.code = a.code AND q.key = a.key) AS listed
    FROM parts a LEFT JOIN filing_series o ON o.series = a.series AND o.fiscal_year = a.c_year AND o.is_current
    WHERE a.c_year <> a.fiscal_year
),
o AS (
    SELECT a.*, n.other_names, n.other_filings, g.origin_filing, g.listed,
           list_filter([
               CASE WHEN a.region_code IS NOT NULL AND a.c_region <> a.region_code THEN '编码中的区划 ' || a.c_region || ' 不是本区 ' || a.region_code END,
               CASE WHEN a.department_code IS NOT NULL AND a.c_dept <> left(a.department_code, 3) THEN '编码中的部门 ' || a.c_dept || ' 不是本部门 ' || left(a.department_code, 3) END,
               CASE WHEN a.c_year > a.fiscal_year THEN '编码中的年度 ' || a.c_year || ' 晚于文件年度 ' || a.fiscal_year END,
               CASE WHEN a.c_year < a.fiscal_year AND NOT coalesce(g.listed, false)
                    THEN '编码中的年度 ' || a.c_year || ' 不是文件年度 ' || a.fiscal_year
                         || CASE WHEN g.origin_filing IS NULL THEN '，且仓库中没有该部门 ' || a.c_year || ' 年的文件可证明是常年性项目'
                                 ELSE '，该部门 ' || a.c_year || ' 年文件中没有这个编码的同名项目' END END,
               CASE WHEN n.code IS NOT NULL THEN '同一编码在其他文件中是“' || array_to_string(n.other_names, '”“') || '”' END
           ], lambda x: x IS NOT NULL) AS issues
    FROM parts a
    LEFT JOIN others n USING (filing_id, code)
    LEFT JOIN origin g USING (filing_id, code)
)
SELECT filing_id, 'E5' AS rule_id, 'project:' || code AS subject, CASE WHEN len(issues) > 0 THEN 'fail' ELSE 'pass' END AS outcome,
       '项目编码 ' || code || '（' || label || '）：' || CASE WHEN len(issues) > 0 THEN array_to_string(issues, '；') || '。'
           ELSE '区划、部门、年度与本文件相符' || CASE WHEN c_year < fiscal_year THEN '（' || c_year || ' 年起的常年性项目）' ELSE '' END || '。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '项目编码 = 区划 + 年度 + 部门 + T + 序号', region := c_region, year := c_year, department := c_dept,
                           filing_region := region_code, filing_year := fiscal_year, filing_department := department_code,
                           origin_filing := origin_filing, other_filings := other_filings, actual := ev)) AS evidence
FROM o
UNION ALL
SELECT f.filing_id, 'E5', 'projects',
       CASE WHEN EXISTS (SELECT 1 FROM fact x WHERE x.filing_id = f.filing_id AND x.table_kind = 'T10') THEN 'not_applicable' ELSE 'insufficient_data' END,
       CASE WHEN EXISTS (SELECT 1 FROM fact x WHERE x.filing_id = f.filing_id AND x.table_kind = 'T10') THEN '表10 未列带编码的项目，无需核对。'
            ELSE '表10 项目支出表未能提取，无法核对项目编码。' END,
       NULL, NULL, NULL, NULL, to_json(struct_pack(identity := '项目编码'))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.filing_id = f.filing_id)
