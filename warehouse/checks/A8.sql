-- A8 “三公”经费支出表（表7）：合计 = 因公出国（境）费 + 公务用车购置及运行费小计 + 公务接待费；
--    公务用车购置及运行费小计 = 公务用车购置费 + 公务用车运行费。
-- A8 T7: total = abroad + vehicles subtotal + reception; vehicles = purchase + operation.
WITH spec(subject, ord, role, column_label, what, lhs_zh, rhs_zh) AS (VALUES
    ('total', 0, 'total', '合计', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('total', 1, 'term', '因公出国（境）费', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('total', 2, 'term', '公务用车购置及运行费/小计', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('total', 3, 'term', '公务接待费', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('vehicle', 0, 'total', '公务用车购置及运行费/小计', '表7 公务用车购置及运行费小计 = 购置费 + 运行费', '公务用车购置及运行费小计', '购置费与运行费之和'),
    ('vehicle', 1, 'term', '公务用车购置及运行费/公务用车购置费', '表7 公务用车购置及运行费小计 = 购置费 + 运行费', '公务用车购置及运行费小计', '购置费与运行费之和'),
    ('vehicle', 2, 'term', '公务用车购置及运行费/公务用车运行费', '表7 公务用车购置及运行费小计 = 购置费 + 运行费', '公务用车购置及运行费小计', '购置费与运行费之和')
),
terms AS (
    SELECT f.filing_id, 'A8' AS rule_id, s.subject, s.role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev('T7', 'total', s.column_label)) AS ev,
           false AS required, t.filing_id IS NOT NULL AS inputs_ok, s.what, s.lhs_zh, s.rhs_zh, s.ord
    FROM filing f CROSS JOIN spec s
    LEFT JOIN filing_table_seen t ON t.filing_id = f.filing_id AND t.table_kind = 'T7'
    LEFT JOIN cell c ON c.filing_id = f.filing_id AND c.table_kind = 'T7' AND c.row_code = 'total'
                    AND c.column_label = s.column_label
)
SELECT * FROM sum_identity(terms)
