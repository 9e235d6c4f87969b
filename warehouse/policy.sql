-- 容差政策（domain.md “Tolerance”）：只在这里定义一次，所有规则共用。
-- Tolerance policy (domain.md "Tolerance"), defined once and shared by every rule.
--
-- Each printed amount is rounded at its last printed digit, so it may be off by half a
-- unit of that digit. A sum of n printed terms may therefore differ from its printed total
-- by up to the sum of the terms' half-units plus the total's half-unit
-- (at 2 decimals: (n + 1) x 0.005 万元). Inside that envelope: pass; beyond it: fail.
-- Percentages: 0.5 percentage points. 元 against 万元: normalise, then 0.01 万元.

-- Decimals printed after the point ('564.25' -> 2, '128' -> 0, '1,027,000' -> 0).
CREATE OR REPLACE MACRO printed_decimals(pv) AS
    coalesce(length(regexp_extract(coalesce(pv, ''), '[.．]([0-9０-９]+)', 1)), 0);

-- Half a unit of the last digit, in 万元. A 元 table's unit is 0.0001 万元.
CREATE OR REPLACE MACRO half_unit_wan(decimals, unit) AS
    CAST(0.5 / pow(10, decimals) * (CASE WHEN unit = '元' THEN 0.0001 ELSE 1 END) AS DECIMAL(20, 8));

CREATE OR REPLACE MACRO pct_tolerance() AS CAST(0.5 AS DECIMAL(20, 6));
-- For 元 tables against 万元 figures (B10, C1 on 项目申报表), after normalising to 万元.
CREATE OR REPLACE MACRO cross_unit_tolerance() AS CAST(0.01 AS DECIMAL(20, 6));

-- The one outcome decision for a numeric identity.
CREATE OR REPLACE MACRO tolerance_outcome(difference, tol) AS
    CASE WHEN difference IS NULL THEN 'insufficient_data'
         WHEN abs(difference) <= tol THEN 'pass'
         ELSE 'fail' END;

-- Amount as printed for messages: 564.25 -> '564.25', 109.50 -> '109.5'.
CREATE OR REPLACE MACRO fmt_wan(x) AS
    CASE WHEN x IS NULL THEN '空' ELSE
        regexp_replace(regexp_replace(CAST(CAST(x AS DECIMAL(20, 6)) AS VARCHAR), '(\.[0-9]*[1-9])0+$', '\1'), '\.0+$', '') END;

-- Name key for comparing 功能分类 names (C2): NFKC is applied at load time (label_nfkc);
-- here brackets are unified, whitespace and '(室)' dropped, and for 类 names a trailing
-- '支出' is ignored because the narrative writes '一般公共服务(类)' for '一般公共服务支出'.
CREATE OR REPLACE MACRO name_key(s, lvl) AS
    CASE WHEN lvl = '类'
         THEN regexp_replace(replace(regexp_replace(translate(coalesce(s, ''), '（）〔〕【】', '()[][]'), '\s+', '', 'g'), '(室)', ''), '支出$', '')
         ELSE replace(regexp_replace(translate(coalesce(s, ''), '（）〔〕【】', '()[][]'), '\s+', '', 'g'), '(室)', '') END;

-- Rank of publication-date evidence (lower is better), used when a re-fetch brings better evidence.
CREATE OR REPLACE MACRO _pub_rank(s) AS
    CASE s WHEN 'detail_page' THEN 1 WHEN 'pdf_metadata' THEN 2 WHEN 'first_seen' THEN 3 ELSE 4 END;

-- 加总恒等式的统一判定：一侧为印列的合计（role = 'total'），另一侧为各分项之和（role = 'term'）。
-- The one decision for "printed total = sum of printed terms", shared by A*/B* rules.
-- Input rows (from a CTE named by the caller):
--   filing_id, rule_id, subject, role ('total' | 'term'), amount_wan (NULL: blank or absent),
--   half_unit, ev (the cell as evidence), required (a blank here means unknown, not 0:
--   cross-table sides), inputs_ok (the tables were extracted), what (the identity, Chinese),
--   lhs_zh / rhs_zh (names of the two sides, Chinese), ord (order of terms).
-- Inside one table a blank cell is 0: a blank term is accounted for by the printed total,
-- and a blank total beside printed terms is itself a finding. A blank on a required side
-- (across tables) is unknown. Tables not extracted: insufficient_data, never pass.
CREATE OR REPLACE MACRO sum_identity(terms) AS TABLE
WITH g AS (
    SELECT filing_id, rule_id, subject,
           any_value(what) AS what, any_value(lhs_zh) AS lhs_zh, any_value(rhs_zh) AS rhs_zh,
           bool_and(inputs_ok) AS inputs_ok,
           max(amount_wan) FILTER (WHERE role = 'total') AS total_printed,
           coalesce(max(amount_wan) FILTER (WHERE role = 'total'), 0) AS expected,
           sum(coalesce(amount_wan, 0)) FILTER (WHERE role = 'term') AS actual,
           count(amount_wan) FILTER (WHERE role = 'term') AS n_terms,
           coalesce(bool_or(required AND amount_wan IS NULL), false) AS missing_required,
           coalesce(sum(half_unit) FILTER (WHERE amount_wan IS NOT NULL), 0) AS tol,
           any_value(ev) FILTER (WHERE role = 'total') AS total_ev,
           list(ev ORDER BY ord) FILTER (WHERE role = 'term' AND (amount_wan IS NOT NULL OR required)) AS term_ev
    FROM query_table(terms)
    GROUP BY filing_id, rule_id, subject
),
o AS (
    SELECT *, CASE WHEN NOT inputs_ok THEN 'insufficient_data'
                   WHEN total_printed IS NULL AND n_terms = 0 THEN 'not_applicable'
                   -- a blank 合计 is "not printed", never 0: filled parts against it prove nothing
                   WHEN total_printed IS NULL THEN 'insufficient_data'
                   -- and the other way round: a printed 合计 against parts that are all blank
                   WHEN n_terms = 0 AND NOT missing_required THEN 'insufficient_data'
                   WHEN missing_required THEN 'insufficient_data'
                   ELSE tolerance_outcome(actual - expected, tol) END AS outcome
    FROM g
)
SELECT filing_id, rule_id, subject, outcome,
       what || '：' || CASE outcome
           WHEN 'pass' THEN lhs_zh || ' ' || fmt_wan(expected) || ' 万元，' || rhs_zh || ' ' || fmt_wan(actual)
                || ' 万元' || CASE WHEN actual = expected THEN '，一致。'
                   ELSE '，相差 ' || fmt_wan(abs(actual - expected)) || ' 万元，在四舍五入容差 ' || fmt_wan(tol) || ' 万元以内。' END
           WHEN 'fail' THEN lhs_zh || CASE WHEN total_printed IS NULL THEN '未填列（按 0 计）' ELSE ' ' || fmt_wan(expected) || ' 万元' END || '，' || rhs_zh || ' ' || fmt_wan(actual)
                || ' 万元，相差 ' || fmt_wan(abs(actual - expected)) || ' 万元，超出四舍五入容差 ' || fmt_wan(tol) || ' 万元。'
           WHEN 'not_applicable' THEN '两侧均未填列金额，无需核对。'
           ELSE CASE WHEN NOT inputs_ok THEN '所需表格未能提取，无法核对。'
                     WHEN total_printed IS NULL THEN lhs_zh || '未填列（空白不等于 0），' || rhs_zh || ' ' || fmt_wan(actual) || ' 万元，无法核对。'
                     WHEN n_terms = 0 AND NOT missing_required THEN lhs_zh || ' ' || fmt_wan(total_printed) || ' 万元，' || rhs_zh || '的各项均未填列（空白不等于 0），无法核对。'
                     ELSE '有一侧金额未填列或未能提取，无法核对。' END
       END AS message,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN expected ELSE total_printed END AS DECIMAL(20, 6)) AS expected,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN actual END AS DECIMAL(20, 6)) AS actual,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN actual - expected END AS DECIMAL(20, 6)) AS difference,
       CAST(CASE WHEN outcome IN ('pass', 'fail') THEN tol END AS DECIMAL(20, 6)) AS tolerance,
       to_json(struct_pack(identity := what, lhs := lhs_zh, rhs := rhs_zh,
                           expected := total_ev, actual := coalesce(term_ev, []))) AS evidence
FROM o;

-- table_zh(k): the Chinese table name for messages ("表5-1 一般公共预算支出表（分功能科目）"). It is
-- written by warehouse/db.py from extractors/vocabulary.yaml ("tables") before this file runs, so
-- the names have one source; an unknown kind is shown as it is.

-- Evidence for a cell that is missing (blank or not extracted), same shape as cell.ev.
CREATE OR REPLACE MACRO missing_ev(tk, rc, col) AS
    struct_pack("table" := tk, page := NULL::INTEGER, "row" := rc, label := NULL::VARCHAR,
                "column" := col, printed := NULL::VARCHAR, unit := NULL::VARCHAR);

-- Amounts quoted in the narrative are read as 万元 at 2 decimals (the tables' precision),
-- so a quoted figure carries the same half-unit as a printed cell.
CREATE OR REPLACE MACRO narrative_half_unit() AS CAST(0.005 AS DECIMAL(20, 8));

-- A narrative rule for a filing from which no claim of its kind was extracted: one
-- insufficient_data finding (subject 'none'), so a silent narrative never looks checked.
CREATE OR REPLACE MACRO claims_missing(rid, k, subject_like, what_zh) AS TABLE
SELECT f.filing_id, rid AS rule_id, 'none' AS subject, 'insufficient_data' AS outcome,
       '说明中未提取到' || what_zh || '，无法核对。' AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual,
       NULL::DECIMAL(20, 6) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := what_zh, claim_kind := k)) AS evidence
FROM filing f
WHERE NOT EXISTS (SELECT 1 FROM claim c WHERE c.filing_id = f.filing_id AND c.kind = k AND c.subject LIKE subject_like);
