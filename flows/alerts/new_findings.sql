-- 本次运行新发现的不一致：本次运行首次出现（first_seen >= $since）的 fail，只看各公开文件的
-- 当前版本；更正后重新发布的版本沿用的旧问题（早先版本已有同一规则、同一对象的 fail）不算新问题。
-- New inconsistencies of this run: failing findings of current filing versions first seen at or
-- after $since. A corrected re-publication is a new version under the same filing_key; a fail
-- an earlier version already had (same rule and subject) is not new, whatever its first_seen.
-- Severity is filtered by the caller. A finding staff marked 误报 or 已说明 (finding_review,
-- issue 16) is never alerted again; one in the same group as a reviewed finding still is.
WITH lineage AS (
    SELECT filing_id, department, department_code, fiscal_year, kind, unit_scope, source_url,
           coalesce(is_current, true) AS is_current,
           coalesce(filing_key,
                    concat_ws('|', coalesce(region_code, ''), coalesce(department_code, department, filing_id),
                              coalesce(CAST(fiscal_year AS VARCHAR), filing_id), coalesce(kind, ''),
                              coalesce(unit_scope, ''))) AS lineage
    FROM filing_versions
)
SELECT f.filing_id, l.department, l.department_code, l.fiscal_year, l.kind, l.unit_scope, l.source_url,
       f.rule_id, f.subject, f.severity, r.title_zh AS rule_title, f.message,
       f.expected, f.actual, f.difference, f.evidence::VARCHAR AS evidence, f.first_seen,
       coalesce(f.group_id, v.review_key) AS group_id, v.review_key, v.review_status
FROM finding f
JOIN lineage l USING (filing_id)
LEFT JOIN rule r USING (rule_id)
LEFT JOIN finding_review v USING (filing_id, rule_id, subject)
WHERE f.outcome = 'fail'
  AND v.review_status IS DISTINCT FROM '误报' AND v.review_status IS DISTINCT FROM '已说明'
  AND l.is_current
  AND f.first_seen >= $since
  AND NOT EXISTS (
        SELECT 1 FROM finding p JOIN lineage pl USING (filing_id)
        WHERE pl.lineage = l.lineage AND p.filing_id <> f.filing_id
          AND p.rule_id = f.rule_id AND p.subject = f.subject
          AND p.outcome = 'fail' AND p.first_seen < $since)
ORDER BY l.department NULLS LAST, l.fiscal_year, f.filing_id,
         CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, f.rule_id, f.subject;
