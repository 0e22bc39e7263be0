package fleet

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"golang.org/x/time/rate"
)

// Defaults, the limits Runner keeps when Options leave them zero.
const (
	// DefaultMailboxSessions is Exchange Online's sender thread limit: three connections may
	// submit for one mailbox at once, the fourth gets 432 4.3.2.
	DefaultMailboxSessions = 3
	// DefaultTokenRate and DefaultTokenBurst pace token requests per tenant: well below what a
	// tenant's token endpoint serves, well above what a fleet needs once tokens are reused.
	DefaultTokenRate  = rate.Limit(20)
	DefaultTokenBurst = 20
	// DefaultAttempts is how often a run whose failure is temporary is tried in all.
	DefaultAttempts = 4
	// DefaultBackoff is the first wait before another try, doubled each time up to DefaultMaxBackoff.
	DefaultBackoff    = 2 * time.Second
	DefaultMaxBackoff = 30 * time.Second
	// MaxRetryAfter is the longest wait a server may ask for that a run still waits out; a longer
	// one ends the run with its diagnosis, which names the wait.
	MaxRetryAfter = 2 * time.Minute
)

var errNoTokenRate = errors.New("token requests are paced at zero per second")

// Options tune a Runner; the zero value keeps Exchange Online's limits.
type Options struct {
	// MailboxSessions bounds the checks running at once per sending mailbox; zero means DefaultMailboxSessions.
	MailboxSessions int
	// TokenRate and TokenBurst pace token requests per tenant; zero means the defaults.
	TokenRate  rate.Limit
	TokenBurst int
	// Attempts is how often a run with a temporary failure is tried in all; zero means
	// DefaultAttempts, one means never again.
	Attempts int
	// Backoff and MaxBackoff shape the waits between tries; zero means the defaults.
	Backoff, MaxBackoff time.Duration
	// Now is the clock for token expiry and pacing; nil means time.Now.
	Now mailer.Clock
	// Sleep waits d or until ctx ends; nil means a timer. Tests pass one that records the wait.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Runner is a mailer.Checker that runs another one under the fleet's rules: per-mailbox
// concurrency, per-tenant token pacing, token reuse for requests that allow it, and retries
// of temporary failures within the run. It is safe for concurrent use.
type Runner struct {
	inner     mailer.Checker
	opts      Options
	mailboxes *mailboxes
	tokens    *tokens
	stats     counters
	jitter    func() float64
}

var _ mailer.Checker = (*Runner)(nil)

// counters are the Runner's statistics.
type counters struct {
	fetched, reused, paced, retries atomic.Int64
}

func (c *counters) add(n *atomic.Int64) { n.Add(1) }

// Stats are what a Runner did so far.
type Stats struct {
	// TokenRequests is how many tokens were requested from Entra ID; TokensReused how many runs
	// used a token an earlier run fetched; TokenWaits how many requests waited for the tenant's pace.
	TokenRequests, TokensReused, TokenWaits int64
	// Retries is how many runs were tried again after a temporary failure.
	Retries int64
}

// New returns a Runner around inner.
func New(inner mailer.Checker, opts Options) *Runner {
	if opts.MailboxSessions <= 0 {
		opts.MailboxSessions = DefaultMailboxSessions
	}
	if opts.TokenRate <= 0 {
		opts.TokenRate = DefaultTokenRate
	}
	if opts.TokenBurst <= 0 {
		opts.TokenBurst = DefaultTokenBurst
	}
	if opts.Attempts <= 0 {
		opts.Attempts = DefaultAttempts
	}
	if opts.Backoff <= 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	r := &Runner{inner: inner, opts: opts, mailboxes: &mailboxes{limit: opts.MailboxSessions}, jitter: rand.Float64}
	r.tokens = &tokens{now: opts.Now, sleep: opts.Sleep, rate: opts.TokenRate, burst: opts.TokenBurst, stats: &r.stats}
	return r
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats returns what the Runner did so far.
func (r *Runner) Stats() Stats {
	return Stats{TokenRequests: r.stats.fetched.Load(), TokensReused: r.stats.reused.Load(),
		TokenWaits: r.stats.paced.Load(), Retries: r.stats.retries.Load()}
}

// OutboundPolicy is the wrapped checker's.
func (r *Runner) OutboundPolicy() *mailer.Policy { return r.inner.OutboundPolicy() }

// Token checks a token as the wrapped checker does, its request paced with the fleet's; it
// never reuses one, since the wizard asks to see what Entra ID issues now.
func (r *Runner) Token(ctx context.Context, req mailer.Request) *mailer.TokenCheck {
	req.ReuseToken, req.Tokens = false, r.tokens
	return r.inner.Token(ctx, req)
}
