-- A10 部门整体支出绩效目标表（表11）：收入合计 = 财政拨款 + 其他资金；支出合计 = 基本支出 + 项目支出（每一金额列）。
--     项目支出绩效目标表（表12 项目申报表）：项目当年预算 = 资金来源合计 = 各资金来源之和（“其中”行不加）。
-- A10 T11: income total = fiscal + other; expenditure total = basic + project (every column).
--     T12 (项目申报表): the current-year budget = the sources' 合计 = sum of the sources ('其中' lines
--     split a source and are not added).
WITH spec(ident, row_code, role, ord) AS (VALUES
    ('income', 't11:income_total', 'total', 0), ('income', 't11:income:fiscal', 'term', 1), ('income', 't11:income:other', 'term', 2),
    ('expenditure', 't11:expenditure_total', 'total', 0), ('expenditure', 't11:exp:basic', 'term', 1), ('expenditure', 't11:exp:project', 'term', 2)
),
cols AS (SELECT DISTINCT filing_id, column_label FROM cell WHERE table_kind = 'T11'),
t11_terms AS (
    SELECT k.filing_id, 'A10' AS rule_id, 'T11:' || s.ident || ':' || k.column_label AS subject, s.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T11', s.row_code, k.column_label)) AS ev, false AS required, true AS inputs_ok,
           '表11 整体支出绩效目标表「' || k.column_label || '」列：' ||
               CASE s.ident WHEN 'income' THEN '收入合计 = 财政拨款 + 其他资金' ELSE '支出合计 = 基本支出 + 项目支出' END AS what,
           CASE s.ident WHEN 'income' THEN '收入合计' ELSE '支出合计' END AS lhs_zh, '各项之和' AS rhs_zh, CAST(s.ord AS VARCHAR) AS ord
    FROM cols k CROSS JOIN spec s
    LEFT JOIN cell c ON c.filing_id = k.filing_id AND c.table_kind = 'T11' AND c.row_code = s.row_code AND c.column_label = k.column_label
),
-- one 项目申报表 per project; forms of two units can share a project name, so a form is its
-- name plus its place among the same-named forms (a form starts at its 项目总预算/当年预算 line)
t12_seq AS (
    SELECT filing_id, seq, row_code, column_label,
           CASE WHEN column_label IN ('项目总预算', '项目当年预算')
                 AND coalesce(lag(column_label) OVER (PARTITION BY filing_id, row_code ORDER BY seq), '')
                     NOT IN ('项目总预算', '项目当年预算') THEN 1 ELSE 0 END AS starts
    FROM fact WHERE table_kind = 'T12'
),
t12 AS (
    SELECT filing_id, seq, row_code, column_label,
           row_code || CASE WHEN nth > 1 THEN '#' || nth ELSE '' END AS form
    FROM (SELECT *, sum(starts) OVER (PARTITION BY filing_id, row_code ORDER BY seq) AS nth FROM t12_seq)
),
forms AS (
    SELECT filing_id, form, any_value(row_code) AS row_code,
           bool_or(column_label = '资金来源/合计') AS has_total
    FROM t12 GROUP BY ALL HAVING bool_or(column_label LIKE '资金来源/%')
),
t12_cell AS (SELECT t.form, c.* FROM t12 t JOIN cell c USING (filing_id, seq)),
-- the 资金来源 block prints a 合计 line, the sources, and '其中' lines that split a source (not added)
t12_terms AS (
    SELECT p.filing_id, 'A10', 'T12:' || p.form || ':资金来源', CASE WHEN c.column_label = '资金来源/合计' THEN 'total' ELSE 'term' END,
           c.amount_wan, c.half_unit, c.ev, false, true,
           '表12 项目申报表 ' || substr(p.row_code, 9) || '：资金来源合计 = 各资金来源之和', '资金来源合计', '各资金来源之和', c.column_label
    FROM forms p JOIN t12_cell c ON c.filing_id = p.filing_id AND c.form = p.form
     AND c.column_label LIKE '资金来源/%' AND c.column_label NOT LIKE '资金来源/其中%'
    WHERE p.has_total
    UNION ALL
    SELECT p.filing_id, 'A10', 'T12:' || p.form || ':当年预算=资金来源',
           CASE WHEN c.column_label = '项目当年预算' THEN 'total' ELSE 'term' END,
           c.amount_wan, c.half_unit, c.ev, false, true,
           '表12 项目申报表 ' || substr(p.row_code, 9) || '：项目当年预算 = 资金来源合计', '项目当年预算', '资金来源合计', c.column_label
    FROM forms p JOIN t12_cell c ON c.filing_id = p.filing_id AND c.form = p.form
     AND (c.column_label = '项目当年预算' OR c.column_label = '资金来源/合计'
          OR (c.column_label LIKE '资金来源/%' AND c.column_label NOT LIKE '资金来源/其中%' AND NOT p.has_total))
),
missing AS (
    SELECT f.filing_id, 'A10', 'T11', 'total', NULL::DECIMAL(20, 6), NULL::DECIMAL(20, 8), missing_ev('T11', 'total', '合计'),
           false, false, '表11 整体支出绩效目标表 加总', '', '', ''
    FROM filing f WHERE NOT EXISTS (SELECT 1 FROM cols k WHERE k.filing_id = f.filing_id)
),
all_terms AS (SELECT * FROM t11_terms UNION ALL SELECT * FROM t12_terms UNION ALL SELECT * FROM missing)
SELECT * FROM sum_identity(all_terms)
