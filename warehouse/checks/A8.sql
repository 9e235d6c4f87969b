-- A8 “三公”经费支出表（表7）：合计 = 因公出国（境）费 + 公务用车购置及运行费小计 + 公务接待费；
--    公务用车购置及运行费小计 = 公务用车购置费 + 公务用车运行费。
-- A8 T7: total = abroad + vehicles subtotal + reception; vehicles = purchase + operation.
--    Blank items read through t7_item (0 when the table's 合计 is printed).
WITH spec(subject, ord, role, column_label, what, lhs_zh, rhs_zh) AS (VALUES
    ('total', 0, 'total', '合计', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('total', 1, 'term', '因公出国（境）费', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('total', 2, 'term', '公务用车购置及运行费/小计', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('total', 3, 'term', '公务接待费', '表7 “三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '“三公”经费合计', '三项之和'),
    ('vehicle', 0, 'total', '公务用车购置及运行费/小计', '表7 公务用车购置及运行费小计 = 购置费 + 运行费', '公务用车购置及运行费小计', '购置费与运行费之和'),
    ('vehicle', 1, 'term', '公务用车购置及运行费/公务用车购置费', '表7 公务用车购置及运行费小计 = 购置费 + 运行费', '公务用车购置及运行费小计', '购置费与运行费之和'),
    ('vehicle', 2, 'term', '公务用车购置及运行费/公务用车运行费', '表7 公务用车购置及运行费小计 = 购置费 + 运行费', '公务用车购置及运行费小计', '购置费与运行费之和')
),
items AS (
    SELECT f.filing_id, s.*, c.amount_wan, c.blank, c.half_unit, c.ev, t.filing_id IS NOT NULL AS inputs_ok,
           bool_or(s.role = 'term' AND NOT coalesce(c.blank, true)) OVER (PARTITION BY f.filing_id, s.subject) AS part_printed
    FROM filing f CROSS JOIN spec s
    LEFT JOIN filing_table_seen t ON t.filing_id = f.filing_id AND t.table_kind = 'T7'
    -- t7_item: a blank item of a T7 whose 合计 is printed is 0 (the 合计 accounts for it)
    LEFT JOIN t7_item c ON c.filing_id = f.filing_id AND c.column_label = s.column_label
),
terms AS (
    -- blanks stay blank (blank against blank checks nothing), except a blank 小计 beside a
    -- printed 购置费 or 运行费: there the printed 合计 says it is 0, and that is a discrepancy
    SELECT filing_id, 'A8' AS rule_id, subject, role,
           CASE WHEN NOT coalesce(blank, true) OR (role = 'total' AND subject = 'vehicle' AND part_printed) THEN amount_wan END AS amount_wan,
           half_unit, coalesce(ev, missing_ev('T7', 'total', column_label)) AS ev,
           false AS required, inputs_ok, what, lhs_zh, rhs_zh, ord
    FROM items
)
SELECT * FROM sum_identity(terms)
