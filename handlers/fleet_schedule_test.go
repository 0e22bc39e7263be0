package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
)

// scheduledConsole is a console's back end (store, queue, handlers) on a database file, without
// HTTP: what a restart stops and starts again.
type scheduledConsole struct {
	db *store.DB
	q  *queue.Queue
	h  *handlers.Server
}

func startScheduled(tb testing.TB, path string, fake *mailertest.Server, now func() time.Time) *scheduledConsole {
	tb.Helper()
	kr, _ := store.NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	db, err := store.OpenWith(context.Background(), path, kr, store.Options{Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := queue.New(queue.Config{Path: path, DB: db.Writer(), Log: log, PollInterval: 20 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	h := handlers.New(handlers.Config{DB: db, Checker: fake.Checker(), Log: log, Now: now, Queue: q, ScheduleEvery: 200 * time.Millisecond})
	if err := q.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return &scheduledConsole{db: db, q: q, h: h}
}

func (c *scheduledConsole) stop(tb testing.TB) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.q.Stop(ctx); err != nil {
		tb.Error(err)
	}
	c.h.Shutdown(ctx)
	c.db.Close()
}

// waitStatus waits until the connection's latest finished run satisfies ok.
func waitStatus(tb testing.TB, db *store.DB, id int64, ok func(store.Status) bool) store.Status {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p, err := db.Profile(context.Background(), id)
		if err != nil {
			tb.Fatal(err)
		}
		if ok(p.Status) {
			return p.Status
		}
		if time.Now().After(deadline) {
			tb.Fatalf("connection %d: status %+v never changed as waited for", id, p.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSchedule_FiresAfterRestart: a connection tested now with a 60-minute interval is
// re-tested by the schedule after the console stops and a new one opens the same file two
// hours later; a connection that never re-tests and one following the default (off) are not.
func TestSchedule_FiresAfterRestart(t *testing.T) {
	fake, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	scenarios, err := fake.InstallStandardWorld()
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := mailertest.ScenarioByName(scenarios, "works")
	path := filepath.Join(t.TempDir(), store.FileName)
	start := time.Now()
	clock := func() time.Time { return start }

	first := startScheduled(t, path, fake, clock)
	ctx := context.Background()
	mk := func(name string) *store.Profile {
		p, err := first.db.CreateProfile(ctx, store.ProfileInput{Name: name, Cloud: "global", Tenant: sc.Tenant, ClientID: sc.ClientID,
			CredentialKind: store.KindSecret, Secret: sc.Secret, Mailbox: sc.Mailbox, SMTPHost: fake.SMTPAddr, Authority: fake.URL}, "test")
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	hourly, never, follows := mk("hourly"), mk("never"), mk("follows default")
	sixty, zero := 60, 0
	if err := first.db.SetRetest(ctx, hourly.ID, &sixty); err != nil {
		t.Fatal(err)
	}
	if err := first.db.SetRetest(ctx, never.ID, &zero); err != nil {
		t.Fatal(err)
	}
	// The hourly connection is due at once (never tested) and runs on the first console.
	firstRun := waitStatus(t, first.db, hourly.ID, func(s store.Status) bool { return s.Outcome == store.OutcomePassed })
	first.stop(t)

	later := start.Add(2 * time.Hour)
	second := startScheduled(t, path, fake, func() time.Time { return later })
	defer second.stop(t)
	again := waitStatus(t, second.db, hourly.ID, func(s store.Status) bool { return s.RunID != firstRun.RunID })
	run, err := second.db.Run(ctx, again.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if run.StartedBy != handlers.ScheduleActor || run.Outcome != store.OutcomePassed {
		t.Errorf("re-test run: started by %q, outcome %q; want %q, passed", run.StartedBy, run.Outcome, handlers.ScheduleActor)
	}
	for _, p := range []*store.Profile{never, follows} {
		got, err := second.db.Profile(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status.RunID != "" {
			t.Errorf("%s was tested by the schedule (run %s); want untouched", p.Name, got.Status.RunID)
		}
	}
}
