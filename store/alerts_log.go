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

// previousStatus is the status the run's connection had before it: its latest other finished run.
func previousStatus(ctx context.Context, tx *sql.Tx, runID string) (profileID int64, name string, prev fleet.Status, err error) {
	var pid sql.NullInt64
	if err = tx.QueryRowContext(ctx, "SELECT profile_id, profile_name FROM runs WHERE id = ?", runID).Scan(&pid, &name); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			err = ErrNotFound
		}
		return 0, "", "", err
	}
	var outcome string
	err = tx.QueryRowContext(ctx, `SELECT outcome FROM runs WHERE profile_id = ? AND id != ? AND outcome IN (?, ?)
		ORDER BY finished_at DESC LIMIT 1`, pid.Int64, runID, OutcomePassed, OutcomeFailed).Scan(&outcome)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return pid.Int64, name, fleet.StatusUnknown, nil
	case err != nil:
		return 0, "", "", err
	case outcome == OutcomePassed:
		return pid.Int64, name, fleet.StatusPassing, nil
	}
	return pid.Int64, name, fleet.StatusFailing, nil
}
