-- B8 政府性基金预算支出表（表8）、国有资本经营预算支出表（表9）为空，当且仅当财政拨款收支总表（表4）
--    相应资金为零（表4 的基金/国资收入行、结转行或资金列）。
-- B8 T8 / T9 are empty exactly when T4's government-fund / state-capital money is 0. A table
--    without numbers whose columns were not mapped (note 未映射列) was not read: insufficient_data.
WITH spec(subject, table_kind, name_zh, rows_, col) AS (VALUES
    ('T8', 'T8', '政府性基金', ['income:gov_fund', 'carryover:gov_fund'], '政府性基金预算'),
    ('T9', 'T9', '国有资本经营', ['income:state_capital', 'carryover:state_capital'], '国有资本经营预算')
),
t4 AS (
    SELECT c.filing_id, s.subject, coalesce(sum(abs(c.amount_wan)), 0) AS money, list(c.ev) AS ev
    FROM spec s JOIN cell c ON c.table_kind = 'T4' AND (list_contains(s.rows_, c.row_code) OR c.column_label = s.col)
    GROUP BY ALL
),
o AS (
    SELECT f.filing_id, s.subject, s.name_zh, table_zh(s.table_kind) AS table_name,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T4') AS has_t4,
           t.filing_id IS NOT NULL AS seen, coalesce(t.has_number, false) AS has_number, t.note,
           coalesce(m.money, 0) AS money, m.ev AS t4_ev,
           (SELECT coalesce(sum(abs(amount_wan)), 0) FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = s.table_kind) AS table_money
    FROM filing f CROSS JOIN spec s
    LEFT JOIN filing_table_seen t ON t.filing_id = f.filing_id AND t.table_kind = s.table_kind
    LEFT JOIN t4 m ON m.filing_id = f.filing_id AND m.subject = s.subject
),
d AS (
    SELECT *, CASE WHEN NOT has_t4 OR NOT seen THEN 'insufficient_data'
                   WHEN (table_money = 0) = (money = 0) THEN 'pass'
                   -- a table whose columns the reader could not map was not read, it is not empty
                   WHEN table_money = 0 AND coalesce(note, '') LIKE '%未映射列%' THEN 'insufficient_data'
                   ELSE 'fail' END AS outcome
    FROM o
)
SELECT filing_id, 'B8' AS rule_id, subject, outcome,
       table_name || '与表4 ' || name_zh || '资金：' || CASE outcome
           WHEN 'pass' THEN CASE WHEN money = 0 THEN '表4 无' || name_zh || '资金，' || table_name || '为空' || coalesce('（' || nullif(note, '') || '）', '') || '，一致。'
                                 ELSE '表4 ' || name_zh || '资金 ' || fmt_wan(money) || ' 万元，' || table_name || '列有支出 ' || fmt_wan(table_money) || ' 万元，一致。' END
           WHEN 'fail' THEN CASE WHEN money = 0 THEN '表4 无' || name_zh || '资金，但' || table_name || '列有支出 ' || fmt_wan(table_money) || ' 万元。'
                                 ELSE '表4 列有' || name_zh || '资金 ' || fmt_wan(money) || ' 万元，但' || table_name || '为空'
                                      || coalesce('（称“' || nullif(note, '') || '”）', '') || '。' END
           ELSE CASE WHEN NOT has_t4 THEN '表4 未能提取，无法比较。'
                     WHEN seen THEN table_name || '的列未能识别（未映射列），读不出金额，无法判断是否为空表。'
                     ELSE table_name || '未找到（见 F2），无法比较。' END END AS message,
       CAST(money AS DECIMAL(20, 6)) AS expected, CAST(table_money AS DECIMAL(20, 6)) AS actual,
       NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := table_name || '为空 ⇔ 表4 ' || name_zh || '资金为零',
                           expected := t4_ev, actual := struct_pack("table" := subject, has_number := has_number, note := note))) AS evidence
FROM d
