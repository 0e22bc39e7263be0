package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Fleet run selections: how a fleet run chose its connections.
const (
	SelectAll      = "all"
	SelectFailing  = "failing"
	SelectSelected = "selected"
	SelectTag      = "tag"
	SelectSchedule = "schedule"
)

// States of a fleet run's item.
const (
	ItemQueued    = "queued"
	ItemRunning   = "running"
	ItemPassed    = "passed"
	ItemFailed    = "failed"
	ItemCancelled = "cancelled" // the fleet run was cancelled before the check began
	ItemSkipped   = "skipped"   // the connection was deleted, or has no credential
)

// FleetRun is many connections tested as one action.
type FleetRun struct {
	ID        string
	StartedBy string
	StartedAt time.Time
	// Selection is one of the Select constants; Tag goes with SelectTag.
	Selection, Tag string
	Total          int
	CancelledBy    string
	CancelledAt    time.Time // zero unless cancelled
}

// Cancelled reports whether somebody cancelled the fleet run.
func (f *FleetRun) Cancelled() bool { return !f.CancelledAt.IsZero() }

// FleetTarget is a connection a fleet run tests.
type FleetTarget struct {
	ProfileID int64
	Name      string
}

// FleetItem is one connection of a fleet run and where its check is.
type FleetItem struct {
	ProfileID   int64
	ProfileName string
	JobID       int64
	State       string
	// RunID is the run the check saved, once it began.
	RunID                         string
	DiagnosisCode, DiagnosisTitle string
	// Version orders the item's changes within its fleet run.
	Version int64
}

// Done reports whether the item's check ended (or never will run).
func (it *FleetItem) Done() bool {
	return it.State != ItemQueued && it.State != ItemRunning
}

// FleetCounts count a fleet run's items by state, and its failures by diagnosis.
type FleetCounts struct {
	Queued, Running, Passed, Failed, Cancelled, Skipped int
	// ByDiagnosis is the failed items per diagnosis, most frequent first.
	ByDiagnosis []DiagnosisCount
}

// DiagnosisCount is how many failed items had one diagnosis.
type DiagnosisCount struct {
	Code, Title string
	Count       int
}

// Finished reports whether no item waits or runs.
func (c FleetCounts) Finished() bool { return c.Queued == 0 && c.Running == 0 }

// FleetTargets lists the connections a selection covers, by name: every connection, the failing
// ones, those with one of ids, or those carrying tag.
func (db *DB) FleetTargets(ctx context.Context, selection, tag string, ids []int64) ([]FleetTarget, error) {
	q := "SELECT id, name FROM profiles"
	var args []any
	switch selection {
	case SelectAll:
	case SelectFailing:
		q += " WHERE last_outcome = 'failed'"
	case SelectTag:
		q += " WHERE id IN (SELECT profile_id FROM profile_tags WHERE tag = ?)"
		args = append(args, strings.TrimSpace(tag))
	case SelectSelected:
		if len(ids) == 0 {
			return nil, nil
		}
		q += " WHERE id IN (SELECT value FROM json_each(?))"
		args = append(args, int64sJSON(ids))
	default:
		return nil, fmt.Errorf("unknown fleet selection %q", selection)
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY name COLLATE NOCASE, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FleetTarget
	for rows.Next() {
		var t FleetTarget
		if err := rows.Scan(&t.ProfileID, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func int64sJSON(ids []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", id)
	}
	b.WriteByte(']')
	return b.String()
}

// CreateFleetRun records a fleet run and its items, all queued, in one transaction; f.ID and
// f.StartedAt are filled when empty.
func (db *DB) CreateFleetRun(ctx context.Context, f *FleetRun, targets []FleetTarget) error {
	if f.ID == "" {
		f.ID = NewRunID()
	}
	if f.StartedAt.IsZero() {
		f.StartedAt = db.clock()
	}
	f.Total = len(targets)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO fleet_runs (id, started_by, started_at, selection, tag, total) VALUES (?, ?, ?, ?, ?, ?)`,
			f.ID, f.StartedBy, f.StartedAt.UTC().Format(timeFormat), f.Selection, f.Tag, f.Total); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO fleet_run_items (fleet_run_id, profile_id, profile_name) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, t := range targets {
			if _, err := st.ExecContext(ctx, f.ID, t.ProfileID, t.Name); err != nil {
				return err
			}
		}
		return nil
	})
}

// FleetJob is the queue job that checks one connection of a fleet run. Owner is the fleet run
// the job was made for: another one when this fleet run found the connection's check pending.
type FleetJob struct {
	ProfileID, JobID int64
	Owner            string
}

// SetFleetJobs notes each item's queue job. An item that shares another fleet run's job takes
// over that item's state if the check has begun or ended already; otherwise the check updates
// it when it starts and ends. The check's own updates and this are serialised by the writer, so
// either this sees the check's state, or the check sees the item's job.
func (db *DB) SetFleetJobs(ctx context.Context, fleetID string, jobs []FleetJob) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		set, err := tx.PrepareContext(ctx, `UPDATE fleet_run_items SET job_id = ? WHERE fleet_run_id = ? AND profile_id = ?`)
		if err != nil {
			return err
		}
		defer set.Close()
		adopt, err := tx.PrepareContext(ctx, `UPDATE fleet_run_items SET (state, run_id, diagnosis_code, diagnosis_title) =
			(SELECT o.state, o.run_id, o.diagnosis_code, o.diagnosis_title FROM fleet_run_items o WHERE o.fleet_run_id = ? AND o.profile_id = ?),
			version = `+nextVersion+`
			WHERE fleet_run_id = ? AND profile_id = ? AND state = 'queued' AND EXISTS (SELECT 1 FROM fleet_run_items o
				WHERE o.fleet_run_id = ? AND o.profile_id = ? AND o.state IN ('running', 'passed', 'failed', 'skipped'))`)
		if err != nil {
			return err
		}
		defer adopt.Close()
		for _, j := range jobs {
			if _, err := set.ExecContext(ctx, j.JobID, fleetID, j.ProfileID); err != nil {
				return err
			}
			if j.Owner == "" || j.Owner == fleetID {
				continue
			}
			if _, err := adopt.ExecContext(ctx, j.Owner, j.ProfileID, fleetID, j.ProfileID, j.Owner, j.ProfileID); err != nil {
				return err
			}
		}
		return nil
	})
}

// itemsOfJob selects the items a check updates: its own fleet run's item, and any other fleet
// run's item that shares its job.
const itemsOfJob = `((fleet_run_id = ? AND profile_id = ?) OR (job_id = ? AND job_id != 0))`

// nextVersion is the item's next change number within its fleet run.
// It reads the top of the (fleet_run_id, version) index instead of aggregating every item.
const nextVersion = `(COALESCE((SELECT v.version FROM fleet_run_items v WHERE v.fleet_run_id = fleet_run_items.fleet_run_id
	ORDER BY v.version DESC LIMIT 1), 0) + 1)`

// StartFleetItems marks the queued items of a check running and returns how many there were
// (a job tried again after a restart finds its items running already and counts them): none
// means every fleet run that asked for it was cancelled meanwhile.
func (db *DB) StartFleetItems(ctx context.Context, fleetID string, profileID, jobID int64) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE fleet_run_items SET state = 'running', version = `+nextVersion+`
			WHERE state IN ('queued', 'running') AND `+itemsOfJob, fleetID, profileID, jobID)
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return int(n), err
}

// FinishFleetItems records a check's end on its items: state, its run, its diagnosis.
func (db *DB) FinishFleetItems(ctx context.Context, fleetID string, profileID, jobID int64, state, runID, code, title string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE fleet_run_items SET state = ?, run_id = ?, diagnosis_code = ?, diagnosis_title = ?, version = `+nextVersion+`
			WHERE state IN ('queued', 'running') AND `+itemsOfJob, state, runID, code, title, fleetID, profileID, jobID)
		return err
	})
}

// CancelFleetRun marks a fleet run cancelled and its queued items cancelled, returning their
// jobs so the queue can drop them. Running checks finish and are saved. Cancelling twice is
// not an error.
func (db *DB) CancelFleetRun(ctx context.Context, id, by string) ([]int64, error) {
	var jobs []int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE fleet_runs SET cancelled_by = ?, cancelled_at = ? WHERE id = ? AND cancelled_at = ''`, by, db.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM fleet_runs WHERE id = ?", id).Scan(&one); err == sql.ErrNoRows {
				return ErrNotFound
			}
			return err
		}
		rows, err := tx.QueryContext(ctx, `UPDATE fleet_run_items SET state = 'cancelled', version = `+nextVersion+`
			WHERE fleet_run_id = ? AND state = 'queued' RETURNING job_id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var j int64
			if err := rows.Scan(&j); err != nil {
				return err
			}
			if j != 0 {
				jobs = append(jobs, j)
			}
		}
		return rows.Err()
	})
	return jobs, err
}

const fleetRunColumns = "id, started_by, started_at, selection, tag, total, cancelled_by, cancelled_at"

func scanFleetRun(s scanner) (*FleetRun, error) {
	var f FleetRun
	var started, cancelled string
	err := s.Scan(&f.ID, &f.StartedBy, &started, &f.Selection, &f.Tag, &f.Total, &f.CancelledBy, &cancelled)
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	f.StartedAt = parseTime(sql.NullString{String: started, Valid: true})
	f.CancelledAt = parseTime(sql.NullString{String: cancelled, Valid: cancelled != ""})
	return &f, nil
}

// FleetRun is the fleet run with id.
func (db *DB) FleetRun(ctx context.Context, id string) (*FleetRun, error) {
	return scanFleetRun(db.read.QueryRowContext(ctx, "SELECT "+fleetRunColumns+" FROM fleet_runs WHERE id = ?", id))
}

// FleetRuns lists the latest fleet runs, newest first.
func (db *DB) FleetRuns(ctx context.Context, limit int) ([]*FleetRun, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+fleetRunColumns+" FROM fleet_runs ORDER BY started_at DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*FleetRun
	for rows.Next() {
		f, err := scanFleetRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FleetItems lists a fleet run's items: all of them by name (after < 0), or those changed after
// version after, in the order they changed; at most limit (0: no limit).
func (db *DB) FleetItems(ctx context.Context, id string, after int64, limit int) ([]FleetItem, error) {
	order := "profile_name COLLATE NOCASE, profile_id"
	if after >= 0 {
		order = "version"
	}
	if limit <= 0 {
		limit = -1
	}
	// Items never changed have version 0: "all" must not filter on it.
	rows, err := db.read.QueryContext(ctx, `SELECT profile_id, profile_name, job_id, state, run_id, diagnosis_code, diagnosis_title, version
		FROM fleet_run_items WHERE fleet_run_id = ? AND version > ? ORDER BY `+order+` LIMIT ?`, id, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FleetItem
	for rows.Next() {
		var it FleetItem
		if err := rows.Scan(&it.ProfileID, &it.ProfileName, &it.JobID, &it.State, &it.RunID, &it.DiagnosisCode, &it.DiagnosisTitle, &it.Version); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// FleetCounts counts a fleet run's items; version is its latest change.
func (db *DB) FleetCounts(ctx context.Context, id string) (c FleetCounts, version int64, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(state = 'queued'), 0), COALESCE(SUM(state = 'running'), 0), COALESCE(SUM(state = 'passed'), 0),
		COALESCE(SUM(state = 'failed'), 0), COALESCE(SUM(state = 'cancelled'), 0), COALESCE(SUM(state = 'skipped'), 0), COALESCE(MAX(version), 0)
		FROM fleet_run_items WHERE fleet_run_id = ?`, id).Scan(&c.Queued, &c.Running, &c.Passed, &c.Failed, &c.Cancelled, &c.Skipped, &version)
	if err != nil {
		return c, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT diagnosis_code, MAX(diagnosis_title), COUNT(*) FROM fleet_run_items
		WHERE fleet_run_id = ? AND state = 'failed' GROUP BY diagnosis_code ORDER BY COUNT(*) DESC, diagnosis_code`, id)
	if err != nil {
		return c, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var d DiagnosisCount
		if err := rows.Scan(&d.Code, &d.Title, &d.Count); err != nil {
			return c, 0, err
		}
		c.ByDiagnosis = append(c.ByDiagnosis, d)
	}
	return c, version, rows.Err()
}
