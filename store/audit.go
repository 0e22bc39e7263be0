package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
	"unicode/utf8"
)

// AuditEntry is one line of the audit log. Detail never holds a secret.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	Target     string
	Detail     string
	RemoteAddr string
}

// Audit appends to the log. Each field is cut to a bound: the log is append-only, so whatever
// someone types into a form must not be able to grow it by more than a line. Anonymous entries
// (sign-in attempts) keep less of their target: anyone can write those.
func (db *DB) Audit(ctx context.Context, e AuditEntry) error {
	target := MaxAuditField
	if e.Actor == "" || e.Actor == AnonymousActor {
		target = MaxAnonymousTarget
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO audit_log (at, actor, action, target, detail, remote_addr) VALUES (?, ?, ?, ?, ?, ?)",
			db.now(), truncate(e.Actor, 128), truncate(e.Action, 64), truncate(e.Target, target), truncate(e.Detail, 4*MaxAuditField), truncate(e.RemoteAddr, 64))
		return err
	})
}

// MaxAuditField is how many bytes of an audit entry's target are kept.
const MaxAuditField = 256

// AnonymousActor is the actor the console records for requests nobody signed in for.
const AnonymousActor = "anonymous"

// MaxAnonymousTarget is how many bytes of the target of an entry without an actor are kept.
const MaxAnonymousTarget = 64

// truncate keeps at most n bytes of s, cut at a character boundary and marked with an ellipsis.
// Bytes, not characters: a character may take four.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.ToValidUTF8(s[:max(cut, 0)], "") + mark
}

// AuditFilter narrows the log; empty fields match everything.
type AuditFilter struct {
	Actor, Action string
	From, To      time.Time
	Limit         int
}

// AuditLog returns entries, newest first.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := "SELECT id, at, actor, action, target, detail, remote_addr FROM audit_log WHERE 1=1"
	var args []any
	if f.Actor != "" {
		q += " AND actor = ?"
		args = append(args, strings.TrimSpace(f.Actor))
	}
	if f.Action != "" {
		q += " AND action LIKE ? ESCAPE '\\'"
		args = append(args, strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(f.Action))+"%")
	}
	if !f.From.IsZero() {
		q += " AND at >= ?"
		args = append(args, f.From.UTC().Format(timeFormat))
	}
	if !f.To.IsZero() {
		q += " AND at < ?"
		args = append(args, f.To.UTC().Format(timeFormat))
	}
	if f.Limit <= 0 {
		f.Limit = 500
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.RemoteAddr); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
