-- F1 批复后 20 日内公开（预算法第十四条）。部门批复日期不公开，实务代理：人大批准日 + 40 日为限
--    （批准日见 approval_dates 表，可按地区、年度配置）。公开日期依次取详情页发布日期、PDF 元数据、
--    首次抓取时间；只有首次抓取时间且已超期时，不能断定迟延，记 insufficient_data。
-- F1 Published within 20 days of approval. Proxy: the 人大 approval date (table approval_dates)
--    + 40 days. Publication date: detail page, then PDF metadata, then first crawl; a late
--    first-crawl date alone proves nothing (insufficient_data).
WITH o AS (
    SELECT f.filing_id, f.region_code, f.fiscal_year, f.kind, f.published_at, f.published_at_source,
           a.approved_on, a.approved_on + INTERVAL 40 DAY AS deadline,
           date_diff('day', a.approved_on, f.published_at) AS days
    FROM filing_versions f
    LEFT JOIN approval_dates a ON a.region_code = f.region_code AND a.fiscal_year = f.fiscal_year AND a.kind = f.kind
),
d AS (
    SELECT *, CASE WHEN approved_on IS NULL OR published_at IS NULL THEN 'insufficient_data'
                   WHEN published_at <= deadline THEN 'pass'
                   WHEN published_at_source = 'first_seen' THEN 'insufficient_data'
                   ELSE 'fail' END AS outcome
    FROM o
)
SELECT filing_id, 'F1' AS rule_id, 'timeliness' AS subject, outcome,
       '公开时限：' || CASE
           WHEN approved_on IS NULL THEN '未配置 ' || coalesce(region_code, '?') || ' ' || coalesce(CAST(fiscal_year AS VARCHAR), '?') || ' 年' || coalesce(kind, '') || '的人大批准日期（approval_dates），无法核对。'
           WHEN published_at IS NULL THEN '未取得公开日期，无法核对。'
           ELSE '人大批准 ' || strftime(approved_on, '%Y-%m-%d') || '，公开 ' || strftime(published_at, '%Y-%m-%d')
                || '（' || CASE published_at_source WHEN 'detail_page' THEN '详情页发布日期' WHEN 'pdf_metadata' THEN 'PDF 元数据'
                               ELSE '首次抓取时间' END || '），相隔 ' || days || ' 天；' ||
                CASE outcome WHEN 'pass' THEN '在批准后 40 天（批复后 20 天的代理期限）以内。'
                             WHEN 'fail' THEN '超过批准后 40 天（批复后 20 天的代理期限，截至 ' || strftime(CAST(deadline AS DATE), '%Y-%m-%d') || '）。'
                             ELSE '仅有首次抓取时间，不能据此断定迟延。' END END AS message,
       CAST(40 AS DECIMAL(20, 6)) AS expected, CAST(days AS DECIMAL(20, 6)) AS actual,
       CAST(days - 40 AS DECIMAL(20, 6)) AS difference, NULL::DECIMAL(20, 6) AS tolerance,
       to_json(struct_pack(identity := '公开日期 ≤ 人大批准日 + 40 日', approved_on := approved_on, deadline := CAST(deadline AS DATE),
                           published_at := published_at, published_at_source := published_at_source)) AS evidence
FROM d
