-- Timestamps are milliseconds since the Unix epoch; lists are JSON arrays in TEXT.
CREATE TABLE categories (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE snippets (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    categories   TEXT NOT NULL,
    tags         TEXT NOT NULL,
    source_title TEXT NOT NULL,
    source_url   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'retired')),
    author       TEXT NOT NULL,
    reviewed     TEXT NOT NULL,
    pinned       BOOLEAN NOT NULL,
    version      BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- Every version of every snippet, including the current one.
CREATE TABLE snippet_versions (
    snippet_id   TEXT NOT NULL REFERENCES snippets (id),
    version      BIGINT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    categories   TEXT NOT NULL,
    tags         TEXT NOT NULL,
    source_title TEXT NOT NULL,
    source_url   TEXT NOT NULL,
    status       TEXT NOT NULL,
    author       TEXT NOT NULL,
    reviewed     TEXT NOT NULL,
    pinned       BOOLEAN NOT NULL,
    changed_by   TEXT NOT NULL,
    changed_at   BIGINT NOT NULL,
    PRIMARY KEY (snippet_id, version)
);

CREATE TABLE examples (
    id               TEXT PRIMARY KEY,
    text             TEXT NOT NULL,
    labels           TEXT NOT NULL,
    primary_category TEXT NOT NULL,
    origin           TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);

CREATE TABLE questions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    platform         TEXT NOT NULL,
    workspace        TEXT NOT NULL,
    channel          TEXT NOT NULL,
    message_id       TEXT NOT NULL,
    -- The thread the question was asked in (a follow-up), if any.
    thread_id        TEXT,
    author_id        TEXT,
    anonymous        BOOLEAN NOT NULL,
    text             TEXT NOT NULL,
    received_at      BIGINT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'answered')),
    primary_category TEXT,
    confidence       DOUBLE PRECISION,
    -- Which instance is working on it, until when: a crashed instance's claim expires.
    claimed_by       TEXT,
    claim_until      BIGINT,
    UNIQUE (platform, message_id)
);
CREATE INDEX questions_pending ON questions (state, received_at);

CREATE TABLE answers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id      BIGINT NOT NULL UNIQUE REFERENCES questions (id),
    channel          TEXT NOT NULL,
    thread_id        TEXT,
    message_ids      TEXT NOT NULL,
    reply_kind       TEXT NOT NULL,
    primary_category TEXT NOT NULL,
    posted_at        BIGINT NOT NULL
);
CREATE INDEX answers_thread ON answers (thread_id);

-- The snippets an answer showed, in order: feedback on the answer counts for each of them.
CREATE TABLE answer_snippets (
    answer_id  BIGINT NOT NULL REFERENCES answers (id),
    position   BIGINT NOT NULL,
    snippet_id TEXT NOT NULL,
    PRIMARY KEY (answer_id, position)
);

CREATE TABLE feedback (
    answer_id  BIGINT NOT NULL REFERENCES answers (id),
    user_id    TEXT NOT NULL,
    vote       TEXT NOT NULL CHECK (vote IN ('helpful', 'not_helpful', 'flag')),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    detail  TEXT NOT NULL,
    allowed BOOLEAN NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Small facts about the database itself, e.g. that it has been seeded.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
