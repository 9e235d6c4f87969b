-- 汇总视图：全区按功能分类、经济分类汇总，各部门各年度概况，三公及其增减，基本/项目占比，
-- 人均人员经费，项目清单，规则覆盖情况，部门公开合规得分。只读公开视图，金额为万元（DECIMAL）。
-- Aggregation views over the public views: district totals by function and economic class,
-- per department and year, 三公 with its change, shares, personnel cost per head, projects,
-- rule coverage per filing, and a compliance score per department. Amounts in 万元.

-- 部门归属：每份申报（含历史版本）属于哪个部门（dept_key = 区划-部门编码）。未识别编码的申报并入同区划
-- 同名且有编码的部门；单位预算的编码以某部门编码开头时归入该部门；仍无编码的按名称单独成组并标记
-- code_missing，绝不静默合并。
-- The department each filing (every version) belongs to, dept_key = region-department code. A filing
-- whose code was not recognised joins the same region's department that prints the same name with a
-- code; a 单位 filing whose code starts with a 部门 filing's code belongs to that department; a filing
-- still without a code stands alone, keyed by its name, and is marked code_missing (never merged).
CREATE OR REPLACE VIEW filing_departments AS
WITH named AS (
    SELECT region_code, department, mode(department_code) AS department_code
    FROM filing_versions WHERE department_code IS NOT NULL GROUP BY ALL
),
coded AS (
    SELECT f.filing_id, f.region_code, f.unit_scope, f.department,
           coalesce(f.department_code, n.department_code) AS code
    FROM filing_versions f
    LEFT JOIN named n ON n.region_code IS NOT DISTINCT FROM f.region_code AND n.department = f.department
),
depts AS (SELECT DISTINCT region_code, code FROM coded WHERE coalesce(unit_scope, '部门') = '部门' AND code IS NOT NULL),
parent AS (
    SELECT c.filing_id, arg_max(d.code, length(d.code)) AS code
    FROM coded c JOIN depts d ON d.region_code IS NOT DISTINCT FROM c.region_code
     AND c.unit_scope = '单位' AND length(c.code) > length(d.code) AND starts_with(c.code, d.code)
    GROUP BY c.filing_id
)
SELECT c.filing_id,
       coalesce(c.region_code, '') || '-' || coalesce(p.code, c.code, 'x' || left(md5(coalesce(c.department, '')), 8)) AS dept_key,
       coalesce(p.code, c.code) AS dept_code,
       c.code IS NULL AS code_missing
FROM coded c LEFT JOIN parent p USING (filing_id);

-- 汇总口径（全区合计、同比、合规得分都只用这一份）：每个部门每年度每类（预算/决算）——
--   有部门预算（含下属单位）时只取一份部门预算；没有时取其各单位预算，每个单位一份。
--   同一部门（或单位）有多份时：先取印有收支总计的（只载入“情况说明”的文件不算），再取发布日期最新的，
--   再取抓取时间最新的。只看当前版本：更正后重新发布的文件取代原文件。
-- The one rule for what aggregates count (district totals, year-on-year, compliance scores):
--   per department (dept_key), fiscal year and kind, the 部门 filing where there is one (it already
--   contains its units), else each of its 单位 filings, one per unit. Where a department (or unit) has
--   several, the one that prints its totals wins (a narrative-only file loaded on its own does not),
--   then the latest published, then the latest fetched. Current versions only.
CREATE OR REPLACE VIEW primary_filings AS
WITH f AS (
    SELECT f.*, k.dept_key, coalesce(f.unit_scope, '部门') = '部门' AS is_dept,
           t.income_total IS NOT NULL OR t.expenditure_total IS NOT NULL AS has_totals,
           d.fetched_at
    FROM filings f
    JOIN filing_departments k USING (filing_id)
    LEFT JOIN filing_totals t USING (filing_id)
    LEFT JOIN documents d USING (sha256)
),
ranked AS (
    SELECT f.*,
           bool_or(is_dept) OVER (PARTITION BY dept_key, fiscal_year, kind) AS dept_filed,
           row_number() OVER (
               PARTITION BY dept_key, fiscal_year, kind, is_dept,
                            CASE WHEN NOT is_dept THEN coalesce(department_code, department) END
               ORDER BY has_totals DESC, published_at DESC NULLS LAST, fetched_at DESC NULLS LAST,
                        filing_id DESC) AS rn
    FROM f
)
SELECT * EXCLUDE (is_dept, has_totals, fetched_at, dept_filed, rn)
FROM ranked
WHERE rn = 1 AND (is_dept OR NOT dept_filed);

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

-- A department's totals per year and kind: its primary filings added up (one 部门 filing, or its
-- 单位 filings). A figure no filing prints stays NULL.
CREATE OR REPLACE VIEW department_totals AS
SELECT p.region_code, p.dept_key, any_value(k.dept_code) AS department_code,
       arg_max(p.department, coalesce(p.unit_scope, '部门') = '部门') AS department, p.fiscal_year, p.kind,
       list(p.filing_id ORDER BY p.filing_id) AS filing_ids,
       sum(t.income_total) AS income_total, sum(t.expenditure_total) AS expenditure_total,
       sum(t.basic_expenditure) AS basic_expenditure, sum(t.project_expenditure) AS project_expenditure,
       sum(t.personnel_expenditure) AS personnel_expenditure, sum(t.public_expenditure) AS public_expenditure,
       sum(t.sangong_total) AS sangong_total, sum(t.sangong_abroad) AS sangong_abroad,
       sum(t.sangong_vehicle_purchase) AS sangong_vehicle_purchase,
       sum(t.sangong_vehicle_operation) AS sangong_vehicle_operation, sum(t.sangong_reception) AS sangong_reception,
       sum(t.gov_fund_expenditure) AS gov_fund_expenditure
FROM primary_filings p
JOIN filing_departments k USING (filing_id)
LEFT JOIN filing_totals t USING (filing_id)
GROUP BY p.region_code, p.dept_key, p.fiscal_year, p.kind;

-- The district per year and kind: its departments' totals added up.
CREATE OR REPLACE VIEW district_totals AS
SELECT region_code, fiscal_year, kind, count(*) AS departments,
       sum(income_total) AS income_total, sum(expenditure_total) AS expenditure_total,
       sum(basic_expenditure) AS basic_expenditure, sum(project_expenditure) AS project_expenditure,
       sum(sangong_total) AS sangong_total, sum(gov_fund_expenditure) AS gov_fund_expenditure
FROM department_totals
GROUP BY ALL;

-- Every amount that is compared with the year before, in long form: a department's totals and the
-- district's spending by 功能分类 类.
CREATE OR REPLACE VIEW annual_amounts AS
SELECT 'department' AS subject_kind, region_code, dept_key AS subject, department AS subject_name,
       fiscal_year, kind, measure, amount_wan
FROM (UNPIVOT (SELECT region_code, dept_key, department, fiscal_year, kind, income_total, expenditure_total,
                      basic_expenditure, project_expenditure, personnel_expenditure, public_expenditure,
                      sangong_total, gov_fund_expenditure FROM department_totals)
      ON income_total, expenditure_total, basic_expenditure, project_expenditure, personnel_expenditure,
         public_expenditure, sangong_total, gov_fund_expenditure
      INTO NAME measure VALUE amount_wan)
UNION ALL
SELECT 'function_class', region_code, code, name, fiscal_year, kind, 'expenditure', amount_wan
FROM district_function_totals WHERE level = '类' AND amount_wan IS NOT NULL;

-- 同比：本年与上年同口径（同一部门或科目、同为预算或决算、同一指标）的增减额与增减率；上年为 0 或缺失时
-- 不计增减率。全仓库只在此处计算同比。
-- Year on year: each amount against the same subject's amount of the year before (same kind and
-- measure); no percentage from a zero or missing base. The only year-on-year computation.
CREATE OR REPLACE VIEW year_on_year AS
SELECT c.subject_kind, c.region_code, c.subject, c.subject_name, c.fiscal_year, c.kind, c.measure,
       c.amount_wan, p.amount_wan AS prior_amount_wan,
       c.amount_wan - p.amount_wan AS change_wan,
       CAST(100 * (c.amount_wan - p.amount_wan) / nullif(p.amount_wan, 0) AS DECIMAL(12, 4)) AS change_pct
FROM annual_amounts c
LEFT JOIN annual_amounts p
       ON p.subject_kind = c.subject_kind AND p.region_code IS NOT DISTINCT FROM c.region_code
      AND p.subject = c.subject AND p.kind = c.kind AND p.measure = c.measure
      AND p.fiscal_year = c.fiscal_year - 1;

-- 三公 by department and year, with the change against the same department's year before
-- (same kind: 预算 against 预算, 决算 against 决算), from year_on_year.
CREATE OR REPLACE VIEW sangong_by_department AS
SELECT d.region_code, d.department_code, d.department, d.fiscal_year, d.kind,
       CASE WHEN len(d.filing_ids) = 1 THEN d.filing_ids[1] END AS filing_id,
       d.sangong_total, d.sangong_abroad, d.sangong_vehicle_purchase, d.sangong_vehicle_operation, d.sangong_reception,
       y.prior_amount_wan AS prior_sangong_total, y.change_wan,
       CAST(y.change_pct AS DECIMAL(9, 2)) AS change_pct
FROM department_totals d
LEFT JOIN year_on_year y
       ON y.subject_kind = 'department' AND y.measure = 'sangong_total' AND y.subject = d.dept_key
      AND y.fiscal_year = d.fiscal_year AND y.kind = d.kind;

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
