-- F3 情况说明必备内容齐全：职能、单位构成、人员构成、收支增减及原因、“三公”经费（含公务用车购置/运行）、
--    机关运行经费、政府采购、国有资产占有使用、绩效目标、名词解释。
--    依据提取出的章节（claim kind 'section'，subject 见下表）；未提取到任何章节时记 insufficient_data。
-- F3 Required narrative sections present. Reads section claims (kind 'section', subjects
--    below); a filing with no section claim at all is insufficient_data.
--    人员构成 is required of budgets only: the Ministry's 决算 template has no such part
--    (部门职责, 机构设置, tables, 情况说明, 名词解释), so every real 决算 would fail it.
WITH req(subject, name_zh, ord, budget_only) AS (VALUES
    ('section:functions', '部门职能', 1, false), ('section:units', '单位构成', 2, false), ('section:staff', '人员构成', 3, true),
    ('section:changes', '收支预算增减变化及原因', 4, false), ('section:sangong', '“三公”经费', 5, false),
    ('section:admin_operating', '机关运行经费', 6, false), ('section:procurement', '政府采购', 7, false),
    ('section:assets', '国有资产占有使用情况', 8, false), ('section:performance', '绩效目标', 9, false),
    ('section:glossary', '名词解释', 10, false)
),
s AS (SELECT filing_id, subject, arg_min(ev, nth) AS ev FROM claim_ranked WHERE kind = 'section' GROUP BY ALL),
has AS (SELECT DISTINCT filing_id FROM s),
-- the 三公 section must give the car split (purchase and operation)
car AS (SELECT DISTINCT filing_id FROM claim WHERE kind = 'amount' AND subject IN ('sangong:vehicle_purchase', 'sangong:vehicle_operation'))
SELECT h.filing_id, 'F3' AS rule_id, r.subject,
       CASE WHEN s.subject IS NULL THEN 'fail'
            WHEN r.subject = 'section:sangong' AND h.filing_id NOT IN (SELECT filing_id FROM car) THEN 'fail'
            ELSE 'pass' END AS outcome,
       '情况说明“' || r.name_zh || '”：' || CASE WHEN s.subject IS NULL THEN '未见该部分。'
            WHEN r.subject = 'section:sangong' AND h.filing_id NOT IN (SELECT filing_id FROM car) THEN '有该部分，但未分列公务用车购置费与运行费。'
            ELSE '有（第 ' || coalesce(CAST(s.ev.page AS VARCHAR), '?') || ' 页）。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '情况说明必备内容', section := r.name_zh, actual := s.ev)) AS evidence
FROM has h JOIN filing g USING (filing_id) CROSS JOIN req r
LEFT JOIN s ON s.filing_id = h.filing_id AND s.subject = r.subject
WHERE NOT r.budget_only OR g.kind = '预算'
UNION ALL
SELECT * FROM claims_missing('F3', 'section', 'section:%', '情况说明的章节')
