package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store"
)

// fakeTester answers the test buttons with a fixed outcome and records what was asked.
type fakeTester struct {
	mu    sync.Mutex
	asked []string
	rec   fleet.DeliveryRecord
	err   error
}

func (f *fakeTester) TestAlert(_ context.Context, channel, by string) (fleet.DeliveryRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, channel+" by "+by)
	return f.rec, f.err
}

const pageSecret = "whsec-page-0123456789abcdef"

// An admin saves where alerts go; the signing secret is never shown back, the help desk reads
// the settings and the history but cannot change them.
func TestAlertsPage_AdminEditsHelpDeskReads(t *testing.T) {
	c := newConsole(t)
	ctx := context.Background()
	p, err := c.DB.CreateProfile(ctx, store.ProfileInput{Name: "Alert sender", Cloud: "global", Tenant: "7c0c36f5-af83-4c24-8844-9962e0163719",
		ClientID: "11111111-aaaa-4bbb-8ccc-000000000001", CredentialKind: store.KindSecret, Secret: "Abc8Q~super.secret.value-0123456789",
		Mailbox: "billing@contoso.com"}, "admin")
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"webhook_url": {"https://hooks.example.com/services/T0/B0/XYZsecretpath"}, "webhook_secret": {pageSecret},
		"sender": {strconv.FormatInt(p.ID, 10)}, "recipients": {"ops@contoso.com, helpdesk@contoso.com"}}
	resp, body := c.post(t, "/alerts", form)
	if resp.StatusCode != http.StatusOK || testid(doc(t, body), "alerts-notice").Length() != 1 {
		t.Fatalf("save: got %d, want 200 with a notice", resp.StatusCode)
	}
	if strings.Contains(body, pageSecret) {
		t.Fatal("the page shows the signing secret")
	}
	if state := testid(doc(t, body), "alerts-secret-state").Text(); !strings.Contains(state, "set on") {
		t.Fatalf("got %q, want the secret's date", state)
	}
	if s, _ := c.DB.AlertSettings(ctx); s.SenderProfileID != p.ID || len(s.Recipients) != 2 {
		t.Fatalf("got %+v, want the sender and two recipients saved", s)
	}
	log, err := c.DB.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if strings.Contains(e.Detail+e.Target, "XYZsecretpath") || strings.Contains(e.Detail+e.Target, pageSecret) {
			t.Fatalf("the audit log holds the webhook's path or secret: %+v", e)
		}
	}

	resp, body = c.getAs(t, c.helpdesk, "/alerts")
	d := doc(t, body)
	if resp.StatusCode != http.StatusOK || testid(d, "alerts-readonly").Length() != 1 || testid(d, "alerts-form").Length() != 0 {
		t.Fatalf("help desk: got %d, want the settings read-only", resp.StatusCode)
	}
	if strings.Contains(body, pageSecret) || !strings.Contains(body, "Alert sender") {
		t.Fatal("help desk: want the sender's name and no secret")
	}
	if resp, _ := c.postAs(t, c.helpdesk, "/alerts", url.Values{"webhook_url": {""}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("help desk save: got %d, want 403", resp.StatusCode)
	}
	if s, _ := c.DB.AlertSettings(ctx); s.WebhookURL == "" {
		t.Fatal("the help desk turned the webhook off")
	}
}

func TestAlertsPage_ErrInvalidChangesNothing(t *testing.T) {
	c := newConsole(t)
	resp, body := c.post(t, "/alerts", url.Values{"webhook_url": {"http://hooks.example.com/x"}, "webhook_secret": {pageSecret}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "must start with https://") {
		t.Fatalf("got %d, want 422 saying https", resp.StatusCode)
	}
	if strings.Contains(body, pageSecret) {
		t.Fatal("the refused form shows the secret again")
	}
	if s, _ := c.DB.AlertSettings(context.Background()); s.WebhookURL != "" {
		t.Fatalf("got %+v, want nothing saved", s)
	}
}

// The test buttons say what happened: sent, not delivered (with the reason), or not configured.
func TestAlertsPage_TestButtons(t *testing.T) {
	ft := &fakeTester{rec: fleet.DeliveryRecord{Status: fleet.DeliverySent, Channel: "webhook", Kind: fleet.KindTest, Attempts: 1, At: time.Now()}}
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Alerts = ft })
	_, body := c.post(t, "/alerts/test/webhook", nil)
	if !strings.Contains(testid(doc(t, body), "alerts-notice").Text(), "Test alert sent") {
		t.Fatalf("sent: got %q", testid(doc(t, body), "alerts-notice").Text())
	}
	ft.rec = fleet.DeliveryRecord{Status: fleet.DeliveryFailed, LastError: "webhook at hooks.example.com:443 answered 500"}
	_, body = c.post(t, "/alerts/test/webhook", nil)
	if got := testid(doc(t, body), "alerts-problem").Text(); !strings.Contains(got, "answered 500") {
		t.Fatalf("failed: got %q, want the reason", got)
	}
	ft.err = fleet.ErrChannelOff
	_, body = c.post(t, "/alerts/test/email", nil)
	if got := testid(doc(t, body), "alerts-problem").Text(); !strings.Contains(got, "not configured") {
		t.Fatalf("off: got %q", got)
	}
	if resp, _ := c.post(t, "/alerts/test/sms", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown channel: got %d, want 404", resp.StatusCode)
	}
	if resp, _ := c.postAs(t, c.helpdesk, "/alerts/test/webhook", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("help desk: got %d, want 403", resp.StatusCode)
	}
	if len(ft.asked) != 3 || ft.asked[0] != "webhook by "+adminName {
		t.Fatalf("got %q, want three tests asked by the admin", ft.asked)
	}
}

func TestAlertsPage_German(t *testing.T) {
	c := newConsole(t)
	c.post(t, "/lang", url.Values{"lang": {"de"}})
	_, body := c.get(t, "/alerts")
	if h1 := doc(t, body).Find("h1").Text(); h1 != "Alarme" {
		t.Fatalf("got %q, want Alarme", h1)
	}
}
