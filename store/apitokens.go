package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// API token scopes: what a token may be used for besides its role.
const (
	// ScopeAPI lets a token call the REST API under /api/v1 with its role's rights.
	ScopeAPI = "api"
	// ScopeMetrics lets a token read /metrics.
	ScopeMetrics = "metrics"
)

// TokenPrefix starts every API token, so that secret scanners and people recognise one.
const TokenPrefix = "smtpoauth_"

// APIToken is a token as the console lists it; the token itself is never stored or returned.
type APIToken struct {
	ID        int64
	Name      string
	Hint      string // the last four characters, to tell tokens apart
	Role      string
	Scopes    []string
	CreatedAt time.Time
	CreatedBy string
	ExpiresAt time.Time // zero: never
	LastUsed  time.Time // zero: never used
	RevokedAt time.Time // zero: not revoked
}

// IsAdmin reports the admin role.
func (t *APIToken) IsAdmin() bool { return t.Role == RoleAdmin }

// HasScope reports whether the token may be used for scope.
func (t *APIToken) HasScope(scope string) bool { return slices.Contains(t.Scopes, scope) }

// Usable reports whether the token is neither revoked nor expired at now.
func (t *APIToken) Usable(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// APITokenInput is what an admin asks for.
type APITokenInput struct {
	Name   string
	Role   string
	Scopes []string
	// TTL is how long the token works; 0 means until revoked.
	TTL time.Duration
}

var tokenNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// MaxTokenTTL is the longest life a token may be given: a forgotten token should die eventually.
const MaxTokenTTL = 5 * 365 * 24 * time.Hour

// The codes of the API token rules' messages.
const (
	CodeTokenNameInvalid = "store.token_name_invalid"
	CodeTokenScopes      = "store.token_scopes_invalid"
	CodeTokenLifetime    = "store.token_lifetime_invalid"
	CodeTokenNameTaken   = "store.token_name_taken"
)

func (in *APITokenInput) validate() error {
	f := newFields()
	if !tokenNamePattern.MatchString(in.Name) {
		f.add("name", mailer.Msg(CodeTokenNameInvalid))
	}
	if in.Role != RoleAdmin && in.Role != RoleHelpdesk {
		f.add("role", mailer.Msg(CodeRoleInvalid))
	}
	if len(in.Scopes) == 0 || slices.ContainsFunc(in.Scopes, func(s string) bool { return s != ScopeAPI && s != ScopeMetrics }) {
		f.add("scopes", mailer.Msg(CodeTokenScopes))
	}
	if in.TTL != 0 && (in.TTL < time.Hour || in.TTL > MaxTokenTTL) {
		f.add("expires", mailer.Msg(CodeTokenLifetime))
	}
	return f.err()
}

// CreateAPIToken makes a token and returns it with its record. The token is shown to its
// creator once; only its hash is kept.
func (db *DB) CreateAPIToken(ctx context.Context, in APITokenInput, by string) (string, *APIToken, error) {
	in.Name = strings.TrimSpace(in.Name)
	slices.Sort(in.Scopes)
	in.Scopes = slices.Compact(in.Scopes)
	if err := in.validate(); err != nil {
		return "", nil, err
	}
	token := TokenPrefix + newToken()
	var expires sql.NullString
	if in.TTL > 0 {
		expires = sql.NullString{String: db.clock().Add(in.TTL).UTC().Format(timeFormat), Valid: true}
	}
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (name, token_hash, hint, role, scopes, created_at, created_by, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, in.Name, hashToken(token), token[len(token)-4:], in.Role, strings.Join(in.Scopes, " "), db.now(), by, expires)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE constraint failed: api_tokens.name") {
				return &ConflictError{Field: "name", Message: mailer.Msg(CodeTokenNameTaken, in.Name)}
			}
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return "", nil, err
	}
	t, err := db.apiToken(ctx, "id = ?", id)
	return token, t, err
}

const apiTokenColumns = "id, name, hint, role, scopes, created_at, created_by, expires_at, last_used_at, revoked_at"

func scanAPIToken(s scanner) (*APIToken, error) {
	var t APIToken
	var scopes string
	var created, expires, used, revoked sql.NullString
	err := s.Scan(&t.ID, &t.Name, &t.Hint, &t.Role, &scopes, &created, &t.CreatedBy, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	t.Scopes = strings.Fields(scopes)
	t.CreatedAt, t.ExpiresAt, t.LastUsed, t.RevokedAt = parseTime(created), parseTime(expires), parseTime(used), parseTime(revoked)
	return &t, nil
}

func (db *DB) apiToken(ctx context.Context, where string, arg any) (*APIToken, error) {
	return scanAPIToken(db.read.QueryRowContext(ctx, "SELECT "+apiTokenColumns+" FROM api_tokens WHERE "+where, arg))
}

// APITokenByName returns a token's record by its name.
func (db *DB) APITokenByName(ctx context.Context, name string) (*APIToken, error) {
	return db.apiToken(ctx, "name = ?", strings.TrimSpace(name))
}

// APITokens lists all tokens, revoked and expired ones included, by name.
func (db *DB) APITokens(ctx context.Context) ([]*APIToken, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+apiTokenColumns+" FROM api_tokens ORDER BY name COLLATE NOCASE")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ErrTokenUnusable says a presented token is known but revoked or expired; the record comes
// with it so the refusal can be audited under the token's name.
var ErrTokenUnusable = errors.New("this API token was revoked or has expired")

// LookupAPIToken returns the record of a presented token. An unknown token is ErrNotFound; a
// revoked or expired one is ErrTokenUnusable with its record, so the refusal names it. A usable
// token's last use is noted at most once a minute.
func (db *DB) LookupAPIToken(ctx context.Context, token string) (*APIToken, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 128 {
		return nil, ErrNotFound
	}
	h := hashToken(token)
	t, err := db.apiToken(ctx, "token_hash = ?", h)
	if err != nil {
		return nil, err
	}
	now := db.clock()
	if !t.Usable(now) {
		return t, ErrTokenUnusable
	}
	if now.Sub(t.LastUsed) > time.Minute {
		// A failed note of last use must not refuse the request it describes.
		_ = db.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", db.now(), t.ID)
			return err
		})
	}
	return t, nil
}

// RevokeAPIToken stops a token working at once; its record stays for the audit trail.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", db.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
