package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// RunFilter narrows a page of runs; zero fields match everything.
type RunFilter struct {
	ProfileID     int64
	Outcome       string
	Limit, Offset int
}

// RunPage returns one page of runs, newest first, without their transcripts, and how many
// runs match in all: what the API lists.
func (db *DB) RunPage(ctx context.Context, f RunFilter) ([]*Run, int, error) {
	where, args := []string{"1=1"}, []any{}
	if f.ProfileID != 0 {
		where, args = append(where, "profile_id = ?"), append(args, f.ProfileID)
	}
	if f.Outcome != "" {
		where, args = append(where, "outcome = ?"), append(args, f.Outcome)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM runs"+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	// The transcript column is left out: a list of 200 runs need not parse 200 transcripts.
	cols := strings.Replace(runColumns, "transcript_json", "'[]'", 1)
	rows, err := db.read.QueryContext(ctx, "SELECT "+cols+" FROM runs"+cond+" ORDER BY started_at DESC, id LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// LastSuccesses returns when each connection last passed a test, keyed by profile ID.
func (db *DB) LastSuccesses(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT profile_id, MAX(started_at) FROM runs WHERE profile_id IS NOT NULL AND outcome = ? GROUP BY profile_id", OutcomePassed)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var pid int64
		var at sql.NullString
		if err := rows.Scan(&pid, &at); err != nil {
			return nil, err
		}
		out[pid] = parseTime(at)
	}
	return out, rows.Err()
}
