package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

const alicePassword = "a long enough passphrase"

// hashCounter counts argon2 computations, once started, and the most that ran at once; each
// is held for hold.
type hashCounter struct {
	hold             time.Duration
	on               atomic.Bool
	n, inFlight, top atomic.Int64
}

// option installs the counter as the database's hash hook.
func (c *hashCounter) option(o *store.Options) { o.HashHook = c.hook }

func (c *hashCounter) hook() {
	if !c.on.Load() {
		return
	}
	c.n.Add(1)
	cur := c.inFlight.Add(1)
	for {
		old := c.top.Load()
		if cur <= old || c.top.CompareAndSwap(old, cur) {
			break
		}
	}
	time.Sleep(c.hold)
	c.inFlight.Add(-1)
}

// start begins counting the hashes of a database opened with c.option.
func (c *hashCounter) start() (total, peak func() int) {
	c.on.Store(true)
	return func() int { return int(c.n.Load()) }, func() int { return int(c.top.Load()) }
}

// signInDB is a database with alice in it and a clock the test moves.
func signInDB(t *testing.T, tweaks ...func(*store.Options)) (*store.DB, *time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	db := MustOpenDB(t, append(tweaks, clockAt(&now))...)
	if _, err := db.CreateUser(context.Background(), "alice", alicePassword, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	return db, &now
}

func TestSignIn_BackoffDoubles(t *testing.T) {
	ctx := context.Background()
	db, now := signInDB(t)
	var waits []time.Duration
	for range 6 {
		_, err := db.SignIn(ctx, "alice", "wrong", "192.0.2.1")
		var te *store.ThrottledError
		switch {
		case errors.As(err, &te):
			waits = append(waits, te.Wait)
			*now = now.Add(te.Wait)
		case errors.Is(err, store.ErrBadCredentials):
			waits = append(waits, 0)
		default:
			t.Fatalf("got %v", err)
		}
	}
	// 3 free tries, then a refusal (2s), a try, a refusal (4s), …
	want := []time.Duration{0, 0, 0, 2 * time.Second, 0, 4 * time.Second}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", waits, want)
	}
	*now = now.Add(time.Hour)
	if _, err := db.SignIn(ctx, "alice", alicePassword, "192.0.2.1"); err != nil {
		t.Fatalf("the right password after the back-off: %v", err)
	}
	for range 3 {
		if _, err := db.SignIn(ctx, "alice", "wrong", "192.0.2.1"); !errors.Is(err, store.ErrBadCredentials) {
			t.Fatalf("a success did not reset the count: %v", err)
		}
	}
}

// A burst of concurrent wrong passwords gets the same guesses as the same tries in a row, and
// no more than the hash limit run at once.
func TestSignIn_ConcurrentBurstGetsNoMoreGuesses(t *testing.T) {
	ctx := context.Background()
	c := &hashCounter{hold: 20 * time.Millisecond}
	db, _ := signInDB(t, c.option, func(o *store.Options) { o.HashLimit, o.HashWait = 2, time.Minute })
	total, peak := c.start()
	burst := func(addr func(i int) string) {
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Go(func() { db.SignIn(ctx, "alice", "wrong", addr(i)) })
		}
		wg.Wait()
	}
	burst(func(int) string { return "192.0.2.1" })
	if got := total(); got != 3 {
		t.Fatalf("30 concurrent tries from one address: got %d guesses checked, want 3 (as in a row)", got)
	}
	burst(func(i int) string { return fmt.Sprintf("198.51.100.%d", i) })
	// The account's ceiling is 10 failures from unknown addresses, 3 of which were the first burst.
	if got := total() - 3; got != 7 {
		t.Fatalf("30 concurrent tries from 30 addresses: got %d guesses checked, want 7 (the account's ceiling)", got)
	}
	if p := peak(); p > 2 {
		t.Fatalf("got %d hashes at once, want at most 2", p)
	}
}

// A hash that cannot get a slot soon enough is refused as busy instead of queueing for ever.
func TestSignIn_BusyWhenHashesQueue(t *testing.T) {
	ctx := context.Background()
	c := &hashCounter{hold: 300 * time.Millisecond}
	db, _ := signInDB(t, c.option, func(o *store.Options) { o.HashLimit, o.HashWait = 1, 10*time.Millisecond })
	c.start()
	errs := make(chan error, 2)
	for i := range 2 {
		go func() { _, err := db.SignIn(ctx, "alice", "wrong", fmt.Sprint("192.0.2.", i)); errs <- err }()
	}
	got := []error{<-errs, <-errs}
	if !errors.Is(got[0], store.ErrBusy) && !errors.Is(got[1], store.ErrBusy) {
		t.Fatalf("got %v, want one ErrBusy", got)
	}
}

// Failures from anywhere else do not lock a user out of the address they sign in from.
func TestSignIn_OtherAddressesCannotLockOut(t *testing.T) {
	ctx := context.Background()
	db, _ := signInDB(t)
	if _, err := db.SignIn(ctx, "alice", alicePassword, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		db.SignIn(ctx, "alice", "guess", fmt.Sprintf("203.0.113.%d", i))
	}
	if _, err := db.SignIn(ctx, "alice", alicePassword, "192.0.2.1"); err != nil {
		t.Fatalf("alice at her usual address after an attack from elsewhere: %v", err)
	}
	var te *store.ThrottledError
	if _, err := db.SignIn(ctx, "alice", alicePassword, "203.0.113.200"); !errors.As(err, &te) {
		t.Fatalf("a new address during the attack: got %v, want the account's back-off", err)
	}
}

func TestSignIn_OldFailuresPruned(t *testing.T) {
	ctx := context.Background()
	db, now := signInDB(t)
	db.SignIn(ctx, "bob", "wrong", "192.0.2.1")
	raw := rawDB(t, db.Path)
	count := func() (n int) {
		raw.QueryRow("SELECT COUNT(*) FROM login_failures WHERE key LIKE '%192.0.2.1'").Scan(&n)
		return n
	}
	if count() == 0 {
		t.Fatal("the failure was not counted")
	}
	*now = now.Add(25 * time.Hour)
	db.SignIn(ctx, "carol", "wrong", "192.0.2.2")
	if n := count(); n != 0 {
		t.Fatalf("got %d day-old failure counters, want them pruned", n)
	}
}
