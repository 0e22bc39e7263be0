package handlers_test

import (
	"context"
	"database/sql"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/handlers/runhub"
	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// holdWriteLock takes the database's write lock from a second connection, as a backup or a
// command-line write would, and returns a function that releases it.
func holdWriteLock(tb testing.TB, path string) func() {
	tb.Helper()
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := other.Conn(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		tb.Fatal(err)
	}
	released := false
	release := func() {
		if released {
			return
		}
		released = true
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		other.Close()
	}
	tb.Cleanup(release)
	return release
}

// waitSaved polls the store until the run is no longer "running".
func waitSaved(tb testing.TB, db *store.DB, id string, within time.Duration) *store.Run {
	tb.Helper()
	deadline := time.Now().Add(within)
	for {
		run, err := db.Run(context.Background(), id)
		if err != nil {
			tb.Fatal(err)
		}
		if run.Outcome != store.OutcomeRunning {
			return run
		}
		if time.Now().After(deadline) {
			tb.Fatalf("run %s still %q after %s", id, run.Outcome, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRun_FinishingWhileDatabaseBusyIsSavedOnceItFrees(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) {
		cfg.Retry = runhub.RetryPolicy{First: 50 * time.Millisecond, Max: 500 * time.Millisecond, Attempt: 10 * time.Second}
	})
	gate := make(chan struct{})
	c.Handlers.Checker.(*exchange.Checker).Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		<-gate
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/runs/")
	if id == "" {
		t.Fatalf("no run started: got %d", resp.StatusCode)
	}

	release := holdWriteLock(t, c.DB.Path)
	close(gate)
	// Wait for the check to end, then hold the lock past the store's 5 s busy timeout, so that
	// at least one save fails as "database is locked".
	deadline := time.Now().Add(30 * time.Second)
	for {
		events, live := c.Handlers.Hub.Snapshot(id)
		if !live {
			t.Fatal("the run left the hub while the database was locked: its save cannot have landed")
		}
		if n := len(events); n > 0 && events[n-1].Stage == mailer.StageQuit {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the check never reached QUIT")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(6500 * time.Millisecond)
	release()

	run := waitSaved(t, c.DB, id, 30*time.Second)
	if run.Outcome != store.OutcomePassed || run.Result == nil || !run.Result.OK {
		t.Fatalf("got outcome %q with result %v, want the passed result saved", run.Outcome, run.Result != nil)
	}
}

func TestRun_PanickingCheckIsSavedAsFailedAndConsoleStaysUp(t *testing.T) {
	c := newConsole(t)
	c.Handlers.Checker.(*exchange.Checker).Now = func() time.Time { panic("clock exploded") }
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/runs/")
	if id == "" {
		t.Fatalf("no run started: got %d", resp.StatusCode)
	}
	run := waitSaved(t, c.DB, id, 30*time.Second)
	if run.Outcome != store.OutcomeFailed || run.Result == nil || !strings.Contains(run.Result.Error, "clock exploded") {
		t.Fatalf("got outcome %q, result %+v; want failed with the reason", run.Outcome, run.Result)
	}
	// The run is saved before it leaves the hub; until it has left, its page is the live view.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, live := c.Handlers.Hub.Snapshot(id); !live {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the saved run never left the hub")
		}
	}
	if r, body := c.get(t, "/runs/"+id); r.StatusCode != 200 || !strings.Contains(body, "internal error") {
		t.Fatalf("run page: got %d, want 200 naming the internal error", r.StatusCode)
	}
}

func TestReadyz_LockedDatabaseIsNotReady(t *testing.T) {
	c := newConsole(t)
	if r, body := c.getAs(t, anonymous, "/readyz"); r.StatusCode != 200 {
		t.Fatalf("before the lock: got %d %q, want 200", r.StatusCode, body)
	}
	holdWriteLock(t, c.DB.Path)
	time.Sleep(1100 * time.Millisecond) // past the shared answer of the probe before
	start := time.Now()
	r, body := c.getAs(t, anonymous, "/readyz")
	if r.StatusCode != 503 || !strings.Contains(body, "cannot be written") {
		t.Fatalf("with the database locked: got %d %q, want 503", r.StatusCode, body)
	}
	t.Logf("readyz answered in %s", time.Since(start))
}

// /readyz is anonymous and its check writes: a burst of probes shares one check, so it costs a
// write or two, not one each.
func TestReadyz_ConcurrentProbesShareOneWrite(t *testing.T) {
	c := newConsole(t)
	raw, err := sql.Open("sqlite", "file:"+c.DB.Path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TABLE probe_writes (n INTEGER);
		CREATE TRIGGER probe_writes_insert AFTER INSERT ON heartbeat BEGIN INSERT INTO probe_writes VALUES (1); END;
		CREATE TRIGGER probe_writes_update AFTER UPDATE ON heartbeat BEGIN INSERT INTO probe_writes VALUES (1); END;`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			r, err := anonymous.Get(c.URL + "/readyz")
			if err != nil {
				t.Error(err)
				return
			}
			r.Body.Close()
			if r.StatusCode != 200 {
				t.Errorf("got %d", r.StatusCode)
			}
		})
	}
	wg.Wait()
	var writes int
	if err := raw.QueryRow("SELECT COUNT(*) FROM probe_writes").Scan(&writes); err != nil {
		t.Fatal(err)
	}
	if writes > 2 {
		t.Fatalf("50 concurrent probes wrote %d times, want at most 2", writes)
	}
}

// A check still waiting on Exchange when the console stops is cut off by the stop, not by
// Exchange: it is saved as interrupted, not as a failure (a timeout) of the connection.
func TestRun_CutOffByShutdownIsSavedAsInterrupted(t *testing.T) {
	c := newConsole(t)
	held, release := make(chan struct{}, 1), make(chan struct{})
	t.Cleanup(func() { close(release) })
	c.Fake.SetFaults(mailertest.Faults{Hold: func(cmd string) {
		if cmd == "AUTH" {
			held <- struct{}{}
			<-release
		}
	}})
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/runs/")
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("the check never reached AUTH")
	}
	c.Handlers.BeginShutdown()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no grace period: running checks are cut off at once
	c.Handlers.Shutdown(ctx)
	run := waitSaved(t, c.DB, id, 30*time.Second)
	if run.Outcome != store.OutcomeInterrupted {
		t.Fatalf("a run cut off by shutdown saved as %q, want %q", run.Outcome, store.OutcomeInterrupted)
	}
}
