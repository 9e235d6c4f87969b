-- B7 “三公”经费与经济分类：基本支出表（表6）中 30212 因公出国（境）费用 ≤ 表7 因公出国（境）费，
--    30217 公务接待费 ≤ 表7 公务接待费，30231 公务用车运行维护费 ≤ 表7 公务用车运行费，
--    30913 / 31013 公务用车购置 ≤ 表7 公务用车购置费。“三公”含基本与项目支出，故为“不超过”。
-- B7 economic codes in T6 <= the matching T7 item (三公 covers basic and project spending).
--    A T6 without the code: not_applicable. T7 blank without a printed 合计: unknown.
WITH spec AS (  -- the 三公 items with their 经济分类 codes (sangong_item, extractors/vocabulary.yaml)
    SELECT subject, econ_codes, name_zh AS item_zh FROM sangong_item WHERE len(econ_codes) > 0
),
econ AS (
    SELECT c.filing_id, s.subject, sum(c.amount_wan) AS amount_wan, sum(c.half_unit) AS half_unit, list(c.ev) AS evs
    FROM spec s JOIN cell c ON c.table_kind = 'T6' AND c.column_label = '合计' AND list_contains(s.econ_codes, c.row_code)
    GROUP BY ALL
),
seen AS (SELECT filing_id, table_kind FROM filing_table_seen WHERE has_number),
r AS (
    SELECT f.filing_id, s.subject, s.item_zh,
           EXISTS (SELECT 1 FROM seen WHERE seen.filing_id = f.filing_id AND seen.table_kind = 'T6') AS has_t6,
           EXISTS (SELECT 1 FROM filing_table_seen x WHERE x.filing_id = f.filing_id AND x.table_kind = 'T7') AS has_t7,
           e.amount_wan AS econ_amount, e.half_unit AS econ_half, e.evs AS econ_ev,
           t.amount_wan AS t7_amount, t.half_unit AS t7_half, t.ev AS t7_ev, t.blank AS t7_blank
    FROM filing f CROSS JOIN spec s
    LEFT JOIN econ e ON e.filing_id = f.filing_id AND e.subject = s.subject
    LEFT JOIN t7_item t ON t.filing_id = f.filing_id AND t.subject = s.subject
),
o AS (
    SELECT *, coalesce(econ_half, 0) + coalesce(t7_half, 0) AS tol,
           CASE WHEN NOT has_t6 OR NOT has_t7 THEN 'insufficient_data'
                WHEN econ_amount IS NULL THEN 'not_applicable'
                WHEN t7_amount IS NULL THEN 'insufficient_data'
                WHEN econ_amount - t7_amount <= coalesce(econ_half, 0) + coalesce(t7_half, 0) THEN 'pass'
                ELSE 'fail' END AS outcome
    FROM r
)
SELECT filing_id, 'B7' AS rule_id, subject, outcome,
       '表6 经济分类与表7 ' || item_zh || '：' || CASE outcome
           WHEN 'pass' THEN '经济分类科目 ' || fmt_wan(econ_amount) || ' 万元，不超过“三公”经费表 ' || fmt_wan(t7_amount) || ' 万元。'
           WHEN 'fail' THEN '经济分类科目 ' || fmt_wan(econ_amount) || ' 万元，超过“三公”经费表 ' || fmt_wan(t7_amount)
                || ' 万元 ' || fmt_wan(econ_amount - t7_amount) || ' 万元（容差 ' || fmt_wan(tol) || ' 万元）。'
           WHEN 'not_applicable' THEN '表6 未列对应经济分类科目，无需比较。'
           ELSE CASE WHEN NOT has_t6 OR NOT has_t7 THEN '表6 或表7 未能提取，无法比较。'
                     ELSE '表7 该项未填列且无合计可推定，无法比较。' END END AS message,
       CAST(t7_amount AS DECIMAL(20, 6)) AS expected,
       CAST(econ_amount AS DECIMAL(20, 6)) AS actual,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN econ_amount - t7_amount END AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '经济分类科目 ≤ “三公”经费表对应项', comparison := '<=',
                           expected := t7_ev, actual := coalesce(econ_ev, []),
                           t7_blank_as_zero := coalesce(t7_blank AND t7_amount IS NOT NULL, false))) AS evidence
FROM o
