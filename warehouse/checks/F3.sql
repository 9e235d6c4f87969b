-- F3 情况说明必备内容齐全：按文件所属模板的要求（warehouse/template_sections.yaml）；模板未列出时
--    按财预〔2016〕143号的全国最低要求：职能、单位构成、收支增减及原因、“三公”经费、机关运行经费、
--    政府采购、国有资产占有使用、绩效目标、名词解释。人员构成与公务用车分列只对要求它们的模板（武汉）核对。
--    依据提取出的章节（claim kind 'section'）；未提取到任何章节时记 insufficient_data。
-- F3 Required narrative sections present, as the filing's own template family requires them
--    (template_section), else the national minimum ('national'). 人员构成 is required of
--    budgets only: the Ministry's 决算 template has no such part. A filing of unknown kind
--    cannot know what applies: not_applicable.
WITH names(subject, name_zh) AS (VALUES
    ('section:functions', '部门职能'), ('section:units', '单位构成'), ('section:staff', '人员构成'),
    ('section:changes', '收支预算增减变化及原因'), ('section:sangong', '“三公”经费'),
    ('section:admin_operating', '机关运行经费'), ('section:procurement', '政府采购'),
    ('section:assets', '国有资产占有使用情况'), ('section:performance', '绩效目标'), ('section:glossary', '名词解释')
),
family AS (
    SELECT f.filing_id, f.kind,
           CASE WHEN f.template IN (SELECT template FROM template_section) THEN f.template ELSE 'national' END AS family
    FROM filing f
),
req AS (
    SELECT y.filing_id, y.family, t.subject, t.ord, t.car_split, n.name_zh FROM family y
    JOIN template_section t ON t.template = y.family JOIN names n USING (subject)
    WHERE t.subject <> 'section:staff' OR y.kind = '预算'
),
-- A part is there when its heading is found, or when the narrative states what that part states
-- (a 收支增减 sentence, the 三公 or 机关运行经费 or 政府采购 figures, the staff numbers): a heading the
-- reader did not recognise (上海's unnumbered titles) does not make the part missing.
content(kind, subject_like, section) AS (VALUES
    ('yoy', 'total', 'section:changes'), ('yoy', 'general_budget', 'section:changes'),
    ('yoy', 'income_total', 'section:changes'), ('yoy', 'expenditure_total', 'section:changes'),
    ('amount', 'sangong:%', 'section:sangong'), ('amount', 'admin_operating', 'section:admin_operating'),
    ('yoy', 'admin_operating', 'section:admin_operating'), ('amount', 'procurement:%', 'section:procurement'),
    ('count', 'staff:%', 'section:staff')
),
s AS (
    SELECT filing_id, subject, arg_min(ev, nth) AS ev FROM (
        SELECT filing_id, subject, ev, nth FROM claim_ranked WHERE kind = 'section'
        UNION ALL
        SELECT c.filing_id, t.section, c.ev, c.nth + 1000000 FROM claim_ranked c
        JOIN content t ON c.kind = t.kind AND c.subject LIKE t.subject_like
    ) GROUP BY ALL
),
has AS (SELECT DISTINCT filing_id FROM claim WHERE kind = 'section'),
car AS (SELECT DISTINCT filing_id FROM claim WHERE kind = 'amount' AND subject IN ('sangong:vehicle_purchase', 'sangong:vehicle_operation')),
judged AS (
    SELECT r.*, s.ev, s.subject IS NOT NULL AS present,
           r.subject = 'section:sangong' AND r.car_split AND r.filing_id NOT IN (SELECT filing_id FROM car) AS no_split
    FROM req r JOIN has h USING (filing_id) LEFT JOIN s USING (filing_id, subject)
)
SELECT filing_id, 'F3' AS rule_id, subject,
       CASE WHEN NOT present OR no_split THEN 'fail' ELSE 'pass' END AS outcome,
       '情况说明“' || name_zh || '”：' || CASE WHEN NOT present THEN '未见该部分。'
            WHEN no_split THEN '有该部分，但未分列公务用车购置费与运行费。'
            ELSE '有（第 ' || coalesce(CAST(ev.page AS VARCHAR), '?') || ' 页）。' END
       || CASE WHEN family = 'national' THEN '（按全国最低要求，财预〔2016〕143号）' ELSE '' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '情况说明必备内容', section := name_zh, requirement := family, actual := ev)) AS evidence
FROM judged
UNION ALL
SELECT * FROM claims_missing('F3', 'section', 'section:%', '情况说明的章节')
