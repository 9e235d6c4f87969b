-- 报告用查询（budgetwatch report）。每段以 "-- name: 名称" 开头；只读，只用公开视图。
-- Queries behind the HTML report. Each block starts with "-- name: NAME"; read-only, public views only.

-- name: all_filings
-- Every version, with the department it belongs to (view filing_departments).
SELECT f.*, d.fetched_at, d.pages, d.outcome AS doc_outcome, k.dept_key, k.dept_code, k.code_missing
FROM filing_versions f LEFT JOIN documents d USING (sha256) JOIN filing_departments k USING (filing_id)
ORDER BY k.dept_key, f.fiscal_year DESC, f.kind, f.unit_scope, f.published_at DESC NULLS LAST;

-- name: primary
-- What the district sums count: the view primary_filings (warehouse/aggregates.sql) decides.
SELECT * FROM primary_filings;

-- name: totals
SELECT * FROM filing_totals;

-- name: district_totals
-- The district table of the overview: every region of the warehouse per year (view district_totals).
SELECT fiscal_year, kind, sum(departments) AS departments, sum(income_total) AS income_total,
       sum(expenditure_total) AS expenditure_total, sum(basic_expenditure) AS basic_expenditure,
       sum(project_expenditure) AS project_expenditure, sum(sangong_total) AS sangong_total,
       sum(gov_fund_expenditure) AS gov_fund_expenditure
FROM district_totals GROUP BY ALL ORDER BY fiscal_year;

-- name: department_totals
SELECT * FROM department_totals;

-- name: year_on_year
SELECT * FROM year_on_year;

-- name: findings
SELECT * FROM findings WHERE outcome IN ('fail', 'error', 'insufficient_data');

-- name: resolved_findings
-- Failures a later check or a corrected version no longer shows, with their last evidence.
SELECT r.filing_id, r.rule_id, r.subject, r.severity, 'fail' AS outcome, r.message,
       a.expected, a.actual, a.difference, a.tolerance, a.evidence,
       r.first_seen, r.resolved_at AS last_seen, 'resolved' AS status, r.resolved_at, r.resolved_by
FROM resolved_findings r
LEFT JOIN findings_all_versions a USING (filing_id, rule_id, subject);

-- name: finding_counts
SELECT filing_id, outcome, count(*) AS n FROM findings GROUP BY ALL;

-- name: facts
SELECT filing_id, table_kind, row_code, row_label, column_label, amount_wan, printed_value, printed_unit, page,
       bbox[1] AS x0, bbox[2] AS top
FROM facts
ORDER BY filing_id, table_kind, page, top, x0;

-- name: documents
SELECT * FROM documents ORDER BY fetched_at DESC NULLS LAST;

-- name: reviews
-- Staff's review of every finding (issue 16): status, note, who and when, keyed by the finding's
-- stable identity; 待核 when nobody reviewed it.
SELECT filing_id, rule_id, subject, review_key, review_status, review_note, reviewed_by, reviewed_at, group_id
FROM finding_review WHERE outcome IN ('fail', 'error', 'insufficient_data');

-- name: review_needed
-- 需人工核对：表格读取未通过自检的文件（相关核对为“无法核对”，不计入未通过）。
-- Filings with a misread table (view review_needed): listed for a person, never as failures.
SELECT r.filing_id, r.department, r.fiscal_year, r.kind, f.unit_scope, r.tables, r.reason, f.source_url
FROM review_needed r JOIN filings f USING (filing_id)
ORDER BY r.department, r.fiscal_year, r.filing_id;
