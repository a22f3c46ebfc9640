-- The moderators' review queue. One row per thing a moderator should look at. `dedupe_key`
-- makes enqueueing idempotent: a second vote, a replay or another instance adds nothing.
CREATE TABLE review_items (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform          TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN
                          ('low_confidence', 'not_helpful', 'flagged', 'unanswered', 'review_due')),
    dedupe_key        TEXT NOT NULL,
    question_id       BIGINT REFERENCES questions (id),
    snippet_id        TEXT,
    detail            TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    -- Posting to the moderators' channel is an outbox: claimed with a lease, then recorded.
    post_claimed_by   TEXT,
    post_claim_until  BIGINT,
    posted_channel    TEXT,
    posted_message_id TEXT,
    -- Resolved once, by one moderator.
    resolved_by       TEXT,
    resolved_at       BIGINT,
    resolution        TEXT,
    UNIQUE (platform, dedupe_key)
);
CREATE INDEX review_items_open ON review_items (platform, resolved_at);

-- Users who asked not to be named or quoted (in the digest).
CREATE TABLE opt_outs (
    platform TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    at       BIGINT NOT NULL,
    PRIMARY KEY (platform, user_id)
);

-- A moderator's answer to a question (`answer QUESTION SNIPPET`): one per question.
CREATE TABLE mod_answers (
    question_id BIGINT PRIMARY KEY REFERENCES questions (id),
    snippet_id  TEXT NOT NULL,
    moderator   TEXT NOT NULL,
    message_ids TEXT NOT NULL,
    answered_at BIGINT NOT NULL
);
