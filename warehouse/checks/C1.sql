-- C1 情况说明中引用的金额（收支总额、基本/项目支出、人员/公用经费、各功能科目金额等，含占比和同比句中的本年数）
--    等于表格中的相应金额。“三公”与机关运行经费由 C3 核对，政府采购由 C4 核对。
-- C1 Amounts quoted in the narrative (totals, basic / project, personnel / public, per-code
--    amounts, the this-year figure of share and year-on-year sentences) equal the tables.
--    三公 and 机关运行经费 are C3's; procurement is C4's.
--    一个金额可以对应几张表中的同一科目：说明按功能科目列举金额时，可能是一般公共预算合计（表5-1），
--    也可能分别列出基本支出、项目支出中的部分（表5-1 对应列），或按全部资金列出（表3）；
--    “一般公共预算支出预算数”含上年结转（表5-1 合计），“本年预算”为表1 一般公共预算拨款收入。
--    与其中任一读法一致即为一致；都不一致时与主读法（表5-1 合计 / 表1）比较并报告。
--    An amount can state one subject from several tables: a per-code amount is the T5-1 total,
--    or its basic / project part when the narrative lists them under 基本支出 and 项目支出, or
--    the all-funds T3 row; 一般公共预算支出 includes carry-over (T5-1 total) where 本年预算 is
--    T1's 一般公共预算 income. A quote that agrees with any reading passes; otherwise it is
--    compared with the primary reading (the subject's own cell).
WITH quoted AS (
    SELECT * FROM claim_ranked q
    WHERE kind IN ('amount', 'share', 'yoy') AND amount_wan IS NOT NULL
      AND subject NOT LIKE 'sangong:%' AND subject NOT IN ('admin_operating', 'sangong_scope') AND subject NOT LIKE 'procurement:%'
      -- 同比句、占比句重复本年数时与金额句是同一陈述，只核对一次
      -- a change or share sentence repeating an amount sentence's figure is one statement, checked once
      AND NOT (kind <> 'amount' AND EXISTS (
          SELECT 1 FROM claim a WHERE a.filing_id = q.filing_id AND a.kind = 'amount'
                                  AND a.subject = q.subject AND a.amount_wan = q.amount_wan))
),
reading AS (
    SELECT filing_id, subject, amount_wan, half_unit, ev, 0 AS alt FROM subject_value
    UNION ALL
    SELECT filing_id, 'general_budget', amount_wan, half_unit, ev, 1 FROM subject_value WHERE subject = 'general_budget_expenditure'
    UNION ALL
    -- 决算：收入支出总计、财政拨款收入支出总计印在表1、表4 的“决算数”列
    -- a 决算 prints 收入支出总计 and 财政拨款收入支出总计 in T1's and T4's 决算数 column
    SELECT filing_id, CASE table_kind WHEN 'T1' THEN 'total' ELSE 'fiscal_appropriation' END,
           amount_wan, half_unit, ev, 0
    FROM cell WHERE table_kind IN ('T1', 'T4') AND row_code = 'income_total' AND column_label = '决算数'
    UNION ALL
    -- 在“财政拨款收支总表的说明”中按类列举的金额是表4（或表1）中该类的金额，含上年结转
    -- per-class amounts listed where the narrative explains T4 (or T1) are that table's class rows,
    -- carry-over included
    SELECT filing_id, 'func:' || row_code, amount_wan, half_unit, ev, 1 FROM cell
    WHERE table_kind IN ('T1', 'T4') AND regexp_matches(row_code, '^[0-9]{3}$')
      AND column_label IN ('预算数', '合计', '决算数', '决算数/合计')
    UNION ALL
    SELECT filing_id, 'func:' || row_code, amount_wan, half_unit, ev, 1 FROM cell
    WHERE ((table_kind = 'T5-1' AND column_label IN ('基本支出/小计', '项目支出'))
        OR (table_kind = 'T3' AND column_label IN ('合计', '基本支出', '项目支出')))
      AND regexp_matches(row_code, '^[0-9]{3,7}$')
),
cand AS (
    SELECT q.filing_id, q.kind, q.subject AS what_subject, q.nth, q.amount_wan AS said, q.ev AS said_ev,
           r.amount_wan AS printed, r.ev AS printed_ev, r.alt,
           coalesce(r.half_unit, 0) + narrative_half_unit() AS tol
    FROM quoted q
    LEFT JOIN reading r ON r.filing_id = q.filing_id AND r.subject = q.subject
),
o AS (
    -- the first reading that agrees, else the primary one; among readings that agree alike, the
    -- first by table and column, so that every run reports the same one
    SELECT filing_id, kind || ':' || what_subject || CASE WHEN nth > 1 THEN '#' || nth ELSE '' END AS subject,
           what_subject, any_value(said) AS said, any_value(said_ev) AS said_ev,
           arg_min(printed, pick) AS printed, arg_min(printed_ev, pick) AS printed_ev, arg_min(tol, pick) AS tol
    FROM (SELECT *, (tolerance_outcome(said - printed, tol) <> 'pass', alt, printed_ev."table", printed_ev."column",
                     printed_ev.page, CAST(printed_ev AS VARCHAR)) AS pick FROM cand)
    GROUP BY filing_id, kind, what_subject, nth
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
