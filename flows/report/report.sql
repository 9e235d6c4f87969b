-- 报告用查询（budgetwatch report）。每段以 "-- name: 名称" 开头；只读，只用公开视图。
-- Queries behind the HTML report. Each block starts with "-- name: NAME"; read-only, public views only.

-- name: primary_filings
-- One filing per department × year × kind: the 部门 version before a 单位 version, and of
-- re-published versions the latest (published_at, then fetch time), so totals never double count.
WITH f AS (
    SELECT f.*, d.fetched_at,
           f.region_code || '-' || coalesce(f.department_code, 'x' || left(md5(f.department), 8)) AS dept_key
    FROM filings f LEFT JOIN documents d USING (sha256)
)
SELECT * EXCLUDE (rn) FROM (
    SELECT f.*, row_number() OVER (
        PARTITION BY dept_key, fiscal_year, kind
        ORDER BY (unit_scope = '部门') DESC NULLS LAST, published_at DESC NULLS LAST,
                 fetched_at DESC NULLS LAST, filing_id DESC) AS rn
    FROM f
) WHERE rn = 1;

-- name: all_filings
-- Every version where the warehouse keeps versions (filing_versions), else the filings.
SELECT f.*, d.fetched_at, d.pages, d.outcome AS doc_outcome,
       f.region_code || '-' || coalesce(f.department_code, 'x' || left(md5(f.department), 8)) AS dept_key
FROM {filings_all} f LEFT JOIN documents d USING (sha256)
ORDER BY dept_key, fiscal_year DESC, kind, unit_scope, published_at DESC NULLS LAST;

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
