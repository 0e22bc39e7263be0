package fleet

import (
	"context"
	"fmt"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Run checks req under the fleet's rules. It waits for a slot on the sending mailbox, lets the
// wrapped checker take its token from the Runner (reused when req.ReuseToken allows), and tries
// again after a temporary failure (432 4.3.2, another 4xx, a dropped connection, a throttled
// token request) with growing waits, never after a permanent one (5xx, Entra ID's refusals of
// the app's configuration). The result is the last try's; its transcript holds every try, with
// a note before each new one, numbered on from the try before.
func (r *Runner) Run(ctx context.Context, req mailer.Request, onEvent func(mailer.Event)) *mailer.Result {
	req.Tokens = r.tokens
	var (
		all     []mailer.Event
		started time.Time
		last    int // the sequence number of the last event so far
	)
	emit := func(e mailer.Event) {
		if onEvent != nil {
			onEvent(e)
		}
	}
	for attempt := 1; ; attempt++ {
		release, err := r.mailboxes.acquire(ctx, req.Mailbox)
		if err != nil {
			return notStarted(req, err, started, all, r.opts.Now.Now())
		}
		base, tryStart := last, r.opts.Now.Now()
		offset := int64(0)
		if !started.IsZero() {
			offset = tryStart.Sub(started).Milliseconds()
		}
		res := r.inner.Run(ctx, req, func(e mailer.Event) {
			e.Seq += base
			e.OffsetMS += offset
			emit(e)
		})
		release()
		if started.IsZero() {
			started = res.Started
		}
		for _, e := range res.Events {
			e.Seq += base
			e.OffsetMS += offset
			all = append(all, e)
			last = max(last, e.Seq)
		}
		res.Events = all
		if !res.Started.IsZero() {
			res.Started = started
		}
		wait, again := r.again(ctx, attempt, res)
		if !again {
			return res
		}
		last++
		note := mailer.Event{Seq: last, OffsetMS: r.opts.Now.Now().Sub(started).Milliseconds(), Dir: mailer.Info, Stage: res.Stage,
			Text: fmt.Sprintf("try %d of %d ended with a temporary failure (%s); trying again in %s", attempt, r.opts.Attempts,
				failureQuote(res), wait.Round(time.Second))}
		all = append(all, note)
		emit(note)
		r.stats.add(&r.stats.retries)
		if err := r.opts.Sleep(ctx, wait); err != nil {
			res.Events = all
			return res
		}
	}
}

// again decides whether a failed try is worth another and how long to wait first: only a
// temporary failure, as the core diagnosed it, within the tries allowed, and not when the server
// asked for a longer wait than a run waits out.
func (r *Runner) again(ctx context.Context, attempt int, res *mailer.Result) (time.Duration, bool) {
	if res.OK || attempt >= r.opts.Attempts || ctx.Err() != nil || !temporary(res) {
		return 0, false
	}
	wait := r.opts.Backoff << (attempt - 1)
	if wait > r.opts.MaxBackoff || wait <= 0 {
		wait = r.opts.MaxBackoff
	}
	// Up to half again, so that runs refused together do not come back together.
	wait += time.Duration(float64(wait) * r.jitter() / 2)
	if after := time.Duration(res.Diagnosis.RetryAfterSeconds) * time.Second; after > wait {
		if after > MaxRetryAfter {
			return 0, false
		}
		wait = after
	}
	return wait, true
}

// temporary: the core diagnosed the failure as one that passes unchanged, and, when a server
// reply ended the run, the reply says so too: a 4xx whose enhanced code is not 5.x.x. The core
// calls some 5xx replies temporary because they pass in a day (554 5.2.0 daily quota); a few
// seconds later they would not.
func temporary(res *mailer.Result) bool {
	if res.Diagnosis == nil || !res.Diagnosis.Temporary {
		return false
	}
	if res.Reply != nil {
		return (&mailer.ReplyError{Reply: *res.Reply}).Temporary()
	}
	return true
}

// failureQuote is what ended a try, in the server's words when there are some.
func failureQuote(res *mailer.Result) string {
	switch {
	case res.Reply != nil:
		return res.Reply.String()
	case res.Diagnosis != nil && res.Diagnosis.Quote != "":
		return res.Diagnosis.Quote
	case res.Diagnosis != nil:
		return res.Diagnosis.Code
	}
	return res.Error
}

// notStarted is the result of a run that ended (cancelled) while it waited for its mailbox.
func notStarted(req mailer.Request, err error, started time.Time, events []mailer.Event, now time.Time) *mailer.Result {
	if started.IsZero() {
		started = now
	}
	err = fmt.Errorf("stopped while waiting for a free session on %s: %w", req.Mailbox, err)
	return &mailer.Result{Stage: mailer.StageInput, Err: err, Error: err.Error(), Events: events, Started: started, Finished: now,
		Timings:   map[mailer.Stage]int64{},
		Diagnosis: mailer.Diagnose(mailer.Facts{Stage: mailer.StageInput, Err: err, Req: req, Ep: req.Endpoints()})}
}
