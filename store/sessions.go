package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"
)

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle, Absolute time.Duration
}

// DefaultSessionPolicy: an hour without activity, twelve hours at most.
var DefaultSessionPolicy = SessionPolicy{Idle: time.Hour, Absolute: 12 * time.Hour}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateSession starts a session with a fresh random ID (never one the browser offered).
func (db *DB) CreateSession(ctx context.Context, userID int64) (string, error) {
	token := newToken()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)", hashToken(token), userID, now, now)
		return err
	})
	return token, err
}

// SessionUser returns the session's user and marks it active; expired sessions are removed.
func (db *DB) SessionUser(ctx context.Context, token string, policy SessionPolicy) (*User, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	var userID int64
	var created, seen sql.NullString
	h := hashToken(token)
	err := db.hot.queryRow(ctx, "SELECT user_id, created_at, last_seen_at FROM sessions WHERE id_hash = ?", h).Scan(&userID, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	now := db.clock()
	if now.Sub(parseTime(created)) > policy.Absolute || now.Sub(parseTime(seen)) > policy.Idle {
		db.EndSession(ctx, token)
		return nil, ErrNotFound
	}
	// Touch at most once a minute, and at least ten times per idle period: a page with many
	// requests need not write on each, and an idle timeout of seconds still keeps active users in.
	if now.Sub(parseTime(seen)) > min(time.Minute, policy.Idle/10) {
		db.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", db.now(), h)
			return err
		})
	}
	return scanUser(db.hot.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", userID))
}

// EndSession signs one session out.
func (db *DB) EndSession(ctx context.Context, token string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = ?", hashToken(token))
		return err
	})
}

// EndAllSessions signs a user out everywhere.
func (db *DB) EndAllSessions(ctx context.Context, userID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
		return err
	})
}
