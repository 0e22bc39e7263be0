-- Test runs outlive their profile: profile_id goes NULL on delete, profile_name keeps the history readable.
CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    profile_id      INTEGER REFERENCES profiles (id) ON DELETE SET NULL,
    profile_name    TEXT NOT NULL,
    started_by      TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('running', 'passed', 'failed', 'interrupted')),
    stage           TEXT NOT NULL DEFAULT '',
    diagnosis_code  TEXT NOT NULL DEFAULT '',
    diagnosis_title TEXT NOT NULL DEFAULT '',
    recipient       TEXT NOT NULL DEFAULT '',
    result_json     TEXT NOT NULL DEFAULT '{}',
    transcript_json TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX runs_by_profile ON runs (profile_id, started_at DESC);
CREATE INDEX runs_by_start ON runs (started_at DESC);

-- The sender shown in From: when it differs from the authenticating mailbox (needs Send As).
ALTER TABLE profiles ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
