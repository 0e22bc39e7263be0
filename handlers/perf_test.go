package handlers_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/web"
)

// A page left open re-fetches its stylesheet and scripts; those fetches are not activity, so an
// idle session still ends on time (and they cost no database read).
func TestStatic_AssetFetchesDoNotKeepAnIdleSessionAlive(t *testing.T) {
	c := newConsole(t)
	var mu sync.Mutex
	now := time.Now()
	c.DB.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	advance(50 * time.Minute)
	if resp, _ := c.get(t, web.Asset("app.css")); resp.StatusCode != http.StatusOK {
		t.Fatalf("stylesheet: got %d, want 200", resp.StatusCode)
	}
	advance(15 * time.Minute) // 65 minutes since the last page: past the hour of idleness
	resp, _ := c.get(t, "/")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dashboard after 65 idle minutes with only asset fetches: got %d, want 303 to sign-in", resp.StatusCode)
	}
}
