package runhub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers/runhub"
	"github.com/smtpoauth/smtpoauth/mailer"
)

// scripted emits n events, waiting for a signal before each one after the first.
func scripted(n int, step <-chan struct{}) runhub.Work {
	return func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		for i := 1; i <= n; i++ {
			if i > 1 {
				<-step
			}
			emit(mailer.Event{Seq: i, Text: "line"})
		}
		return &mailer.Result{OK: true, Stage: mailer.StageDone}
	}
}

func TestHub_TwoWatchersSeeEveryLineAndReplay(t *testing.T) {
	h := runhub.New()
	step := make(chan struct{})
	saved := make(chan *mailer.Result, 1)
	h.Start("r1", scripted(5, step), func(r *mailer.Result) { saved <- r })

	// Wait for the first event, then attach a late watcher that must get it by replay.
	deadline := time.Now().Add(5 * time.Second)
	var replay []mailer.Event
	var a <-chan runhub.Update
	for time.Now().Before(deadline) {
		var ok bool
		replay, a, _, ok = h.Subscribe("r1", 0)
		if ok && len(replay) == 1 {
			break
		}
	}
	if len(replay) != 1 {
		t.Fatalf("got replay of %d events, want 1", len(replay))
	}
	_, b, _, _ := h.Subscribe("r1", 1)
	for range 4 {
		step <- struct{}{}
	}
	var wg sync.WaitGroup
	for name, ch := range map[string]<-chan runhub.Update{"a": a, "b": b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var seqs []int
			done := false
			for u := range ch {
				if u.Done {
					done = true
				} else {
					seqs = append(seqs, u.Event.Seq)
				}
			}
			if !done || len(seqs) != 4 || seqs[0] != 2 || seqs[3] != 5 {
				t.Errorf("watcher %s: got events %v done=%v, want 2..5 and done", name, seqs, done)
			}
		}()
	}
	wg.Wait()
	if r := <-saved; !r.OK {
		t.Fatal("finish not called with the result")
	}
	if _, _, _, ok := h.Subscribe("r1", 0); ok {
		t.Fatal("a finished run is still live")
	}
}

func TestHub_SlowWatcherIsDroppedRunGoesOn(t *testing.T) {
	h := runhub.New()
	saved := make(chan struct{})
	release := make(chan struct{})
	h.Start("r2", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		<-release
		for i := 1; i <= 1000; i++ {
			emit(mailer.Event{Seq: i})
		}
		return &mailer.Result{}
	}, func(*mailer.Result) { close(saved) })
	_, ch, _, ok := h.Subscribe("r2", 0)
	if !ok {
		t.Fatal("run not live")
	}
	close(release)
	select {
	case <-saved:
	case <-time.After(5 * time.Second):
		t.Fatal("a watcher that never reads blocked the run")
	}
	n := 0
	for range ch {
		n++
	}
	if n >= 1000 {
		t.Fatalf("slow watcher got all %d events; want it dropped when its buffer filled", n)
	}
}

func TestHub_ShutdownCancelsAfterGrace(t *testing.T) {
	h := runhub.New()
	finished := make(chan struct{})
	h.Start("r3", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		<-ctx.Done()
		return &mailer.Result{Error: "cancelled"}
	}, func(*mailer.Result) { close(finished) })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	h.Shutdown(ctx)
	select {
	case <-finished:
	default:
		t.Fatal("Shutdown returned before the run recorded its result")
	}
}
