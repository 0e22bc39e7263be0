package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

var (
	_ fleet.AlertLog    = (*DB)(nil)
	_ fleet.DeliveryLog = (*DB)(nil)
)

// ClaimAlert records an alert's key; false means it was raised before and must not go out again.
func (db *DB) ClaimAlert(ctx context.Context, a fleet.Alert) (bool, error) {
	msg, err := json.Marshal(a.Message)
	if err != nil {
		return false, err
	}
	var fresh bool
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO alerts (alert_key, kind, profile_id, profile_name, message_json, raised_at)
			SELECT ?, ?, (SELECT id FROM profiles WHERE id = ?), ?, ?, ? ON CONFLICT (alert_key) DO NOTHING`,
			a.Key, a.Kind, a.ConnectionID, a.Connection, string(msg), a.RaisedAt.UTC().Format(timeFormat))
		if err != nil {
			return err
		}
		n, err := r.RowsAffected()
		fresh = n == 1
		return err
	})
	return fresh, err
}

// RecordDelivery keeps one channel's delivery of an alert for the history.
func (db *DB) RecordDelivery(ctx context.Context, d fleet.DeliveryRecord) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO alert_deliveries (alert_key, kind, channel, status, attempts, last_error, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.AlertKey, d.Kind, d.Channel, d.Status, d.Attempts, truncate(d.LastError, 500),
			d.At.UTC().Format(timeFormat))
		return err
	})
}

// AlertDelivery is a row of the alerts page's history.
type AlertDelivery struct {
	fleet.DeliveryRecord
	// Connection names the alert's connection; empty for a test alert.
	Connection string
}

// AlertDeliveries returns the latest deliveries, newest first.
func (db *DB) AlertDeliveries(ctx context.Context, limit int) ([]AlertDelivery, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT d.alert_key, d.kind, d.channel, d.status, d.attempts, d.last_error, d.at,
		COALESCE(a.profile_name, '') FROM alert_deliveries d LEFT JOIN alerts a ON a.alert_key = d.alert_key
		ORDER BY d.at DESC, d.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AlertDelivery
	for rows.Next() {
		var d AlertDelivery
		var at sql.NullString
		if err := rows.Scan(&d.AlertKey, &d.Kind, &d.Channel, &d.Status, &d.Attempts, &d.LastError, &at, &d.Connection); err != nil {
			return nil, err
		}
		d.At = parseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AlertConnections lists every connection with when its credential stops working, for the
// daily expiry check.
func (db *DB) AlertConnections(ctx context.Context) ([]fleet.Connection, error) {
	ps, err := db.Profiles(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]fleet.Connection, len(ps))
	for i, p := range ps {
		out[i] = fleet.Connection{ID: p.ID, Name: p.Name, Credential: p.CredentialKind, ExpiresAt: p.ExpiresAt()}
	}
	return out, nil
}

// RunFinished tells an observer that a run was saved as passed or failed, with the status its
// connection had before: what transition alerts are decided from.
type RunFinished struct {
	Connection fleet.Connection
	Prev       fleet.Status
	Run        fleet.RunOutcome
}

// ObserveRuns makes f hear of every run saved from now on (Test now, fleet, schedule: all go
// through FinishRun). f runs after the save committed, on the saver's goroutine; it must be quick.
func (db *DB) ObserveRuns(f func(context.Context, RunFinished)) {
	db.runObserver.Store(&f)
}

// notifyRunFinished tells the observer, if any, with a context the saver's cancellation does
// not end: the run is saved whether or not its browser is still there.
func (db *DB) notifyRunFinished(ctx context.Context, rf RunFinished) {
	if f := db.runObserver.Load(); f != nil {
		(*f)(context.WithoutCancel(ctx), rf)
	}
}

// statusBefore is the status the run's connection has before the run is recorded: the one the
// dashboard shows (profiles.last_outcome).
func statusBefore(ctx context.Context, tx *sql.Tx, runID string) (profileID int64, name string, prev fleet.Status, err error) {
	var pid sql.NullInt64
	var outcome sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT r.profile_id, r.profile_name, p.last_outcome FROM runs r
		LEFT JOIN profiles p ON p.id = r.profile_id WHERE r.id = ?`, runID).Scan(&pid, &name, &outcome)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", ErrNotFound
	}
	if err != nil {
		return 0, "", "", err
	}
	switch outcome.String {
	case OutcomePassed:
		prev = fleet.StatusPassing
	case OutcomeFailed:
		prev = fleet.StatusFailing
	}
	return pid.Int64, name, prev, nil
}

// becameStatus reports whether the run is now its connection's status: a run that started
// before the one the status already shows (fleet runs finish out of order) changes nothing.
func becameStatus(ctx context.Context, tx *sql.Tx, profileID int64, runID string) (bool, error) {
	var last string
	err := tx.QueryRowContext(ctx, "SELECT last_run_id FROM profiles WHERE id = ?", profileID).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return last == runID, err
}
