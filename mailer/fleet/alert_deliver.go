package fleet

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Delivery statuses in the history.
const (
	DeliverySent   = "sent"
	DeliveryFailed = "failed"
)

// DeliveryRecord is one channel's delivery of one alert, as the alerts page lists it. LastError
// is the adapter's error text, which never holds a secret or a webhook URL's path.
type DeliveryRecord struct {
	AlertKey  string
	Kind      string
	Channel   string
	Status    string
	Attempts  int
	LastError string
	At        time.Time
}

// DeliveryLog records deliveries: the store implements it.
type DeliveryLog interface {
	RecordDelivery(ctx context.Context, d DeliveryRecord) error
}

// Retry bounds a delivery: at most Attempts tries, waiting Backoff, then twice as long each time
// up to MaxBackoff, each try limited to PerTry.
type Retry struct {
	Attempts   int
	Backoff    time.Duration
	MaxBackoff time.Duration
	PerTry     time.Duration
}

// DefaultRetry gives a receiver about two minutes to come back.
var DefaultRetry = Retry{Attempts: 5, Backoff: 2 * time.Second, MaxBackoff: time.Minute, PerTry: 15 * time.Second}

// Deliver sends a through n, retrying temporary failures as r allows, and returns the record
// to keep. sleep waits (tests pass one that does not); nil means a timer that ctx cancels.
func Deliver(ctx context.Context, n Notifier, a Alert, r Retry, sleep func(context.Context, time.Duration) error, now func() time.Time) DeliveryRecord {
	if sleep == nil {
		sleep = sleepCtx
	}
	rec := DeliveryRecord{AlertKey: a.Key, Kind: a.Kind, Channel: n.Channel(), Status: DeliveryFailed}
	wait := r.Backoff
	for rec.Attempts < max(r.Attempts, 1) {
		rec.Attempts++
		err := notifyOnce(ctx, n, a, r.PerTry)
		if err == nil {
			rec.Status, rec.LastError = DeliverySent, ""
			break
		}
		rec.LastError = err.Error()
		if IsPermanent(err) || rec.Attempts >= r.Attempts || sleep(ctx, wait) != nil {
			break
		}
		wait = min(wait*2, max(r.MaxBackoff, r.Backoff))
	}
	rec.At = now()
	return rec
}

// notifyOnce is one try under its own deadline; a panicking adapter is a failed try.
func notifyOnce(ctx context.Context, n Notifier, a Alert, perTry time.Duration) (err error) {
	if perTry > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, perTry)
		defer cancel()
	}
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("the %s channel failed unexpectedly", n.Channel()))
		}
	}()
	return n.Notify(ctx, a)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// InProcess delivers alerts in goroutines of this process, with bounded retries: the stand-in
// for durable jobs. An alert in flight when the process stops is lost (its history row says
// nothing was sent).
type InProcess struct {
	// Ctx bounds every delivery; cancelling it (at shutdown) stops the retries.
	Ctx context.Context
	// Channels returns the channels configured now; it is asked per alert so that a changed
	// setting applies to the next alert.
	Channels func(ctx context.Context) ([]Notifier, error)
	Log      DeliveryLog
	Retry    Retry
	Logger   *slog.Logger
	Now      func() time.Time
	// Sleep replaces the backoff's timer in tests; nil means a real wait.
	Sleep func(context.Context, time.Duration) error

	wg sync.WaitGroup
}

// Dispatch starts one delivery per configured channel and returns at once.
func (d *InProcess) Dispatch(ctx context.Context, a Alert) error {
	chans, err := d.Channels(ctx)
	if err != nil {
		return err
	}
	for _, n := range chans {
		d.wg.Add(1)
		go d.deliver(n, a)
	}
	return nil
}

func (d *InProcess) deliver(n Notifier, a Alert) {
	defer d.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			d.logger().Error("alert delivery panicked", "channel", n.Channel(), "alert", a.Key, "panic", fmt.Sprint(p))
		}
	}()
	now := d.Now
	if now == nil {
		now = time.Now
	}
	rec := Deliver(d.Ctx, n, a, d.Retry, d.Sleep, now)
	// The history is written even when the base context is done: the attempt happened.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(d.Ctx), 10*time.Second)
	defer cancel()
	if err := d.Log.RecordDelivery(ctx, rec); err != nil {
		d.logger().Error("alert delivery not recorded", "channel", rec.Channel, "alert", a.Key, "err", err)
	}
	if rec.Status != DeliverySent {
		d.logger().Warn("alert not delivered", "channel", rec.Channel, "alert", a.Key, "attempts", rec.Attempts, "err", rec.LastError)
	}
}

// Wait blocks until every delivery started so far has finished (shutdown, tests).
func (d *InProcess) Wait() { d.wg.Wait() }

func (d *InProcess) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}
