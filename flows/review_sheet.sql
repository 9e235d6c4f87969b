-- “核对发现”工作表（budgetwatch export --xlsx）：当前版本每项未通过的核对一行，按部门、核对组排列；
-- 工作人员填写“状态”“备注”两列后，用 budgetwatch review --import 读回。列名即表头，是导入的契约。
-- The 核对发现 sheet: one row per failing finding of the current filing versions. Staff edit
-- 状态 and 备注; `budgetwatch review --import` reads them back by these headers.
SELECT r.review_key AS "编号",
       f.group_id AS "核对组",
       fl.department AS "部门",
       fl.fiscal_year AS "年度",
       fl.kind AS "预算/决算",
       fl.unit_scope AS "部门/单位",
       f.rule_id AS "规则",
       ru.title_zh AS "规则说明",
       CASE f.severity WHEN 'high' THEN '高' WHEN 'medium' THEN '中' WHEN 'low' THEN '低' ELSE f.severity END AS "严重程度",
       f.message AS "说明",
       f.difference AS "差额（万元）",
       f.first_seen AS "首次发现",
       r.review_status AS "状态",
       r.review_note AS "备注",
       r.reviewed_by AS "复核人",
       r.reviewed_at AS "复核时间",
       fl.source_url AS "原文"
FROM findings f
JOIN filings fl USING (filing_id)
JOIN finding_review r USING (filing_id, rule_id, subject)
LEFT JOIN rules ru USING (rule_id)
WHERE f.outcome = 'fail'
ORDER BY fl.department NULLS LAST, fl.fiscal_year DESC, fl.kind, fl.unit_scope, f.group_id, f.rule_id, f.subject
