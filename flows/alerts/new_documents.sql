-- 本次运行首次见到、但无法读取的文件（outcome 不是 ok）。$known：运行前已在库中的 sha256。
-- Documents first seen in this run ($known: the sha256s the warehouse held before it) whose
-- outcome is not ok: scanned, not a PDF, truncated, encrypted, not a budget, unparsable, timed out.
SELECT d.sha256, d.source_url, d.media_type, d.pages, d.outcome, d.outcome_detail,
       s.title, s.site
FROM documents d
LEFT JOIN (SELECT sha256, arg_min(title, first_fetched_at) AS title, arg_min(site, first_fetched_at) AS site
           FROM doc_source GROUP BY sha256) s USING (sha256)
WHERE d.outcome <> 'ok'
  AND NOT list_contains(CAST($known AS VARCHAR[]), d.sha256)
ORDER BY d.source_url NULLS LAST, d.sha256;
