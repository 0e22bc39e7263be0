package handlers

import (
	"fmt"
	"testing"
	"time"
)

func TestRateLimiter_NPerMinuteThenWait(t *testing.T) {
	l := newRateLimiter(10)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range 10 {
		if ok, _ := l.allow("alice", now); !ok {
			t.Fatalf("run %d of 10 in a minute refused", i+1)
		}
	}
	ok, wait := l.allow("alice", now)
	if ok || wait <= 0 || wait > time.Minute {
		t.Fatalf("11th run: got allowed=%v wait %v, want refused with a wait within a minute", ok, wait)
	}
	if ok, _ := l.allow("bob", now); !ok {
		t.Fatal("another user's run refused because alice used her limit")
	}
	// A refused run takes nothing: after the announced wait, one more run is allowed.
	if ok, _ := l.allow("alice", now.Add(wait)); !ok {
		t.Fatalf("run after waiting %v refused", wait)
	}
}

// Every user and connection that ever started a run used to stay in memory until restart.
func TestRateLimiter_ForgetsIdleKeys(t *testing.T) {
	l := newRateLimiter(10)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := range 10000 {
		l.allow(fmt.Sprint(i), now)
	}
	now = now.Add(2 * time.Minute)
	l.allow("alice", now)
	if n := l.size(); n != 1 {
		t.Fatalf("got %d keys remembered after two idle minutes, want 1", n)
	}
	for i := range 10 {
		if ok, _ := l.allow("0", now); !ok {
			t.Fatalf("a forgotten key's run %d refused: it must start with a full limit", i+1)
		}
	}
}
