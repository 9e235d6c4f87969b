-- F2 模板规定的表格齐全、按序、不重复；空表有说明（如“本单位 2026 年无政府性基金预算”）。
--    模板的表格清单取自提取模板（extractors/profiles/*.yaml 的 tables，按文件中的顺序）；
--    同一模板的其他正式顺序见 warehouse/template_orders.yaml，符合其中任一顺序即为按序。
-- F2 All tables of the template present, in order, not duplicated; an empty one carries its
--    statement. The template's list is the extractor profile's (extractors/profiles/*.yaml);
--    other official orders of a template are in warehouse/template_orders.yaml (any one will do).
WITH seen AS (
    SELECT t.filing_id, t.table_kind, min(list_min(t.pages)) AS first_page, count(*) AS n,
           bool_or(coalesce(t.note, '') <> '') AS noted
    FROM filing_table t GROUP BY ALL
),
numbers AS (SELECT DISTINCT filing_id, table_kind FROM cell),
expected AS (
    SELECT f.filing_id, t.table_kind, t.ord FROM filing f JOIN template_table t ON t.template = f.template
),
known AS (SELECT DISTINCT filing_id FROM expected),
missing AS (
    SELECT e.filing_id, list(e.table_kind ORDER BY e.ord) AS kinds FROM expected e
    WHERE NOT EXISTS (SELECT 1 FROM seen s WHERE s.filing_id = e.filing_id AND s.table_kind = e.table_kind)
    GROUP BY e.filing_id
),
-- T12 prints one 项目申报表 per project: several instances are expected
dup AS (
    SELECT filing_id, list(table_kind ORDER BY table_kind) AS kinds FROM seen WHERE n > 1 AND table_kind <> 'T12' GROUP BY filing_id
),
-- in order: the tables printed follow one of the template's official orders (template_order)
ordered AS (
    SELECT f.filing_id, o.variant, o.table_kind, o.ord, s.first_page,
           max(s.first_page) OVER (PARTITION BY f.filing_id, o.variant ORDER BY o.ord
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS max_before
    FROM filing f JOIN template_order o ON o.template = f.template
    JOIN seen s ON s.filing_id = f.filing_id AND s.table_kind = o.table_kind
),
by_order AS (
    SELECT filing_id, variant, list(table_kind ORDER BY ord) FILTER (WHERE first_page < max_before) AS kinds,
           count(*) FILTER (WHERE first_page < max_before) AS n_out
    FROM ordered GROUP BY ALL
),
disorder AS (
    -- out of every order: reported against the profile's own (variant 0)
    SELECT filing_id, arg_min(kinds, variant) AS kinds FROM by_order GROUP BY filing_id HAVING min(n_out) > 0
),
-- an empty fund table is explained by its own statement, or by the filing's statement that it
-- has no such money ("没有使用政府性基金预算安排的支出，故本表以空表列示" is often in the 情况说明)
-- tables whose printed amounts could not be read (the extraction's self-check): not known to be empty
unread AS (
    SELECT DISTINCT filing_id, table_kind FROM filing_table WHERE self_check = 'fail' AND coalesce(n_facts, 0) = 0
),
stated_empty(table_kind, subject) AS (VALUES ('T8', 'gov_fund'), ('T9', 'state_capital')),
unexplained AS (
    SELECT s.filing_id, list(s.table_kind ORDER BY s.table_kind) AS kinds FROM seen s
    WHERE NOT s.noted AND NOT EXISTS (SELECT 1 FROM numbers n WHERE n.filing_id = s.filing_id AND n.table_kind = s.table_kind)
      AND s.table_kind NOT IN (SELECT table_kind FROM unread r WHERE r.filing_id = s.filing_id)
      AND NOT EXISTS (SELECT 1 FROM stated_empty e JOIN claim c ON c.kind = 'no_fund' AND c.subject = e.subject
                      WHERE e.table_kind = s.table_kind AND c.filing_id = s.filing_id)
    GROUP BY s.filing_id
),
aspects(subject, name_zh) AS (VALUES ('missing', '表格齐全'), ('duplicate', '不重复'), ('order', '顺序'), ('empty', '空表说明')),
o AS (
    SELECT k.filing_id, a.subject, a.name_zh,
           CASE a.subject WHEN 'missing' THEN m.kinds WHEN 'duplicate' THEN d.kinds WHEN 'order' THEN x.kinds ELSE u.kinds END AS kinds
    FROM known k CROSS JOIN aspects a
    LEFT JOIN missing m ON m.filing_id = k.filing_id
    LEFT JOIN dup d ON d.filing_id = k.filing_id
    LEFT JOIN disorder x ON x.filing_id = k.filing_id
    LEFT JOIN unexplained u ON u.filing_id = k.filing_id
)
SELECT filing_id, 'F2' AS rule_id, subject,
       CASE WHEN unknown_family THEN 'not_applicable' WHEN kinds IS NULL THEN 'pass' ELSE 'fail' END AS outcome,
       '模板表格（' || name_zh || '）：' || CASE
           WHEN unknown_family THEN '文件属于未收录的模板，只按全国通用表式读取，无法确定该模板应有哪些表格及其顺序，不作核对。'
           WHEN kinds IS NULL THEN '符合。'
           ELSE CASE subject WHEN 'missing' THEN '缺少 ' WHEN 'duplicate' THEN '重复出现 ' WHEN 'order' THEN '顺序错位 '
                ELSE '空表未说明原因 ' END || array_to_string(list_transform(kinds, lambda k: table_zh(k)), '、') || '。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '模板表格齐全、按序、不重复、空表有说明', tables := kinds)) AS evidence
FROM (
    -- Read by the generic national-family profile alone: its table list is every kind of the
    -- family, not what this filing's own template prints, so which tables are due and in what
    -- order is unknown (a duplicate or an unexplained empty table is still a finding).
    SELECT o.*, f.template = 'generic' AND o.subject IN ('missing', 'order') AS unknown_family
    FROM o JOIN filing f USING (filing_id)
)
WHERE NOT (subject = 'empty' AND kinds IS NULL AND filing_id IN (SELECT filing_id FROM unread))
UNION ALL
SELECT filing_id, 'F2', 'empty', 'insufficient_data',
       '模板表格（空表说明）：' || array_to_string(list_transform(list(table_kind ORDER BY table_kind), lambda k: table_zh(k)), '、')
           || ' 印有金额但未能读出，无法判断是否为空表。',
       NULL, NULL, NULL, NULL, to_json(struct_pack(identity := '空表有说明', unread := list(table_kind ORDER BY table_kind)))
FROM unread
WHERE filing_id IN (SELECT filing_id FROM known)
  AND filing_id NOT IN (SELECT filing_id FROM unexplained)
GROUP BY filing_id
UNION ALL
SELECT f.filing_id, 'F2', 'template', 'insufficient_data', '文件的模板（' || coalesce(f.template, '未识别') || '）没有表格清单，无法核对。',
       NULL, NULL, NULL, NULL, to_json(struct_pack(identity := '模板表格齐全', template := f.template))
FROM filing f WHERE f.filing_id NOT IN (SELECT filing_id FROM known)
