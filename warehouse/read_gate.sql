-- 读取闸门：表格读取未通过自检时，该表上的规则结论一律改为 insufficient_data（不据此告警），
-- 并把文件列入“需人工核对”。
-- The read gate (issue 13), run by warehouse.checks after every rule and before the upsert,
-- over the run's findings (_new) of the filings in scope (_scope).
--
-- A table is misread when
--   1. the extraction's own self-check says so (filing_table.self_check = 'fail'); when the
--      extraction checked the table ('pass' or 'fail') its word stands;
--   2. otherwise (extractions older than the self-check, or 'unchecked'), when its
--      within-table identities (A1..A10) fail with unrelated differences: at least 3
--      distinct differences, or 2 and half of the table's identities failing. A single
--      wrong cell fails its row and the rows above it (项 → 款 → 类 → 合计) by the same
--      amount: that is one discrepancy, reported as fail; a misread column or row breaks
--      many identities, each by its own amount.
--   3. a row it could not name carries exactly the amount a failing sum misses (below).
-- Every pass or fail whose evidence cites a misread table becomes insufficient_data with the
-- reason 表格读取未通过自检; the outcome it would have had stays in its evidence.

CREATE OR REPLACE TEMP TABLE _identity AS
SELECT filing_id, regexp_extract(evidence::VARCHAR, '"table":\s*"([^"]+)"', 1) AS table_kind, outcome,
       CASE WHEN outcome = 'fail' THEN coalesce(CAST(round(abs(difference), 2) AS VARCHAR), 'subject:' || subject) END AS diff
FROM _new
WHERE regexp_matches(rule_id, '^A[0-9]+$') AND outcome IN ('pass', 'fail');

CREATE OR REPLACE TEMP TABLE _checked_tables AS
SELECT filing_id, table_kind, any_value(self_check) FILTER (WHERE self_check = 'fail') IS NOT NULL AS failed,
       string_agg(DISTINCT nullif(self_check_detail, ''), '；') AS detail
FROM filing_table
WHERE filing_id IN (SELECT filing_id FROM _scope) AND self_check IN ('pass', 'fail')
GROUP BY ALL;

DELETE FROM table_gate WHERE filing_id IN (SELECT filing_id FROM _scope);

INSERT INTO table_gate
SELECT filing_id, table_kind, 'self_check',
       table_zh(table_kind) || '：提取时自检不平' || coalesce('（' || detail || '）', ''), NULL, NULL
FROM _checked_tables WHERE failed;

INSERT INTO table_gate
SELECT i.filing_id, i.table_kind, 'identities',
       table_zh(i.table_kind) || '：' || CAST(count(*) AS VARCHAR) || ' 项表内恒等关系中 '
           || CAST(count(*) FILTER (WHERE i.outcome = 'fail') AS VARCHAR) || ' 项不成立，差额各不相同（'
           || CAST(count(DISTINCT i.diff) AS VARCHAR) || ' 种），疑为读错行或列',
       count(*) FILTER (WHERE i.outcome = 'fail'), count(*)
FROM _identity i
WHERE i.table_kind <> ''
  AND NOT EXISTS (SELECT 1 FROM _checked_tables c WHERE c.filing_id = i.filing_id AND c.table_kind = i.table_kind)
GROUP BY i.filing_id, i.table_kind
HAVING count(DISTINCT i.diff) >= 3
    OR (count(DISTINCT i.diff) >= 2 AND 2 * count(*) FILTER (WHERE i.outcome = 'fail') >= count(*));

-- 3. a row the reading could not name (its row code is still its label) whose amount is exactly
--    what a failing sum misses: the row was left out of the sum by the reading, not by the office
--    (江苏's "三、其他资金 15.00" read without a profile: 本年收入合计 17996.68 against 17981.68).
INSERT INTO table_gate
SELECT n.filing_id, t.table_kind, 'unread_row',
       table_zh(t.table_kind) || '：有未能识别的行“' || arg_min(trim(c.row_label), c.seq) || '” '
           || fmt_wan(arg_min(c.amount_wan, c.seq)) || ' 万元，恰为不平的差额，疑为读取时未计入该行',
       NULL, NULL
FROM _new n,
     unnest(regexp_extract_all(n.evidence::VARCHAR, '"table":\s*"([^"]+)"', 1)) AS t(table_kind)
JOIN cell c ON c.filing_id = n.filing_id AND c.table_kind = t.table_kind
WHERE n.outcome = 'fail' AND n.difference IS NOT NULL
  AND regexp_matches(c.row_code, '\p{Han}') AND NOT contains(c.row_code, ':')
  AND abs(abs(c.amount_wan) - abs(n.difference)) <= coalesce(n.tolerance, 0) + c.half_unit
  AND NOT EXISTS (SELECT 1 FROM table_gate g WHERE g.filing_id = n.filing_id AND g.table_kind = t.table_kind)
GROUP BY n.filing_id, t.table_kind;

UPDATE _new n SET
    outcome = 'insufficient_data',
    message = '表格读取未通过自检：' || g.reasons || '。本项核对不予采信，请人工核对原表。',
    evidence = json_merge_patch(n.evidence, json_object('read_gate', json_object(
        'tables', g.tables, 'reason', g.reasons, 'outcome_before', n.outcome, 'message_before', n.message)))
FROM (
    SELECT n2.filing_id, n2.rule_id, n2.subject, list(t.table_kind ORDER BY t.table_kind) AS tables,
           string_agg(t.reason, '；' ORDER BY t.table_kind) AS reasons
    FROM _new n2 JOIN table_gate t ON t.filing_id = n2.filing_id
    WHERE n2.outcome IN ('pass', 'fail')
      AND list_contains(regexp_extract_all(n2.evidence::VARCHAR, '"table":\s*"([^"]+)"', 1), t.table_kind)
    GROUP BY ALL
) g
WHERE n.filing_id = g.filing_id AND n.rule_id = g.rule_id AND n.subject = g.subject;

DROP TABLE _identity;
DROP TABLE _checked_tables;
