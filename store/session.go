package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
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
	now := db.Now()
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

// CreateSetupToken makes a one-time link token that creates the first admin, valid for ttl.
// Earlier unused tokens stop working.
func (db *DB) CreateSetupToken(ctx context.Context, ttl time.Duration) (string, error) {
	token := newToken()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		// Only the newest link works: links printed by earlier starts may sit in old logs.
		if _, err := tx.ExecContext(ctx, "DELETE FROM setup_tokens WHERE used_at IS NULL"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)", hashToken(token), db.Now().Add(ttl).UTC().Format(timeFormat))
		return err
	})
	return token, err
}

// ErrSetupLinkInvalid says a setup link was used already, expired, or never existed.
var ErrSetupLinkInvalid = errors.New("this setup link was already used or has expired: restart the console for a new one, or use 'smtpoauth user add'")

// SetupTokenValid reports whether the token can still be used.
func (db *DB) SetupTokenValid(ctx context.Context, token string) bool {
	var expires sql.NullString
	var used sql.NullString
	err := db.read.QueryRowContext(ctx, "SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = ?", hashToken(token)).Scan(&expires, &used)
	return err == nil && !used.Valid && db.Now().Before(parseTime(expires))
}

// UseSetupToken creates the first admin with a valid token, once, in one transaction.
func (db *DB) UseSetupToken(ctx context.Context, token, username, password string) (*User, error) {
	// The token first: a wrong link costs a hash lookup, never an argon2 hash.
	if !db.SetupTokenValid(ctx, token) {
		return nil, ErrSetupLinkInvalid
	}
	username = strings.TrimSpace(username)
	if err := validateUser(username, password, RoleAdmin); err != nil {
		return nil, err
	}
	hash, err := db.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", db.now(), hashToken(token), db.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrSetupLinkInvalid
		}
		var users int
		tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&users)
		if users > 0 {
			return ErrSetupLinkInvalid
		}
		id, err = db.insertUser(ctx, tx, username, hash, RoleAdmin)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.User(ctx, id)
}
