package fleet_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

var conn = fleet.Connection{ID: 7, Name: "Billing", Credential: "secret"}

func TestTransitionAlert(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	fail := fleet.RunOutcome{ID: "r2", Diagnosis: mailer.CodeTokenSecretInvalid, Finished: at}
	pass := fleet.RunOutcome{ID: "r3", Passed: true, Finished: at}
	t.Run("PassingToFailing", func(t *testing.T) {
		a, ok := fleet.TransitionAlert(conn, fleet.StatusPassing, fail)
		if !ok || a.Kind != fleet.KindFailing || a.Message.Code != fleet.MsgFailing || a.Diagnosis != mailer.CodeTokenSecretInvalid {
			t.Fatalf("got %+v %v, want a failing alert with the diagnosis", a, ok)
		}
		if a.Key != "transition/7/r2" {
			t.Fatalf("got key %q, want transition/7/r2", a.Key)
		}
	})
	t.Run("FailingToPassing", func(t *testing.T) {
		a, ok := fleet.TransitionAlert(conn, fleet.StatusFailing, pass)
		if !ok || a.Kind != fleet.KindRecovered || a.Message.Code != fleet.MsgRecovered {
			t.Fatalf("got %+v %v, want a recovered alert", a, ok)
		}
	})
	t.Run("NoChangeNoAlert", func(t *testing.T) {
		for _, c := range []struct {
			prev fleet.Status
			run  fleet.RunOutcome
		}{{fleet.StatusFailing, fail}, {fleet.StatusPassing, pass}, {fleet.StatusUnknown, fail}, {fleet.StatusUnknown, pass}} {
			if a, ok := fleet.TransitionAlert(conn, c.prev, c.run); ok {
				t.Errorf("%q → %q: got %+v, want no alert", c.prev, c.run.Status(), a)
			}
		}
	})
	t.Run("SecretExpiredSaysExpired", func(t *testing.T) {
		run := fleet.RunOutcome{ID: "r4", Diagnosis: mailer.CodeTokenSecretExpired, Finished: at}
		a, ok := fleet.TransitionAlert(conn, fleet.StatusPassing, run)
		if !ok || a.Kind != fleet.KindExpired || a.Message.Code != fleet.MsgFailingExpired {
			t.Fatalf("got %+v %v, want an expired alert", a, ok)
		}
	})
}

// memLog is an AlertLog and a Dispatcher in memory.
type memLog struct {
	mu     sync.Mutex
	keys   map[string]bool
	raised []fleet.Alert
}

func (m *memLog) ClaimAlert(_ context.Context, a fleet.Alert) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]bool{}
	}
	if m.keys[a.Key] {
		return false, nil
	}
	m.keys[a.Key] = true
	return true, nil
}

func (m *memLog) Dispatch(_ context.Context, a fleet.Alert) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.raised = append(m.raised, a)
	return nil
}

func TestAlerts_ExpiryWarnsOncePerThreshold(t *testing.T) {
	log := &memLog{}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := &fleet.Alerts{Log: log, Dispatch: log, Now: func() time.Time { return now }}
	c := conn
	c.ExpiresAt, _ = mailer.SecretExpiryTime("2026-12-31")
	var kinds []string
	// The daily job, run twice a day for 40 days.
	for day := 0; day < 40; day++ {
		for range 2 {
			if _, err := s.CheckExpiry(context.Background(), []fleet.Connection{c}); err != nil {
				t.Fatal(err)
			}
		}
		now = now.AddDate(0, 0, 1)
	}
	for _, a := range log.raised {
		kinds = append(kinds, a.Key)
	}
	const at = "expiry/7/secret/2027-01-01T00:00:00Z/"
	want := []string{at + "30", at + "14", at + "7", at + "expired"}
	if len(kinds) != len(want) {
		t.Fatalf("got %q, want %q", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("got %q, want %q", kinds, want)
		}
	}
	if log.raised[3].Kind != fleet.KindExpired || log.raised[3].Message.Code != fleet.MsgExpiredSecret {
		t.Fatalf("got %+v, want the last one to say expired", log.raised[3])
	}
}

func TestAlerts_SameRunReportedTwiceRaisesOnce(t *testing.T) {
	log := &memLog{}
	s := &fleet.Alerts{Log: log, Dispatch: log}
	run := fleet.RunOutcome{ID: "r9", Diagnosis: "X"}
	for range 3 {
		if _, err := s.RunSaved(context.Background(), conn, fleet.StatusPassing, run); err != nil {
			t.Fatal(err)
		}
	}
	if len(log.raised) != 1 {
		t.Fatalf("got %d alerts, want 1", len(log.raised))
	}
}

// flaky fails its first n calls.
type flaky struct {
	n, calls int
	err      error
}

func (f *flaky) Channel() string { return "test" }
func (f *flaky) Notify(context.Context, fleet.Alert) error {
	f.calls++
	if f.calls <= f.n {
		return f.err
	}
	return nil
}

func TestDeliver(t *testing.T) {
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	r := fleet.Retry{Attempts: 4, Backoff: time.Second, MaxBackoff: 3 * time.Second}
	t.Run("RetriedWithBackoff", func(t *testing.T) {
		waits = nil
		rec := fleet.Deliver(context.Background(), &flaky{n: 3, err: errors.New("503")}, fleet.Alert{Key: "k"}, r, sleep, time.Now)
		if rec.Status != fleet.DeliverySent || rec.Attempts != 4 || rec.LastError != "" {
			t.Fatalf("got %+v, want sent on the 4th attempt", rec)
		}
		if len(waits) != 3 || waits[0] != time.Second || waits[1] != 2*time.Second || waits[2] != 3*time.Second {
			t.Fatalf("got waits %v, want 1s 2s 3s", waits)
		}
	})
	t.Run("GivesUp", func(t *testing.T) {
		rec := fleet.Deliver(context.Background(), &flaky{n: 9, err: errors.New("503")}, fleet.Alert{Key: "k"}, r, sleep, time.Now)
		if rec.Status != fleet.DeliveryFailed || rec.Attempts != 4 || rec.LastError != "503" {
			t.Fatalf("got %+v, want failed after 4 attempts", rec)
		}
	})
	t.Run("PermanentNotRetried", func(t *testing.T) {
		rec := fleet.Deliver(context.Background(), &flaky{n: 9, err: fleet.Permanent(errors.New("400"))}, fleet.Alert{Key: "k"}, r, sleep, time.Now)
		if rec.Status != fleet.DeliveryFailed || rec.Attempts != 1 {
			t.Fatalf("got %+v, want one attempt", rec)
		}
	})
}
