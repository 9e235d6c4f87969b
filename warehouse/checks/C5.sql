-- C5 情况说明中“没有政府性基金 / 国有资本经营预算”的表述与表格一致：说“没有”时，表8/表9 无支出且表4 相应资金为零。
--    表8/表9 自身注明“没有…预算…支出”“本表无数据”且表4 亦无时，表中读到的数（如栏次行“1”）不作支出计。
-- C5 "No government-fund / state-capital budget" statements agree with the tables: T8 / T9
--    print no spending and T4 holds none of that money. A T8 / T9 whose own note says it is
--    empty ("…没有使用国有资本经营预算拨款安排的支出，故本表无数据") with none in T4 agrees,
--    whatever number was read off it (its column-number row "1").
WITH spec(subject, table_kind, name_zh, rows_, col) AS (VALUES
    ('gov_fund', 'T8', '政府性基金', ['income:gov_fund', 'carryover:gov_fund'], '政府性基金预算'),
    ('state_capital', 'T9', '国有资本经营', ['income:state_capital', 'carryover:state_capital'], '国有资本经营预算')
),
money AS (
    SELECT f.filing_id, s.subject, s.name_zh, s.table_kind,
           (SELECT coalesce(sum(abs(c.amount_wan)), 0) FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = s.table_kind) AS table_money,
           (SELECT coalesce(sum(abs(c.amount_wan)), 0) FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T4'
              AND (list_contains(s.rows_, c.row_code) OR c.column_label = s.col)) AS t4_money,
           EXISTS (SELECT 1 FROM filing_table_seen t WHERE t.filing_id = f.filing_id AND t.table_kind IN (s.table_kind, 'T4')) AS has_tables,
           EXISTS (SELECT 1 FROM filing_table t WHERE t.filing_id = f.filing_id AND t.table_kind = s.table_kind
                   AND regexp_matches(coalesce(t.note, ''), '(没有|无)[^；;]{0,30}' || s.name_zh || '[^；;]{0,20}(预算|支出)|本表无数据|此表无数据'))
               AS table_says_empty
    FROM filing f CROSS JOIN spec s
),
said AS (
    SELECT filing_id, subject, arg_min(ev, nth) AS ev, arg_min(text, nth) AS text FROM claim_ranked WHERE kind = 'no_fund' GROUP BY ALL
),
o AS (
    SELECT m.*, s.ev, s.text, s.filing_id IS NOT NULL AS stated,
           CASE WHEN s.filing_id IS NULL AND (m.table_money > 0 OR m.t4_money > 0) THEN 'not_applicable'
                WHEN s.filing_id IS NULL THEN 'insufficient_data'
                WHEN NOT m.has_tables THEN 'insufficient_data'
                WHEN (m.table_money = 0 OR m.table_says_empty) AND m.t4_money = 0 THEN 'pass' ELSE 'fail' END AS outcome
    FROM money m LEFT JOIN said s USING (filing_id, subject)
)
SELECT filing_id, 'C5' AS rule_id, subject, outcome,
       name_zh || '预算：' || CASE outcome
           WHEN 'pass' THEN '说明称没有' || name_zh || '预算支出，' || table_zh(table_kind)
                || CASE WHEN table_money > 0 THEN '注明本表无数据，' ELSE '' END || '与表4 亦无，一致。'
           WHEN 'fail' THEN '说明称没有' || name_zh || '预算支出（第 ' || coalesce(CAST(ev.page AS VARCHAR), '?') || ' 页），但'
                || table_zh(table_kind) || '列有 ' || fmt_wan(table_money) || ' 万元，表4 列有 ' || fmt_wan(t4_money) || ' 万元。'
           WHEN 'not_applicable' THEN '表中有' || name_zh || '资金，说明未称“没有”，无需核对。'
           ELSE CASE WHEN stated THEN '表8/表9 与表4 未能提取，无法核对。' ELSE '表中无' || name_zh || '资金，说明中未提取到相应表述。' END END AS message,
       NULL::DECIMAL(20, 6) AS expected, CAST(table_money + t4_money AS DECIMAL(20, 6)) AS actual,
       NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '“没有' || name_zh || '预算”⇔ 表中无该资金', expected := ev,
                           actual := struct_pack("table" := table_kind, table_money := table_money, t4_money := t4_money))) AS evidence
FROM o
