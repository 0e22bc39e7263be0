package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

// AlertDeliveryArgs is one alert to deliver on one channel: a durable job, retried by River
// with the worker's backoff until it is sent, refused for good, or out of attempts.
type AlertDeliveryArgs struct {
	Alert   fleet.Alert `json:"alert"`
	Channel string      `json:"channel"`
}

// Kind names the job in River's table.
func (AlertDeliveryArgs) Kind() string { return "alert_delivery" }

// AlertExpiryArgs is the daily expiry check, a periodic job.
type AlertExpiryArgs struct{}

// Kind names the job in River's table.
func (AlertExpiryArgs) Kind() string { return "alert_expiry_check" }

// Alerts are what the alert jobs need from the rest of the console.
type Alerts struct {
	// Channels returns the channels configured now (built from the saved settings per job, so
	// that no secret is kept in a job's arguments).
	Channels func(ctx context.Context) ([]fleet.Notifier, error)
	// Log records each delivery's outcome once, when it is final.
	Log fleet.DeliveryLog
	// CheckExpiry raises the expiry warnings due now.
	CheckExpiry func(ctx context.Context) (int, error)
	// Retry bounds a delivery: attempts, backoff, each attempt's time.
	Retry fleet.Retry
	Now   func() time.Time
}

// RegisterAlerts registers the delivery worker and the daily expiry check (run at start too)
// and returns the Dispatcher that enqueues deliveries. Call it before Start.
func RegisterAlerts(q *Queue, a Alerts) (fleet.Dispatcher, error) {
	if a.Now == nil {
		a.Now = time.Now
	}
	if err := Register(q, &alertWorker{a: a}); err != nil {
		return nil, err
	}
	if a.CheckExpiry != nil {
		if err := Register(q, &expiryWorker{check: a.CheckExpiry}); err != nil {
			return nil, err
		}
		q.AddPeriodic(24*time.Hour, func() river.JobArgs { return AlertExpiryArgs{} }, true)
	}
	return &alertDispatcher{q: q, a: a}, nil
}

// alertDispatcher enqueues one delivery job per configured channel, in one transaction.
type alertDispatcher struct {
	q *Queue
	a Alerts
}

func (d *alertDispatcher) Dispatch(ctx context.Context, alert fleet.Alert) error {
	chans, err := d.a.Channels(ctx)
	if err != nil {
		return err
	}
	jobs := make([]Job, len(chans))
	for i, n := range chans {
		jobs[i] = Job{Args: AlertDeliveryArgs{Alert: alert, Channel: n.Channel()},
			Opts: &InsertOpts{MaxAttempts: max(d.a.Retry.Attempts, 1)}}
	}
	_, err = d.q.EnqueueMany(ctx, jobs)
	return err
}

type alertWorker struct {
	river.WorkerDefaults[AlertDeliveryArgs]
	a Alerts
}

// errChannelGone says the channel was turned off between the alert and its delivery.
var errChannelGone = errors.New("the channel is no longer configured")

func (w *alertWorker) Work(ctx context.Context, job *river.Job[AlertDeliveryArgs]) error {
	chans, err := w.a.Channels(ctx)
	if err != nil {
		return err
	}
	var n fleet.Notifier
	for _, c := range chans {
		if c.Channel() == job.Args.Channel {
			n = c
		}
	}
	if n == nil {
		err = errChannelGone
	} else {
		err = notify(ctx, n, job.Args.Alert)
	}
	final := err == nil || n == nil || fleet.IsPermanent(err) || job.Attempt >= job.MaxAttempts
	if !final {
		return err // River tries again at NextRetry
	}
	rec := fleet.DeliveryRecord{AlertKey: job.Args.Alert.Key, Kind: job.Args.Alert.Kind, Channel: job.Args.Channel,
		Status: fleet.DeliverySent, Attempts: job.Attempt, At: w.a.Now()}
	if err != nil {
		rec.Status, rec.LastError = fleet.DeliveryFailed, err.Error()
	}
	if lerr := w.a.Log.RecordDelivery(context.WithoutCancel(ctx), rec); lerr != nil {
		return fmt.Errorf("delivery of %s on %s not recorded: %w", rec.AlertKey, rec.Channel, lerr)
	}
	if err != nil {
		return river.JobCancel(err) // final: recorded as failed, no more attempts
	}
	return nil
}

// notify is one attempt; a panicking channel is a permanent failure, reported like one.
func notify(ctx context.Context, n fleet.Notifier, a fleet.Alert) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fleet.Permanent(fmt.Errorf("the %s channel failed unexpectedly: %v", n.Channel(), p))
		}
	}()
	return n.Notify(ctx, a)
}

// NextRetry waits Backoff after the first attempt, twice as long after each further one, at
// most MaxBackoff (River's default waits hours by the fifth attempt; an alert is stale by then).
func (w *alertWorker) NextRetry(job *river.Job[AlertDeliveryArgs]) time.Time {
	wait := w.a.Retry.Backoff
	for i := 1; i < job.Attempt && wait < w.a.Retry.MaxBackoff; i++ {
		wait *= 2
	}
	return time.Now().Add(min(wait, max(w.a.Retry.MaxBackoff, w.a.Retry.Backoff)))
}

// Timeout bounds one attempt.
func (w *alertWorker) Timeout(*river.Job[AlertDeliveryArgs]) time.Duration {
	if w.a.Retry.PerTry > 0 {
		return w.a.Retry.PerTry
	}
	return time.Minute
}

type expiryWorker struct {
	river.WorkerDefaults[AlertExpiryArgs]
	check func(ctx context.Context) (int, error)
}

func (w *expiryWorker) Work(ctx context.Context, _ *river.Job[AlertExpiryArgs]) error {
	_, err := w.check(ctx)
	return err
}
