package store

import (
	"context"
	"slices"
	"strings"
)

// Filters of ProfileQuery.Status beyond the three states.
const (
	// FilterExpiring is a secret or certificate with at most mailer.ExpiryWindow left, or expired.
	FilterExpiring = "expiring"
	// FilterSecretMissing is a connection saved without its secret (a web import).
	FilterSecretMissing = "missing"
)

// Sort orders of ProfileQuery.Sort; every order ends with the name, so pages never overlap.
const (
	SortName   = "name"
	SortStatus = "status" // failing first, then never tested, then passing
	SortTested = "tested" // most recently tested first, never tested last
	SortExpiry = "expiry" // soonest expiry first, unknown last
)

// Paging bounds.
const (
	DefaultPerPage = 50
	MaxPerPage     = 500
)

// ProfileQuery selects a page of connections. Its zero value is the first page of all of them by name.
type ProfileQuery struct {
	// Search matches name, tenant or mailbox (contains, without case).
	Search string
	// Tag keeps the connections carrying this tag (without case).
	Tag string
	// Status is "", a State, FilterExpiring or FilterSecretMissing.
	Status string
	Sort   string
	// Page counts from 1; PerPage is bounded by MaxPerPage.
	Page, PerPage int
}

// StatusCounts counts connections by state, over the connections the search and tag select
// (the status filter does not narrow them: the counts are the filter's choices).
type StatusCounts struct {
	All, Passing, Failing, Untested, Expiring, SecretMissing int
}

// Of is the count that goes with a ProfileQuery.Status value.
func (c StatusCounts) Of(status string) int {
	switch status {
	case StatePassing:
		return c.Passing
	case StateFailing:
		return c.Failing
	case StateUntested:
		return c.Untested
	case FilterExpiring:
		return c.Expiring
	case FilterSecretMissing:
		return c.SecretMissing
	}
	return c.All
}

// ProfilePage is one page of connections with the counts of the whole selection.
type ProfilePage struct {
	Profiles []*Profile
	Counts   StatusCounts
	// Total is how many connections match the query before paging.
	Total int
	// Page is the page returned (a page past the end gives the last one); Pages is how many there are.
	Page, Pages, PerPage int
}

// ValidStatusFilter reports whether s is a ProfileQuery.Status value.
func ValidStatusFilter(s string) bool {
	switch s {
	case "", StatePassing, StateFailing, StateUntested, FilterExpiring, FilterSecretMissing:
		return true
	}
	return false
}

// ValidSort reports whether s is a ProfileQuery.Sort value ("" is by name).
func ValidSort(s string) bool {
	switch s {
	case "", SortName, SortStatus, SortTested, SortExpiry:
		return true
	}
	return false
}

// QueryProfiles returns a page of connections and the counts by state in four queries (counts,
// the page's IDs, its rows, its tags) whatever the number of connections: the status lives on
// the connection, so nothing is read per connection.
func (db *DB) QueryProfiles(ctx context.Context, q ProfileQuery) (*ProfilePage, error) {
	if q.PerPage <= 0 {
		q.PerPage = DefaultPerPage
	}
	q.PerPage = min(q.PerPage, MaxPerPage)
	q.Page = max(q.Page, 1)
	expiring := expiringArgs(db.clock())

	where, args := profileWhere(q)
	out := &ProfilePage{PerPage: q.PerPage}
	c := &out.Counts
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(last_outcome = 'passed'), 0), COALESCE(SUM(last_outcome = 'failed'), 0),
		COALESCE(SUM(last_outcome = ''), 0), COALESCE(SUM(`+expiringSQL+`), 0), COALESCE(SUM(secret_set_at IS NULL), 0)
		FROM profiles`+where, append(expiring, args...)...).Scan(&c.All, &c.Passing, &c.Failing, &c.Untested, &c.Expiring, &c.SecretMissing)
	if err != nil {
		return nil, err
	}
	out.Total = c.Of(q.Status)
	out.Pages = max(1, (out.Total+q.PerPage-1)/q.PerPage)
	out.Page = min(q.Page, out.Pages)

	if s := statusWhere(q.Status); s != "" {
		if where == "" {
			where = " WHERE " + s
		} else {
			where += " AND " + s
		}
		if q.Status == FilterExpiring {
			args = append(args, expiring...)
		}
	}
	// The page's IDs first, then its rows: sorting thousands of bare IDs is cheaper than sorting
	// thousands of whole rows (a certificate alone is a kilobyte or two).
	ids, err := db.pageIDs(ctx, "SELECT id FROM profiles"+where+" ORDER BY "+orderBy(q.Sort)+" LIMIT ? OFFSET ?",
		append(args, q.PerPage, (out.Page-1)*q.PerPage)...)
	if err != nil || len(ids) == 0 {
		return out, err
	}
	pos := make(map[int64]int, len(ids))
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		pos[id], idArgs[i] = i, id
	}
	rows, err := db.read.QueryContext(ctx, "SELECT "+profileColumns+" FROM profiles WHERE id IN ("+placeholders(len(ids))+")", idArgs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out.Profiles = make([]*Profile, len(ids))
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return nil, err
		}
		out.Profiles[pos[p.ID]] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A connection deleted between the two reads leaves a gap, closed here.
	out.Profiles = slices.DeleteFunc(out.Profiles, func(p *Profile) bool { return p == nil })
	return out, db.loadTags(ctx, out.Profiles)
}

func (db *DB) pageIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// profileWhere is the search and tag part of a query, as " WHERE …" or "".
func profileWhere(q ProfileQuery) (string, []any) {
	var conds []string
	var args []any
	if s := strings.TrimSpace(q.Search); s != "" {
		conds = append(conds, `(name LIKE ? ESCAPE '\' OR tenant LIKE ? ESCAPE '\' OR mailbox LIKE ? ESCAPE '\')`)
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
		args = append(args, like, like, like)
	}
	if t := strings.TrimSpace(q.Tag); t != "" {
		conds = append(conds, "id IN (SELECT profile_id FROM profile_tags WHERE tag = ?)")
		args = append(args, t)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// statusWhere is the condition of a status filter; FilterExpiring takes expiringArgs.
func statusWhere(status string) string {
	switch status {
	case StatePassing:
		return "last_outcome = 'passed'"
	case StateFailing:
		return "last_outcome = 'failed'"
	case StateUntested:
		return "last_outcome = ''"
	case FilterExpiring:
		return expiringSQL
	case FilterSecretMissing:
		return "secret_set_at IS NULL"
	}
	return ""
}

func orderBy(sort string) string {
	const byName = "name COLLATE NOCASE, id"
	switch sort {
	case SortStatus:
		return "CASE last_outcome WHEN 'failed' THEN 0 WHEN '' THEN 1 ELSE 2 END, " + byName
	case SortTested:
		return "last_tested_at = '', last_tested_at DESC, " + byName
	case SortExpiry:
		return expiresAtSQL + " IS NULL, " + expiresAtSQL + ", " + byName
	}
	return byName
}
