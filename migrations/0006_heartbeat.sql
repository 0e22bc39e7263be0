-- One row that /readyz rewrites: proof that the database still takes writes (not locked, not on
-- a full or read-only disk), which a read alone cannot show.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
