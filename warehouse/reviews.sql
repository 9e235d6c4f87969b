-- 核对发现的人工复核（issue 16）：状态 待核 / 已核实 / 已说明 / 误报 / 已更正，附说明、复核人、时间。
-- 状态按问题的稳定标识（公开文件标识 filing_key、规则、核对对象）记录，不随运行或版本变化，
-- 因此每晚重跑、更正后重新发布都不会丢失；更正版本不再出现的问题自动记为“已更正”。
-- Staff review of findings (issue 16). A status is keyed by the finding's stable identity
-- (filing_key, rule_id, subject), never by a run or a version; finding_reviews (schema.sql)
-- keeps every change, these views read the latest.

-- The short key staff type and see in the digest, the report and the Excel sheet.
CREATE OR REPLACE MACRO review_key(filing_key, rule_id, subject) AS
    left(md5(filing_key || '|' || rule_id || '|' || subject), 12);

-- The current status of every key that was ever reviewed (latest change wins).
CREATE OR REPLACE VIEW finding_review_status AS
SELECT review_key, filing_key, rule_id, subject, status, note, reviewed_by, reviewed_at, source
FROM (
    SELECT r.*, row_number() OVER (PARTITION BY review_key ORDER BY reviewed_at DESC, rowid DESC) AS rn
    FROM finding_reviews r
) WHERE rn = 1;

-- Every finding of every version with its review key, group and review (待核 when never reviewed).
CREATE OR REPLACE VIEW finding_review AS
SELECT a.filing_id, a.rule_id, a.subject, a.outcome, a.group_id, a.filing_key, a.version, a.is_current,
       review_key(a.filing_key, a.rule_id, a.subject) AS review_key,
       coalesce(s.status, '待核') AS review_status,
       s.note AS review_note, s.reviewed_by, s.reviewed_at
FROM findings_all_versions a
LEFT JOIN finding_review_status s ON s.review_key = review_key(a.filing_key, a.rule_id, a.subject);
