-- 告警发件箱：每份摘要（digest）对每个告警目标一行。先写入、后发送；
-- 只有 apprise 报告该目标发送成功后才写 delivered_at，失败的留待下次运行重发。
-- Alert outbox: one row per digest and target. A digest is written here in the run that
-- composes it, before it is sent; delivered_at is set only after apprise reports success for
-- that target, so a failed delivery is retried by the next run and a delivered one never again.
-- The apprise URL itself is not stored (it holds webhook keys and passwords): `target` is a
-- hash of it, `target_label` apprise's masked form.
CREATE TABLE IF NOT EXISTS alert_outbox (
    digest_id       VARCHAR NOT NULL,    -- content key: the same findings make the same digest
    target          VARCHAR NOT NULL,    -- sha256 of the apprise URL, first 16 hex digits
    target_label    VARCHAR,             -- e.g. 'wecombot://a...z/' with secrets masked
    kind            VARCHAR NOT NULL,    -- findings | run_failed
    created_at      TIMESTAMP NOT NULL,  -- UTC
    title           VARCHAR NOT NULL,
    body            VARCHAR NOT NULL,    -- Markdown, Chinese
    n_items         INTEGER,             -- findings and unreadable documents in the digest
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR,
    last_attempt_at TIMESTAMP,
    delivered_at    TIMESTAMP,           -- NULL: not yet delivered to this target
    PRIMARY KEY (digest_id, target)
);
