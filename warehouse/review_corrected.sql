-- 更正后重新发布的版本不再出现的问题，自动记为“已更正”；已更正的问题在更新版本中再次出现，则回到“待核”。
-- After a check: a fail of an earlier version that the checked current version of the same
-- filing no longer shows (resolved_by another version) becomes 已更正; a finding marked 已更正
-- that a checked current version fails again goes back to 待核. $now: the check's time.
INSERT INTO finding_reviews
SELECT k.review_key, k.filing_key, k.rule_id, k.subject, '已更正',
       '更正后重新发布的版本不再出现此问题（' || k.resolved_by || '）', 'budgetwatch', $now, 'auto'
FROM (
    SELECT DISTINCT review_key(g.filing_key, p.rule_id, p.subject) AS review_key, g.filing_key, p.rule_id,
           p.subject, p.resolved_by
    FROM finding p
    JOIN filing g USING (filing_id)
    JOIN filing c ON c.filing_id = p.resolved_by AND c.is_current AND c.filing_key = g.filing_key
    WHERE p.resolved_at IS NOT NULL AND p.resolved_by <> p.filing_id
      AND p.resolved_by IN (SELECT filing_id FROM _scope)
) k
LEFT JOIN finding_review_status s USING (review_key)
WHERE s.status IS DISTINCT FROM '已更正';

INSERT INTO finding_reviews
SELECT s.review_key, s.filing_key, s.rule_id, s.subject, '待核',
       '已更正的问题在版本 ' || c.filing_id || ' 中再次出现', 'budgetwatch', $now, 'auto'
FROM finding c
JOIN filing g USING (filing_id)
JOIN finding_review_status s ON s.review_key = review_key(g.filing_key, c.rule_id, c.subject)
WHERE c.outcome = 'fail' AND g.is_current AND c.filing_id IN (SELECT filing_id FROM _scope)
  AND s.status = '已更正';
