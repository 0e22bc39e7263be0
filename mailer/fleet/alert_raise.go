package fleet

import (
	"context"
	"errors"
	"fmt"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Notifier delivers an alert on one channel. Adapters implement it (a signed webhook, an e-mail
// through a stored connection); an error is worth retrying unless it is Permanent.
type Notifier interface {
	// Channel names the channel in the delivery history: "webhook", "email".
	Channel() string
	// Notify delivers a once; it must respect ctx's deadline.
	Notify(ctx context.Context, a Alert) error
}

// AlertLog remembers which alerts were raised: the store implements it.
type AlertLog interface {
	// ClaimAlert records a's key and reports whether it was new. A key claimed before is not
	// raised again, which is what makes an alert go out once per transition or threshold.
	ClaimAlert(ctx context.Context, a Alert) (bool, error)
}

// Dispatcher hands a raised alert to its channels' delivery: one durable job per channel, or
// the bounded in-process delivery.
type Dispatcher interface {
	Dispatch(ctx context.Context, a Alert) error
}

// Alerts applies the alert rules and raises each alert exactly once.
type Alerts struct {
	Log      AlertLog
	Dispatch Dispatcher
	Now      mailer.Clock
}

// RunSaved is called after any run is saved (Test now, fleet, schedule) with the status the
// connection had before it; it raises a transition alert when the status changed.
func (s *Alerts) RunSaved(ctx context.Context, c Connection, prev Status, run RunOutcome) (bool, error) {
	a, ok := TransitionAlert(c, prev, run)
	if !ok {
		return false, nil
	}
	return s.raise(ctx, a)
}

// CheckExpiry raises the expiry warnings due for conns (the daily job); it returns how many
// were new. One connection's failure does not stop the others.
func (s *Alerts) CheckExpiry(ctx context.Context, conns []Connection) (int, error) {
	now := s.Now.Now()
	n := 0
	var errs []error
	for _, c := range conns {
		a, ok := ExpiryAlert(c, now)
		if !ok {
			continue
		}
		raised, err := s.raise(ctx, a)
		if err != nil {
			errs = append(errs, fmt.Errorf("connection %d: %w", c.ID, err))
		}
		if raised {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// Test sends a test alert now, bypassing the log (every press is a new alert).
func (s *Alerts) Test(ctx context.Context, by string) (Alert, error) {
	a := TestAlert(by, s.Now.Now())
	return a, s.Dispatch.Dispatch(ctx, a)
}

func (s *Alerts) raise(ctx context.Context, a Alert) (bool, error) {
	fresh, err := s.Log.ClaimAlert(ctx, a)
	if err != nil || !fresh {
		return false, err
	}
	return true, s.Dispatch.Dispatch(ctx, a)
}

// ErrChannelOff says a channel asked for (a test button's) is not configured.
var ErrChannelOff = errors.New("this alert channel is not configured")

// PermanentError marks a delivery failure that retrying cannot cure: a refused target, a
// receiver that answered 4xx, no sender configured.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is marked permanent.
func IsPermanent(err error) bool {
	var pe *PermanentError
	return errors.As(err, &pe)
}
