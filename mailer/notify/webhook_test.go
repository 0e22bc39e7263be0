package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/notify"
)

var secret = []byte("whsec-test-0123456789")

// receiver is an https webhook receiver on loopback that verifies every request it gets.
type receiver struct {
	srv *httptest.Server
	mu  sync.Mutex
	// fail answers the first fail requests with 503.
	fail     int
	got      []notify.Payload
	requests int
	badSig   []error
}

func newReceiver(tb testing.TB) *receiver {
	tb.Helper()
	rc := &receiver{}
	rc.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.requests++
		if err := notify.Verify(secret, r.Header.Get(notify.SignatureHeader), body, time.Now(), notify.DefaultTolerance); err != nil {
			rc.badSig = append(rc.badSig, err)
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if rc.requests <= rc.fail {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		var p notify.Payload
		if err := json.Unmarshal(body, &p); err != nil || r.Header.Get(notify.DeliveryHeader) != p.Key {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		rc.got = append(rc.got, p)
	}))
	tb.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) payloads() []notify.Payload {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]notify.Payload(nil), rc.got...)
}

// webhook posts to rc, whose exact loopback endpoint the test's policy allows (as an operator
// would with --allowed-hosts 127.0.0.1:PORT).
func (rc *receiver) webhook(tb testing.TB) *notify.Webhook {
	tb.Helper()
	p, err := mailer.NewPolicy(mailer.PolicyConfig{AllowEndpoints: []string{rc.srv.Listener.Addr().String()}})
	if err != nil {
		tb.Fatal(err)
	}
	roots := rc.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	return &notify.Webhook{URL: rc.srv.URL + "/hooks/T0123/secret-path", Secret: secret, Policy: p,
		DialerFor: (&exchange.Checker{}).DialerFor, RootCAs: roots}
}

var alert = fleet.Alert{Key: "transition/7/r2", Kind: fleet.KindFailing, Message: mailer.Msg(fleet.MsgFailing, "Billing", "TOKEN_SECRET_INVALID"),
	ConnectionID: 7, Connection: "Billing", RunID: "r2", Diagnosis: "TOKEN_SECRET_INVALID"}

func TestWebhook_SignedJSONVerifies(t *testing.T) {
	rc := newReceiver(t)
	w := rc.webhook(t)
	w.Words = func(code string, args ...string) string {
		if code == "diag.TOKEN_SECRET_INVALID.title" {
			return "The client secret is wrong"
		}
		return code + ":" + strings.Join(args, ",")
	}
	if err := w.Notify(context.Background(), alert); err != nil {
		t.Fatal(err)
	}
	got := rc.payloads()
	if len(got) != 1 || got[0].Key != alert.Key || got[0].Message.Code != fleet.MsgFailing || got[0].Text != "ALERT_FAILING:Billing,The client secret is wrong" {
		t.Fatalf("got %+v, want the alert with its codes and its text naming the diagnosis in words", got)
	}
}

func TestWebhook_FailingReceiverIsRetried(t *testing.T) {
	rc := newReceiver(t)
	rc.fail = 2
	noWait := func(context.Context, time.Duration) error { return nil }
	rec := fleet.Deliver(context.Background(), rc.webhook(t), alert, fleet.Retry{Attempts: 5, Backoff: time.Second}, noWait, time.Now)
	if rec.Status != fleet.DeliverySent || rec.Attempts != 3 {
		t.Fatalf("got %+v, want sent on the third attempt", rec)
	}
	if n := len(rc.payloads()); n != 1 {
		t.Fatalf("got %d accepted deliveries, want 1", n)
	}
}

func TestWebhook_WrongSecretIsRefusedByTheReceiver(t *testing.T) {
	rc := newReceiver(t)
	w := rc.webhook(t)
	w.Secret = []byte("another secret")
	err := w.Notify(context.Background(), alert)
	if err == nil || !fleet.IsPermanent(err) {
		t.Fatalf("got %v, want a permanent 401", err)
	}
	if strings.Contains(err.Error(), "secret-path") || strings.Contains(err.Error(), "hooks") {
		t.Fatalf("got %q, want no URL path in the error", err)
	}
	if len(rc.badSig) != 1 || !errors.Is(rc.badSig[0], notify.ErrSignatureMismatch) {
		t.Fatalf("got %v, want one mismatch", rc.badSig)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"id":"x"}`)
	now := time.Unix(1764590400, 0)
	h := notify.Sign(secret, now, body)
	t.Run("OK", func(t *testing.T) {
		if err := notify.Verify(secret, h, body, now.Add(time.Minute), notify.DefaultTolerance); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrBodyChanged", func(t *testing.T) {
		if err := notify.Verify(secret, h, []byte(`{"id":"y"}`), now, notify.DefaultTolerance); !errors.Is(err, notify.ErrSignatureMismatch) {
			t.Fatalf("got %v, want a mismatch", err)
		}
	})
	t.Run("ErrReplayedLater", func(t *testing.T) {
		if err := notify.Verify(secret, h, body, now.Add(6*time.Minute), notify.DefaultTolerance); !errors.Is(err, notify.ErrSignatureStale) {
			t.Fatalf("got %v, want stale", err)
		}
	})
	t.Run("ErrTimestampChanged", func(t *testing.T) {
		forged := strings.Replace(h, "t=1764590400", "t=1764590460", 1)
		if err := notify.Verify(secret, forged, body, now, notify.DefaultTolerance); !errors.Is(err, notify.ErrSignatureMismatch) {
			t.Fatalf("got %v, want a mismatch", err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		if err := notify.Verify(secret, "v1=abc", body, now, notify.DefaultTolerance); !errors.Is(err, notify.ErrSignatureMalformed) {
			t.Fatalf("got %v, want malformed", err)
		}
	})
}

// recorder is a network that records and never connects, and a resolver with fixed answers.
type recorder struct {
	mu    sync.Mutex
	dials []string
	dns   map[string][]netip.Addr
}

func (r *recorder) dial(_ context.Context, _, addr string) (net.Conn, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dials = append(r.dials, addr)
	return nil, errors.New("test: recorded, not connected")
}

func (r *recorder) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r.dns[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// A saved webhook URL is allowed by name only: loopback, private, link-local and metadata
// targets are refused before any connection, whether given as an address or behind a name.
func TestWebhook_PolicyRefusesInternalTargetsWithoutDialling(t *testing.T) {
	rec := &recorder{dns: map[string][]netip.Addr{
		"hooks.internal.example":  {netip.MustParseAddr("10.1.2.3")},
		"rebind.example":          {netip.MustParseAddr("127.0.0.1")},
		"metadata.example":        {netip.MustParseAddr("169.254.169.254")},
		"v6-metadata.example":     {netip.MustParseAddr("fd00:ec2::254")},
		"cgnat.internal.example":  {netip.MustParseAddr("100.64.0.1")},
		"mapped-loopback.example": {netip.MustParseAddr("::ffff:127.0.0.1")},
	}}
	checker := &exchange.Checker{Resolver: rec, Dial: rec.dial}
	for _, url := range []string{
		"https://127.0.0.1/hook", "https://[::1]:8443/hook", "https://169.254.169.254/latest/meta-data",
		"https://10.0.0.5/hook", "https://192.168.1.10:8443/hook", "https://hooks.internal.example/hook",
		"https://rebind.example/hook", "https://metadata.example/hook", "https://v6-metadata.example/hook",
		"https://cgnat.internal.example/hook", "https://mapped-loopback.example/hook",
	} {
		w := &notify.Webhook{URL: url, Secret: secret, Policy: mailer.DefaultPolicy(), DialerFor: checker.DialerFor}
		err := w.Notify(context.Background(), alert)
		var refused *mailer.TargetRefusedError
		if !errors.As(err, &refused) || !fleet.IsPermanent(err) {
			t.Errorf("%s: got %v, want a permanent policy refusal", url, err)
		}
	}
	if len(rec.dials) != 0 {
		t.Fatalf("got dials %q, want none", rec.dials)
	}
}

// The saved name is allowed on its own port only: the policy still holds for everything else.
func TestWebhook_OnlyTheSavedHostAndPortAreAdded(t *testing.T) {
	p := mailer.DefaultPolicy().WithName("hooks.example.com", 8443)
	if err := p.AllowName("hooks.example.com", 8443); err != nil {
		t.Fatalf("got %v, want the saved host allowed", err)
	}
	if err := p.AllowName("hooks.example.com", 22); err == nil {
		t.Fatal("got port 22 allowed, want refused")
	}
	if err := mailer.DefaultPolicy().AllowName("hooks.example.com", 8443); err == nil {
		t.Fatal("the default policy changed: got the host allowed, want refused")
	}
}

func TestParseWebhookURL(t *testing.T) {
	for _, bad := range []string{"http://hooks.example.com/x", "https://user:pw@hooks.example.com/x", "hooks.example.com/x",
		"https:///x", "https://hooks.example.com:0/x", "https://h.example/" + strings.Repeat("a", 2100)} {
		if _, _, err := fleet.ParseWebhookURL(bad); err == nil {
			t.Errorf("%q: got no error, want one", bad)
		}
	}
	host, port, err := fleet.ParseWebhookURL("https://hooks.example.com/services/x")
	if err != nil || host != "hooks.example.com" || port != 443 {
		t.Fatalf("got %q %d %v, want hooks.example.com 443", host, port, err)
	}
}
