-- B11 部门整体支出绩效目标表（表11）当年数 = 收支总表、支出总表：收入合计 = 表1 收入总计，
--     财政拨款 = 表4 收入总计，基本支出 / 项目支出 / 支出合计 = 表3 合计行。
-- B11 T11 current-year column = T1 / T3 (and T4 for 财政拨款).
WITH spec(subject, t11_row, tk, row_code, cols, name_zh) AS (VALUES
    ('income_total', 't11:income_total', 'T1', 'income_total', ['预算数'], '收入合计 = 表1 收入总计'),
    ('fiscal', 't11:income:fiscal', 'T4', 'income_total', ['预算数', '合计'], '财政拨款 = 表4 收入总计'),
    ('basic', 't11:exp:basic', 'T3', 'total', ['基本支出'], '基本支出 = 表3 基本支出'),
    ('project', 't11:exp:project', 'T3', 'total', ['项目支出'], '项目支出 = 表3 项目支出'),
    ('expenditure_total', 't11:expenditure_total', 'T3', 'total', ['合计'], '支出合计 = 表3 合计')
),
has AS (
    SELECT f.filing_id, EXISTS (SELECT 1 FROM cell c WHERE c.filing_id = f.filing_id AND c.table_kind = 'T11' AND c.column_label = '当年预算') AS ok
    FROM filing f
),
other AS (
    SELECT s.subject, c.filing_id, arg_min(c.amount_wan, list_position(s.cols, c.column_label)) AS amount_wan,
           arg_min(c.half_unit, list_position(s.cols, c.column_label)) AS half_unit, arg_min(c.ev, list_position(s.cols, c.column_label)) AS ev
    FROM spec s JOIN cell c ON c.table_kind = s.tk AND c.row_code = s.row_code AND list_contains(s.cols, c.column_label)
    GROUP BY ALL
),
terms AS (
    SELECT h.filing_id, 'B11' AS rule_id, CASE WHEN h.ok THEN s.subject ELSE 'T11' END AS subject, 'total' AS role,
           a.amount_wan, a.half_unit, coalesce(a.ev, missing_ev('T11', s.t11_row, '当年预算')) AS ev, true AS required, h.ok AS inputs_ok,
           '表11 当年预算：' || s.name_zh AS what, '表11' AS lhs_zh, table_zh(s.tk) AS rhs_zh, 0 AS ord
    FROM has h CROSS JOIN spec s
    LEFT JOIN cell a ON a.filing_id = h.filing_id AND a.table_kind = 'T11' AND a.row_code = s.t11_row AND a.column_label = '当年预算'
    WHERE h.ok OR s.subject = 'income_total'
    UNION ALL
    SELECT h.filing_id, 'B11', CASE WHEN h.ok THEN s.subject ELSE 'T11' END, 'term', b.amount_wan, b.half_unit,
           coalesce(b.ev, missing_ev(s.tk, s.row_code, s.cols[1])), true, h.ok, NULL, NULL, NULL, 1
    FROM has h CROSS JOIN spec s
    LEFT JOIN other b ON b.filing_id = h.filing_id AND b.subject = s.subject
    WHERE h.ok OR s.subject = 'income_total'
)
SELECT * FROM sum_identity(terms)
