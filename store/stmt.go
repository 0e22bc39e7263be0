package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps the hot read statements prepared, once per query text: every signed-in
// request looks up its session and user, and modernc compiles a statement's SQL each time it is
// prepared, which costs more than running these one-row lookups.
type stmtCache struct {
	mu     sync.Mutex
	db     *sql.DB
	stmts  map[string]*sql.Stmt
	closed bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// queryRow runs a cached statement; if preparing fails it runs the query directly, so the
// caller sees the same error (or result) it would have without the cache.
func (c *stmtCache) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	c.mu.Lock()
	st, ok := c.stmts[query]
	if !ok && !c.closed {
		// Prepared without ctx: the statement outlives this request.
		if p, err := c.db.Prepare(query); err == nil {
			st, ok = p, true
			c.stmts[query] = p
		}
	}
	c.mu.Unlock()
	if !ok {
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// close closes every cached statement; later queries run unprepared (and fail on a closed pool).
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	return errors.Join(errs...)
}
