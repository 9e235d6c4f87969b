-- E4 部门预算等于所属单位预算之和（两者都公开时）：部门文件表5-2 / 表2 中每个单位的行 = 该单位自己文件的合计行
--    （部门合计 = Σ单位行 由 A6 核对，两者合起来即部门 = Σ单位文件，且能指出是哪个单位）。
-- E4 A 部门 filing equals its 单位 filings where both are published: each unit's row of the
--    department's T5-2 / T2 equals the unit filing's own total row (A6 checks the department
--    total = sum of its unit rows; together: department = sum of unit filings, per unit).
WITH depts AS (SELECT * FROM filing_series WHERE unit_scope = '部门' AND is_current),
units AS (
    SELECT u.*, d.filing_id AS dept_filing
    FROM filing_series u JOIN depts d ON u.unit_scope = '单位' AND u.is_current AND u.region_code = d.region_code
     AND u.fiscal_year = d.fiscal_year AND u.kind = d.kind
     AND (u.department_code = d.department_code OR starts_with(coalesce(u.unit_code, ''), d.department_code))
),
pairs(tk, col) AS (VALUES ('T5-2', '合计'), ('T5-2', '基本支出/人员经费'), ('T5-2', '基本支出/公用经费'), ('T5-2', '项目支出'), ('T2', '合计')),
cmp AS (
    SELECT u.dept_filing AS filing_id, u.filing_id AS unit_filing, u.unit_code, p.tk, p.col,
           a.amount_wan AS dept_amt, a.half_unit AS dept_half, a.ev AS dept_ev,
           b.amount_wan AS unit_amt, b.half_unit AS unit_half, b.ev AS unit_ev
    FROM units u CROSS JOIN pairs p
    LEFT JOIN cell a ON a.filing_id = u.dept_filing AND a.table_kind = p.tk AND a.row_code = u.unit_code AND a.column_label = p.col
    LEFT JOIN cell b ON b.filing_id = u.filing_id AND b.table_kind = p.tk AND b.row_code = 'total' AND b.column_label = p.col
    WHERE a.amount_wan IS NOT NULL OR b.amount_wan IS NOT NULL
),
d AS (SELECT *, coalesce(dept_half, 0) + coalesce(unit_half, 0) AS tol,
             CASE WHEN unit_code IS NULL THEN 'insufficient_data'
                  ELSE tolerance_outcome(unit_amt - dept_amt, coalesce(dept_half, 0) + coalesce(unit_half, 0)) END AS outcome FROM cmp)
SELECT filing_id, 'E4' AS rule_id, 'unit:' || coalesce(unit_code, unit_filing) || ':' || tk || ':' || col AS subject, outcome,
       '部门文件与单位 ' || coalesce(unit_code, '?') || ' 的单位文件，' || table_zh(tk) || '「' || col || '」：' || CASE outcome
           WHEN 'pass' THEN '部门文件该单位行 ' || fmt_wan(dept_amt) || ' 万元，单位文件合计 ' || fmt_wan(unit_amt) || ' 万元，一致。'
           WHEN 'fail' THEN '部门文件该单位行 ' || fmt_wan(dept_amt) || ' 万元，单位文件（' || unit_filing || '）合计 ' || fmt_wan(unit_amt)
                || ' 万元，相差 ' || fmt_wan(abs(unit_amt - dept_amt)) || ' 万元，超出容差 ' || fmt_wan(tol) || ' 万元。'
           ELSE CASE WHEN unit_code IS NULL THEN '单位文件的单位编码未能识别，无法对应。' ELSE '一方未能提取该数，无法核对。' END END AS message,
       CAST(dept_amt AS DECIMAL(20, 6)) AS expected, CAST(unit_amt AS DECIMAL(20, 6)) AS actual,
       CAST(unit_amt - dept_amt AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := '部门文件单位行 = 单位文件合计', unit_filing := unit_filing, expected := dept_ev, actual := unit_ev)) AS evidence
FROM d
UNION ALL
SELECT f.filing_id, 'E4', 'scope', 'not_applicable',
       CASE WHEN f.unit_scope = '单位' THEN '单位预算，由其部门预算核对。' ELSE '该部门没有单独公开的单位预算，无需核对。' END,
       NULL, NULL, NULL, NULL, to_json(struct_pack(identity := '部门 = Σ 单位', unit_scope := f.unit_scope))
FROM filing f WHERE NOT EXISTS (SELECT 1 FROM cmp c WHERE c.filing_id = f.filing_id)
