package handlers_test

import (
	"bufio"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// A page left open re-fetches its stylesheet and scripts; those fetches are not activity, so an
// idle session still ends on time (and they cost no database read).
func TestStatic_AssetFetchesDoNotKeepAnIdleSessionAlive(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	// The console's database, but on the test's clock: sessions expire by the store's clock.
	kr, _ := store.NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	db, err := store.OpenWith(context.Background(), filepath.Join(t.TempDir(), store.FileName), kr,
		store.Options{Now: clock, Password: store.PasswordParams{Time: 1, Memory: 1024, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := newConsoleWithoutUsers(t, func(cfg *handlers.Config) { cfg.DB = db })
	if _, err := db.CreateUser(context.Background(), adminName, testPassword, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	c.DB, c.client = db, c.signIn(t, adminName, testPassword)

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
	wantTitle := i18n.Localize(diag, i18n.EN).Title
	for _, want := range []string{"Gone Ltd", "deleted", wantTitle, "alice"} {
		if !strings.Contains(older, want) {
			t.Errorf("failed row: got %q, want it to contain %q", older, want)
		}
	}
	if strings.Contains(older, "stored title") {
		t.Errorf("failed row: got %q, want the catalogue's title, not the stored one", older)
	}
}

// readSSEEvent reads one server-sent event's data lines, joined.
func readSSEEvent(tb testing.TB, rd *bufio.Reader) string {
	tb.Helper()
	var data strings.Builder
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			tb.Fatalf("reading the stream: %v", err)
		}
		if line == "\n" {
			return data.String()
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			data.WriteString(d)
		}
	}
}

// A live line sends the whole progress bar once per stream, then only the chips whose state
// changed, and nothing of the bar while the stage stays the same.
func TestRunEvents_LineSendsOnlyChangedStageChips(t *testing.T) {
	c := newConsole(t)
	run := &store.Run{ProfileName: "Live", StartedBy: "alice"}
	c.DB.StartRun(context.Background(), run)
	emitCh := make(chan func(mailer.Event))
	finish := make(chan struct{})
	c.Handlers.Hub.Start(run.ID, func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		emitCh <- emit
		<-finish
		return &mailer.Result{OK: true, Stage: mailer.StageDone, Finished: time.Now()}
	}, func(ctx context.Context, res *mailer.Result, _ bool) error { return c.DB.FinishRun(ctx, run.ID, res) })
	emit := <-emitCh
	defer close(finish)
	resp, err := c.client.Get(c.URL + "/runs/" + run.ID + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)

	steps := []struct {
		stage        mailer.Stage
		want, absent []string
	}{
		{mailer.StageToken, []string{`id="progress"`, `data-testid="phase-send"`}, nil},
		{mailer.StageClaims, nil, []string{"progress", "phase-"}},
		{mailer.StageBanner, []string{`id="phase-token" class="done"`, `id="phase-connect" class="active"`}, []string{`id="progress"`, "phase-tls", "phase-auth", "phase-send"}},
		{mailer.StageEHLO, nil, []string{"progress", "phase-"}},
	}
	for i, st := range steps {
		emit(mailer.Event{Seq: i + 1, Dir: mailer.Server, Stage: st.stage, Text: "line " + string(st.stage)})
		data := readSSEEvent(t, rd)
		if !strings.Contains(data, "line "+string(st.stage)) {
			t.Fatalf("event %d: got %q, want the transcript line", i+1, data)
		}
		for _, w := range st.want {
			if !strings.Contains(data, w) {
				t.Errorf("event %d (%s): got %q, want it to contain %q", i+1, st.stage, data, w)
			}
		}
		for _, a := range st.absent {
			if strings.Contains(data, a) {
				t.Errorf("event %d (%s): got %q, want no %q", i+1, st.stage, data, a)
			}
		}
	}
}
