-- 报告用查询（budgetwatch report）。每段以 "-- name: 名称" 开头；只读，只用公开视图。
-- Queries behind the HTML report. Each block starts with "-- name: NAME"; read-only, public views only.

-- name: dept_keys
-- The department a filing belongs to: its region and department code. A filing whose code was not
-- recognised joins the department of the same region that prints the same name with a code;
-- failing that it is grouped by its name alone and marked (code_missing), never silently merged.
-- Used as a CTE by the two queries below ({filings_all}: filing_versions, or filings).
dept_keys AS (
    SELECT f.filing_id,
           f.region_code || '-' || coalesce(f.department_code, n.department_code,
                                            'x' || left(md5(coalesce(f.department, '')), 8)) AS dept_key,
           coalesce(f.department_code, n.department_code) AS dept_code,
           f.department_code IS NULL AND n.department_code IS NULL AS code_missing
    FROM {filings_all} f
    LEFT JOIN (SELECT region_code, department, mode(department_code) AS department_code
               FROM {filings_all} WHERE department_code IS NOT NULL GROUP BY ALL) n
           ON n.region_code IS NOT DISTINCT FROM f.region_code AND n.department = f.department
)

-- name: primary_filings
-- One filing per department × year × kind: the 部门 version before a 单位 version, one that prints
-- its totals before one that does not (a narrative-only file loaded on its own), then the latest
-- (published_at, then fetch time), so totals never double count.
WITH {dept_keys}, f AS (
    SELECT f.*, d.fetched_at, k.dept_key,
           t.income_total IS NOT NULL OR t.expenditure_total IS NOT NULL AS has_totals
    FROM filings f LEFT JOIN documents d USING (sha256) JOIN dept_keys k USING (filing_id)
    LEFT JOIN filing_totals t USING (filing_id)
)
SELECT * EXCLUDE (rn, has_totals) FROM (
    SELECT f.*, row_number() OVER (
        PARTITION BY dept_key, fiscal_year, kind
        ORDER BY (unit_scope = '部门') DESC NULLS LAST, has_totals DESC, published_at DESC NULLS LAST,
                 fetched_at DESC NULLS LAST, filing_id DESC) AS rn
    FROM f
) WHERE rn = 1;

-- name: all_filings
-- Every version where the warehouse keeps versions (filing_versions), else the filings.
WITH {dept_keys}
SELECT f.*, d.fetched_at, d.pages, d.outcome AS doc_outcome, k.dept_key, k.dept_code, k.code_missing
FROM {filings_all} f LEFT JOIN documents d USING (sha256) JOIN dept_keys k USING (filing_id)
ORDER BY k.dept_key, f.fiscal_year DESC, f.kind, f.unit_scope, f.published_at DESC NULLS LAST;

-- name: totals
SELECT * FROM filing_totals;

-- name: function_classes
-- 功能分类 类 (3-digit codes) per filing: T3 (all funds) where printed, else T5-1 (一般公共预算).
WITH c AS (
    SELECT filing_id, table_kind, row_code, any_value(row_label) AS row_label, sum(amount_wan) AS amount_wan
    FROM facts
    WHERE table_kind IN ('T3', 'T5-1') AND column_label = '合计' AND regexp_matches(row_code, '^[0-9]{3}$')
    GROUP BY ALL
)
SELECT * FROM c
WHERE table_kind = 'T3' OR filing_id NOT IN (SELECT filing_id FROM c WHERE table_kind = 'T3');

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
