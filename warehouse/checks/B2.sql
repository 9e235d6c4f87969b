-- B2 收支总表（表1）本年支出合计 = 支出总表（表3）合计；表1 各功能类 = 表3 相应类的合计，两表类的集合相同。
-- B2 T1 current-year expenditure = T3 total; each T1 class row = the T3 class row (same set of classes).
--    T1's amount column is 预算数, in a 决算 决算数.
--    表3 按单位分列、不印部门汇总的类行时（深圳），类的金额取各单位该类行之和；
--    表3 只印一行合计（江苏）时不逐类核对。
WITH has AS (
    SELECT f.filing_id, CASE WHEN f.kind = '决算' THEN '决算数' ELSE '预算数' END AS t1_col,
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T1') AND
           EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T3') AS ok
    FROM filing f
),
-- T3's class rows; a 支出总表 printed unit by unit (深圳: each unit's classes under its name,
-- no department-wide class rows) gives a class as the sum of the units' rows of that class
t3_plain AS (SELECT DISTINCT filing_id FROM cell WHERE table_kind = 'T3' AND regexp_matches(row_code, '^[0-9]{3}$')),
t3_class AS (
    SELECT filing_id, row_code AS code, row_code, amount_wan, half_unit, ev, seq
    FROM cell WHERE table_kind = 'T3' AND column_label = '合计' AND regexp_matches(row_code, '^[0-9]{3}$')
    UNION ALL
    SELECT filing_id, regexp_extract(row_code, '/([0-9]{3})$', 1), row_code, amount_wan, half_unit, ev, seq
    FROM cell WHERE table_kind = 'T3' AND column_label = '合计' AND regexp_matches(row_code, '^[^/]+/[0-9]{3}$')
      AND filing_id NOT IN (SELECT filing_id FROM t3_plain)
),
-- a 表3 of one 合计 row (江苏: 基本 / 项目 / 机动经费 only) lists no classes to compare
t3_total_only AS (
    SELECT filing_id FROM fact WHERE table_kind = 'T3' GROUP BY filing_id HAVING bool_and(row_code = 'total')
),
keys AS (
    SELECT h.filing_id, h.ok, h.t1_col, 'total' AS subject, 'expenditure_current' AS t1_row, 'total' AS t3_row FROM has h
    UNION
    SELECT c.filing_id, true, h.t1_col, 'class:' || c.row_code, c.row_code, c.row_code
    FROM cell c JOIN has h USING (filing_id)
    WHERE h.ok AND c.table_kind = 'T1' AND regexp_matches(c.row_code, '^[0-9]{3}$') AND c.column_label = h.t1_col
      AND c.filing_id NOT IN (SELECT filing_id FROM t3_total_only)
    UNION
    SELECT c.filing_id, true, h.t1_col, 'class:' || c.code, c.code, c.code
    FROM t3_class c JOIN has h USING (filing_id) WHERE h.ok
),
terms AS (
    SELECT k.filing_id, 'B2' AS rule_id, k.subject, 'total' AS role, a.amount_wan, a.half_unit,
           coalesce(a.ev, missing_ev('T1', k.t1_row, k.t1_col)) AS ev,
           -- a class only one table lists is a difference (the other side counts as 0)
           k.subject = 'total' AS required, k.ok AS inputs_ok,
           '表1 与表3：' || CASE WHEN k.subject = 'total' THEN '本年支出合计 = 表3 合计' ELSE '功能类 ' || k.t1_row || ' 支出' END AS what,
           '表1' AS lhs_zh, '表3' AS rhs_zh, 0 AS ord
    FROM keys k
    LEFT JOIN cell a ON a.filing_id = k.filing_id AND a.table_kind = 'T1' AND a.row_code = k.t1_row AND a.column_label = k.t1_col
    UNION ALL
    SELECT k.filing_id, 'B2', k.subject, 'term', b.amount_wan, b.half_unit, coalesce(b.ev, missing_ev('T3', k.t3_row, '合计')),
           k.subject = 'total', k.ok, NULL, NULL, NULL, coalesce(b.seq, 1)
    FROM keys k
    LEFT JOIN (SELECT filing_id, 'total' AS code, amount_wan, half_unit, ev, seq FROM cell
               WHERE table_kind = 'T3' AND row_code = 'total' AND column_label = '合计'
               UNION ALL SELECT filing_id, code, amount_wan, half_unit, ev, seq FROM t3_class) b
           ON b.filing_id = k.filing_id AND b.code = k.t3_row
)
SELECT * FROM sum_identity(terms)
UNION ALL
SELECT h.filing_id, 'B2', 'classes', 'not_applicable',
       '表1 与表3：功能类支出：表3 只印合计行，未按功能分类列示，无法逐类核对（合计已核对）。',
       NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 6),
       to_json(struct_pack(identity := '表1 与表3：功能类支出', lhs := '表1', rhs := '表3',
                           expected := missing_ev('T3', 'total', '合计'), actual := []))
FROM has h WHERE h.ok AND h.filing_id IN (SELECT filing_id FROM t3_total_only)
  AND EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = h.filing_id AND c.table_kind = 'T1'
              AND regexp_matches(c.row_code, '^[0-9]{3}$'))
