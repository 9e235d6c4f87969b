-- B5 一般公共预算支出表（表5-1）合计行的基本支出、人员经费、公用经费
--    分别等于一般公共预算基本支出表（表6）合计行的合计、人员经费、公用经费。
-- B5 T5-1 total row basic / personnel / public = T6 total row total / personnel / public.
WITH spec(subject, t5_column, t6_column, name_zh) AS (VALUES
    ('basic', '基本支出/小计', '合计', '基本支出'),
    ('personnel', '基本支出/人员经费', '人员经费', '人员经费'),
    ('public', '基本支出/公用经费', '公用经费', '公用经费')
),
present AS (
    SELECT filing_id, bool_or(table_kind = 'T5-1') AND bool_or(table_kind = 'T6') AS ok
    FROM filing_table_seen WHERE has_number GROUP BY filing_id
),
sides AS (
    SELECT f.filing_id, s.subject, s.name_zh, coalesce(p.ok, false) AS inputs_ok, 0 AS ord, 'total' AS role,
           'T5-1' AS table_kind, s.t5_column AS column_label
    FROM filing f CROSS JOIN spec s LEFT JOIN present p USING (filing_id)
    UNION ALL
    SELECT f.filing_id, s.subject, s.name_zh, coalesce(p.ok, false), 1, 'term', 'T6', s.t6_column
    FROM filing f CROSS JOIN spec s LEFT JOIN present p USING (filing_id)
),
terms AS (
    SELECT x.filing_id, 'B5' AS rule_id, x.subject, x.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev(x.table_kind, 'total', x.column_label)) AS ev,
           true AS required,  -- across tables a blank is unknown, not 0
           x.inputs_ok,
           '表5-1 与表6 的' || x.name_zh || '合计一致' AS what,
           '表5-1 ' || x.name_zh AS lhs_zh, '表6 ' || x.name_zh AS rhs_zh, x.ord
    FROM sides x
    LEFT JOIN cell c ON c.filing_id = x.filing_id AND c.table_kind = x.table_kind AND c.row_code = 'total'
                    AND c.column_label = x.column_label
)
SELECT * FROM sum_identity(terms)
