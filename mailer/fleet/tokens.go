package fleet

import (
	"context"
	"crypto/sha256"
	"strings"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"golang.org/x/time/rate"
)

// ReuseMargin is how long before its expiry a token is no longer reused: a check takes seconds,
// and a token that expires during the SMTP dialogue would fail it for no fault of the connection.
const ReuseMargin = 5 * time.Minute

// tokenKey identifies what a token depends on: the authority (cloud or override), tenant, app,
// scope and credential. Any change to one of them is a different key, so a connection that
// changes never gets the old token; connections that share an app registration in a tenant
// share its token, as Entra would issue them the same one. The key is a hash, so no secret
// sits in the cache in clear.
type tokenKey [sha256.Size]byte

func keyOf(req mailer.Request) tokenKey {
	ep := req.Endpoints()
	h := sha256.New()
	for _, part := range []string{ep.Authority, strings.ToLower(strings.TrimSpace(req.Tenant)), strings.ToLower(req.ClientID), ep.Scope()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	switch c := req.Credential; {
	case c.Certificate != nil && c.Certificate.Leaf != nil:
		h.Write([]byte("certificate\x00"))
		h.Write(c.Certificate.Leaf.Raw)
	default:
		h.Write([]byte("secret\x00"))
		h.Write([]byte(c.Secret))
	}
	var k tokenKey
	h.Sum(k[:0])
	return k
}

// tenantKey names the tenant whose token endpoint a request calls, for pacing.
func tenantKey(req mailer.Request) string {
	return req.Endpoints().Authority + "/" + strings.ToLower(strings.TrimSpace(req.Tenant))
}

// tokens is the Runner's mailer.TokenSource: reuse, one request at a time per key, pacing.
type tokens struct {
	now   mailer.Clock
	sleep func(context.Context, time.Duration) error
	rate  rate.Limit
	burst int

	mu       sync.Mutex
	cache    map[tokenKey]mailer.Token
	flights  map[tokenKey]*flight
	limiters map[string]*rate.Limiter
	puts     int
	stats    *counters
}

// flight is a token request in progress that other runs with the same key wait for.
type flight struct {
	done chan struct{}
	tok  mailer.Token
	err  error
}

var _ mailer.TokenSource = (*tokens)(nil)

// Token returns a reusable token when the request allows it, else fetches one, paced per tenant.
func (t *tokens) Token(ctx context.Context, req mailer.Request, fetch func(context.Context) (mailer.Token, error)) (mailer.Token, bool, error) {
	if !req.ReuseToken {
		tok, err := t.fetch(ctx, req, fetch)
		return tok, false, err
	}
	key := keyOf(req)
	t.mu.Lock()
	if tok, ok := t.cache[key]; ok && t.usable(tok) {
		t.mu.Unlock()
		t.stats.add(&t.stats.reused)
		return tok, true, nil
	}
	if f := t.flights[key]; f != nil {
		t.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return mailer.Token{}, false, ctx.Err()
		}
		if f.err == nil && t.usable(f.tok) {
			t.stats.add(&t.stats.reused)
			return f.tok, true, nil
		}
		// The request this run waited for failed: its own request gets its own diagnosis.
		tok, err := t.fetch(ctx, req, fetch)
		return tok, false, err
	}
	f := &flight{done: make(chan struct{})}
	if t.flights == nil {
		t.flights = map[tokenKey]*flight{}
	}
	t.flights[key] = f
	t.mu.Unlock()
	defer close(f.done)
	f.tok, f.err = t.fetch(ctx, req, fetch)
	t.mu.Lock()
	delete(t.flights, key)
	t.mu.Unlock()
	return f.tok, false, f.err
}

// usable: more than ReuseMargin left.
func (t *tokens) usable(tok mailer.Token) bool {
	return tok.Value != "" && tok.Expires.Sub(t.now.Now()) > ReuseMargin
}

// fetch asks Entra ID once the tenant's pace allows, and keeps a token that can be reused.
func (t *tokens) fetch(ctx context.Context, req mailer.Request, fetch func(context.Context) (mailer.Token, error)) (mailer.Token, error) {
	if err := t.pace(ctx, tenantKey(req)); err != nil {
		return mailer.Token{}, err
	}
	t.stats.add(&t.stats.fetched)
	tok, err := fetch(ctx)
	if err != nil || !t.usable(tok) {
		return tok, err
	}
	key := keyOf(req)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cache == nil {
		t.cache = map[tokenKey]mailer.Token{}
	}
	t.cache[key] = tok
	if t.puts++; t.puts%256 == 0 {
		t.sweepLocked()
	}
	return tok, nil
}

// sweepLocked drops the tokens no run may use any more, so the cache holds at most the live
// tokens of the fleet.
func (t *tokens) sweepLocked() {
	for k, tok := range t.cache {
		if !t.usable(tok) {
			delete(t.cache, k)
		}
	}
}

// pace waits until the tenant's limiter allows one more token request.
func (t *tokens) pace(ctx context.Context, tenant string) error {
	t.mu.Lock()
	if t.limiters == nil {
		t.limiters = map[string]*rate.Limiter{}
	}
	lim := t.limiters[tenant]
	if lim == nil {
		lim = rate.NewLimiter(t.rate, t.burst)
		t.limiters[tenant] = lim
	}
	now := t.now.Now()
	res := lim.ReserveN(now, 1)
	t.mu.Unlock()
	if !res.OK() {
		return errNoTokenRate
	}
	if d := res.DelayFrom(now); d > 0 {
		t.stats.add(&t.stats.paced)
		if err := t.sleep(ctx, d); err != nil {
			res.CancelAt(t.now.Now())
			return err
		}
	}
	return nil
}
