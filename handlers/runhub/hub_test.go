package runhub_test

import (
	"context"
	"errors"
	"strings"
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
	h := runhub.New(nil)
	step := make(chan struct{})
	saved := make(chan *mailer.Result, 1)
	h.Start("r1", scripted(5, step), func(_ context.Context, r *mailer.Result, _ bool) error { saved <- r; return nil })

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
	h := runhub.New(nil)
	saved := make(chan struct{})
	release := make(chan struct{})
	h.Start("r2", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		<-release
		for i := 1; i <= 1000; i++ {
			emit(mailer.Event{Seq: i})
		}
		return &mailer.Result{}
	}, func(context.Context, *mailer.Result, bool) error { close(saved); return nil })
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
	h := runhub.New(nil)
	finished := make(chan struct{})
	h.Start("r3", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		<-ctx.Done()
		return &mailer.Result{Error: "cancelled"}
	}, func(context.Context, *mailer.Result, bool) error { close(finished); return nil })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	h.Shutdown(ctx)
	select {
	case <-finished:
	default:
		t.Fatal("Shutdown returned before the run recorded its result")
	}
}

// fastRetry keeps retry tests quick; the policy is a field for exactly this.
var fastRetry = runhub.RetryPolicy{First: time.Millisecond, Max: 10 * time.Millisecond, Attempt: 5 * time.Second}

func TestHub_SaveThatFailsIsRetriedUntilItLands(t *testing.T) {
	h := runhub.New(nil)
	h.Retry = fastRetry
	var attempts int
	saved := make(chan *mailer.Result, 1)
	h.Start("r4", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		return &mailer.Result{OK: true, Stage: mailer.StageDone}
	}, func(_ context.Context, r *mailer.Result, interrupted bool) error {
		attempts++ // only the run's goroutine calls save
		if attempts < 4 {
			return errors.New("disk I/O error: no space left on device")
		}
		if interrupted {
			t.Error("saved as interrupted although the console kept running")
		}
		saved <- r
		return nil
	})
	select {
	case r := <-saved:
		if !r.OK || attempts != 4 {
			t.Fatalf("got ok=%v after %d attempts, want the passed result on the 4th", r.OK, attempts)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the result was never saved")
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, ok := h.Snapshot("r4"); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the run is still live after it was saved")
		}
	}
}

func TestHub_SaveStillFailingAtShutdownIsSavedAsInterrupted(t *testing.T) {
	h := runhub.New(nil)
	h.Retry = fastRetry
	var mu sync.Mutex
	var final *mailer.Result
	failing := make(chan struct{})
	var once sync.Once
	h.Start("r5", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		return &mailer.Result{Stage: mailer.StageAuth, Error: "535 5.7.3 Authentication unsuccessful"}
	}, func(_ context.Context, r *mailer.Result, interrupted bool) error {
		if !interrupted {
			once.Do(func() { close(failing) })
			return errors.New("database is locked (5) (SQLITE_BUSY)")
		}
		mu.Lock()
		final = r
		mu.Unlock()
		return nil
	})
	<-failing
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	h.Shutdown(ctx)
	mu.Lock()
	defer mu.Unlock()
	if final == nil || final.Error != "535 5.7.3 Authentication unsuccessful" {
		t.Fatalf("got %+v at shutdown, want the run's result saved as interrupted", final)
	}
}

func TestHub_PanickingCheckFailsTheRunWithTheReason(t *testing.T) {
	h := runhub.New(nil)
	saved := make(chan *mailer.Result, 1)
	h.Start("r6", func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		emit(mailer.Event{Seq: 1, Stage: mailer.StageBanner, Text: "220 ready"})
		var steps []string
		_ = steps[len(steps)] // an index out of range: a real runtime panic, not a test double's choice
		return nil
	}, func(_ context.Context, r *mailer.Result, _ bool) error { saved <- r; return nil })
	select {
	case r := <-saved:
		if r.OK || !strings.Contains(r.Error, "internal error") || !strings.Contains(r.Error, "index out of range") {
			t.Fatalf("got ok=%v error %q, want a failed run naming the panic", r.OK, r.Error)
		}
		if len(r.Events) != 1 || r.Stage != mailer.StageBanner {
			t.Fatalf("got %d events at stage %s, want the transcript so far and its stage", len(r.Events), r.Stage)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a panicking check was never saved")
	}
}
