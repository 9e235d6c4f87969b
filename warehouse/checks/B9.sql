-- B9 单位编码与名称在收入总表（表2）、一般公共预算支出表分单位（表5-2）、项目支出表（表10）中一致：
--    同一编码名称相同（统一全半角、去空白、去“武汉市”前缀后比较）；表5-2、表10 的单位须见于表2。
-- B9 Unit codes and names agree across T2, T5-2 and T10: one name per code (after NFKC, without
--    whitespace and a leading 武汉市); a unit of T5-2 or T10 must be listed in T2.
WITH u AS (
    SELECT filing_id, row_code AS code, table_kind,
           arg_min(row_label, seq) AS label,
           regexp_replace(regexp_replace(arg_min(row_label_nfkc, seq), '\s+', '', 'g'), '^武汉市', '') AS key,
           arg_min(struct_pack("table" := table_kind, page := page, "row" := row_code, label := row_label), seq) AS ev
    FROM fact WHERE table_kind IN ('T2', 'T5-2', 'T10') AND regexp_matches(row_code, '^[0-9]{3}([0-9]{3})?$')
    GROUP BY ALL
),
g AS (
    SELECT filing_id, code, count(DISTINCT key) AS n_names, bool_or(table_kind = 'T2') AS in_t2,
           list(struct_pack("table" := table_kind, label := label) ORDER BY table_kind) AS names, list(ev ORDER BY table_kind) AS ev,
           count(*) AS n_tables
    FROM u GROUP BY ALL
),
has_t2 AS (SELECT DISTINCT filing_id FROM fact WHERE table_kind = 'T2'),
o AS (
    SELECT g.*, h.filing_id IS NOT NULL AS t2_present,
           CASE WHEN n_names > 1 THEN 'fail'
                WHEN NOT in_t2 AND h.filing_id IS NOT NULL THEN 'fail'
                WHEN NOT in_t2 THEN 'insufficient_data'
                WHEN n_tables = 1 THEN 'not_applicable'
                ELSE 'pass' END AS outcome
    FROM g LEFT JOIN has_t2 h USING (filing_id)
)
SELECT filing_id, 'B9' AS rule_id, 'unit:' || code AS subject, outcome,
       '单位编码 ' || code || '：' || CASE
           WHEN n_names > 1 THEN '各表名称不一致：' || array_to_string(list_transform(names, lambda x: table_zh(x."table") || '“' || x.label || '”'), '；') || '。'
           WHEN outcome = 'fail' THEN '见于' || array_to_string(list_transform(names, lambda x: table_zh(x."table")), '、') || '，但表2 收入总表未列该单位。'
           WHEN outcome = 'insufficient_data' THEN '表2 未能提取，无法核对。'
           WHEN outcome = 'not_applicable' THEN '只见于一张表，无需比较。'
           ELSE '各表名称一致（“' || names[1].label || '”）。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference,
       NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '同一单位编码在各表中的名称相同', names := names, cells := ev)) AS evidence
FROM o
UNION ALL
SELECT f.filing_id, 'B9', 'units', 'insufficient_data', '表2、表5-2、表10 均未提取到单位行，无法核对。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '同一单位编码在各表中的名称相同'))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.filing_id = f.filing_id)
