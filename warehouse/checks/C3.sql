-- C3 情况说明中的“三公”经费（合计、因公出国（境）、公务用车购置及运行及其购置/运行、公务接待）
--    等于“三公”经费支出表（表7）；机关运行经费等于基本支出表（表6）公用经费合计。
--    说明写明机关运行经费只含行政单位（“本级 1 家行政单位的机关运行经费”）时，表6 公用经费还含
--    所属事业单位，两者口径不同：说明数不超过表6 时无法判断，记为数据不足；超过表6 则不可能，仍为不一致。
-- C3 三公 amounts quoted in the narrative equal T7 (with the car split);
--    机关运行经费 equals the T6 公用经费 total. Where the sentence scopes it to the 行政单位,
--    T6 also holds the 事业单位' 公用经费: an amount up to T6's cannot be judged
--    (insufficient_data); one above it cannot be right and still fails.
WITH quoted AS (
    SELECT * FROM claim_ranked
    WHERE kind = 'amount' AND amount_wan IS NOT NULL
      AND (subject LIKE 'sangong:%' OR subject = 'admin_operating')
),
names(subject, name_zh, table_side_zh) AS (VALUES
    ('sangong:total', '“三公”经费合计', '表7 “三公”经费合计'),
    ('sangong:abroad', '因公出国（境）费', '表7 因公出国（境）费'),
    ('sangong:vehicle', '公务用车购置及运行费', '表7 公务用车购置及运行费小计'),
    ('sangong:vehicle_purchase', '公务用车购置费', '表7 公务用车购置费'),
    ('sangong:vehicle_operation', '公务用车运行费', '表7 公务用车运行费'),
    ('sangong:reception', '公务接待费', '表7 公务接待费'),
    ('admin_operating', '机关运行经费', '表6 公用经费合计')
),
o AS (
    SELECT q.filing_id, q.subject || CASE WHEN q.nth > 1 THEN '#' || q.nth ELSE '' END AS subject,
           n.name_zh, n.table_side_zh, q.amount_wan AS said, q.ev AS said_ev,
           v.amount_wan AS printed, v.ev AS printed_ev,
           coalesce(v.half_unit, 0) + narrative_half_unit() AS tol
    FROM quoted q
    JOIN names n USING (subject)
    LEFT JOIN subject_value v ON v.filing_id = q.filing_id AND v.subject = q.subject
),
d AS (
    SELECT * REPLACE (CASE WHEN outcome = 'fail' AND subject LIKE 'admin_operating%' AND said < printed
                                AND contains(coalesce(said_ev.text, ''), '行政单位')
                           THEN 'insufficient_data' ELSE outcome END AS outcome),
           outcome = 'fail' AND subject LIKE 'admin_operating%' AND said < printed
               AND contains(coalesce(said_ev.text, ''), '行政单位') AS scoped
    FROM (SELECT *, tolerance_outcome(said - printed, tol) AS outcome FROM o)
)
SELECT filing_id, 'C3' AS rule_id, subject, outcome,
       name_zh || '：' || CASE outcome
           WHEN 'pass' THEN '说明 ' || fmt_wan(said) || ' 万元，' || table_side_zh || ' ' || fmt_wan(printed) || ' 万元' || CASE WHEN printed_ev.printed = '' THEN '（表中空白，按已填列的合计视为 0）' ELSE '' END || '，一致。'
           WHEN 'fail' THEN '说明 ' || fmt_wan(said) || ' 万元，' || table_side_zh || ' ' || fmt_wan(printed)
                || ' 万元，相差 ' || fmt_wan(abs(said - printed)) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE '说明 ' || fmt_wan(said) || ' 万元，' || CASE WHEN scoped
                THEN '仅含行政单位；' || table_side_zh || ' ' || fmt_wan(printed) || ' 万元还含所属事业单位，口径不同，无法直接比较。'
                ELSE table_side_zh || '未能提取，无法比较。' END END AS message,
       CAST(printed AS DECIMAL(20, 6)) AS expected, CAST(said AS DECIMAL(20, 6)) AS actual,
       CAST(said - printed AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN printed IS NOT NULL THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '说明中的金额 = 表中金额', expected := printed_ev, actual := said_ev)) AS evidence
FROM d

UNION ALL
SELECT * FROM claims_missing('C3', 'amount', 'sangong:%', '“三公”经费金额')
