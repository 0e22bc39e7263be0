-- Master keys: one check value per key, sealed at creation, so a wrong key is recognised at start.
CREATE TABLE master_keys (
    id          TEXT PRIMARY KEY,
    check_value BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    retired_at  TEXT
);

-- Connection profiles. Secrets are sealed (AES-256-GCM, bound to row and column); the hint is the
-- first three characters, as the Entra portal shows them.
CREATE TABLE profiles (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    cloud              TEXT NOT NULL,
    tenant             TEXT NOT NULL,
    client_id          TEXT NOT NULL,
    credential_kind    TEXT NOT NULL CHECK (credential_kind IN ('secret', 'certificate')),
    secret_sealed      BLOB,
    secret_hint        TEXT NOT NULL DEFAULT '',
    secret_set_at      TEXT,
    secret_expires_on  TEXT NOT NULL DEFAULT '',
    certificate_pem    TEXT NOT NULL DEFAULT '',
    private_key_sealed BLOB,
    mailbox            TEXT NOT NULL,
    test_recipient     TEXT NOT NULL DEFAULT '',
    smtp_host          TEXT NOT NULL DEFAULT '',
    authority          TEXT NOT NULL DEFAULT '',
    notes              TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    created_by         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    updated_by         TEXT NOT NULL
);
