-- Tags group connections, e.g. by customer; a connection has several. They compare without case,
-- and the index serves "every connection tagged T".
CREATE TABLE profile_tags (
    profile_id INTEGER NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (profile_id, tag)
) WITHOUT ROWID;
CREATE INDEX profile_tags_by_tag ON profile_tags (tag, profile_id);

-- The certificate's NotAfter (YYYY-MM-DDTHH:MM:SSZ, UTC), noted when a certificate is saved so
-- that expiry can be counted without parsing certificates; '' for a secret.
ALTER TABLE profiles ADD COLUMN certificate_not_after TEXT NOT NULL DEFAULT '';

-- The connection's status: its latest finished run (passed or failed), kept on the connection so
-- that the dashboard counts, sorts and pages thousands of connections in one query. Written in the
-- transaction that saves the run; '' means never tested.
ALTER TABLE profiles ADD COLUMN last_run_id TEXT NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN last_outcome TEXT NOT NULL DEFAULT ''
    CHECK (last_outcome IN ('', 'passed', 'failed'));
ALTER TABLE profiles ADD COLUMN last_tested_at TEXT NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN last_diagnosis_code TEXT NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN last_diagnosis_title TEXT NOT NULL DEFAULT '';

UPDATE profiles SET (last_run_id, last_outcome, last_tested_at, last_diagnosis_code, last_diagnosis_title) = (
    SELECT id, outcome, started_at, diagnosis_code, diagnosis_title FROM runs
    WHERE runs.profile_id = profiles.id AND outcome IN ('passed', 'failed')
    ORDER BY started_at DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM runs WHERE runs.profile_id = profiles.id AND outcome IN ('passed', 'failed'));

CREATE INDEX profiles_by_status ON profiles (last_outcome, last_tested_at);
