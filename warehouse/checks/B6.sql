-- B6 项目支出：支出总表（表3）合计行项目支出 = 项目支出表（表10）合计；
--    一般公共预算支出表（表5-1）合计行项目支出 = 表10 合计行一般公共预算部分（本年拨款 + 结转结余）。
-- B6 T3 project = T10 total; T5-1 project = T10 general-budget part (current + carry-over).
WITH spec(subject, ord, role, table_kind, column_label, what, lhs_zh, rhs_zh) AS (VALUES
    ('T3', 0, 'total', 'T3', '项目支出', '表3 项目支出 = 表10 项目支出合计', '表3 项目支出', '表10 合计'),
    ('T3', 1, 'term', 'T10', '合计', '表3 项目支出 = 表10 项目支出合计', '表3 项目支出', '表10 合计'),
    ('T5', 0, 'total', 'T5-1', '项目支出', '表5-1 项目支出 = 表10 一般公共预算部分', '表5-1 项目支出', '表10 一般公共预算（本年拨款与结转结余）之和'),
    ('T5', 1, 'term', 'T10', '本年拨款/一般公共预算', '表5-1 项目支出 = 表10 一般公共预算部分', '表5-1 项目支出', '表10 一般公共预算（本年拨款与结转结余）之和'),
    ('T5', 2, 'term', 'T10', '财政拨款结转结余/一般公共预算', '表5-1 项目支出 = 表10 一般公共预算部分', '表5-1 项目支出', '表10 一般公共预算（本年拨款与结转结余）之和')
),
present AS (
    SELECT filing_id, table_kind FROM filing_table_seen WHERE has_number
),
per_subject_ok AS (
    -- both tables of the comparison were extracted with numbers
    SELECT f.filing_id, s.subject, bool_and(p.table_kind IS NOT NULL) AS ok
    FROM filing f CROSS JOIN spec s
    LEFT JOIN present p ON p.filing_id = f.filing_id AND p.table_kind = s.table_kind
    GROUP BY ALL
),
terms AS (
    SELECT f.filing_id, 'B6' AS rule_id, s.subject, s.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev(s.table_kind, 'total', s.column_label)) AS ev,
           -- each side's own figure is required; within T10 a blank part of the 一般公共预算 money is 0
           (s.ord = 0 OR s.subject = 'T3') AS required,
           o.ok AS inputs_ok, s.what, s.lhs_zh, s.rhs_zh, s.ord
    FROM filing f CROSS JOIN spec s
    JOIN per_subject_ok o ON o.filing_id = f.filing_id AND o.subject = s.subject
    LEFT JOIN cell c ON c.filing_id = f.filing_id AND c.table_kind = s.table_kind AND c.row_code = 'total'
                    AND c.column_label = s.column_label
)
SELECT * FROM sum_identity(terms)
