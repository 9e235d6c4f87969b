-- 汇总视图：全区按功能分类、经济分类汇总，各部门各年度概况，三公及其增减，基本/项目占比，
-- 人均人员经费，项目清单，规则覆盖情况，部门公开合规得分。只读公开视图，金额为万元（DECIMAL）。
-- Aggregation views over the public views: district totals by function and economic class,
-- per department and year, 三公 with its change, shares, personnel cost per head, projects,
-- rule coverage per filing, and a compliance score per department. Amounts in 万元.

-- One filing per department × year × kind, so district sums never count a department twice:
-- the 部门 filing where there is one (it already contains its units), else each 单位 filing.
-- `filings` holds current versions only, so a corrected re-publication replaces its original.
CREATE OR REPLACE VIEW primary_filings AS
SELECT f.*
FROM filings f
WHERE f.unit_scope = '部门'
   OR f.unit_scope IS NULL
   OR NOT EXISTS (SELECT 1 FROM filings d
                  WHERE d.unit_scope = '部门' AND d.region_code IS NOT DISTINCT FROM f.region_code
                    AND d.fiscal_year = f.fiscal_year AND d.kind = f.kind
                    AND left(coalesce(f.department_code, ''), 3) = d.department_code);

-- A filing's amounts by 功能分类: 支出总表 (T3, all funds) where printed, else the
-- 一般公共预算支出表 (T5-1). The first printing of a code wins if a table repeats it.
CREATE OR REPLACE VIEW function_amounts AS
WITH source AS (
    SELECT filing_id, CASE WHEN bool_or(table_kind = 'T3') THEN 'T3' ELSE 'T5-1' END AS table_kind
    FROM facts WHERE table_kind IN ('T3', 'T5-1') AND column_label = '合计'
    GROUP BY filing_id
)
SELECT x.filing_id, x.table_kind, x.row_code AS code,
       CASE length(x.row_code) WHEN 3 THEN '类' WHEN 5 THEN '款' ELSE '项' END AS level,
       arg_min(x.row_label, x.page) AS name, arg_min(x.amount_wan, x.page) AS amount_wan,
       min(x.page) AS page
FROM facts x JOIN source s USING (filing_id, table_kind)
WHERE x.column_label = '合计' AND regexp_matches(x.row_code, '^[0-9]{3}([0-9]{2}){0,2}$')
GROUP BY ALL;

CREATE OR REPLACE VIEW district_function_totals AS
SELECT p.region_code, p.fiscal_year, p.kind, a.level, a.code, mode(a.name) AS name,
       sum(a.amount_wan) AS amount_wan, count(DISTINCT p.filing_id) AS filings
FROM primary_filings p JOIN function_amounts a USING (filing_id)
GROUP BY ALL;

-- 基本支出 by 经济分类 (基本支出表 T6): 类 (3 digits) and 款 (5 digits).
CREATE OR REPLACE VIEW district_economic_totals AS
WITH a AS (
    SELECT filing_id, row_code AS code, arg_min(row_label, page) AS name, arg_min(amount_wan, page) AS amount_wan
    FROM facts
    WHERE table_kind = 'T6' AND column_label = '合计' AND regexp_matches(row_code, '^[0-9]{3}([0-9]{2})?$')
    GROUP BY ALL
)
SELECT p.region_code, p.fiscal_year, p.kind, CASE length(a.code) WHEN 3 THEN '类' ELSE '款' END AS level,
       a.code, mode(a.name) AS name, sum(a.amount_wan) AS amount_wan, count(DISTINCT p.filing_id) AS filings
FROM primary_filings p JOIN a USING (filing_id)
GROUP BY ALL;

-- Head counts quoted in the narrative (人员构成: 编制人数, 在职实有人数), where extracted.
CREATE OR REPLACE VIEW filing_staff AS
SELECT filing_id,
       max(amount_wan) FILTER (WHERE subject = 'staff:quota') AS staff_quota,
       max(amount_wan) FILTER (WHERE subject = 'staff:actual') AS staff_actual
FROM claim WHERE kind = 'count' AND subject LIKE 'staff:%'
GROUP BY filing_id;

CREATE OR REPLACE VIEW department_years AS
SELECT p.region_code, p.department_code, p.department, p.fiscal_year, p.kind, p.unit_scope, p.filing_id,
       t.income_total, t.expenditure_total, t.basic_expenditure, t.project_expenditure,
       t.personnel_expenditure, t.public_expenditure, t.sangong_total, t.gov_fund_expenditure,
       CAST(100 * t.basic_expenditure / nullif(t.basic_expenditure + t.project_expenditure, 0) AS DECIMAL(9, 2)) AS basic_share_pct,
       CAST(100 * t.project_expenditure / nullif(t.basic_expenditure + t.project_expenditure, 0) AS DECIMAL(9, 2)) AS project_share_pct,
       CAST(s.staff_actual AS INTEGER) AS staff_actual,
       CAST(t.personnel_expenditure / nullif(s.staff_actual, 0) AS DECIMAL(18, 2)) AS personnel_per_staff_wan,
       CAST(t.public_expenditure / nullif(s.staff_actual, 0) AS DECIMAL(18, 2)) AS public_per_staff_wan
FROM primary_filings p
JOIN filing_totals t USING (filing_id)
LEFT JOIN filing_staff s USING (filing_id);

-- 三公 by department and year, with the change against the same department's filing of the
-- year before (same kind: 预算 against 预算, 决算 against 决算).
CREATE OR REPLACE VIEW sangong_by_department AS
SELECT d.region_code, d.department_code, d.department, d.fiscal_year, d.kind, d.filing_id,
       t.sangong_total, t.sangong_abroad, t.sangong_vehicle_purchase, t.sangong_vehicle_operation, t.sangong_reception,
       prev.sangong_total AS prior_sangong_total,
       d.sangong_total - prev.sangong_total AS change_wan,
       CAST(100 * (d.sangong_total - prev.sangong_total) / nullif(prev.sangong_total, 0) AS DECIMAL(9, 2)) AS change_pct
FROM department_years d
JOIN filing_totals t USING (filing_id)
LEFT JOIN department_years prev
       ON prev.region_code IS NOT DISTINCT FROM d.region_code AND prev.department_code = d.department_code
      AND prev.kind = d.kind AND prev.unit_scope IS NOT DISTINCT FROM d.unit_scope
      AND prev.fiscal_year = d.fiscal_year - 1;

-- The project list: rows of 项目支出表 (T10) that are projects, not totals, units or
-- categories (those carry 'total' or a code of at most 9 digits).
CREATE OR REPLACE VIEW projects AS
SELECT p.region_code, p.department_code, p.department, p.fiscal_year, p.kind, x.filing_id,
       x.row_code AS project_code, any_value(x.row_label) AS project_name,
       max(x.amount_wan) FILTER (WHERE x.column_label = '合计') AS amount_wan,
       max(x.amount_wan) FILTER (WHERE x.column_label LIKE '%一般公共预算') AS general_budget_wan,
       max(x.amount_wan) FILTER (WHERE x.column_label LIKE '%政府性基金预算') AS gov_fund_wan,
       min(x.page) AS page
FROM facts x JOIN primary_filings p USING (filing_id)
WHERE x.table_kind = 'T10' AND NOT regexp_matches(coalesce(x.row_code, ''), '^(total|[0-9]{0,9})$')
GROUP BY ALL;

-- One outcome per filing and rule: fail if any of its findings fails, else error, else pass,
-- else the rule could not run (insufficient_data) or does not apply.
CREATE OR REPLACE VIEW rule_outcomes AS
SELECT filing_id, rule_id,
       CASE WHEN bool_or(outcome = 'fail') THEN 'fail'
            WHEN bool_or(outcome = 'error') THEN 'error'
            WHEN bool_or(outcome = 'pass') THEN 'pass'
            WHEN bool_or(outcome = 'insufficient_data') THEN 'insufficient_data'
            ELSE 'not_applicable' END AS outcome,
       count(*) FILTER (WHERE outcome = 'fail') AS failed_findings
FROM findings GROUP BY ALL;

CREATE OR REPLACE VIEW coverage AS
SELECT f.filing_id, f.department, f.fiscal_year, f.kind, f.unit_scope,
       (SELECT count(*) FROM rules WHERE implemented) AS rules_implemented,
       count(o.rule_id) FILTER (WHERE o.outcome = 'pass') AS passed,
       count(o.rule_id) FILTER (WHERE o.outcome = 'fail') AS failed,
       count(o.rule_id) FILTER (WHERE o.outcome = 'not_applicable') AS not_applicable,
       count(o.rule_id) FILTER (WHERE o.outcome = 'insufficient_data') AS insufficient_data,
       count(o.rule_id) FILTER (WHERE o.outcome = 'error') AS errors,
       (SELECT count(*) FROM rules WHERE implemented) - count(o.rule_id) AS not_run,
       CAST(coalesce(sum(o.failed_findings), 0) AS BIGINT) AS failed_findings
FROM filings f LEFT JOIN rule_outcomes o USING (filing_id)
GROUP BY ALL;

-- Compliance score of a department's filing, in the spirit of the fiscal-transparency
-- rankings: 完整性 (F2 all tables, F3 narrative sections, F5 unit budgets), 及时性 (F1),
-- 细化程度 (F4). A dimension scores the share of its evaluated rules that pass (0–100);
-- a dimension with no evaluated rule is NULL and left out of the overall score.
CREATE OR REPLACE VIEW compliance_scores AS
WITH o AS (
    SELECT p.region_code, p.department_code, p.department, p.fiscal_year, p.kind, p.filing_id, r.rule_id, r.outcome
    FROM primary_filings p LEFT JOIN rule_outcomes r
      ON r.filing_id = p.filing_id AND r.rule_id IN ('F1', 'F2', 'F3', 'F4', 'F5')
),
d AS (
    SELECT region_code, department_code, department, fiscal_year, kind, filing_id,
           round(100.0 * count(*) FILTER (WHERE rule_id IN ('F2', 'F3', 'F5') AND outcome = 'pass')
                 / nullif(count(*) FILTER (WHERE rule_id IN ('F2', 'F3', 'F5') AND outcome IN ('pass', 'fail')), 0), 1) AS completeness,
           round(100.0 * count(*) FILTER (WHERE rule_id = 'F1' AND outcome = 'pass')
                 / nullif(count(*) FILTER (WHERE rule_id = 'F1' AND outcome IN ('pass', 'fail')), 0), 1) AS timeliness,
           round(100.0 * count(*) FILTER (WHERE rule_id = 'F4' AND outcome = 'pass')
                 / nullif(count(*) FILTER (WHERE rule_id = 'F4' AND outcome IN ('pass', 'fail')), 0), 1) AS detail,
           list(rule_id ORDER BY rule_id) FILTER (WHERE outcome = 'fail') AS failed_rules,
           list(rule_id ORDER BY rule_id) FILTER (WHERE outcome IN ('insufficient_data', 'error')) AS unevaluated_rules
    FROM o GROUP BY ALL
)
SELECT d.*,
       round(list_avg(list_filter([completeness, timeliness, detail], lambda x: x IS NOT NULL)), 1) AS score
FROM d;
