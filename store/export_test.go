package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Test hooks into unexported behaviour.

// MigrateTo applies migrations up to version limit on a fresh database file, for upgrade tests.
func OpenAtVersion(ctx context.Context, path string, limit int) error {
	if err := checkWritable(path); err != nil {
		return err
	}
	db := &DB{Path: path, opts: Options{}.withDefaults()}
	w, err := openWriter(path)
	if err != nil {
		return err
	}
	db.write = w
	defer w.Close()
	return db.migrateTo(ctx, limit)
}

// SeedFleetForBenchmark writes n connections (tagged customer-0…customer-49, a third failing, a
// third passing, one in twenty expiring) with runs runs each, in one transaction: a benchmark's
// fixture, far faster than n sealed creations.
func (db *DB) SeedFleetForBenchmark(ctx context.Context, n, runs int) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.clock()
		for i := range n {
			expires := ""
			if i%20 == 0 {
				expires = now.AddDate(0, 0, i%40).Format(time.DateOnly)
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO profiles (name, cloud, tenant, client_id, credential_kind, secret_expires_on, mailbox,
				created_at, created_by, updated_at, updated_by, secret_set_at) VALUES (?, 'global', 'contoso.onmicrosoft.com', '11111111-aaaa-4bbb-8ccc-000000000001',
				'secret', ?, ?, ?, 'seed', ?, 'seed', ?)`, fmt.Sprintf("connection %04d", i), expires, fmt.Sprintf("m%d@contoso.com", i), db.now(), db.now(), db.now())
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			if err := setTags(ctx, tx, id, []string{fmt.Sprintf("customer-%d", i%50), "fleet"}); err != nil {
				return err
			}
			for j := range runs {
				outcome := []string{OutcomePassed, OutcomeFailed}[(i+j)%2]
				runID := NewRunID()
				if _, err := tx.ExecContext(ctx, `INSERT INTO runs (id, profile_id, profile_name, started_by, started_at, finished_at, outcome)
					VALUES (?, ?, ?, 'seed', ?, ?, ?)`, runID, id, "c", now.Add(time.Duration(j-runs)*time.Minute).Format(timeFormat), db.now(), outcome); err != nil {
					return err
				}
				if i%3 != 2 {
					if err := recordStatus(ctx, tx, runID, outcome); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}
