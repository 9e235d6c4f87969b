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

-- ---------------------------------------------------------------------------
-- Versions (issue 5). Columns added with ALTER so that files written before them migrate.
-- filing_key: the filing's identity without its content (region-department-year-kind-scope,
-- plus a name hash for a 单位 filing); version counts re-publications under one key.
ALTER TABLE filing ADD COLUMN IF NOT EXISTS filing_key VARCHAR;
ALTER TABLE filing ADD COLUMN IF NOT EXISTS version INTEGER;
ALTER TABLE filing ADD COLUMN IF NOT EXISTS is_current BOOLEAN;
ALTER TABLE filing ADD COLUMN IF NOT EXISTS loaded_at TIMESTAMP;
ALTER TABLE filing ADD COLUMN IF NOT EXISTS superseded_at TIMESTAMP;
UPDATE filing SET filing_key = filing_id, version = 1, is_current = true WHERE filing_key IS NULL;

-- The documents a filing is made of: one PDF, or a tables PDF plus a narrative PDF of the
-- same identity (role 'tables' / 'narrative'), merged into one filing version.
CREATE TABLE IF NOT EXISTS filing_doc (
    filing_id VARCHAR NOT NULL,
    sha256    VARCHAR NOT NULL,
    role      VARCHAR NOT NULL,   -- whole | tables | narrative
    PRIMARY KEY (filing_id, sha256)
);
INSERT INTO filing_doc SELECT filing_id, sha256, 'whole' FROM filing f
WHERE NOT EXISTS (SELECT 1 FROM filing_doc d WHERE d.filing_id = f.filing_id);

-- Which document each row came from (a merged filing holds rows of two documents).
ALTER TABLE fact ADD COLUMN IF NOT EXISTS sha256 VARCHAR;
ALTER TABLE claim ADD COLUMN IF NOT EXISTS sha256 VARCHAR;
ALTER TABLE filing_table ADD COLUMN IF NOT EXISTS sha256 VARCHAR;

-- A failing finding that a later check (of a corrected version, or of the same filing)
-- no longer reports.
ALTER TABLE finding ADD COLUMN IF NOT EXISTS resolved_at TIMESTAMP;
ALTER TABLE finding ADD COLUMN IF NOT EXISTS resolved_by VARCHAR;

-- 人大 approval dates of the budgets (F1). db.py adds the defaults of warehouse/approval_dates.yaml
-- (the sample district's, 硚口区 420104) where a date is not set yet; a deployment overwrites them
-- with the dates of its own 人代会.
CREATE TABLE IF NOT EXISTS approval_dates (
    region_code VARCHAR NOT NULL,
    fiscal_year INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,   -- 预算 | 决算
    approved_on DATE NOT NULL,
    source      VARCHAR,
    PRIMARY KEY (region_code, fiscal_year, kind)
);

-- The shared vocabulary (extractors/vocabulary.yaml), loaded by db.py at every migration so that
-- SQL reads the same names as Python: table kinds, 功能分类 类, 三公 items.
CREATE TABLE IF NOT EXISTS table_kind (
    table_kind VARCHAR PRIMARY KEY,
    name_zh    VARCHAR NOT NULL,
    ordinal    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS function_class (
    code    VARCHAR PRIMARY KEY,
    name_zh VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS sangong_item (
    subject      VARCHAR PRIMARY KEY,
    column_label VARCHAR NOT NULL,
    name_zh      VARCHAR NOT NULL,
    econ_codes   VARCHAR[] NOT NULL   -- 基本支出 经济分类 codes of the item (B7); [] for none
);

-- Name look-alikes resolved to official region codes (extractors.canon.REGION_ALIASES), for D4.
CREATE TABLE IF NOT EXISTS region_alias (
    alias       VARCHAR PRIMARY KEY,
    region_code VARCHAR NOT NULL
);

-- Tables each template must print, in order (F2). Loaded from templates in db.py.
CREATE TABLE IF NOT EXISTS template_table (
    template   VARCHAR NOT NULL,
    table_kind VARCHAR NOT NULL,
    ord        INTEGER NOT NULL,
    PRIMARY KEY (template, table_kind)
);

-- The orders a template is printed in (F2): variant 0 is the profile's own order, the others
-- come from warehouse/template_orders.yaml (one template, several official orders).
CREATE TABLE IF NOT EXISTS template_order (
    template   VARCHAR NOT NULL,
    variant    INTEGER NOT NULL,
    table_kind VARCHAR NOT NULL,
    ord        INTEGER NOT NULL,
    PRIMARY KEY (template, variant, table_kind)
);

-- ---------------------------------------------------------------------------
-- Review of findings by staff (issue 16).
-- group_id: the failing findings of one filing version that one cause explains (the same
-- cell, or the same difference traced along a row or column); see warehouse/groups.sql.
ALTER TABLE finding ADD COLUMN IF NOT EXISTS group_id VARCHAR;

-- Every status change of a finding, newest last; the current status is the latest row of a
-- review_key (view finding_review_status in reviews.sql). Keyed by the finding's stable
-- identity (filing_key, rule_id, subject), never by a run or a filing version, so a status
-- survives nightly runs and corrected re-publications. Rows are only ever appended.
CREATE TABLE IF NOT EXISTS finding_reviews (
    review_key  VARCHAR NOT NULL,    -- left(md5(filing_key | rule_id | subject), 12)
    filing_key  VARCHAR NOT NULL,
    rule_id     VARCHAR NOT NULL,
    subject     VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,    -- 待核 | 已核实 | 已说明 | 误报 | 已更正
    note        VARCHAR,
    reviewed_by VARCHAR NOT NULL,    -- a person, or 'budgetwatch' for an automatic 已更正
    reviewed_at TIMESTAMP NOT NULL,  -- UTC
    source      VARCHAR,             -- cli | xlsx:<file name> | auto
    CHECK (status IN ('待核', '已核实', '已说明', '误报', '已更正'))
);

-- Narrative parts each template family requires (F3), from warehouse/template_sections.yaml;
-- template 'national' is the 财预〔2016〕143号 minimum for a family not listed.
CREATE TABLE IF NOT EXISTS template_section (
    template  VARCHAR NOT NULL,
    subject   VARCHAR NOT NULL,
    ord       INTEGER NOT NULL,
    car_split BOOLEAN NOT NULL,
    PRIMARY KEY (template, subject)
);

-- How each table and cell was read (issue 13): 'profile:<id>' or 'generic', and whether the
-- table passed its own sums before its facts were emitted ('pass', 'fail', 'unchecked'; ''
-- in extractions older than the self-check).
ALTER TABLE fact ADD COLUMN IF NOT EXISTS read_method VARCHAR;
ALTER TABLE fact ADD COLUMN IF NOT EXISTS table_check VARCHAR;
ALTER TABLE filing_table ADD COLUMN IF NOT EXISTS read_method VARCHAR;
ALTER TABLE filing_table ADD COLUMN IF NOT EXISTS self_check VARCHAR;
ALTER TABLE filing_table ADD COLUMN IF NOT EXISTS self_check_detail VARCHAR;

-- Tables the read gate judged misread in the last check run of their filing (warehouse/
-- read_gate.sql): the rules on them say insufficient_data, the document goes to 需人工核对.
-- decided_by: 'self_check' (the extraction's own sums failed) or 'identities' (the
-- within-table rules failed across many rows with unrelated differences).
CREATE TABLE IF NOT EXISTS table_gate (
    filing_id  VARCHAR NOT NULL,
    table_kind VARCHAR NOT NULL,
    decided_by VARCHAR NOT NULL,
    reason     VARCHAR NOT NULL,
    n_failed   INTEGER,
    n_checked  INTEGER,
    PRIMARY KEY (filing_id, table_kind)
);
