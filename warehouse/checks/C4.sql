-- C4 情况说明中的政府采购预算：合计 = 货物 + 工程 + 服务。
-- C4 Procurement quoted in the narrative: total = goods + works + services.
--    Claims: kind 'amount', subject procurement:total|goods|works|services.
WITH q AS (
    SELECT * FROM claim_ranked WHERE kind = 'amount' AND subject LIKE 'procurement:%' AND nth = 1
),
terms AS (
    SELECT q.filing_id, 'C4' AS rule_id, 'procurement' AS subject,
           CASE WHEN q.subject = 'procurement:total' THEN 'total' ELSE 'term' END AS role,
           q.amount_wan, narrative_half_unit() AS half_unit,
           struct_pack("table" := 'narrative', page := q.page, "row" := q.subject, label := q.label, "column" := NULL::VARCHAR,
                       printed := q.text, unit := '万元') AS ev,
           q.subject = 'procurement:total' AS required, true AS inputs_ok,
           '说明 政府采购预算：合计 = 货物 + 工程 + 服务' AS what, '政府采购合计' AS lhs_zh, '货物、工程、服务之和' AS rhs_zh, q.subject AS ord
    FROM q WHERE q.subject IN ('procurement:total', 'procurement:goods', 'procurement:works', 'procurement:services')
),
-- a total quoted without any part (or parts without a total) cannot be checked
whole AS (
    SELECT filing_id FROM terms GROUP BY filing_id HAVING bool_or(role = 'total') AND bool_or(role = 'term')
),
kept AS (SELECT * FROM terms WHERE filing_id IN (SELECT filing_id FROM whole))
SELECT * FROM sum_identity(kept)
UNION ALL
SELECT f.filing_id, 'C4', 'procurement', 'insufficient_data',
       CASE WHEN EXISTS (SELECT 1 FROM terms t WHERE t.filing_id = f.filing_id) THEN '说明只给出政府采购合计或只给出分项，无法核对。'
            ELSE '说明中未提取到政府采购金额，无法核对。' END, NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '政府采购合计 = 货物 + 工程 + 服务', claim_kind := 'amount:procurement:*'))
FROM filing f WHERE f.filing_id NOT IN (SELECT filing_id FROM whole)
