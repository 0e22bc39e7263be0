-- API tokens for scripts and monitors. Only a SHA-256 hash of the token is stored: a token is
-- 256 random bits, so a fast hash is enough and a copy of the database lets nobody call the API.
-- Names are never reused, so the audit log's "token:NAME" always means one token.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    token_hash   TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'helpdesk')),
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
