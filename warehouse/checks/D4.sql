-- D4 单位名称在封面、表头与正文中一致：提取到的每一种写法（去掉“中共”“武汉市”前缀、统一全半角后）应只有一种。
--    “中共武汉市硚口区委党校”与“武汉市硚口区委党校”是同一名称的全称与通用简称（提取时也归为一个部门名），不算写法错误；
--    “中国共产党江苏省委员会办公厅”与“江苏省委办公厅”同理；名称前误读入的数字（脚注号、页码）不算写法。
--    形近字（硌口区、硃口区）经别名表解析到同一区划代码（420104），仍是写法错误，列出各写法。
-- D4 The unit's name is spelled one way on the cover, table headers and text (after NFKC and
--    without a leading 中共 / 武汉市: "中共武汉市硚口区委党校" and "武汉市硚口区委党校" are the full
--    and the usual short form of one name, as the extractor's canonical department name has it).
--    The same holds for 中国共产党 / 中共 and 省委员会 / 省委, and for a digit read before the name
--    (a footnote mark or page number: "1江苏省人民检察院"). Look-alikes (硌口区 / 硃口区) resolve to the same region code
--    through the alias table and are still reported, with every spelling.
WITH names AS (
    SELECT f.filing_id, f.department, n AS spelling,
           regexp_replace(regexp_replace(regexp_replace(regexp_replace(nfc_normalize(n), '\s+', '', 'g'),
                                                           '^[0-9]+', ''),                   -- a footnote or page digit
                                            '^(中共|中国共产党)?(武汉市)?', ''),
                          '(省|市|区|县)委员会', '\1委', 'g') AS key  -- 中国共产党江苏省委员会办公厅 = 江苏省委办公厅
    FROM filing f, unnest(coalesce(f.names_seen, [])) AS t(n)
),
resolved AS (
    -- the spelling with every region alias replaced by its official name
    SELECT n.*, (SELECT coalesce(max(a.region_code), '') FROM region_alias a WHERE contains(n.key, a.alias)) AS region_code
    FROM names n
),
g AS (
    SELECT filing_id, any_value(department) AS department, count(DISTINCT key) AS n_spellings,
           list(DISTINCT spelling ORDER BY spelling) AS spellings, list(DISTINCT region_code) FILTER (WHERE region_code <> '') AS regions
    FROM resolved GROUP BY filing_id
)
SELECT filing_id, 'D4' AS rule_id, 'name' AS subject, CASE WHEN n_spellings > 1 THEN 'fail' ELSE 'pass' END AS outcome,
       '单位名称：' || CASE WHEN n_spellings > 1
           THEN '文中出现 ' || n_spellings || ' 种写法：' || array_to_string(spellings, '、')
                || CASE WHEN len(regions) = 1 THEN '（经别名表均指区划 ' || regions[1] || '，属写法错误）' ELSE '' END || '。'
           ELSE '封面、表头与正文写法一致（' || spellings[1] || '）。' END AS message,
       NULL::DECIMAL(20, 6) AS expected, NULL::DECIMAL(20, 6) AS actual, NULL::DECIMAL(20, 6) AS difference,
       NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '单位名称写法一致', expected := department, actual := spellings, regions := regions)) AS evidence
FROM g
UNION ALL
SELECT f.filing_id, 'D4', 'name', 'insufficient_data', '未提取到文中单位名称的写法，无法核对。', NULL, NULL, NULL, NULL,
       to_json(struct_pack(identity := '单位名称写法一致'))
FROM filing f WHERE len(coalesce(f.names_seen, [])) = 0
