package store

import (
	"context"
	"errors"
	"time"
)

// Each argon2 hash holds its PasswordParams.Memory while it runs: the number running at once is what
// bounds the console's memory under a burst of sign-ins. Two at 19 MiB use about 40 MiB, and on
// small machines more at once would not finish sooner, only queue for the same cores.
const (
	DefaultHashLimit = 2
	DefaultHashWait  = 5 * time.Second
)

// ErrBusy says too many passwords are being checked at once; the request may be retried soon.
var ErrBusy = errors.New("too many sign-ins are being checked at once: try again in a moment")

// acquireHash waits for a hash slot; release gives it back.
func (db *DB) acquireHash(ctx context.Context) (release func(), err error) {
	if db.hashSlots == nil {
		return func() {}, nil
	}
	t := time.NewTimer(db.hashWait)
	defer t.Stop()
	select {
	case db.hashSlots <- struct{}{}:
		return func() { <-db.hashSlots }, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hashPassword hashes a new password in a hash slot.
func (db *DB) hashPassword(ctx context.Context, pw string) (string, error) {
	release, err := db.acquireHash(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(pw, db.opts.Password, db.opts.HashHook)
}
