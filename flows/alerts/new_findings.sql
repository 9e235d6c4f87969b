-- 本次运行新发现的不一致：本次运行首次出现（first_seen >= $since）的 fail，
-- 且同一公开文件的早先版本（更正前的 PDF）没有同一规则、同一对象的 fail。
-- New inconsistencies of this run: failing findings first seen at or after $since that no
-- earlier version of the same filing (same region, department, year, kind and scope; a
-- corrected re-publication is a new filing_id) already had. Severity is filtered by the caller.
WITH lineage AS (
    SELECT filing_id, department, department_code, fiscal_year, kind, unit_scope, source_url,
           concat_ws('|', coalesce(region_code, ''),
                     coalesce(department_code, department, filing_id),
                     coalesce(CAST(fiscal_year AS VARCHAR), filing_id),
                     coalesce(kind, ''), coalesce(unit_scope, '')) AS lineage
    FROM filings
)
SELECT f.filing_id, l.department, l.department_code, l.fiscal_year, l.kind, l.unit_scope, l.source_url,
       f.rule_id, f.subject, f.severity, r.title_zh AS rule_title, f.message,
       f.expected, f.actual, f.difference, f.evidence::VARCHAR AS evidence, f.first_seen
FROM finding f
JOIN lineage l USING (filing_id)
LEFT JOIN rule r USING (rule_id)
WHERE f.outcome = 'fail'
  AND f.first_seen >= $since
  AND NOT EXISTS (
        SELECT 1 FROM finding p JOIN lineage pl USING (filing_id)
        WHERE pl.lineage = l.lineage AND p.filing_id <> f.filing_id
          AND p.rule_id = f.rule_id AND p.subject = f.subject
          AND p.outcome = 'fail' AND p.first_seen < $since)
ORDER BY l.department NULLS LAST, l.fiscal_year, f.filing_id,
         CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, f.rule_id, f.subject;
