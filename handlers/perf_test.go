package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
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

// /runs reads only the list's columns; each row still shows its connection (or that it was
// deleted), outcome, diagnosis title and who started it.
func TestRunsList_RowsShowOutcomeDiagnosisAndDeletedProfile(t *testing.T) {
	c := newConsole(t)
	ctx := context.Background()
	failed := &store.Run{ProfileName: "Gone Ltd", StartedBy: "alice", StartedAt: time.Now().Add(-time.Minute)}
	c.DB.StartRun(ctx, failed)
	diag := &mailer.Diagnosis{Code: mailer.CodeAuthUnsuccessful, Title: "stored title"}
	if err := c.DB.FinishRun(ctx, failed.ID, &mailer.Result{Stage: mailer.StageAuth, Finished: time.Now(), Diagnosis: diag,
		Events: []mailer.Event{{Seq: 1, Dir: mailer.Server, Text: "535 5.7.3 Authentication unsuccessful"}}}); err != nil {
		t.Fatal(err)
	}
	running := &store.Run{ProfileName: "Still Here", StartedBy: "hank"}
	c.DB.StartRun(ctx, running)

	_, body := c.get(t, "/runs")
	rows := testid(doc(t, body), "run-row")
	if rows.Length() != 2 {
		t.Fatalf("got %d rows, want 2", rows.Length())
	}
	newest, older := strings.Join(strings.Fields(rows.Eq(0).Text()), " "), strings.Join(strings.Fields(rows.Eq(1).Text()), " ")
	if !strings.Contains(newest, "Still Here") || !strings.Contains(newest, "hank") {
		t.Errorf("running row: got %q, want the connection and hank", newest)
	}
	wantTitle := mailer.Localize(diag, "en").Title
	for _, want := range []string{"Gone Ltd", "deleted", wantTitle, "alice"} {
		if !strings.Contains(older, want) {
			t.Errorf("failed row: got %q, want it to contain %q", older, want)
		}
	}
	if strings.Contains(older, "stored title") {
		t.Errorf("failed row: got %q, want the catalogue's title, not the stored one", older)
	}
}
