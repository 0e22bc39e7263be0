// Package runhub keeps the test runs that are in progress: it runs each check on its own
// goroutine, independent of any browser, remembers every event for replay, and fans events out
// to any number of watchers. A slow watcher is dropped rather than slowing the run.
package runhub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Update is what a watcher receives: an event, or the final result (Done set).
type Update struct {
	Event  mailer.Event
	Done   bool
	Result *mailer.Result
}

// bufferSize is how far a watcher may fall behind before it is dropped. A check produces well
// under a hundred events, so only a stuck connection ever fills it.
const bufferSize = 256

// Hub tracks live runs.
type Hub struct {
	// Retry says how a finished run's save is retried while the database refuses it.
	Retry  RetryPolicy
	log    *slog.Logger
	mu     sync.Mutex
	runs   map[string]*live
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// RetryPolicy is how often a save is tried: the first retry after First, each later one after
// twice the previous wait but never more than Max, each attempt given Attempt to finish.
type RetryPolicy struct {
	First, Max, Attempt time.Duration
}

// DefaultRetry outlasts a database that is busy for a while (a backup, a long write from the
// command line) without hammering it.
var DefaultRetry = RetryPolicy{First: 200 * time.Millisecond, Max: 5 * time.Second, Attempt: 10 * time.Second}

type live struct {
	events []mailer.Event
	subs   map[chan Update]struct{}
}

// New returns an empty hub; runs get a context that Shutdown cancels. log receives panics and
// failed saves; nil discards them.
func New(log *slog.Logger) *Hub {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{Retry: DefaultRetry, log: log, runs: map[string]*live{}, ctx: ctx, cancel: cancel}
}

// Work is the check itself: it reports each event through emit and returns the result.
type Work func(ctx context.Context, emit func(mailer.Event)) *mailer.Result

// Save stores a finished run. interrupted is set when the console's shutdown cut the check
// off, and on the last attempt, made when the console stops before an earlier one succeeded:
// the run should be stored as interrupted, result kept.
type Save func(ctx context.Context, res *mailer.Result, interrupted bool) error

// Start runs work in the background under id. The result is saved, with retries, before the run
// leaves the hub, so whoever finds it gone finds it saved. A panic in work fails the run with
// the reason; it never takes the console down.
func (h *Hub) Start(id string, work Work, save Save) {
	h.mu.Lock()
	l := &live{subs: map[chan Update]struct{}{}}
	h.runs[id] = l
	h.mu.Unlock()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		res := h.runWork(id, l, work)
		// A check that failed after shutdown cancelled it did not fail on its own: the timeout or
		// cancellation it reports is the console's, so the run is stored as interrupted.
		cutOff := h.ctx.Err() != nil && !res.OK
		h.persist(id, res, save, cutOff)
		h.mu.Lock()
		delete(h.runs, id)
		for ch := range l.subs {
			select {
			case ch <- Update{Done: true, Result: res}:
			default: // a watcher this far behind reloads the saved run instead
			}
			close(ch)
		}
		l.subs = nil
		h.mu.Unlock()
	}()
}

// runWork calls work, turning a panic or a missing result into a failed result that says why.
func (h *Hub) runWork(id string, l *live, work Work) (res *mailer.Result) {
	started := time.Now()
	defer func() {
		p := recover()
		if p == nil && res != nil {
			return
		}
		reason := "the check returned no result"
		if p != nil {
			h.log.Error("test run crashed", "run_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			reason = fmt.Sprintf("the check stopped on an internal error (%s); the console is still running, please report this", shorten(fmt.Sprint(p)))
		}
		h.mu.Lock()
		events := append([]mailer.Event(nil), l.events...)
		h.mu.Unlock()
		stage := mailer.StageToken
		if len(events) > 0 {
			stage = events[len(events)-1].Stage
		}
		err := errors.New("internal error: " + reason)
		// The catalogue's INTERNAL_ERROR entry explains it on the run page and quotes the reason.
		res = &mailer.Result{Stage: stage, Events: events, Started: started, Finished: time.Now(), Error: err.Error(),
			Diagnosis: mailer.Diagnose(mailer.Facts{Stage: stage, Err: err})}
	}()
	return work(h.ctx, func(e mailer.Event) { h.publish(l, e) })
}

func shorten(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// persist saves res until it lands, waiting longer after each failure. When the console stops
// first, one last attempt stores the run as interrupted; if even that fails, the log says so.
func (h *Hub) persist(id string, res *mailer.Result, save Save, interrupted bool) {
	wait := h.Retry.First
	if wait <= 0 {
		wait = DefaultRetry.First
	}
	for attempt := 1; ; attempt++ {
		// Not the hub's context: a run that ends because of shutdown must still be saved.
		err := h.trySave(save, res, interrupted)
		if err == nil {
			if attempt > 1 {
				h.log.Info("test run saved after retrying", "run_id", id, "attempts", attempt)
			}
			return
		}
		h.log.Error("saving test run failed, will retry", "run_id", id, "attempt", attempt, "retry_in", wait.String(), "err", err)
		select {
		case <-time.After(wait):
		case <-h.ctx.Done():
			if err := h.trySave(save, res, true); err != nil {
				h.log.Error("test run result lost: the console stopped before it could be saved", "run_id", id, "ok", res.OK, "stage", res.Stage, "err", err)
			} else {
				h.log.Warn("test run saved as interrupted: the console stopped while its save was failing", "run_id", id)
			}
			return
		}
		wait = min(wait*2, max(h.Retry.Max, wait))
	}
}

// trySave makes one attempt, turning a panic in save into an error.
func (h *Hub) trySave(save Save, res *mailer.Result, interrupted bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("saving test run crashed", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("save crashed: %v", p)
		}
	}()
	attempt := h.Retry.Attempt
	if attempt <= 0 {
		attempt = DefaultRetry.Attempt
	}
	ctx, cancel := context.WithTimeout(context.Background(), attempt)
	defer cancel()
	return save(ctx, res, interrupted)
}

func (h *Hub) publish(l *live, e mailer.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l.events = append(l.events, e)
	for ch := range l.subs {
		select {
		case ch <- Update{Event: e}:
		default:
			delete(l.subs, ch)
			close(ch)
		}
	}
}

// Subscribe returns the events after sequence number after, and a channel of what follows.
// ok is false when the run is not live (finished or unknown): read it from the store instead.
// The channel closes after the Done update, or early if the watcher fell behind.
func (h *Hub) Subscribe(id string, after int) (replay []mailer.Event, updates <-chan Update, cancel func(), ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.runs[id]
	if !ok {
		return nil, nil, func() {}, false
	}
	for _, e := range l.events {
		if e.Seq > after {
			replay = append(replay, e)
		}
	}
	ch := make(chan Update, bufferSize)
	l.subs[ch] = struct{}{}
	cancel = func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, still := l.subs[ch]; still {
			delete(l.subs, ch)
			close(ch)
		}
	}
	return replay, ch, cancel, true
}

// Shutdown waits for running checks until ctx ends, then cancels the rest and waits for them
// to record their (failed) result.
func (h *Hub) Shutdown(ctx context.Context) {
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		h.cancel()
		<-done
	}
	h.cancel()
}

// Snapshot returns the events of a live run so far; ok is false when it is not live.
func (h *Hub) Snapshot(id string) (events []mailer.Event, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.runs[id]
	if !ok {
		return nil, false
	}
	return append([]mailer.Event(nil), l.events...), true
}
