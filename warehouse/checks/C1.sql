-- C1 情况说明中引用的金额（收支总额、基本/项目支出、人员/公用经费、各功能科目金额等，含占比和同比句中的本年数）
--    等于表格中的相应金额。“三公”与机关运行经费由 C3 核对，政府采购由 C4 核对。
-- C1 Amounts quoted in the narrative (totals, basic / project, personnel / public, per-code
--    amounts, the this-year figure of share and year-on-year sentences) equal the tables.
--    三公 and 机关运行经费 are C3's; procurement is C4's.
WITH quoted AS (
    SELECT * FROM claim_ranked
    WHERE kind IN ('amount', 'share', 'yoy') AND amount_wan IS NOT NULL
      AND subject NOT LIKE 'sangong:%' AND subject NOT IN ('admin_operating', 'sangong_scope') AND subject NOT LIKE 'procurement:%'
),
o AS (
    SELECT q.filing_id, q.kind || ':' || q.subject || CASE WHEN q.nth > 1 THEN '#' || q.nth ELSE '' END AS subject,
           q.subject AS what_subject, q.amount_wan AS said, q.ev AS said_ev, v.amount_wan AS printed, v.ev AS printed_ev,
           coalesce(v.half_unit, 0) + narrative_half_unit() AS tol
    FROM quoted q
    LEFT JOIN subject_value v ON v.filing_id = q.filing_id AND v.subject = q.subject
),
d AS (SELECT *, tolerance_outcome(said - printed, tol) AS outcome FROM o)
SELECT filing_id, 'C1' AS rule_id, subject, outcome,
       '说明中的金额（' || what_subject || '）：' || CASE outcome
           WHEN 'pass' THEN '说明 ' || fmt_wan(said) || ' 万元，' || table_zh(printed_ev."table") || ' ' || fmt_wan(printed) || ' 万元，一致。'
           WHEN 'fail' THEN '说明 ' || fmt_wan(said) || ' 万元（第 ' || coalesce(CAST(said_ev.page AS VARCHAR), '?') || ' 页），'
                || table_zh(printed_ev."table") || ' ' || coalesce(printed_ev."row", '') || ' ' || fmt_wan(printed)
                || ' 万元，相差 ' || fmt_wan(abs(said - printed)) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE '说明 ' || fmt_wan(said) || ' 万元，表中对应金额未能提取，无法比较。' END AS message,
       CAST(printed AS DECIMAL(20, 6)) AS expected, CAST(said AS DECIMAL(20, 6)) AS actual,
       CAST(said - printed AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN printed IS NOT NULL THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '说明中的金额 = 表中金额', expected := printed_ev, actual := said_ev)) AS evidence
FROM d
UNION ALL
SELECT f.filing_id, 'C1', 'none', 'insufficient_data', '说明中未提取到可与表格核对的金额，无法核对。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '说明中的金额 = 表中金额'))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM quoted q WHERE q.filing_id = f.filing_id)
