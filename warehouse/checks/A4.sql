-- A4 支出总表（表3）与一般公共预算支出表（表5-1）的科目层级：每一金额列，
--    合计 = Σ类，类 = Σ其下各款，款 = Σ其下各项（按编码前缀归属）。
-- A4 T3 / T5-1 hierarchy, per amount column: total = sum of classes (3 digits),
--    class = sum of its 款 (5 digits), 款 = sum of its 项 (7 digits), by code prefix.
WITH tables(table_kind) AS (VALUES ('T3'), ('T5-1')),
rows_ AS (
    -- one row per code even when a table split over pages prints its label twice
    SELECT filing_id, table_kind, row_code, min(row_label) AS row_label
    FROM fact
    WHERE table_kind IN (SELECT table_kind FROM tables)
      AND (row_code = 'total' OR regexp_matches(row_code, '^[0-9]{3}([0-9]{2}){0,2}$'))
    GROUP BY ALL
),
pairs AS (
    SELECT p.filing_id, p.table_kind, p.row_code AS parent, p.row_label AS parent_label, c.row_code AS child,
           CASE WHEN p.row_code = 'total' THEN '各类' WHEN length(p.row_code) = 3 THEN '各款' ELSE '各项' END AS children_zh
    FROM rows_ p JOIN rows_ c ON c.filing_id = p.filing_id AND c.table_kind = p.table_kind
     AND ((p.row_code = 'total' AND length(c.row_code) = 3)
       OR (p.row_code <> 'total' AND length(c.row_code) = length(p.row_code) + 2 AND starts_with(c.row_code, p.row_code)))
),
cols AS (SELECT DISTINCT filing_id, table_kind, column_label FROM cell WHERE table_kind IN (SELECT table_kind FROM tables)),
-- one identity per parent row and column
ident AS (
    SELECT DISTINCT p.filing_id, p.table_kind, p.parent, p.parent_label, p.children_zh, k.column_label
    FROM pairs p JOIN cols k USING (filing_id, table_kind)
),
terms AS (
    SELECT i.filing_id, 'A4' AS rule_id, i.table_kind || ':' || i.parent || ':' || i.column_label AS subject,
           'total' AS role, c.amount_wan, c.half_unit,
           coalesce(c.ev, missing_ev(i.table_kind, i.parent, i.column_label)) AS ev, false AS required, true AS inputs_ok,
           table_zh(i.table_kind) || '「' || i.column_label || '」列：'
               || CASE WHEN i.parent = 'total' THEN '合计' ELSE i.parent || ' ' || coalesce(i.parent_label, '') END
               || ' = ' || i.children_zh || '之和' AS what,
           CASE WHEN i.parent = 'total' THEN '合计行' ELSE i.parent || ' 行' END AS lhs_zh,
           i.children_zh || '之和' AS rhs_zh, '' AS ord
    FROM ident i
    LEFT JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = i.table_kind
                    AND c.row_code = i.parent AND c.column_label = i.column_label
    UNION ALL
    SELECT i.filing_id, 'A4', i.table_kind || ':' || i.parent || ':' || i.column_label,
           'term', c.amount_wan, c.half_unit, c.ev, false, true, NULL, NULL, NULL, p.child
    FROM ident i
    JOIN pairs p USING (filing_id, table_kind, parent)
    JOIN cell c ON c.filing_id = i.filing_id AND c.table_kind = i.table_kind
               AND c.row_code = p.child AND c.column_label = i.column_label
),
-- a filing without the table at all: one insufficient_data finding per table
missing AS (
    SELECT f.filing_id, 'A4' AS rule_id, t.table_kind AS subject, 'total' AS role, NULL::DECIMAL(20, 6) AS amount_wan,
           NULL::DECIMAL(20, 8) AS half_unit, missing_ev(t.table_kind, 'total', '合计') AS ev, false AS required,
           false AS inputs_ok, table_zh(t.table_kind) || '：科目层级加总' AS what, '' AS lhs_zh, '' AS rhs_zh, '' AS ord
    FROM filing f CROSS JOIN tables t
    WHERE NOT EXISTS (SELECT 1 FROM rows_ r WHERE r.filing_id = f.filing_id AND r.table_kind = t.table_kind)
),
-- a column where the parent and all its children are blank states nothing: no finding
printed AS (SELECT DISTINCT filing_id, subject FROM terms WHERE amount_wan IS NOT NULL),
all_terms AS (
    SELECT * FROM terms WHERE (filing_id, subject) IN (SELECT (filing_id, subject) FROM printed)
    UNION ALL SELECT * FROM missing
)
SELECT * FROM sum_identity(all_terms)
