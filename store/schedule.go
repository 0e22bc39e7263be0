package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// CodeRetestInvalid: a re-test interval outside 0 … MaxRetestMinutes.
const CodeRetestInvalid = "store.retest_invalid"

// settingDefaultRetest is the global re-test interval in minutes (0: off); settingDefaultSetBy
// names who last chose it, so that demo mode never overrides an admin's choice.
const (
	settingDefaultRetest = "schedule.default_minutes"
	settingDefaultSetBy  = "schedule.default_set_by"
)

// MaxRetestMinutes bounds a re-test interval: a year.
const MaxRetestMinutes = 366 * 24 * 60

// DefaultRetest is the global re-test interval in minutes; 0 means connections that follow it
// are not re-tested.
func (db *DB) DefaultRetest(ctx context.Context) (int, error) {
	var v string
	err := db.read.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", settingDefaultRetest).Scan(&v)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(v)
	return n, nil
}

// SetDefaultRetest sets the global re-test interval (0: off), noting who chose it.
func (db *DB) SetDefaultRetest(ctx context.Context, minutes int, by string) error {
	if minutes < 0 || minutes > MaxRetestMinutes {
		return &ValidationError{Fields: map[string]mailer.Message{"retest": mailer.Msg(CodeRetestInvalid, strconv.Itoa(MaxRetestMinutes))}}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{settingDefaultRetest: strconv.Itoa(minutes), settingDefaultSetBy: by} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// InitDefaultRetest sets the global interval unless somebody already chose one: demo mode turns
// the schedule on this way, and an admin who turned it off keeps it off.
func (db *DB) InitDefaultRetest(ctx context.Context, minutes int) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE settings SET value = ? WHERE key = ?
			AND NOT EXISTS (SELECT 1 FROM settings WHERE key = ?)`, strconv.Itoa(minutes), settingDefaultRetest, settingDefaultSetBy)
		return err
	})
}

// SetRetest sets a connection's own re-test interval in minutes; nil follows the global default,
// 0 never re-tests it.
func (db *DB) SetRetest(ctx context.Context, profileID int64, minutes *int) error {
	v := sql.NullInt64{}
	if minutes != nil {
		if *minutes < 0 || *minutes > MaxRetestMinutes {
			return &ValidationError{Fields: map[string]mailer.Message{"retest": mailer.Msg(CodeRetestInvalid, strconv.Itoa(MaxRetestMinutes))}}
		}
		v = sql.NullInt64{Int64: int64(*minutes), Valid: true}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE profiles SET retest_minutes = ? WHERE id = ?", v, profileID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// Retest is a connection's own re-test interval: nil follows the global default.
func (db *DB) Retest(ctx context.Context, profileID int64) (*int, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, "SELECT retest_minutes FROM profiles WHERE id = ?", profileID).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	if err != nil || !v.Valid {
		return nil, err
	}
	n := int(v.Int64)
	return &n, nil
}

// DueForRetest lists the connections whose re-test is due at now: an interval (their own, or
// the global default when they have none) above zero, a stored credential, and a last finished
// test longer ago than the interval stretched by jitter(id), a fraction in [0, 1) that spreads
// connections saved together over time. Never-tested connections are due at once; a connection
// whose check waits or runs is not due again, so a slow tick does not pile up fleet runs. Everything
// it reads is stored, so a restart loses no schedule.
func (db *DB) DueForRetest(ctx context.Context, now time.Time, jitter func(profileID int64) float64) ([]FleetTarget, error) {
	def, err := db.DefaultRetest(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, COALESCE(retest_minutes, ?), last_tested_at FROM profiles
		WHERE COALESCE(retest_minutes, ?) > 0 AND secret_set_at IS NOT NULL
		AND id NOT IN (SELECT profile_id FROM fleet_run_items WHERE state IN ('queued', 'running'))
		ORDER BY last_tested_at, id`, def, def)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FleetTarget
	for rows.Next() {
		var t FleetTarget
		var minutes int
		var last string
		if err := rows.Scan(&t.ProfileID, &t.Name, &minutes, &last); err != nil {
			return nil, err
		}
		if last != "" {
			tested := parseTime(sql.NullString{String: last, Valid: true})
			every := time.Duration(minutes) * time.Minute
			if tested.Add(every + time.Duration(float64(every)*jitter(t.ProfileID))).After(now) {
				continue
			}
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
