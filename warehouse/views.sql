-- 公开视图（DEVELOPERS.md “Public DuckDB views”）：列名与顺序是对外契约，只可在末尾追加。
-- Public views: names and column order are a contract; extend only by appending columns.
-- Amounts are DECIMAL in 万元.

CREATE OR REPLACE VIEW documents AS
SELECT d.sha256,
       s.source_url,
       s.fetched_at,
       d.media_type,
       d.pages,
       d.outcome,
       d.outcome_detail
FROM doc d
LEFT JOIN (
    -- the first URL the document was seen at, and the latest time it was fetched anywhere
    SELECT sha256,
           arg_min(source_url, first_fetched_at) AS source_url,
           max(last_fetched_at) AS fetched_at
    FROM doc_source GROUP BY sha256
) s USING (sha256);

-- Publication date, best evidence first: the detail page, then the PDF's metadata,
-- then the first crawl that saw the file (F1 needs to know which was used).
CREATE OR REPLACE VIEW doc_published AS
SELECT sha256,
       arg_min(published_at, (CASE published_at_source WHEN 'detail_page' THEN 1
                                   WHEN 'pdf_metadata' THEN 2 ELSE 3 END, published_at)) AS published_at,
       arg_min(published_at_source, (CASE published_at_source WHEN 'detail_page' THEN 1
                                   WHEN 'pdf_metadata' THEN 2 ELSE 3 END, published_at)) AS published_at_source
FROM doc_source WHERE published_at IS NOT NULL GROUP BY sha256;

-- Every version of every filing; `filings` below shows the current ones.
CREATE OR REPLACE VIEW filing_versions AS
SELECT f.filing_id,
       f.sha256,
       f.region_code,
       f.department,
       f.department_code,
       f.unit_scope,
       f.fiscal_year,
       f.kind,
       f.template,
       p.published_at,
       d.source_url,
       p.published_at_source,  -- appended: where published_at came from
       f.filing_key,           -- appended: identity without content; versions share it
       f.version,
       f.is_current,
       f.loaded_at,
       f.superseded_at,
       (SELECT list(x.sha256 ORDER BY x.role, x.sha256) FROM filing_doc x WHERE x.filing_id = f.filing_id) AS documents
FROM filing f
LEFT JOIN doc_published p USING (sha256)
LEFT JOIN documents d USING (sha256);

CREATE OR REPLACE VIEW filings AS
SELECT * FROM filing_versions WHERE is_current;

-- bbox is DOUBLE[4]: [x0, top, x1, bottom] in PDF points, top-left origin.
CREATE OR REPLACE VIEW facts_all_versions AS
SELECT filing_id, table_kind, row_code, row_label, column_label, amount_wan,
       printed_value, printed_unit, page, bbox,
       sha256,  -- appended: the document the cell was read from (a filing may have two)
       read_method, table_check  -- appended (issue 13): how the cell's table was read, its self-check
FROM fact;

-- How each table of a filing was read and whether it passed its own sums (issue 13), with the
-- read gate's verdict of the last check run (misread: its rules said insufficient_data).
CREATE OR REPLACE VIEW table_reads AS
SELECT t.filing_id, t.sha256, t.table_kind, t.title, t.pages, coalesce(t.read_method, '') AS read_method,
       coalesce(t.self_check, '') AS self_check, coalesce(t.self_check_detail, '') AS self_check_detail,
       g.filing_id IS NOT NULL AS misread, g.reason AS misread_reason
FROM filing_table t
LEFT JOIN table_gate g ON g.filing_id = t.filing_id AND g.table_kind = t.table_kind
WHERE t.filing_id IN (SELECT filing_id FROM filing WHERE is_current);

-- Documents a person must look at before their findings mean anything (需人工核对): a table of
-- theirs was misread, so its rules could not judge the office.
CREATE OR REPLACE VIEW review_needed AS
WITH g AS (
    SELECT filing_id, list(table_kind ORDER BY table_kind) AS tables,
           string_agg(reason, '；' ORDER BY table_kind) AS reason
    FROM table_gate GROUP BY filing_id
)
SELECT f.filing_id, f.department, f.fiscal_year, f.kind, f.template,
       (SELECT list(d.sha256 ORDER BY d.sha256) FROM filing_doc d WHERE d.filing_id = f.filing_id) AS sha256s,
       g.tables, g.reason
FROM g JOIN filing f USING (filing_id)
WHERE f.is_current;

CREATE OR REPLACE VIEW facts AS
SELECT * FROM facts_all_versions
WHERE filing_id IN (SELECT filing_id FROM filing WHERE is_current);

-- ---------------------------------------------------------------------------
-- Helper views for the checks (internal; not part of the contract).

-- Tables a filing has: extracted with facts, or listed (an empty table with its statement).
CREATE OR REPLACE VIEW filing_table_seen AS
SELECT filing_id, table_kind,
       max(note) AS note,
       bool_or(has_number) AS has_number
FROM (
    SELECT filing_id, table_kind, note, false AS has_number FROM filing_table
    UNION ALL
    SELECT filing_id, table_kind, NULL, bool_or(amount_wan IS NOT NULL) FROM fact GROUP BY ALL
) GROUP BY ALL;

-- Every printed number with its rounding half-unit. A value printed with fewer decimals
-- than the filing's other values in the same unit (Excel exports print 109.50 as '109.5',
-- and a one-cell 三公 table as '0.2') is taken at the filing's precision for that unit:
-- the trailing zeros were trimmed, the value was not rounded to 0.1. A table that prints
-- trailing zeros ('64,840,547.00') trims none: there a shorter value was rounded where it was
-- printed (普陀 prints 基本支出 合计 22,118,861 for 22,118,861.34) and keeps its own half-unit.
--
-- The summary tables (T1, T4) print names, not codes: a 款 or 项 printed under a 类's name
-- (其他支出 / 其他支出 / 其他支出; 住房保障 under 援助其他地区支出) was read as that 类 too.
-- Of the rows of one table column that carry the same 类 code, the 类 is the one printed with
-- an ordinal (五、其他支出), else with the 类's '支出' ending, else the first (a 类 precedes its
-- 款); the others go by their printed name, as a 款 row does.
CREATE OR REPLACE VIEW cell AS
WITH f AS (
    SELECT x.* REPLACE (
               CASE WHEN table_kind IN ('T1', 'T4') AND regexp_matches(row_code, '^[0-9]{3}$')
                         AND row_number() OVER (
                             PARTITION BY filing_id, table_kind, column_label, row_code
                             ORDER BY regexp_matches(coalesce(row_label, ''), '^\s*([一二三四五六七八九十]+[、.．]|[0-9]+[、.．]|[（(][一二三四五六七八九十]+[)）])') DESC,
                                      coalesce(row_label, '') LIKE '%支出' DESC, seq) > 1
                    THEN coalesce(nullif(trim(row_label), ''), row_code) ELSE row_code END AS row_code)
    FROM fact x
    WHERE amount_wan IS NOT NULL
)
SELECT f.*,
       half_unit_wan(CASE WHEN bool_or(regexp_matches(coalesce(printed_value, ''), '[.．][0-9]*0$'))
                                   OVER (PARTITION BY filing_id, table_kind, printed_unit)
                          THEN printed_decimals(printed_value)
                          ELSE greatest(printed_decimals(printed_value),
                                        max(printed_decimals(printed_value)) OVER (PARTITION BY filing_id, printed_unit)) END,
                     printed_unit) AS half_unit,
       struct_pack("table" := table_kind, page := page, "row" := row_code, label := row_label,
                   "column" := column_label, printed := printed_value, unit := printed_unit) AS ev
FROM f;

-- 三公 table items. A blank item of a T7 whose 合计 is printed counts as 0 (the 合计 row
-- accounts for it, see A8); without a printed 合计 a blank item stays unknown (NULL).
CREATE OR REPLACE VIEW t7_item AS
WITH cols AS (SELECT subject, column_label FROM sangong_item),
t7 AS (
    SELECT filing_id,
           max(amount_wan) FILTER (WHERE column_label = '合计') AS total_printed
    FROM fact WHERE table_kind = 'T7' AND row_code = 'total' GROUP BY filing_id
)
SELECT t7.filing_id, cols.subject, cols.column_label,
       coalesce(c.amount_wan, CASE WHEN t7.total_printed IS NOT NULL THEN 0 END) AS amount_wan,
       c.amount_wan IS NULL AS blank,
       coalesce(c.half_unit, CAST(0 AS DECIMAL(20, 8))) AS half_unit,  -- a blank read as 0 is exact
       coalesce(c.ev, struct_pack("table" := 'T7', page := (SELECT min(page) FROM fact x WHERE x.filing_id = t7.filing_id AND x.table_kind = 'T7'),
                                  "row" := 'total', label := '合计', "column" := cols.column_label,
                                  printed := '', unit := '万元')) AS ev
FROM t7 CROSS JOIN cols
LEFT JOIN cell c ON c.filing_id = t7.filing_id AND c.table_kind = 'T7'
                AND c.row_code = 'total' AND c.column_label = cols.column_label;

-- Canonical subjects of claims (canon.CLAIM_KINDS) mapped to the table cell that states them.
CREATE OR REPLACE VIEW subject_value AS
WITH m(subject, table_kind, row_code, column_label) AS (VALUES
    ('total', 'T1', 'income_total', '预算数'),
    ('income_total', 'T1', 'income_total', '预算数'),
    ('expenditure_total', 'T1', 'expenditure_total', '预算数'),
    ('general_budget', 'T1', 'income:general_budget', '预算数'),
    ('fiscal_appropriation', 'T4', 'income_total', '预算数'),
    ('basic', 'T3', 'total', '基本支出'),
    ('project', 'T3', 'total', '项目支出'),
    ('personnel', 'T5-1', 'total', '基本支出/人员经费'),
    ('public', 'T5-1', 'total', '基本支出/公用经费'),
    ('admin_operating', 'T6', 'total', '公用经费'),
    ('general_budget_expenditure', 'T5-1', 'total', '合计')
)
SELECT c.filing_id, m.subject, c.amount_wan, c.half_unit, c.ev
FROM m JOIN cell c USING (table_kind, row_code, column_label)
UNION ALL
SELECT filing_id, subject, amount_wan, half_unit, ev FROM t7_item
UNION ALL
SELECT filing_id, 'func:' || row_code, amount_wan, half_unit, ev
FROM cell WHERE table_kind = 'T5-1' AND column_label = '合计' AND regexp_matches(row_code, '^[0-9]{3,7}$')
UNION ALL
SELECT filing_id, 'econ:' || row_code, amount_wan, half_unit, ev
FROM cell WHERE table_kind = 'T6' AND column_label = '合计' AND regexp_matches(row_code, '^[0-9]{3,5}$');

-- Claims numbered within their subject, so two sentences about one subject stay two findings.
CREATE OR REPLACE VIEW claim_ranked AS
SELECT c.*,
       row_number() OVER (PARTITION BY filing_id, kind, subject ORDER BY page NULLS LAST, seq) AS nth,
       struct_pack(source := 'narrative', page := page, subject := subject, label := label,
                   text := text) AS ev
FROM claim c;

-- ---------------------------------------------------------------------------

CREATE OR REPLACE VIEW filing_totals_all_versions AS
WITH v AS (
    SELECT filing_id,
        max(amount_wan) FILTER (WHERE table_kind = 'T1' AND row_code = 'income_total') AS income_total,
        max(amount_wan) FILTER (WHERE table_kind = 'T1' AND row_code = 'expenditure_total') AS expenditure_total,
        coalesce(max(amount_wan) FILTER (WHERE table_kind = 'T4' AND row_code = 'income_total' AND column_label IN ('预算数', '合计')),
                 max(amount_wan) FILTER (WHERE table_kind = 'T4' AND row_code = 'income_current' AND column_label IN ('预算数', '合计'))) AS fiscal_appropriation,
        max(amount_wan) FILTER (WHERE table_kind = 'T1' AND row_code = 'income:general_budget') AS general_budget_appropriation,
        -- A 支出总表 that prints 基本支出 only as its parts (湖州: 人员支出 / 公用经费, no subtotal
        -- column) gives the sum of the printed parts; the facts stay as printed.
        coalesce(max(amount_wan) FILTER (WHERE table_kind = 'T3' AND row_code = 'total' AND column_label = '基本支出'),
                 CASE WHEN NOT bool_or(table_kind = 'T3' AND column_label = '基本支出') THEN
                      CAST(sum(amount_wan) FILTER (WHERE table_kind = 'T3' AND row_code = 'total'
                                                   AND column_label IN ('基本支出/人员经费', '基本支出/公用经费'))
                           AS DECIMAL(20, 6)) END) AS basic_expenditure,
        max(amount_wan) FILTER (WHERE table_kind = 'T3' AND row_code = 'total' AND column_label = '项目支出') AS project_expenditure,
        coalesce(max(amount_wan) FILTER (WHERE table_kind = 'T5-1' AND row_code = 'total' AND column_label = '基本支出/人员经费'),
                 max(amount_wan) FILTER (WHERE table_kind = 'T6' AND row_code = 'total' AND column_label = '人员经费')) AS personnel_expenditure,
        coalesce(max(amount_wan) FILTER (WHERE table_kind = 'T5-1' AND row_code = 'total' AND column_label = '基本支出/公用经费'),
                 max(amount_wan) FILTER (WHERE table_kind = 'T6' AND row_code = 'total' AND column_label = '公用经费')) AS public_expenditure,
        max(amount_wan) FILTER (WHERE table_kind = 'T7' AND row_code = 'total' AND column_label = '合计') AS sangong_total,
        max(amount_wan) FILTER (WHERE table_kind = 'T7' AND row_code = 'total' AND column_label = '因公出国（境）费') AS sangong_abroad,
        max(amount_wan) FILTER (WHERE table_kind = 'T7' AND row_code = 'total' AND column_label = '公务用车购置及运行费/公务用车购置费') AS sangong_vehicle_purchase,
        max(amount_wan) FILTER (WHERE table_kind = 'T7' AND row_code = 'total' AND column_label = '公务用车购置及运行费/公务用车运行费') AS sangong_vehicle_operation,
        max(amount_wan) FILTER (WHERE table_kind = 'T7' AND row_code = 'total' AND column_label = '公务接待费') AS sangong_reception,
        max(amount_wan) FILTER (WHERE table_kind = 'T8' AND row_code = 'total' AND column_label = '合计') AS t8_total,
        -- 收入预算总表's 合计 row: the income total again (上海 审计局 2026 leaves T1's 收入总计 blank)
        max(amount_wan) FILTER (WHERE table_kind = 'T2' AND row_code = 'total' AND column_label = '合计') AS t2_total,
        -- A 基本支出 cell left blank on T3's 合计 row whose printed columns already add up to its
        -- 合计 (a unit with only 项目支出, 上海) is 0, as a blank T7 item is under a printed 合计.
        CASE WHEN NOT bool_or(table_kind = 'T3' AND row_code = 'total' AND column_label LIKE '基本支出%')
                  AND max(amount_wan) FILTER (WHERE table_kind = 'T3' AND row_code = 'total' AND column_label = '合计')
                      = sum(amount_wan) FILTER (WHERE table_kind = 'T3' AND row_code = 'total' AND column_label <> '合计')
             THEN CAST(0 AS DECIMAL(20, 6)) END AS t3_blank_basic,
        -- 政府性基金 money anywhere in T1 / T4 (rows or the T4 基金 column)
        coalesce(sum(abs(amount_wan)) FILTER (WHERE table_kind IN ('T1', 'T4')
                 AND (row_code IN ('income:gov_fund', 'carryover:gov_fund') OR column_label = '政府性基金预算')), 0) AS t1_t4_gov_fund,
        bool_or(table_kind IN ('T1', 'T4')) AS has_t1_t4
    FROM fact
    GROUP BY filing_id
),
t8_empty AS (
    -- T8 is stated empty: listed with its statement and no numbers, or the narrative says so
    SELECT filing_id FROM filing_table_seen
    WHERE table_kind = 'T8' AND NOT has_number AND coalesce(note, '') <> ''
    UNION
    SELECT filing_id FROM claim WHERE kind = 'no_fund' AND subject = 'gov_fund'
),
said_sangong AS (
    -- The 三公 total the narrative states ("“三公”经费预算数为0.00万元"; "2024 年度无“三公”经费
    -- 财政拨款支出" is 0), for a filing whose 三公 table prints no 合计 (上海 prints a row of
    -- blank cells, a nil 决算 an empty table): the first statement; its page and sentence are in claim.
    SELECT filing_id, arg_min(amount_wan, seq) AS amount_wan FROM claim
    WHERE kind = 'amount' AND subject = 'sangong:total' AND amount_wan IS NOT NULL
    GROUP BY filing_id
)
SELECT f.filing_id, f.department, f.fiscal_year, f.kind,
       coalesce(v.income_total, CASE WHEN f.kind = '预算' THEN v.t2_total END) AS income_total,
       v.expenditure_total, v.fiscal_appropriation, v.general_budget_appropriation,
       coalesce(v.basic_expenditure, v.t3_blank_basic) AS basic_expenditure,
       v.project_expenditure, v.personnel_expenditure, v.public_expenditure,
       coalesce(v.sangong_total, s.amount_wan) AS sangong_total, v.sangong_abroad,
       v.sangong_vehicle_purchase, v.sangong_vehicle_operation, v.sangong_reception,
       coalesce(v.t8_total,
                CASE WHEN v.has_t1_t4 AND v.t1_t4_gov_fund = 0 AND e.filing_id IS NOT NULL
                     THEN CAST(0 AS DECIMAL(20, 6)) END) AS gov_fund_expenditure
FROM filing f
LEFT JOIN v USING (filing_id)
LEFT JOIN (SELECT DISTINCT filing_id FROM t8_empty) e USING (filing_id)
LEFT JOIN said_sangong s USING (filing_id);

CREATE OR REPLACE VIEW filing_totals AS
SELECT * FROM filing_totals_all_versions
WHERE filing_id IN (SELECT filing_id FROM filing WHERE is_current);

-- Life of a finding: new (a fail first seen by the latest check of its filing), open (a fail
-- seen before, in this version or an earlier one of the same filing), resolved (a fail that a
-- later check or a corrected version no longer shows). A passing finding of a current version
-- whose earlier version failed carries that resolution.
CREATE OR REPLACE VIEW findings_all_versions AS
SELECT f.filing_id, f.rule_id, f.severity, f.outcome, f.message, f.expected, f.actual, f.difference,
       f.tolerance, f.evidence, f.first_seen, f.last_seen,
       f.subject, f.rules_version,     -- appended: the finding's key within its rule; catalogue version
       CASE WHEN f.resolved_at IS NOT NULL THEN 'resolved'
            WHEN f.outcome = 'fail' AND f.first_seen = f.last_seen THEN 'new'
            WHEN f.outcome = 'fail' THEN 'open'
            WHEN r.resolved_at IS NOT NULL THEN 'resolved' END AS status,
       coalesce(f.resolved_at, r.resolved_at) AS resolved_at,
       g.filing_key, g.version, g.is_current,
       f.group_id                      -- appended (issue 16): the cause group, warehouse/groups.sql
FROM finding f
JOIN filing g USING (filing_id)
LEFT JOIN (
    SELECT resolved_by AS filing_id, rule_id, subject, max(resolved_at) AS resolved_at
    FROM finding WHERE resolved_at IS NOT NULL AND resolved_by IS DISTINCT FROM filing_id GROUP BY ALL
) r ON r.filing_id = f.filing_id AND r.rule_id = f.rule_id AND r.subject = f.subject AND f.outcome <> 'fail';

CREATE OR REPLACE VIEW findings AS
SELECT * EXCLUDE (filing_key, version, is_current) FROM findings_all_versions WHERE is_current;

-- Fails of earlier versions (or earlier checks) that the current version no longer shows.
CREATE OR REPLACE VIEW resolved_findings AS
SELECT g.filing_key, f.filing_id, f.resolved_by, f.rule_id, f.subject, f.severity, f.message,
       f.first_seen, f.resolved_at
FROM finding f JOIN filing g USING (filing_id)
WHERE f.resolved_at IS NOT NULL;

CREATE OR REPLACE VIEW rules AS
SELECT rule_id, severity, title_zh, title_en, family, implemented FROM rule;

-- ---------------------------------------------------------------------------
-- Helper views for the cross-filing rules (E*, F5) and the aggregates.

-- A filing's series: its identity without the year (region-department-kind-scope), so the
-- same department's filings of other years can be found. Only current versions take part.
CREATE OR REPLACE VIEW filing_series AS
SELECT f.*,
       CASE WHEN regexp_matches(f.filing_key, '^[^-]+-[^-]+-[0-9]{4}-')
            THEN regexp_replace(f.filing_key, '^([^-]+-[^-]+)-[0-9]{4}-', '\1-*-') END AS series,
       -- the unit a 单位 filing is for: a 6-digit department code, else the one unit its tables list
       CASE WHEN f.unit_scope = '单位' THEN coalesce(
            CASE WHEN regexp_matches(coalesce(f.department_code, ''), '^[0-9]{6}$') THEN f.department_code END,
            (SELECT CASE WHEN count(DISTINCT x.row_code) = 1 THEN any_value(x.row_code) END FROM fact x
             WHERE x.filing_id = f.filing_id AND x.table_kind IN ('T2', 'T5-2') AND regexp_matches(x.row_code, '^[0-9]{6}$'))) END AS unit_code
FROM filing f;
