-- 核对发现分组（issue 16）：一行一组。同一成因（同一个错数沿行、沿列影响到的各项核对）只算一个问题，
-- cause 为组内首项的说明，amount_wan 为该差额，pages 为证据所在页；其余成员“因同一差异未通过”。
-- One row per group of failing findings of the current filing versions (group_assign.sql
-- says what a group is). The lead finding is the most severe, then the first by rule and
-- subject; its message is the group's cause. Review counts use finding_review (reviews.sql).
CREATE OR REPLACE VIEW finding_groups AS
WITH m AS (
    SELECT f.*, r.review_key, r.review_status, r.review_note,
           row_number() OVER (PARTITION BY f.group_id
                              ORDER BY CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
                                       f.rule_id, f.subject) AS rk
    FROM findings f
    JOIN finding_review r USING (filing_id, rule_id, subject)
    WHERE f.outcome = 'fail' AND f.group_id IS NOT NULL
),
pages AS (
    SELECT m.group_id, list(DISTINCT CAST(json_extract_string(t.value, '$.page') AS INTEGER)
                            ORDER BY CAST(json_extract_string(t.value, '$.page') AS INTEGER)) AS pages
    FROM m, json_tree(m.evidence) t
    WHERE t.type = 'OBJECT' AND TRY_CAST(json_extract_string(t.value, '$.page') AS INTEGER) > 0
    GROUP BY m.group_id
)
SELECT m.group_id,
       any_value(m.filing_id) AS filing_id,
       count(*) AS n_findings,
       arg_min(m.rule_id, m.rk) AS rule_id,
       arg_min(m.subject, m.rk) AS subject,
       arg_min(m.severity, m.rk) AS severity,
       arg_min(m.message, m.rk) AS cause,
       CAST(max(abs(m.difference)) AS DECIMAL(20, 6)) AS amount_wan,
       coalesce(any_value(p.pages), []) AS pages,
       list(m.rule_id ORDER BY m.rk) AS rule_ids,
       list(m.review_key ORDER BY m.rk) AS review_keys,
       min(m.first_seen) AS first_seen,
       max(m.last_seen) AS last_seen,
       count(*) FILTER (WHERE m.review_status = '待核') AS n_open,
       count(*) FILTER (WHERE m.review_status = '已核实') AS n_confirmed,
       count(*) FILTER (WHERE m.review_status = '已说明') AS n_explained,
       count(*) FILTER (WHERE m.review_status = '误报') AS n_false_positive,
       CASE WHEN count(DISTINCT m.review_status) = 1 THEN any_value(m.review_status) ELSE '部分复核' END AS review_status
FROM m LEFT JOIN pages p USING (group_id)
GROUP BY m.group_id;
