package mailer

import (
	"context"
	"time"
)

// Checker runs send tests against Microsoft's endpoints. The console and the CLI are handed one;
// mailer/exchange implements it, and tests may hand in their own.
type Checker interface {
	// Run performs a check: token, claims, SMTP dialogue. onEvent, if not nil, receives each
	// transcript event as it happens; it must not block for long.
	Run(ctx context.Context, req Request, onEvent func(Event)) *Result
	// Token fetches a token and inspects its claims without any SMTP traffic: the wizard's first step.
	Token(ctx context.Context, req Request) *TokenCheck
	// OutboundPolicy is the policy the checker enforces, so that a profile's endpoint overrides
	// are refused when saved, not only when a check runs.
	OutboundPolicy() *Policy
}

// Clock tells the time. Adapters take one so that tests can fix it; nil means time.Now.
type Clock func() time.Time

// Now is the clock's time, or the system's for a nil Clock.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}
