package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

// Run outcomes.
const (
	OutcomeRunning     = "running"
	OutcomePassed      = "passed"
	OutcomeFailed      = "failed"
	OutcomeInterrupted = "interrupted" // the process stopped while the run was going
)

// Run is one test run with its redacted transcript. It never holds a token or a secret.
type Run struct {
	ID string
	// ProfileID is 0 once the profile was deleted; ProfileName keeps the history readable.
	ProfileID   int64
	ProfileName string
	StartedBy   string
	StartedAt   time.Time
	FinishedAt  time.Time
	Outcome     string
	Stage       string
	Recipient   string
	// Result holds the diagnosis, claims and timings (its transcript is in Events).
	Result *mailer.Result
	Events []mailer.Event
}

// ProfileDeleted reports whether the run's profile no longer exists.
func (r *Run) ProfileDeleted() bool { return r.ProfileID == 0 }

// DisplayName is the profile's name, or "deleted profile <name>".
func (r *Run) DisplayName() string {
	if r.ProfileDeleted() {
		return "deleted profile " + r.ProfileName
	}
	return r.ProfileName
}

// NewRunID returns a random, URL-safe, unguessable run ID for permalinks.
func NewRunID() string {
	b := make([]byte, 10)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// StartRun records a run that has begun.
func (db *DB) StartRun(ctx context.Context, r *Run) error {
	if r.ID == "" {
		r.ID = NewRunID()
	}
	r.Outcome = OutcomeRunning
	if r.StartedAt.IsZero() {
		r.StartedAt = db.clock()
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO runs (id, profile_id, profile_name, started_by, started_at, outcome, recipient)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, nullID(r.ProfileID), r.ProfileName, r.StartedBy, r.StartedAt.UTC().Format(timeFormat), OutcomeRunning, r.Recipient)
		return err
	})
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// FinishRun stores a run's result and transcript.
func (db *DB) FinishRun(ctx context.Context, id string, res *mailer.Result) error {
	outcome := OutcomeFailed
	if res.OK {
		outcome = OutcomePassed
	}
	return db.saveResult(ctx, id, res, outcome)
}

// InterruptRun stores the result of a run that finished but could not be saved before the
// console stopped: it is kept, marked interrupted, so that nobody reads it as a clean outcome.
func (db *DB) InterruptRun(ctx context.Context, id string, res *mailer.Result) error {
	return db.saveResult(ctx, id, res, OutcomeInterrupted)
}

func (db *DB) saveResult(ctx context.Context, id string, res *mailer.Result, outcome string) error {
	events, err := encodeTranscript(res.Events)
	if err != nil {
		return err
	}
	result, err := encodeResult(res)
	if err != nil {
		return err
	}
	var code, title string
	if res.Diagnosis != nil {
		code, title = res.Diagnosis.Code, res.Diagnosis.Title
	}
	var rf RunFinished
	var changed bool
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		// The status before and after, read in the transaction that records the run: two runs
		// saved at once each see the status the other left or did not leave.
		var err error
		if rf.Connection.ID, rf.Connection.Name, rf.Prev, err = statusBefore(ctx, tx, id); err != nil {
			return err
		}
		r, err := tx.ExecContext(ctx, `UPDATE runs SET finished_at = ?, outcome = ?, stage = ?, diagnosis_code = ?, diagnosis_title = ?,
			result_json = ?, transcript_json = ? WHERE id = ?`,
			res.Finished.UTC().Format(timeFormat), outcome, string(res.Stage), code, title, string(result), string(events), id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if err := recordStatus(ctx, tx, id, outcome); err != nil {
			return err
		}
		changed, err = becameStatus(ctx, tx, rf.Connection.ID, id)
		return err
	})
	if err == nil && changed && outcome != OutcomeInterrupted && rf.Connection.ID != 0 {
		rf.Run = fleet.RunOutcome{ID: id, Passed: outcome == OutcomePassed, Diagnosis: code, Finished: res.Finished}
		db.notifyRunFinished(ctx, rf)
	}
	return err
}

// InterruptRuns marks runs left "running" by a process that stopped; called at start-up.
func (db *DB) InterruptRuns(ctx context.Context) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE runs SET outcome = ?, finished_at = ? WHERE outcome = ?", OutcomeInterrupted, db.now(), OutcomeRunning)
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

const runColumns = "id, profile_id, profile_name, started_by, started_at, finished_at, outcome, stage, recipient, result_json, transcript_json"

func scanRun(s scanner) (*Run, error) {
	var r Run
	var pid sql.NullInt64
	var started, finished sql.NullString
	var result, events string
	err := s.Scan(&r.ID, &pid, &r.ProfileName, &r.StartedBy, &started, &finished, &r.Outcome, &r.Stage, &r.Recipient, &result, &events)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.ProfileID = pid.Int64
	r.StartedAt, r.FinishedAt = parseTime(started), parseTime(finished)
	if r.Outcome != OutcomeRunning && result != "{}" {
		if r.Result, err = decodeResult([]byte(result)); err != nil {
			return nil, err
		}
	}
	if r.Events, err = decodeTranscript([]byte(events)); err != nil {
		return nil, err
	}
	return &r, nil
}

// Run returns one run.
func (db *DB) Run(ctx context.Context, id string) (*Run, error) {
	return scanRun(db.read.QueryRowContext(ctx, "SELECT "+runColumns+" FROM runs WHERE id = ?", id))
}

// Runs lists a profile's runs, newest first; profileID 0 lists all runs.
func (db *DB) Runs(ctx context.Context, profileID int64, limit int) ([]*Run, error) {
	q, args := "SELECT "+runColumns+" FROM runs", []any{}
	if profileID != 0 {
		q += " WHERE profile_id = ?"
		args = append(args, profileID)
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY started_at DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunSummary is the last run of a profile as the dashboard shows it.
type RunSummary struct {
	ID, Outcome, DiagnosisCode, DiagnosisTitle string
	StartedAt                                  time.Time
}

// RunListItem is a run as /runs lists it. It comes from the runs table's own columns, never
// from the result or transcript JSON.
type RunListItem struct {
	RunSummary
	// ProfileID is 0 once the profile was deleted.
	ProfileID              int64
	ProfileName, StartedBy string
}

// ProfileDeleted reports whether the run's profile no longer exists.
func (s *RunListItem) ProfileDeleted() bool { return s.ProfileID == 0 }

// RunList lists recent runs across all profiles, newest first, reading only the columns a
// list shows: a run's transcript can be tens of kilobytes, and /runs shows 200 of them.
func (db *DB) RunList(ctx context.Context, limit int) ([]RunListItem, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, profile_id, profile_name, started_by, started_at, outcome, diagnosis_code, diagnosis_title
		FROM runs ORDER BY started_at DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunListItem
	for rows.Next() {
		var s RunListItem
		var pid sql.NullInt64
		var started sql.NullString
		if err := rows.Scan(&s.ID, &pid, &s.ProfileName, &s.StartedBy, &started, &s.Outcome, &s.DiagnosisCode, &s.DiagnosisTitle); err != nil {
			return nil, err
		}
		s.ProfileID, s.StartedAt = pid.Int64, parseTime(started)
		out = append(out, s)
	}
	return out, rows.Err()
}

// LastRuns returns each profile's latest run, keyed by profile ID, in one query.
func (db *DB) LastRuns(ctx context.Context) (map[int64]RunSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT profile_id, id, outcome, diagnosis_code, diagnosis_title, started_at FROM runs r
		WHERE profile_id IS NOT NULL AND started_at = (SELECT MAX(started_at) FROM runs WHERE profile_id = r.profile_id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]RunSummary{}
	for rows.Next() {
		var pid int64
		var s RunSummary
		var started sql.NullString
		if err := rows.Scan(&pid, &s.ID, &s.Outcome, &s.DiagnosisCode, &s.DiagnosisTitle, &started); err != nil {
			return nil, err
		}
		s.StartedAt = parseTime(started)
		out[pid] = s
	}
	return out, rows.Err()
}
