-- C2 情况说明中使用的功能分类科目名称（类/款/项）应与一般公共预算支出表（表5-1）中该编码的名称一致。
--    比较前统一全半角（NFKC）与括号，去掉“（室）”；类名忽略末尾“支出”。
-- C2 Classification names used in the narrative equal the T5-1 name of that code
--    (after NFKC, bracket unification, dropping '(室)'; 类 names ignore a trailing '支出').
WITH names AS (
    SELECT c.filing_id, substr(c.subject, 6) AS code,
           coalesce(nullif(c.level, ''), CASE length(substr(c.subject, 6)) WHEN 3 THEN '类' WHEN 5 THEN '款' ELSE '项' END) AS lvl,
           c.label, c.label_nfkc, c.page, c.text
    FROM claim c WHERE c.kind = 'item_name' AND c.subject LIKE 'func:%'
),
-- the same name for the same code said twice is one finding (first mention as evidence)
said AS (
    SELECT filing_id, code, lvl, name_key(label_nfkc, lvl) AS key,
           arg_min(label, (page, text)) AS label, min(page) AS page, arg_min(text, (page, text)) AS text,
           count(*) AS mentions
    FROM names GROUP BY ALL
),
-- the table's name of each code: T5-1, else T3 when T5-1 does not list it
table_name AS (
    SELECT filing_id, row_code AS code,
           arg_min(row_label, CASE table_kind WHEN 'T5-1' THEN 1 ELSE 2 END) AS row_label,
           arg_min(row_label_nfkc, CASE table_kind WHEN 'T5-1' THEN 1 ELSE 2 END) AS row_label_nfkc,
           arg_min(struct_pack("table" := table_kind, page := page, "row" := row_code, label := row_label),
                   CASE table_kind WHEN 'T5-1' THEN 1 ELSE 2 END) AS ev
    FROM fact WHERE table_kind IN ('T5-1', 'T3') AND regexp_matches(row_code, '^[0-9]{3,7}$')
    GROUP BY ALL
),
has_table AS (SELECT DISTINCT filing_id FROM fact WHERE table_kind IN ('T5-1', 'T3')),
o AS (
    SELECT s.*, t.row_label, t.ev AS table_ev, h.filing_id IS NOT NULL AS inputs_ok,
           CASE WHEN h.filing_id IS NULL OR t.code IS NULL THEN 'insufficient_data'
                WHEN s.key = name_key(t.row_label_nfkc, s.lvl) THEN 'pass'
                ELSE 'fail' END AS outcome
    FROM said s
    LEFT JOIN table_name t USING (filing_id, code)
    LEFT JOIN has_table h USING (filing_id)
)
SELECT filing_id, 'C2' AS rule_id, 'func:' || code || '|' || key AS subject, outcome,
       '科目 ' || code || '（' || lvl || '）名称：' || CASE outcome
           WHEN 'pass' THEN '说明称“' || label || '”，与' || table_zh(table_ev."table") || '“' || row_label || '”一致。'
           WHEN 'fail' THEN '说明称“' || label || '”（第 ' || coalesce(CAST(page AS VARCHAR), '?') || ' 页），'
                || table_zh(table_ev."table") || '中该编码名称为“' || row_label || '”，两者不一致。'
           ELSE CASE WHEN NOT inputs_ok THEN '支出表未能提取，无法比较。'
                     ELSE '说明称“' || label || '”，但表中未找到编码 ' || code || '，无法比较。' END END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual,
       NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '说明中的科目名称 = 表5-1 中该编码的名称',
                           expected := table_ev,
                           actual := struct_pack(source := 'narrative', page := page, code := code, level := lvl,
                                                 label := label, text := text, mentions := mentions))) AS evidence
FROM o

UNION ALL
SELECT * FROM claims_missing('C2', 'item_name', 'func:%', '功能分类科目名称')
