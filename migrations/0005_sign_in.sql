-- Addresses each account signed in from successfully: the per-account ceiling of the sign-in
-- back-off does not apply to them, so nobody can lock a user out from elsewhere.
CREATE TABLE sign_in_known (
    account         TEXT NOT NULL,
    addr            TEXT NOT NULL,
    last_success_at TEXT NOT NULL,
    PRIMARY KEY (account, addr)
);

-- Old failure counters are pruned by age.
CREATE INDEX login_failures_by_time ON login_failures (last_failure_at);
