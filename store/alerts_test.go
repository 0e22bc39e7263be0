package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	core "github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store"
)

const hookSecret = "whsec-0123456789-abcdef"

func TestAlertSettings(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		err := db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: "https://hooks.example.com/x", WebhookSecret: hookSecret,
			SenderProfileID: p.ID, Recipients: "ops@contoso.com; helpdesk@contoso.com"}, "admin")
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.AlertSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !s.WebhookOn() || !s.EmailOn() || s.SenderName != p.Name || len(s.Recipients) != 2 || s.UpdatedBy != "admin" {
			t.Fatalf("got %+v, want both channels on", s)
		}
		got, err := db.AlertWebhookSecret(ctx)
		if err != nil || string(got) != hookSecret {
			t.Fatalf("got %q %v, want the secret back", got, err)
		}
		// An empty secret keeps the stored one.
		if err := db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: "https://hooks.example.com/y"}, "admin"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.AlertWebhookSecret(ctx); string(got) != hookSecret {
			t.Fatalf("got %q, want the secret kept", got)
		}
	})
	t.Run("SecretSealedInTheFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), store.FileName)
		db := MustOpenDBAt(t, path, testKey)
		if err := db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: "https://hooks.example.com/x", WebhookSecret: hookSecret}, "admin"); err != nil {
			t.Fatal(err)
		}
		db.Close()
		for _, f := range []string{path, path + "-wal"} {
			b, _ := os.ReadFile(f)
			if bytes.Contains(b, []byte(hookSecret)) {
				t.Fatalf("%s holds the webhook secret in plaintext", f)
			}
		}
	})
	t.Run("SecretSurvivesRotation", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: "https://hooks.example.com/x", WebhookSecret: hookSecret}, "admin"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Rotate(ctx, store.NewKey()); err != nil {
			t.Fatal(err)
		}
		if got, err := db.AlertWebhookSecret(ctx); err != nil || string(got) != hookSecret {
			t.Fatalf("after rotation: got %q %v, want the secret", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, c := range []struct {
			in          store.AlertSettingsInput
			field, code string
		}{
			{store.AlertSettingsInput{WebhookURL: "http://hooks.example.com/x", WebhookSecret: hookSecret}, "webhook_url", core.CodeURLNotHTTPS},
			{store.AlertSettingsInput{WebhookURL: "https://u:p@hooks.example.com/x", WebhookSecret: hookSecret}, "webhook_url", core.CodeURLUserinfo},
			{store.AlertSettingsInput{WebhookURL: "https://hooks.example.com/x"}, "webhook_secret", store.CodeAlertSecretMissing},
			{store.AlertSettingsInput{WebhookURL: "https://hooks.example.com/x", WebhookSecret: "short"}, "webhook_secret", store.CodeAlertSecretShort},
			{store.AlertSettingsInput{Recipients: "ops@contoso.com"}, "sender", store.CodeAlertSenderMissing},
			{store.AlertSettingsInput{SenderProfileID: 999, Recipients: "ops@contoso.com"}, "sender", store.CodeAlertSenderMissing},
		} {
			err := db.UpdateAlertSettings(ctx, c.in, "admin")
			var ve *store.ValidationError
			if !errors.As(err, &ve) || ve.Fields[c.field].Code != c.code {
				t.Errorf("%+v: got %v, want %s on %s", c.in, err, c.code, c.field)
			}
		}
		if s, _ := db.AlertSettings(ctx); s.WebhookURL != "" || s.UpdatedBy != "" {
			t.Fatalf("got %+v, want nothing saved", s)
		}
	})
}

func TestClaimAlert_OncePerKey(t *testing.T) {
	db := MustOpenDB(t)
	a := core.Alert{Key: "expiry/1/secret/2026-12-31/7", Kind: core.KindExpiring, Message: mailer.Msg(core.MsgExpiringSecret, "x"), RaisedAt: time.Now()}
	for i, want := range []bool{true, false, false} {
		got, err := db.ClaimAlert(context.Background(), a)
		if err != nil || got != want {
			t.Fatalf("claim %d: got %v %v, want %v", i+1, got, err, want)
		}
	}
}

// Every saved run tells the observer the status its connection had before; an interrupted
// one does not count.
func TestObserveRuns_PreviousStatus(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	p := MustCreateProfile(t, db, validInput())
	var mu sync.Mutex
	var seen []store.RunFinished
	db.ObserveRuns(func(_ context.Context, rf store.RunFinished) { mu.Lock(); seen = append(seen, rf); mu.Unlock() })
	finish := func(ok bool, interrupted bool) {
		r := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "t"}
		if err := db.StartRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		res := &mailer.Result{OK: ok, Finished: time.Now()}
		if !ok {
			res.Diagnosis = &mailer.Diagnosis{Code: mailer.CodeTokenSecretExpired}
		}
		save := db.FinishRun
		if interrupted {
			save = db.InterruptRun
		}
		if err := save(ctx, r.ID, res); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // finished_at orders the runs
	}
	finish(true, false)
	finish(false, true)
	finish(false, false)
	finish(true, false)
	want := []struct {
		prev core.Status
		now  core.Status
	}{{core.StatusUnknown, core.StatusPassing}, {core.StatusPassing, core.StatusFailing}, {core.StatusFailing, core.StatusPassing}}
	if len(seen) != len(want) {
		t.Fatalf("got %d observations, want %d", len(seen), len(want))
	}
	for i, w := range want {
		if seen[i].Prev != w.prev || seen[i].Run.Status() != w.now || seen[i].Connection.ID != p.ID {
			t.Errorf("run %d: got %+v, want %s → %s", i, seen[i], w.prev, w.now)
		}
	}
	if seen[1].Run.Diagnosis != mailer.CodeTokenSecretExpired {
		t.Errorf("got diagnosis %q, want %s", seen[1].Run.Diagnosis, mailer.CodeTokenSecretExpired)
	}
}

func TestAlertDeliveries_History(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	a := core.Alert{Key: "transition/1/r1", Kind: core.KindFailing, Connection: "Billing", Message: mailer.Msg(core.MsgFailing), RaisedAt: time.Now()}
	if _, err := db.ClaimAlert(ctx, a); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, rec := range []core.DeliveryRecord{
		{AlertKey: a.Key, Kind: a.Kind, Channel: "webhook", Status: core.DeliverySent, Attempts: 3, At: at},
		{AlertKey: a.Key, Kind: a.Kind, Channel: "email", Status: core.DeliveryFailed, Attempts: 5, LastError: "e-mail: TOKEN_SECRET_EXPIRED", At: at.Add(time.Second)},
	} {
		if err := db.RecordDelivery(ctx, rec); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	got, err := db.AlertDeliveries(ctx, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("got %d rows %v, want 2", len(got), err)
	}
	if got[0].Channel != "email" || got[0].Connection != "Billing" || got[0].Attempts != 5 || got[1].Status != core.DeliverySent {
		t.Fatalf("got %+v, want newest first with the connection's name", got)
	}
}

func TestAlertConnections_Expiry(t *testing.T) {
	db := MustOpenDB(t)
	in := validInput()
	in.SecretExpiresOn = "2026-12-31"
	MustCreateProfile(t, db, in)
	cs, err := db.AlertConnections(context.Background())
	if err != nil || len(cs) != 1 {
		t.Fatalf("got %v %v, want one connection", cs, err)
	}
	if want := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); !cs[0].ExpiresAt.Equal(want) || cs[0].Credential != store.KindSecret {
		t.Fatalf("got %+v, want a secret expiring %s", cs[0], want)
	}
}

// Runs of one connection finish out of order in a fleet run: a run that started before the one
// the status shows changes nothing and raises nothing.
func TestObserveRuns_OutOfOrderRunIsNoTransition(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	p := MustCreateProfile(t, db, validInput())
	var mu sync.Mutex
	var seen []store.RunFinished
	db.ObserveRuns(func(_ context.Context, rf store.RunFinished) { mu.Lock(); seen = append(seen, rf); mu.Unlock() })
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	start := func(at time.Time) string {
		r := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "t", StartedAt: at}
		if err := db.StartRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	first := start(t0)
	if err := db.FinishRun(ctx, first, &mailer.Result{OK: true, Finished: t0.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	early, late := start(t0.Add(time.Minute)), start(t0.Add(2*time.Minute))
	if err := db.FinishRun(ctx, late, &mailer.Result{Diagnosis: &mailer.Diagnosis{Code: "X"}, Finished: t0.Add(3 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, early, &mailer.Result{OK: true, Finished: t0.Add(4 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[1].Run.ID != late || seen[1].Prev != core.StatusPassing {
		t.Fatalf("got %+v, want the first run and the later-started failing one only", seen)
	}
}
