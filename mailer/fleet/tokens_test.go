package fleet

import (
	"context"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"golang.org/x/time/rate"
)

// Fleet runs reuse a connection's token until 5 minutes before it expires; then they fetch a
// new one. The run says which it used.
func TestRunner_ReusesTokenUntilFiveMinutesBeforeExpiry(t *testing.T) {
	clock := newClock()
	inner := &scripted{expires: time.Hour}
	r := newRunner(inner, clock)
	ctx := context.Background()
	if res := r.Run(ctx, request(), nil); res.TokenReused {
		t.Fatal("the first run says it reused a token")
	}
	clock.advance(54 * time.Minute) // 6 minutes left
	if res := r.Run(ctx, request(), nil); !res.TokenReused || inner.fetches != 1 {
		t.Fatalf("with 6 minutes left: reused=%v after %d token requests, want the token reused", res.TokenReused, inner.fetches)
	}
	clock.advance(time.Minute + time.Second) // 4:59 left
	if res := r.Run(ctx, request(), nil); res.TokenReused || inner.fetches != 2 {
		t.Fatalf("with 4:59 left: reused=%v after %d token requests, want a new token", res.TokenReused, inner.fetches)
	}
	if s := r.Stats(); s.TokenRequests != 2 || s.TokensReused != 1 {
		t.Fatalf("got stats %+v", s)
	}
}

// "Test now" never reuses a token: a permission change only shows in a new one.
func TestRunner_NoReuseWithoutReuseToken(t *testing.T) {
	clock := newClock()
	inner := &scripted{}
	r := newRunner(inner, clock)
	req := request()
	req.ReuseToken = false
	for range 3 {
		if res := r.Run(context.Background(), req, nil); res.TokenReused {
			t.Fatal("a run that did not allow reuse reused a token")
		}
	}
	if inner.fetches != 3 {
		t.Fatalf("got %d token requests for 3 runs, want 3", inner.fetches)
	}
}

// Any change to what the token depends on drops it: tenant, app, secret, certificate, endpoint.
func TestRunner_ConnectionChangeDropsTheToken(t *testing.T) {
	changes := map[string]func(*mailer.Request){
		"secret":    func(r *mailer.Request) { r.Credential.Secret = "Xyz8Q~rotated" },
		"tenant":    func(r *mailer.Request) { r.Tenant = "fabrikam.onmicrosoft.com" },
		"client":    func(r *mailer.Request) { r.ClientID = "11111111-aaaa-4bbb-8ccc-000000000002" },
		"authority": func(r *mailer.Request) { r.Authority = "https://login.microsoftonline.us" },
		"cloud":     func(r *mailer.Request) { r.Cloud = mailer.CloudGCCHigh },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			inner := &scripted{}
			r := newRunner(inner, newClock())
			r.Run(context.Background(), request(), nil)
			req := request()
			change(&req)
			if res := r.Run(context.Background(), req, nil); res.TokenReused || inner.fetches != 2 {
				t.Fatalf("after a %s change: reused=%v with %d token requests, want a new token", name, res.TokenReused, inner.fetches)
			}
		})
	}
	// What the token does not depend on keeps it: another mailbox or recipient of the same app.
	inner := &scripted{}
	r := newRunner(inner, newClock())
	r.Run(context.Background(), request(), nil)
	req := request()
	req.Mailbox, req.To = "frontdesk@contoso.com", ""
	if res := r.Run(context.Background(), req, nil); !res.TokenReused {
		t.Fatal("a connection of the same app registration with another mailbox fetched its own token")
	}
}

// Many runs of one app registration at once make one token request, not one each.
func TestRunner_ConcurrentRunsShareOneTokenRequest(t *testing.T) {
	inner := &scripted{}
	r := newRunner(inner, newClock())
	items := make([]Item, 40)
	for i := range items {
		items[i] = Item{Name: "c", Request: request()}
		items[i].Request.Mailbox = "m" + string(rune('a'+i%26)) + "@contoso.com"
	}
	sum := RunAll(context.Background(), r, items, 20, nil)
	if sum.Passed != 40 || inner.fetches != 1 {
		t.Fatalf("got %+v with %d token requests, want 40 passes and 1 request", sum, inner.fetches)
	}
}

// Token requests to one tenant are paced; another tenant's are not held up by them.
func TestRunner_TokenRequestsPacedPerTenant(t *testing.T) {
	clock := newClock()
	inner := &scripted{now: clock.Now, expires: time.Hour}
	r := New(inner, Options{Now: clock.Now, Sleep: clock.Sleep, TokenRate: rate.Limit(1), TokenBurst: 1})
	ctx := context.Background()
	for i, id := range []string{"01", "02", "03"} {
		req := request()
		req.ClientID = "11111111-aaaa-4bbb-8ccc-0000000000" + id
		r.Run(ctx, req, nil)
		if len(clock.waits) != i {
			t.Fatalf("after %d requests to one tenant: waits %v, want %d", i+1, clock.waits, i)
		}
	}
	for _, w := range clock.waits {
		if w < 900*time.Millisecond {
			t.Fatalf("got waits %v, want about a second each at 1 request/s", clock.waits)
		}
	}
	other := request()
	other.Tenant = "fabrikam.onmicrosoft.com"
	r.Run(ctx, other, nil)
	if len(clock.waits) != 2 {
		t.Fatalf("another tenant's first request waited: %v", clock.waits)
	}
}
