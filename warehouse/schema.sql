-- budgetwatch warehouse: internal tables (预算公开数据仓库：内部表).
-- Public, stable names live in views.sql; these tables may grow columns.
-- Amounts are DECIMAL in 万元 with 6 decimals so that 元 tables (0.01 元 = 0.000001 万元)
-- convert without loss.

CREATE TABLE IF NOT EXISTS schema_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- One row per document content (sha256) and the parser version that read it.
CREATE TABLE IF NOT EXISTS doc (
    sha256          VARCHAR PRIMARY KEY,
    parser_version  VARCHAR NOT NULL,
    media_type      VARCHAR,
    pages           INTEGER,
    outcome         VARCHAR NOT NULL,
    outcome_detail  VARCHAR,
    extract_seconds DOUBLE,
    loaded_at       TIMESTAMP NOT NULL
);

-- Every URL a document was fetched from; re-fetches only move last_fetched_at.
CREATE TABLE IF NOT EXISTS doc_source (
    sha256              VARCHAR NOT NULL,
    source_url          VARCHAR NOT NULL,
    site                VARCHAR,
    title               VARCHAR,
    detail_url          VARCHAR,
    published_at        DATE,
    published_at_source VARCHAR,  -- detail_page | pdf_metadata | first_seen
    first_fetched_at    TIMESTAMP,
    last_fetched_at     TIMESTAMP,
    PRIMARY KEY (sha256, source_url)
);

CREATE TABLE IF NOT EXISTS filing (
    filing_id       VARCHAR PRIMARY KEY,
    sha256          VARCHAR NOT NULL,
    parser_version  VARCHAR NOT NULL,
    region_code     VARCHAR,
    region_name     VARCHAR,
    department      VARCHAR,
    department_code VARCHAR,
    unit_scope      VARCHAR,  -- 部门 | 单位 as printed in FilingMeta
    fiscal_year     INTEGER,
    kind            VARCHAR,  -- 预算 | 决算
    template        VARCHAR,
    names_seen      VARCHAR[]
);

CREATE TABLE IF NOT EXISTS filing_table (
    filing_id  VARCHAR NOT NULL,
    table_kind VARCHAR NOT NULL,
    title      VARCHAR,
    unit       VARCHAR,
    pages      INTEGER[],
    n_facts    INTEGER,
    note       VARCHAR
);

CREATE TABLE IF NOT EXISTS fact (
    filing_id     VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,  -- order in the extraction, for stable evidence
    table_kind    VARCHAR NOT NULL,
    row_code      VARCHAR NOT NULL,
    row_label     VARCHAR,
    row_label_nfkc VARCHAR,          -- NFKC form, for name comparisons (C2, D4)
    column_label  VARCHAR NOT NULL,
    amount_wan    DECIMAL(20, 6),    -- NULL: blank or not a number
    printed_value VARCHAR,
    printed_unit  VARCHAR,
    page          INTEGER,
    bbox          DOUBLE[],          -- [x0, top, x1, bottom] in PDF points, top-left origin
    ocr           BOOLEAN,
    PRIMARY KEY (filing_id, seq)
);

CREATE TABLE IF NOT EXISTS claim (
    filing_id  VARCHAR NOT NULL,
    seq        INTEGER NOT NULL,
    kind       VARCHAR NOT NULL,
    subject    VARCHAR NOT NULL,
    label      VARCHAR,
    label_nfkc VARCHAR,
    level      VARCHAR,
    amount_wan DECIMAL(20, 6),
    percent    DECIMAL(12, 4),
    delta_wan  DECIMAL(20, 6),
    direction  VARCHAR,
    prior_year INTEGER,
    page       INTEGER,
    text       VARCHAR,
    PRIMARY KEY (filing_id, seq)
);

-- The rule catalogue (rules.yaml), reloaded on every writable connect.
CREATE TABLE IF NOT EXISTS rule (
    rule_id     VARCHAR PRIMARY KEY,
    severity    VARCHAR NOT NULL,
    title_zh    VARCHAR,
    title_en    VARCHAR,
    family      VARCHAR,
    implemented BOOLEAN
);

-- One row per (filing, rule, subject); first_seen survives re-runs.
CREATE TABLE IF NOT EXISTS finding (
    filing_id     VARCHAR NOT NULL,
    rule_id       VARCHAR NOT NULL,
    subject       VARCHAR NOT NULL,
    severity      VARCHAR,
    outcome       VARCHAR NOT NULL,
    message       VARCHAR,
    expected      DECIMAL(20, 6),
    actual        DECIMAL(20, 6),
    difference    DECIMAL(20, 6),
    tolerance     DECIMAL(20, 6),
    evidence      JSON,
    rules_version VARCHAR,
    first_seen    TIMESTAMP NOT NULL,
    last_seen     TIMESTAMP NOT NULL,
    PRIMARY KEY (filing_id, rule_id, subject)
);

CREATE TABLE IF NOT EXISTS check_run (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    rules_version VARCHAR,
    n_filings     INTEGER,
    counts        JSON
);
