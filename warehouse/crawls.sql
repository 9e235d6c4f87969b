-- 抓取报告：每次抓取一行（页面数、新文件、变更文件、按类型统计的错误），来自 spiders/report.py
-- 写在 raw/.crawls/<run_id>/report.json 的报告，由每次入库时补录（按 run_id 幂等）。
-- Crawl reports: one row per crawl run, loaded from raw/.crawls/<run_id>/report.json at each
-- load (idempotent by run_id), so a crawl whose load failed is recorded by the next run.
CREATE TABLE IF NOT EXISTS crawl_runs (
    run_id              VARCHAR PRIMARY KEY,
    site                VARCHAR NOT NULL,
    started_at          TIMESTAMP,
    finished_at         TIMESTAMP,
    duration_s          DOUBLE,
    partial             BOOLEAN,
    stop_reason         VARCHAR,
    stop_detail         VARCHAR,
    listing_pages       INTEGER,
    detail_pages        INTEGER,
    detail_not_modified INTEGER,
    pages_failed        INTEGER,
    files_seen          INTEGER,
    files_new           INTEGER,
    files_changed       INTEGER,
    files_not_modified  INTEGER,
    files_failed        INTEGER,
    requests_sent       INTEGER,
    bytes_received      BIGINT,
    retries             INTEGER,
    robots_status       VARCHAR,
    offsite_dropped     INTEGER,
    errors              MAP(VARCHAR, INTEGER),
    report              JSON
);

-- 列表条目数：每次抓取、每个栏目（起始地址）一行，看到多少个列表条目。每晚运行据此发现
-- “站点变安静”：列表为空，或不到上次正常运行的一半，多半是门户改版、站点配置失效。
-- Listing entries per crawl run and column (start URL). `column_key` is the start URL without
-- scheme and host, so a column keeps its history when only the address of a local portal moves.
CREATE TABLE IF NOT EXISTS crawl_listing_counts (
    run_id      VARCHAR NOT NULL,
    site        VARCHAR NOT NULL,
    column_key  VARCHAR NOT NULL,
    column_url  VARCHAR NOT NULL,
    entries     INTEGER NOT NULL,
    started_at  TIMESTAMP,
    partial     BOOLEAN,
    PRIMARY KEY (run_id, column_key)
);
