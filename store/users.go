package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Roles.
const (
	RoleAdmin    = "admin"
	RoleHelpdesk = "helpdesk"
)

// User is a console account; its password hash never leaves the store.
type User struct {
	ID                int64
	Username          string
	Role              string
	CreatedAt         time.Time
	PasswordChangedAt time.Time
}

// IsAdmin reports the admin role.
func (u *User) IsAdmin() bool { return u.Role == RoleAdmin }

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$`)

func validateUser(username, password, role string) error {
	f := newFields()
	if !usernamePattern.MatchString(username) {
		f.add("username", mailer.Msg(CodeUsernameInvalid))
	}
	if role != RoleAdmin && role != RoleHelpdesk {
		f.add("role", mailer.Msg(CodeRoleInvalid))
	}
	if err := CheckPassword(password, username); err != nil {
		f.add("password", err.(*WeakPasswordError).Message)
	}
	return f.err()
}

// CreateUser adds an account.
func (db *DB) CreateUser(ctx context.Context, username, password, role string) (*User, error) {
	username = strings.TrimSpace(username)
	if err := validateUser(username, password, role); err != nil {
		return nil, err
	}
	hash, err := db.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		id, err = db.insertUser(ctx, tx, username, hash, role)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.User(ctx, id)
}

// insertUser adds the row of an account whose input was already validated and hashed.
func (db *DB) insertUser(ctx context.Context, tx *sql.Tx, username, hash, role string) (int64, error) {
	now := db.now()
	res, err := tx.ExecContext(ctx, "INSERT INTO users (username, password_hash, role, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)",
		username, hash, role, now, now)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, &ConflictError{Field: "username", Message: mailer.Msg(CodeUsernameTaken, username)}
		}
		return 0, err
	}
	return res.LastInsertId()
}

const userColumns = "id, username, role, created_at, password_changed_at"

func scanUser(s scanner) (*User, error) {
	var u User
	var created, changed sql.NullString
	err := s.Scan(&u.ID, &u.Username, &u.Role, &created, &changed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u.CreatedAt, u.PasswordChangedAt = parseTime(created), parseTime(changed)
	return &u, nil
}

// User returns an account by ID.
func (db *DB) User(ctx context.Context, id int64) (*User, error) {
	return scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
}

// UserByName returns an account by name (case-insensitive).
func (db *DB) UserByName(ctx context.Context, name string) (*User, error) {
	return scanUser(db.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE username = ?", strings.TrimSpace(name)))
}

// Users lists all accounts.
func (db *DB) Users(ctx context.Context) ([]*User, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts accounts; zero means the console still needs its first admin.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// SetPassword changes a password and ends all of the user's sessions.
func (db *DB) SetPassword(ctx context.Context, id int64, password string) error {
	u, err := db.User(ctx, id)
	if err != nil {
		return err
	}
	if err := CheckPassword(password, u.Username); err != nil {
		return invalid("password", err.(*WeakPasswordError).Code, err.(*WeakPasswordError).Args...)
	}
	hash, err := db.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", hash, db.now(), id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id)
		return err
	})
}

// DeleteUser removes an account and its sessions, and revokes the API tokens it created: a
// person who leaves must not keep the console's API through a script's token. The last admin
// cannot be removed.
func (db *DB) DeleteUser(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var role string
		if err := tx.QueryRowContext(ctx, "SELECT role FROM users WHERE id = ?", id).Scan(&role); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if role == RoleAdmin {
			var admins int
			tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'admin'").Scan(&admins)
			if admins <= 1 {
				return &ConflictError{Field: "user", Message: mailer.Msg(CodeLastAdmin)}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?)
			WHERE created_by = (SELECT username FROM users WHERE id = ?)`, db.now(), id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id)
		return err
	})
}

// Authenticate checks a user name and password. Unknown users cost the same time as a wrong
// password, so the answer does not tell which accounts exist; a name that no account can have
// costs nothing. Sign-ins from the network go through SignIn, which adds the back-off.
func (db *DB) Authenticate(ctx context.Context, username, password string) (*User, error) {
	release, err := db.acquireHash(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return db.authenticate(ctx, username, password)
}

// authenticate is Authenticate for a caller that holds a hash slot.
func (db *DB) authenticate(ctx context.Context, username, password string) (*User, error) {
	username = strings.TrimSpace(username)
	if !usernamePattern.MatchString(username) {
		return nil, ErrBadCredentials
	}
	var id int64
	var hash string
	err := db.read.QueryRowContext(ctx, "SELECT id, password_hash FROM users WHERE username = ?", username).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		verifyPassword(db.dummyHash(), password, db.opts.HashHook)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if !verifyPassword(hash, password, db.opts.HashHook) {
		return nil, ErrBadCredentials
	}
	return db.User(ctx, id)
}

// ErrBadCredentials is the one answer for an unknown user and a wrong password.
var ErrBadCredentials = errors.New("the user name or password is not correct")

// dummyHash is verified against when the user does not exist, so that costs the same: it is
// made once per database, with the database's own cost.
func (db *DB) dummyHash() string {
	db.dummyOnce.Do(func() { db.dummy, _ = HashPassword("smtpoauth timing equaliser", db.opts.Password) })
	return db.dummy
}
