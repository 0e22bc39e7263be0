package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/mailer/notify"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

const alertSecret = "whsec-e2e-0123456789abcdef"

// hookReceiver is a webhook receiver on loopback that accepts only correctly signed requests
// and can be told to fail the next n.
type hookReceiver struct {
	srv      *httptest.Server
	mu       sync.Mutex
	failNext int
	requests int
	accepted []notify.Payload
	badSigs  int
}

func newHookReceiver(t *testing.T) *hookReceiver {
	rc := &hookReceiver{}
	rc.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.requests++
		if notify.Verify([]byte(alertSecret), r.Header.Get(notify.SignatureHeader), body, time.Now(), notify.DefaultTolerance) != nil {
			rc.badSigs++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if rc.failNext > 0 {
			rc.failNext--
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		var p notify.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		rc.accepted = append(rc.accepted, p)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *hookReceiver) got() (accepted []notify.Payload, requests, badSigs int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]notify.Payload(nil), rc.accepted...), rc.requests, rc.badSigs
}

// alertWorld is a console's alerting against the fake Exchange and a webhook receiver, both on
// loopback endpoints the test's policy allows exactly (as --allowed-hosts would).
type alertWorld struct {
	db      *store.DB
	fake    *mailertest.Server
	hook    *hookReceiver
	checker *exchange.Checker
	al      *alerting
	works   mailertest.Scenario
	expired mailertest.Scenario
}

func newAlertWorld(t *testing.T) *alertWorld { return newAlertWorldWith(t, false) }

// newAlertWorldWith delivers through River jobs on the database when withQueue is set.
func newAlertWorldWith(t *testing.T, withQueue bool) *alertWorld {
	t.Helper()
	ctx := context.Background()
	fake, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	all, err := fake.InstallStandardWorld()
	if err != nil {
		t.Fatal(err)
	}
	hook := newHookReceiver(t)
	policy, err := mailer.NewPolicy(mailer.PolicyConfig{AllowEndpoints: append(fake.Endpoints(), hook.srv.Listener.Addr().String())})
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(fake.CACertPEM)
	roots.AddCert(hook.srv.Certificate())
	checker := fake.Checker()
	checker.Policy, checker.RootCAs = policy, roots

	kr, err := store.NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenWith(ctx, filepath.Join(t.TempDir(), store.FileName), kr, store.Options{Password: store.PasswordParams{Time: 1, Memory: 1024, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	dctx, cancel := context.WithCancel(ctx)
	var jobs *queue.Queue
	if withQueue {
		if jobs, err = queue.New(queue.Config{Path: db.Path, DB: db.Writer(), PollInterval: 20 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	al, err := newAlerting(dctx, db, checker, i18n.EN, slog.New(slog.DiscardHandler), jobs)
	if err != nil {
		t.Fatal(err)
	}
	al.SetConsoleURL("https://console.example")
	if jobs != nil {
		if err := jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cancel(); jobs.Stop(context.Background()) })
	} else {
		al.delivery.Sleep = func(context.Context, time.Duration) error { return nil } // backoff without waiting
		t.Cleanup(func() { cancel(); al.delivery.Wait() })
	}
	w := &alertWorld{db: db, fake: fake, hook: hook, checker: checker, al: al}
	w.works, _ = mailertest.ScenarioByName(all, "works")
	w.expired, _ = mailertest.ScenarioByName(all, "expired-secret")
	return w
}

func (w *alertWorld) profileInput(name string, sc mailertest.Scenario) store.ProfileInput {
	return store.ProfileInput{Name: name, Cloud: string(mailer.CloudGlobal), Tenant: sc.Tenant, ClientID: sc.ClientID, CredentialKind: store.KindSecret,
		Secret: sc.Secret, Mailbox: sc.Mailbox, TestRecipient: sc.To, SMTPHost: w.fake.SMTPAddr, Authority: w.fake.URL}
}

// check runs "Test now" the way the console does: start, check through the client, save.
func (w *alertWorld) check(t *testing.T, id int64) *mailer.Result {
	t.Helper()
	ctx := context.Background()
	p, err := w.db.Profile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	req, err := w.db.Request(ctx, p, "")
	if err != nil {
		t.Fatal(err)
	}
	run := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "tester"}
	if err := w.db.StartRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	res := w.checker.Run(ctx, req, nil)
	if err := w.db.FinishRun(ctx, run.ID, res); err != nil {
		t.Fatal(err)
	}
	if w.al.delivery != nil {
		w.al.delivery.Wait()
	}
	return res
}

func (w *alertWorld) alertMails() []mailertest.Message {
	var out []mailertest.Message
	for _, m := range w.fake.Messages() {
		if strings.Contains(m.Data, "Subject: smtpoauth:") || strings.Contains(m.Data, "Subject: =?utf-8?q?smtpoauth:") {
			out = append(out, m)
		}
	}
	return out
}

// A connection that starts failing raises exactly one signed webhook and one e-mail sent
// through the sender connection, and its recovery one more of each; a run that leaves the
// status as it was raises nothing. The failure is AADSTS7000222, so the alert says "expired".
func TestAlerts_TransitionRaisesOneWebhookAndOneEmail(t *testing.T) {
	ctx := context.Background()
	w := newAlertWorld(t)
	sender := MustSave(t, w.db, w.profileInput("Alert sender", w.works))
	watched := MustSave(t, w.db, w.profileInput("Billing", w.works))
	if err := w.db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: w.hook.srv.URL + "/hooks/abc", WebhookSecret: alertSecret,
		SenderProfileID: sender.ID, Recipients: w.works.To}, "admin"); err != nil {
		t.Fatal(err)
	}

	if res := w.check(t, watched.ID); !res.OK {
		t.Fatalf("first check: got %v, want passed", res.Err)
	}
	if got, n, _ := w.hook.got(); len(got) != 0 || n != 0 || len(w.alertMails()) != 0 {
		t.Fatalf("a first run raised alerts: %d webhooks, %d mails", n, len(w.alertMails()))
	}

	// The secret is replaced by one Entra reports as expired.
	in := w.profileInput("Billing", w.expired)
	if _, err := w.db.UpdateProfile(ctx, watched.ID, in, "admin"); err != nil {
		t.Fatal(err)
	}
	w.hook.mu.Lock()
	w.hook.failNext = 2 // the receiver is briefly down: the webhook is retried
	w.hook.mu.Unlock()
	for range 2 {
		if res := w.check(t, watched.ID); res.OK || res.Diagnosis.Code != mailer.CodeTokenSecretExpired {
			t.Fatalf("got %+v, want TOKEN_SECRET_EXPIRED", res.Diagnosis)
		}
	}
	got, requests, badSigs := w.hook.got()
	if len(got) != 1 || got[0].Kind != fleet.KindExpired || got[0].Message.Code != fleet.MsgFailingExpired || got[0].Connection != "Billing" {
		t.Fatalf("got %+v, want one expired alert for Billing", got)
	}
	if !strings.Contains(strings.ToLower(got[0].Text), "expired") {
		t.Fatalf("got text %q, want it to say expired", got[0].Text)
	}
	if requests != 3 || badSigs != 0 {
		t.Fatalf("got %d requests (%d badly signed), want 3: two refused, one accepted", requests, badSigs)
	}
	mails := w.alertMails()
	if len(mails) != 1 || mails[0].To[0] != w.works.To || mails[0].From != w.works.Mailbox {
		t.Fatalf("got %d alert mails %+v, want one from the sender connection", len(mails), mails)
	}
	if !strings.Contains(mails[0].Data, "Billing") || !strings.Contains(mails[0].Data, "https://console.example/runs/") {
		t.Fatalf("got %q, want the connection and a link to its run", mails[0].Data)
	}

	// Back to the working secret: one recovery alert on each channel.
	if _, err := w.db.UpdateProfile(ctx, watched.ID, w.profileInput("Billing", w.works), "admin"); err != nil {
		t.Fatal(err)
	}
	if res := w.check(t, watched.ID); !res.OK {
		t.Fatalf("got %v, want passed", res.Err)
	}
	got, _, _ = w.hook.got()
	if len(got) != 2 || got[1].Kind != fleet.KindRecovered {
		t.Fatalf("got %+v, want a recovered alert second", got)
	}
	if n := len(w.alertMails()); n != 2 {
		t.Fatalf("got %d alert mails, want 2", n)
	}
	hist, err := w.db.AlertDeliveries(ctx, 10)
	if err != nil || len(hist) != 4 {
		t.Fatalf("got %d history rows %v, want 4", len(hist), err)
	}
	for _, h := range hist {
		if h.Status != fleet.DeliverySent || h.Connection != "Billing" {
			t.Errorf("history row %+v: want sent, for Billing", h)
		}
		if h.Channel == "webhook" && h.Kind == fleet.KindExpired && h.Attempts != 3 {
			t.Errorf("history row %+v: want 3 attempts", h)
		}
	}
}

// A secret expiring in 10 days is warned once at the 14-day threshold, however often the
// daily check runs.
func TestAlerts_ExpiringSecretWarnedOncePerThreshold(t *testing.T) {
	ctx := context.Background()
	w := newAlertWorld(t)
	in := w.profileInput("Billing", w.works)
	in.SecretExpiresOn = time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
	MustSave(t, w.db, in)
	if err := w.db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: w.hook.srv.URL + "/hooks/abc", WebhookSecret: alertSecret}, "admin"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := w.al.checkExpiry(ctx); err != nil {
			t.Fatal(err)
		}
		w.al.delivery.Wait()
	}
	got, _, _ := w.hook.got()
	if len(got) != 1 || got[0].Kind != fleet.KindExpiring || got[0].Level != "14" || got[0].DaysLeft == nil || *got[0].DaysLeft != 10 {
		t.Fatalf("got %+v, want one 14-day warning with 10 days left", got)
	}
}

// The test buttons send on one channel now and say what happened.
func TestAlerts_TestButtons(t *testing.T) {
	ctx := context.Background()
	w := newAlertWorld(t)
	sender := MustSave(t, w.db, w.profileInput("Alert sender", w.works))
	if _, err := w.al.TestAlert(ctx, "webhook", "admin"); err != fleet.ErrChannelOff {
		t.Fatalf("got %v, want the channel reported off", err)
	}
	if err := w.db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: w.hook.srv.URL + "/h", WebhookSecret: alertSecret,
		SenderProfileID: sender.ID, Recipients: w.works.To}, "admin"); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []string{"webhook", "email"} {
		rec, err := w.al.TestAlert(ctx, ch, "admin")
		if err != nil || rec.Status != fleet.DeliverySent || rec.Kind != fleet.KindTest {
			t.Fatalf("%s: got %+v %v, want sent", ch, rec, err)
		}
	}
	if got, _, _ := w.hook.got(); len(got) != 1 || got[0].Message.Code != fleet.MsgTest {
		t.Fatalf("got %+v, want one test webhook", got)
	}
	if n := len(w.alertMails()); n != 1 {
		t.Fatalf("got %d mails, want 1", n)
	}
}

// MustSave saves a profile or fails the test.
func MustSave(t *testing.T, db *store.DB, in store.ProfileInput) *store.Profile {
	t.Helper()
	p, err := db.CreateProfile(context.Background(), in, "admin")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// waitDeliveries waits, generously (River retries on its scheduler's beat), for n history rows.
func waitDeliveries(t *testing.T, db *store.DB, n int) []store.AlertDelivery {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		got, err := db.AlertDeliveries(context.Background(), 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("got %d deliveries recorded, want %d", len(got), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Through River: a transition is one durable job per channel; the receiver's failure is
// retried by the job, and the history records each delivery once, when it is final.
func TestAlerts_TransitionThroughTheJobQueue(t *testing.T) {
	ctx := context.Background()
	w := newAlertWorldWith(t, true)
	sender := MustSave(t, w.db, w.profileInput("Alert sender", w.works))
	watched := MustSave(t, w.db, w.profileInput("Billing", w.works))
	if err := w.db.UpdateAlertSettings(ctx, store.AlertSettingsInput{WebhookURL: w.hook.srv.URL + "/hooks/abc", WebhookSecret: alertSecret,
		SenderProfileID: sender.ID, Recipients: w.works.To}, "admin"); err != nil {
		t.Fatal(err)
	}
	w.check(t, watched.ID)
	if _, err := w.db.UpdateProfile(ctx, watched.ID, w.profileInput("Billing", w.expired), "admin"); err != nil {
		t.Fatal(err)
	}
	w.hook.mu.Lock()
	w.hook.failNext = 1
	w.hook.mu.Unlock()
	w.check(t, watched.ID)
	w.check(t, watched.ID) // still failing: nothing new
	hist := waitDeliveries(t, w.db, 2)
	byChannel := map[string]store.AlertDelivery{}
	for _, h := range hist {
		byChannel[h.Channel] = h
	}
	if h := byChannel["webhook"]; h.Status != fleet.DeliverySent || h.Attempts != 2 {
		t.Fatalf("webhook: got %+v, want sent on the second attempt", h)
	}
	if h := byChannel["email"]; h.Status != fleet.DeliverySent || h.Attempts != 1 {
		t.Fatalf("e-mail: got %+v, want sent at once", h)
	}
	got, requests, _ := w.hook.got()
	if len(got) != 1 || requests != 2 || got[0].Kind != fleet.KindExpired {
		t.Fatalf("got %d accepted of %d requests (%+v), want one expired alert after one refusal", len(got), requests, got)
	}
	if n := len(w.alertMails()); n != 1 {
		t.Fatalf("got %d alert mails, want 1", n)
	}
}
