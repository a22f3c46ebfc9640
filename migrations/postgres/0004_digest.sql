-- The weekly digest: one row per (platform, channel, ISO week) it was claimed for. A run is
-- claimed with a lease before posting (claimed_by, claim_until) and marked posted once
-- (posted_at; message_id is NULL when a quiet week was skipped). A posted run is never claimed
-- again, so each channel gets at most one digest per week, whatever the number of instances.
CREATE TABLE digest_runs (
    platform    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    week        TEXT NOT NULL,
    claimed_by  TEXT,
    claim_until BIGINT,
    message_id  TEXT,
    posted_at   BIGINT,
    PRIMARY KEY (platform, channel, week)
);

-- The digest reads a few weeks of questions, answers and snippet changes out of years of
-- history: range scans on time. The questions index covers the per-category counts.
CREATE INDEX questions_digest ON questions (platform, received_at, primary_category);
CREATE INDEX answers_posted ON answers (posted_at);
CREATE INDEX snippet_versions_changed ON snippet_versions (changed_at);
