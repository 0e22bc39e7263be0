package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// CreateSetupToken makes a one-time link token that creates the first admin, valid for ttl.
// Earlier unused tokens stop working.
func (db *DB) CreateSetupToken(ctx context.Context, ttl time.Duration) (string, error) {
	token := newToken()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		// Only the newest link works: links printed by earlier starts may sit in old logs.
		if _, err := tx.ExecContext(ctx, "DELETE FROM setup_tokens WHERE used_at IS NULL"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)", hashToken(token), db.clock().Add(ttl).UTC().Format(timeFormat))
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
	return err == nil && !used.Valid && db.clock().Before(parseTime(expires))
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
