package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"time"
)

// The sign-in back-off counts failures under three keys:
//   - pair:   one account from one address: 3 free tries, then 2, 4, 8 … seconds;
//   - addr:   one address, any account: 10 free tries, then the same doubling;
//   - user:   one account from addresses it never signed in from: 10 free tries, then doubling.
//
// An address an account signed in from before is judged by its pair key only, so an attacker
// elsewhere can slow down strangers to the account, never the people who use it. Waits stop
// growing at 15 minutes; counters untouched for a day are forgotten.
const (
	pairFree      = 3
	addrFree      = 10
	accountFree   = 10
	maxBackoff    = 15 * time.Minute
	failureMemory = 24 * time.Hour
	knownMemory   = 90 * 24 * time.Hour
)

// ThrottledError says a sign-in was refused unchecked because of earlier failures.
type ThrottledError struct {
	Wait time.Duration
	// Repeat says this back-off window's refusal was already reported once: refused tries cost
	// no hash, so recording each of them would let anyone fill the disk.
	Repeat bool
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: wait %s", e.Wait.Round(time.Second))
}

// signInKeys are the back-off counters of an account name from an address.
type signInKeys struct{ account, addr, pair, user, address string }

func keysFor(username, addr string) signInKeys {
	account := strings.ToLower(strings.TrimSpace(username))
	if len(account) > 64 { // no account has a longer name: the counter need not keep it whole
		account = account[:64]
	}
	// IPv6 clients usually hold a whole /64: count it as one address.
	if a, err := netip.ParseAddr(addr); err == nil && a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		addr = p.String()
	}
	return signInKeys{account: account, addr: addr, pair: "pair:" + account + "|" + addr, user: "user:" + account, address: "addr:" + addr}
}

func freeFailures(key string) int {
	switch {
	case strings.HasPrefix(key, "pair:"):
		return pairFree
	case strings.HasPrefix(key, "addr:"):
		return addrFree
	}
	return accountFree
}

// backoff is how long after the last failure the next try must wait.
func backoff(key string, failures int, last, now time.Time) time.Duration {
	free := freeFailures(key)
	if failures < free {
		return 0
	}
	d := time.Duration(math.Min(math.Pow(2, float64(failures-free+1)), maxBackoff.Seconds())) * time.Second
	return max(last.Add(d).Sub(now), 0)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// wait is the longest back-off of the keys that apply to this account and address; window
// names the key and failure it comes from.
func (db *DB) wait(ctx context.Context, q querier, k signInKeys) (keys []string, wait time.Duration, window string, err error) {
	keys = []string{k.pair}
	var known int
	err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sign_in_known WHERE account = ? AND addr = ?", k.account, k.addr).Scan(&known)
	if err != nil {
		return nil, 0, "", err
	}
	if known == 0 {
		keys = append(keys, k.address, k.user)
	}
	now := db.clock()
	for _, key := range keys {
		var failures int
		var last sql.NullString
		err := q.QueryRowContext(ctx, "SELECT failures, last_failure_at FROM login_failures WHERE key = ?", key).Scan(&failures, &last)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, 0, "", err
		}
		if d := backoff(key, failures, parseTime(last), now); d > wait {
			wait, window = d, key+"@"+last.String
		}
	}
	return keys, wait, window, nil
}

// throttled is the refusal for a back-off window; only its first refusal is not a Repeat.
func (db *DB) throttled(wait time.Duration, window string) *ThrottledError {
	db.throttleMu.Lock()
	defer db.throttleMu.Unlock()
	now := db.clock()
	if _, seen := db.throttleSeen[window]; seen {
		return &ThrottledError{Wait: wait, Repeat: true}
	}
	if len(db.throttleSeen) >= 4096 {
		// Forget windows that have surely ended; if all are live, start over (a few repeats).
		for w, until := range db.throttleSeen {
			if now.After(until) {
				delete(db.throttleSeen, w)
			}
		}
		if len(db.throttleSeen) >= 4096 {
			clear(db.throttleSeen)
		}
	}
	if db.throttleSeen == nil {
		db.throttleSeen = map[string]time.Time{}
	}
	db.throttleSeen[window] = now.Add(wait)
	return &ThrottledError{Wait: wait}
}

// SignIn checks a user name and password from a network address, under the back-off. The
// attempt is counted as a failure before the password is hashed, in the one writer's
// transaction: a burst of concurrent tries gets no more guesses than the same tries one after
// another. A success takes the count back. Errors: *ThrottledError (not checked), ErrBusy,
// ErrBadCredentials.
func (db *DB) SignIn(ctx context.Context, username, password, addr string) (*User, error) {
	k := keysFor(username, addr)
	// A cheap look first, so that refused tries do not queue for a hash slot.
	if _, wait, window, err := db.wait(ctx, db.read, k); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, db.throttled(wait, window)
	}
	release, err := db.acquireHash(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	var keys []string
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var wait time.Duration
		var window string
		var err error
		if keys, wait, window, err = db.wait(ctx, tx, k); err != nil {
			return err
		}
		if wait > 0 {
			return db.throttled(wait, window)
		}
		now := db.now()
		for _, key := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, failures, last_failure_at) VALUES (?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at`, key, now); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM login_failures WHERE last_failure_at < ?", db.clock().Add(-failureMemory).UTC().Format(timeFormat))
		return err
	})
	if err != nil {
		return nil, err
	}
	u, err := db.authenticate(ctx, username, password)
	if err != nil {
		return nil, err
	}
	// The success is recorded even if the client has left: the count must come back.
	return u, db.signedIn(context.WithoutCancel(ctx), k, keys)
}

// signedIn takes back the failure counted in advance, forgets the pair's failures and remembers
// the address as one the account uses.
func (db *DB) signedIn(ctx context.Context, k signInKeys, keys []string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, key := range keys {
			q := "UPDATE login_failures SET failures = failures - 1 WHERE key = ? AND failures > 0"
			if key == k.pair {
				q = "DELETE FROM login_failures WHERE key = ?"
			}
			if _, err := tx.ExecContext(ctx, q, key); err != nil {
				return err
			}
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_known (account, addr, last_success_at) VALUES (?, ?, ?)
			ON CONFLICT (account, addr) DO UPDATE SET last_success_at = excluded.last_success_at`, k.account, k.addr, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM sign_in_known WHERE last_success_at < ?", db.clock().Add(-knownMemory).UTC().Format(timeFormat))
		return err
	})
}
