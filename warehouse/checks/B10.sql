-- B10 项目申报表（表12，单位元）项目当年预算 ÷ 10000 = 项目支出表（表10）该项目合计（万元），
--     按项目名称对应（不按位置）：名称相同，或一方名称唯一地以另一方结尾（表10 常省略单位前缀）。
--     两个单位的项目同名时，按同名项目在两表中的印制次序对应（第 n 张同名申报表对应表10 第 n 个同名项目）。
--     跨单位比较：折算为万元后容差 0.01 万元。
-- B10 T12 project amounts (元) / 10000 = T10 project totals, matched by project name (equal, or
--     one uniquely ends with the other), not by position; projects of two units that share a
--     name are told apart by their order among the same-named ones on each side (the form does
--     not print the project code). Tolerance 0.01 万元 after normalising.
WITH t12_all AS (
    SELECT filing_id, row_code, substr(row_code, 9) AS name,
           regexp_replace(substr(row_code, 9), '\s+', '', 'g') AS key, amount_wan, ev,
           row_number() OVER (PARTITION BY filing_id, row_code ORDER BY seq) AS nth,
           count(*) OVER (PARTITION BY filing_id, row_code) AS n12
    FROM cell WHERE table_kind = 'T12' AND row_code LIKE 'project:%' AND column_label = '项目当年预算'
),
t12 AS (
    SELECT *, row_code || CASE WHEN nth > 1 THEN '#' || nth ELSE '' END AS subject FROM t12_all
),
t10 AS (
    SELECT filing_id, row_code, row_label, regexp_replace(coalesce(row_label_nfkc, ''), '\s+', '', 'g') AS key, amount_wan, ev, seq
    FROM cell WHERE table_kind = 'T10' AND length(row_code) >= 10 AND column_label = '合计'
),
cand AS (
    SELECT a.filing_id, a.subject, a.nth, a.n12, b.row_code AS t10_row, b.seq AS t10_seq, b.key AS t10_key, a.key = b.key AS exact
    FROM t12 a JOIN t10 b ON a.filing_id = b.filing_id
     AND b.key <> '' AND (a.key = b.key OR ends_with(a.key, b.key) OR ends_with(b.key, a.key))
),
ranked AS (
    -- the same-named T10 rows in print order; the nth form of a name takes the nth of them
    SELECT *, row_number() OVER (PARTITION BY filing_id, subject, exact, t10_key ORDER BY t10_seq) AS t10_nth,
           count(DISTINCT t10_key) OVER (PARTITION BY filing_id, subject, exact) AS names
    FROM cand
),
pick AS (
    -- an exact name wins; otherwise the suffix match must be to one name. Either way both
    -- tables must print the name equally often, or the pairing is ambiguous.
    SELECT filing_id, subject,
           CASE WHEN bool_or(exact) THEN CASE WHEN count(*) FILTER (WHERE exact) = max(n12)
                                              THEN any_value(t10_seq) FILTER (WHERE exact AND t10_nth = nth) END
                WHEN max(names) = 1 AND count(*) = max(n12) THEN any_value(t10_seq) FILTER (WHERE t10_nth = nth) END AS t10_seq
    FROM ranked GROUP BY ALL
),
has AS (SELECT DISTINCT filing_id FROM cell WHERE table_kind = 'T10'),
o AS (
    SELECT a.filing_id, a.subject, a.name, a.amount_wan AS t12_amt, a.ev AS t12_ev, b.amount_wan AS t10_amt, b.ev AS t10_ev,
           b.row_code AS t10_row, h.filing_id IS NOT NULL AS has_t10, cross_unit_tolerance() AS tol
    FROM t12 a LEFT JOIN pick p USING (filing_id, subject)
    LEFT JOIN t10 b ON b.filing_id = a.filing_id AND b.seq = p.t10_seq
    LEFT JOIN has h ON h.filing_id = a.filing_id
),
d AS (SELECT *, tolerance_outcome(t12_amt - t10_amt, tol) AS outcome FROM o)
SELECT filing_id, 'B10' AS rule_id, subject, outcome,
       '项目“' || name || '”：' || CASE outcome
           WHEN 'pass' THEN '表12 项目当年预算折合 ' || fmt_wan(t12_amt) || ' 万元，表10 ' || fmt_wan(t10_amt) || ' 万元，一致。'
           WHEN 'fail' THEN '表12 项目当年预算 ' || t12_ev.printed || ' 元（折合 ' || fmt_wan(t12_amt) || ' 万元），表10 合计 '
                || fmt_wan(t10_amt) || ' 万元，相差 ' || fmt_wan(abs(t12_amt - t10_amt)) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE CASE WHEN NOT has_t10 THEN '表10 未能提取，无法比较。' ELSE '表10 中未找到名称对应的项目，无法比较。' END END AS message,
       CAST(t10_amt AS DECIMAL(20, 6)) AS expected, CAST(t12_amt AS DECIMAL(20, 6)) AS actual,
       CAST(t12_amt - t10_amt AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN t10_amt IS NOT NULL THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '表12 项目当年预算（元）÷ 10000 = 表10 项目合计（万元）', expected := t10_ev, actual := t12_ev)) AS evidence
FROM d
UNION ALL
SELECT f.filing_id, 'B10', 'T12', 'insufficient_data', '表12 项目申报表未能提取，无法核对。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '表12 ÷ 10000 = 表10'))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM t12 WHERE t12.filing_id = f.filing_id)
