-- A fleet run tests many connections as one audited action. selection says how they were chosen
-- ('all', 'failing', 'selected', 'tag', 'schedule'); tag is the tag of a 'tag' selection.
CREATE TABLE fleet_runs (
    id           TEXT PRIMARY KEY,
    started_by   TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    selection    TEXT NOT NULL CHECK (selection IN ('all', 'failing', 'selected', 'tag', 'schedule')),
    tag          TEXT NOT NULL DEFAULT '',
    total        INTEGER NOT NULL,
    cancelled_by TEXT NOT NULL DEFAULT '',
    cancelled_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fleet_runs_by_start ON fleet_runs (started_at);

-- One row per connection of a fleet run. job_id is the queue's check_connection job; two fleet
-- runs that ask for the same connection while its check is pending share the job, so a finished
-- job updates every row carrying its id. version orders the rows' changes within a fleet run, so
-- that the live page asks only for what changed since its last look.
CREATE TABLE fleet_run_items (
    fleet_run_id    TEXT NOT NULL REFERENCES fleet_runs (id) ON DELETE CASCADE,
    profile_id      INTEGER NOT NULL,
    profile_name    TEXT NOT NULL,
    job_id          INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'passed', 'failed', 'cancelled', 'skipped')),
    run_id          TEXT NOT NULL DEFAULT '',
    diagnosis_code  TEXT NOT NULL DEFAULT '',
    diagnosis_title TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (fleet_run_id, profile_id)
);
CREATE INDEX fleet_run_items_by_job ON fleet_run_items (job_id);
CREATE INDEX fleet_run_items_by_version ON fleet_run_items (fleet_run_id, version);

-- A connection's re-test interval in minutes: NULL follows the global default, 0 never re-tests.
ALTER TABLE profiles ADD COLUMN retest_minutes INTEGER CHECK (retest_minutes IS NULL OR retest_minutes >= 0);

-- Console-wide settings as key and value. The global re-test interval in minutes: 0, off, on a
-- fresh install (demo mode turns it on when it starts).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('schedule.default_minutes', '0');
