// Package runhub keeps the test runs that are in progress: it runs each check on its own
// goroutine, independent of any browser, remembers every event for replay, and fans events out
// to any number of watchers. A slow watcher is dropped rather than slowing the run.
package runhub

import (
	"context"
	"sync"

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
	mu     sync.Mutex
	runs   map[string]*live
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

type live struct {
	events []mailer.Event
	subs   map[chan Update]struct{}
}

// New returns an empty hub; runs get a context that Shutdown cancels.
func New() *Hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{runs: map[string]*live{}, ctx: ctx, cancel: cancel}
}

// Work is the check itself: it reports each event through emit and returns the result.
type Work func(ctx context.Context, emit func(mailer.Event)) *mailer.Result

// Start runs work in the background under id. finish is called with the result before the run
// leaves the hub, so whoever finds it gone finds it saved.
func (h *Hub) Start(id string, work Work, finish func(*mailer.Result)) {
	h.mu.Lock()
	l := &live{subs: map[chan Update]struct{}{}}
	h.runs[id] = l
	h.mu.Unlock()
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		res := work(h.ctx, func(e mailer.Event) { h.publish(l, e) })
		finish(res)
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
