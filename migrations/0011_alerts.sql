-- Alerts (issue 12). alert_settings has one row. The webhook's signing secret is sealed like a
-- profile's secret (bound to this table, column and row 1) and never shown back; the sender is
-- the stored connection alert e-mails go out through.
CREATE TABLE alert_settings (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    webhook_url           TEXT NOT NULL DEFAULT '',
    webhook_secret_sealed BLOB,
    webhook_secret_set_at TEXT,
    sender_profile_id     INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
    recipients            TEXT NOT NULL DEFAULT '',
    updated_at            TEXT,
    updated_by            TEXT NOT NULL DEFAULT ''
);
INSERT INTO alert_settings (id) VALUES (1);

-- Every alert raised, by its key: a transition's run or an expiry's date and threshold. The
-- primary key is what makes each one go out once.
CREATE TABLE alerts (
    alert_key    TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    profile_id   INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
    profile_name TEXT NOT NULL DEFAULT '',
    message_json TEXT NOT NULL,
    raised_at    TEXT NOT NULL
);

-- One row per channel and alert (test alerts included): what happened, never a secret.
CREATE TABLE alert_deliveries (
    id         INTEGER PRIMARY KEY,
    alert_key  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    attempts   INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX alert_deliveries_at ON alert_deliveries (at);
