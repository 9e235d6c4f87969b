-- 变安静的站点栏目：$since 之后每个站点栏目最近一次（完整的）抓取，列表为空，或条目数不到
-- 此前最近一次列表不为空的抓取的一半。previous_entries 为 NULL 表示此前没有这样的记录。
-- Quiet columns: the latest complete crawl of each site and column since $since whose listing
-- was empty, or under half of the last earlier crawl that saw entries.
WITH latest AS (
    SELECT *
    FROM crawl_listing_counts
    WHERE started_at >= $since AND NOT coalesce(partial, false)
    QUALIFY row_number() OVER (PARTITION BY site, column_key ORDER BY started_at DESC, run_id DESC) = 1
),
compared AS (
    SELECT l.site, l.column_key, l.column_url, l.run_id, l.entries,
           (SELECT p.entries FROM crawl_listing_counts p
            WHERE p.site = l.site AND p.column_key = l.column_key AND p.started_at < l.started_at
              AND p.entries > 0 AND NOT coalesce(p.partial, false)
            ORDER BY p.started_at DESC LIMIT 1) AS previous_entries,
           (SELECT count(*) FROM crawl_listing_counts c WHERE c.run_id = l.run_id) AS site_columns
    FROM latest l
)
SELECT site, column_key, column_url, run_id, entries, previous_entries, site_columns
FROM compared
WHERE entries = 0 OR entries * 2 < previous_entries
ORDER BY site, column_key;
