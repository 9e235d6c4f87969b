-- 需人工核对：表格读取未通过自检的文件（其规则结论为 insufficient_data，不告警）。$filings：本次检查的文件。
-- Filings checked in this run ($filings) with a misread table (view review_needed): their
-- rules could not judge the office, a person must read the tables.
SELECT r.filing_id, r.department, r.fiscal_year, r.kind, f.unit_scope, r.tables, r.reason, f.source_url
FROM review_needed r JOIN filings f USING (filing_id)
WHERE list_contains(CAST($filings AS VARCHAR[]), r.filing_id)
ORDER BY r.department, r.filing_id;
