-- E2 部门整体支出绩效目标表（表11）“近两年”各列等于该年度文件：表11 当年预算的同一行，
--    该年文件没有表11 时取其表1 收入总计、表4 收入总计、表3 基本/项目/合计。
-- E2 T11's prior-year columns equal that year's filing: its T11 current-year column, else its
--    T1 / T4 / T3 totals.
WITH prior AS (
    SELECT c.filing_id, c.row_code, c.column_label, CAST(regexp_extract(c.column_label, '近两年/(\d{4})', 1) AS INTEGER) AS year,
           c.amount_wan, c.half_unit, c.ev, s.series
    FROM cell c JOIN filing_series s USING (filing_id)
    WHERE c.table_kind = 'T11' AND regexp_matches(c.column_label, '^近两年/\d{4}$')
),
fallback(row_code, tk, t_row, t_cols) AS (VALUES
    ('t11:income_total', 'T1', 'income_total', ['预算数']),
    ('t11:income:fiscal', 'T4', 'income_total', ['预算数', '合计']),
    ('t11:exp:basic', 'T3', 'total', ['基本支出']),
    ('t11:exp:project', 'T3', 'total', ['项目支出']),
    ('t11:expenditure_total', 'T3', 'total', ['合计'])
),
o AS (
    SELECT p.*, e.filing_id AS earlier,
           coalesce(t.amount_wan, fb.amount_wan) AS then_amt, coalesce(t.half_unit, fb.half_unit) AS then_half,
           coalesce(t.ev, fb.ev) AS then_ev
    FROM prior p
    LEFT JOIN filing_series e ON e.series = p.series AND e.fiscal_year = p.year AND e.is_current
    LEFT JOIN cell t ON t.filing_id = e.filing_id AND t.table_kind = 'T11' AND t.row_code = p.row_code AND t.column_label = '当年预算'
    LEFT JOIN LATERAL (
        SELECT arg_min(c.amount_wan, list_position(f.t_cols, c.column_label)) AS amount_wan,
               arg_min(c.half_unit, list_position(f.t_cols, c.column_label)) AS half_unit,
               arg_min(c.ev, list_position(f.t_cols, c.column_label)) AS ev
        FROM fallback f JOIN cell c ON c.table_kind = f.tk AND c.row_code = f.t_row AND list_contains(f.t_cols, c.column_label)
        WHERE f.row_code = p.row_code AND c.filing_id = e.filing_id
    ) fb ON true
),
d AS (SELECT *, coalesce(half_unit, 0) + coalesce(then_half, 0) AS tol,
             tolerance_outcome(amount_wan - then_amt, coalesce(half_unit, 0) + coalesce(then_half, 0)) AS outcome FROM o)
SELECT filing_id, 'E2' AS rule_id, row_code || ':' || year AS subject, outcome,
       '表11“近两年” ' || year || ' 年 ' || coalesce(ev.label, row_code) || '：' || CASE outcome
           WHEN 'pass' THEN '本文件 ' || fmt_wan(amount_wan) || ' 万元，' || year || ' 年文件 ' || fmt_wan(then_amt) || ' 万元，一致。'
           WHEN 'fail' THEN '本文件 ' || fmt_wan(amount_wan) || ' 万元，' || year || ' 年文件（' || earlier || '）'
                || table_zh(then_ev."table") || ' ' || fmt_wan(then_amt) || ' 万元，相差 ' || fmt_wan(abs(amount_wan - then_amt))
                || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE CASE WHEN earlier IS NULL THEN '仓库中没有该部门 ' || year || ' 年的文件，无法核对。'
                     ELSE year || ' 年文件中未能提取对应金额，无法核对。' END END AS message,
       CAST(then_amt AS DECIMAL(20, 6)) AS expected, CAST(amount_wan AS DECIMAL(20, 6)) AS actual,
       CAST(amount_wan - then_amt AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN then_amt IS NOT NULL THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '表11 近两年 = 该年文件', earlier_filing := earlier, expected := then_ev, actual := ev)) AS evidence
FROM d
UNION ALL
SELECT f.filing_id, 'E2', 'T11', 'insufficient_data', '表11 未提取到“近两年”列，无法与往年文件核对。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '表11 近两年 = 该年文件'))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM prior p WHERE p.filing_id = f.filing_id)
