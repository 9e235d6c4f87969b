-- 按成因归组：同一公开文件（版本）中，下列未通过项属于同一组（取其连通分量）：
--   * 差额相同（在两项容差之内），且证据落在同一张表的同一行或同一列、或不同表的同一行编码、
--     或引用同一份其他公开文件：一个错数沿行、沿列、跨表传到各个合计，就是一组；
--   * 引用说明中同一句话；
--   * 公开内容不全（F2 缺表、F3 缺说明部分）：向部门要的是同一件事——补齐公开内容。
-- Group failing findings by cause (issue 16). Within one filing version, two fails belong to
-- one group when
--   * their differences agree (within the larger of their tolerances) and their evidence
--     shares a place: the same table row or column, the same row code in two tables, or the
--     same other filing (E rules). One wrong cell shows up in every subtotal along its row,
--     up its column and in every table that repeats it (a 项 row off by 2 fails 款 = Σ 项 and
--     类 = Σ 款; a T2 total row off by 5 fails B1 for 收入总计, 本年收入合计 and the fund's line);
--   * or they cite the same sentence of the narrative (one misquoted figure, several rules);
--   * or both report what the publication lacks (F2 tables, F3 sections): one request to the
--     department, to publish the missing parts.
-- Groups are the connected components of that relation. A group's id is stable across runs
-- and versions: a hash of the filing's identity (filing_key) and the first member's rule and
-- subject. Reads _scope (the filings just checked); writes _group(filing_id, rule_id,
-- subject, group_id), which the caller applies to `finding`.
CREATE OR REPLACE TEMP TABLE _gf AS
SELECT f.filing_id, f.rule_id, f.subject, f.rule_id || '|' || f.subject AS node,
       abs(f.difference) AS diff, abs(f.tolerance) AS tol, f.evidence,
       coalesce(g.filing_key, f.filing_id) AS filing_key
FROM finding f JOIN filing g USING (filing_id)
WHERE f.outcome = 'fail' AND f.filing_id IN (SELECT filing_id FROM _scope);

-- Every place a finding's evidence points at: table cells, narrative sentences, other filings.
CREATE OR REPLACE TEMP TABLE _gp AS
SELECT DISTINCT f.filing_id, f.node, f.diff, f.tol,
       coalesce(json_extract_string(t.value, '$.source') = 'narrative', false) AS is_claim,
       json_extract_string(t.value, '$.table') AS tbl,
       json_extract_string(t.value, '$.row') AS row_code,
       json_extract_string(t.value, '$.column') AS col,
       json_extract_string(t.value, '$.page') AS page,
       json_extract_string(t.value, '$.text') AS sentence
FROM _gf f, json_tree(f.evidence) t
WHERE t.type = 'OBJECT'
  AND (json_extract_string(t.value, '$.table') IS NOT NULL
       OR json_extract_string(t.value, '$.source') = 'narrative')
UNION
SELECT f.filing_id, f.node, f.diff, f.tol, false, 'filing', json_extract_string(t.value, '$'), NULL, NULL, NULL
FROM _gf f, json_tree(f.evidence) t
WHERE t.type = 'VARCHAR' AND t.key LIKE '%filing%';

CREATE OR REPLACE TEMP TABLE _ge AS
SELECT DISTINCT a.filing_id, a.node AS a, b.node AS b
FROM _gp a JOIN _gp b ON a.filing_id = b.filing_id AND a.node <> b.node
WHERE (NOT a.is_claim AND NOT b.is_claim AND a.diff > 0 AND b.diff > 0
       AND abs(a.diff - b.diff) <= greatest(coalesce(a.tol, 0), coalesce(b.tol, 0), 0.01)
       AND ((a.tbl = b.tbl AND (a.row_code = b.row_code OR a.col = b.col))
            OR (a.row_code = b.row_code AND a.tbl <> 'filing' AND b.tbl <> 'filing')))
   OR (a.is_claim AND b.is_claim AND a.sentence = b.sentence AND a.page IS NOT DISTINCT FROM b.page)
UNION
SELECT a.filing_id, a.node, b.node
FROM _gf a JOIN _gf b ON a.filing_id = b.filing_id AND a.node <> b.node
WHERE a.rule_id IN ('F2', 'F3') AND b.rule_id IN ('F2', 'F3');

CREATE OR REPLACE TEMP TABLE _group AS
WITH RECURSIVE reach(filing_id, node, root) AS (
    SELECT filing_id, node, node FROM _gf
    UNION
    SELECT r.filing_id, e.b, r.root FROM reach r JOIN _ge e ON e.filing_id = r.filing_id AND e.a = r.node
),
comp AS (SELECT filing_id, node, min(root) AS root FROM reach GROUP BY ALL)
SELECT f.filing_id, f.rule_id, f.subject,
       'g' || left(md5(f.filing_key || '|' || c.root), 10) AS group_id
FROM _gf f JOIN comp c USING (filing_id, node);
