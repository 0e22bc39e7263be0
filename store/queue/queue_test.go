package queue_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/smtpoauth/smtpoauth/store/queue"
)

// syncBuffer is a log sink safe for River's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// mustQueue makes a database file with River's tables and a queue on it, stopped at cleanup.
func mustQueue(tb testing.TB, register func(q *queue.Queue)) (*queue.Queue, string, *syncBuffer) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "q.db")
	db, err := sql.Open("sqlite", queue.DSN(path))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if err := queue.Migrate(context.Background(), db, nil); err != nil {
		tb.Fatal(err)
	}
	db.Close()
	logs := &syncBuffer{}
	q, err := queue.New(queue.Config{Path: path, Log: slog.New(slog.NewTextHandler(logs, nil)), PollInterval: 20 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	register(q)
	if err := q.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { q.Stop(context.Background()) })
	return q, path, logs
}

type echoArgs struct {
	N     int  `json:"n"`
	Panic bool `json:"panic"`
}

func (echoArgs) Kind() string { return "test_echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	done chan int
}

func (w *echoWorker) Work(ctx context.Context, job *river.Job[echoArgs]) error {
	if job.Args.Panic {
		panic("boom in job")
	}
	w.done <- job.Args.N
	return nil
}

// waitFor waits, generously, for n values from ch.
func waitFor(t *testing.T, ch chan int, n int) []int {
	t.Helper()
	var got []int
	deadline := time.After(60 * time.Second)
	for len(got) < n {
		select {
		case v := <-ch:
			got = append(got, v)
		case <-deadline:
			t.Fatalf("got %d jobs done, want %d", len(got), n)
		}
	}
	return got
}

func TestQueue(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		w := &echoWorker{done: make(chan int, 10)}
		q, _, _ := mustQueue(t, func(q *queue.Queue) {
			if err := queue.Register(q, w); err != nil {
				t.Fatal(err)
			}
		})
		if _, err := q.Enqueue(context.Background(), echoArgs{N: 7}, nil); err != nil {
			t.Fatal(err)
		}
		if got := waitFor(t, w.done, 1); got[0] != 7 {
			t.Fatalf("got %v, want [7]", got)
		}
	})
	t.Run("PanicReportedAndQueueGoesOn", func(t *testing.T) {
		w := &echoWorker{done: make(chan int, 10)}
		q, _, logs := mustQueue(t, func(q *queue.Queue) { queue.Register(q, w) })
		if _, err := q.Enqueue(context.Background(), echoArgs{Panic: true}, &queue.InsertOpts{MaxAttempts: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(context.Background(), echoArgs{N: 2}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, w.done, 1)
		deadline := time.Now().Add(60 * time.Second)
		for !strings.Contains(logs.String(), "boom in job") {
			if time.Now().After(deadline) {
				t.Fatalf("panic not reported; log:\n%s", logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.Contains(logs.String(), "job panicked") {
			t.Fatalf("log does not say a job panicked:\n%s", logs.String())
		}
	})
	t.Run("UniqueWhilePending", func(t *testing.T) {
		// No worker runs: the queue is never started, so both jobs stay pending.
		path := filepath.Join(t.TempDir(), "q.db")
		db, _ := sql.Open("sqlite", queue.DSN(path))
		db.SetMaxOpenConns(1)
		if err := queue.Migrate(context.Background(), db, nil); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		q, err := queue.New(queue.Config{DB: db})
		if err != nil {
			t.Fatal(err)
		}
		queue.Register(q, &echoWorker{})
		defer q.Stop(context.Background())
		opts := &queue.InsertOpts{UniqueOpts: queue.UniqueOpts{ByArgs: true}}
		first, err := q.Enqueue(context.Background(), echoArgs{N: 1}, opts)
		if err != nil {
			t.Fatal(err)
		}
		second, err := q.Enqueue(context.Background(), echoArgs{N: 1}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if first.Duplicate || !second.Duplicate || second.ID != first.ID {
			t.Fatalf("got %+v then %+v, want the second a duplicate of the first", first, second)
		}
	})
	t.Run("ErrRegisterAfterStart", func(t *testing.T) {
		q, _, _ := mustQueue(t, func(q *queue.Queue) { queue.Register(q, &echoWorker{}) })
		if err := queue.Register(q, river.WorkFunc(func(ctx context.Context, j *river.Job[otherArgs]) error { return nil })); err == nil {
			t.Fatal("got no error registering after Start")
		}
	})
}

type otherArgs struct{}

func (otherArgs) Kind() string { return "test_other" }

// TestStopWaitsForRunningJobs: a graceful stop lets a running job finish.
func TestStopWaitsForRunningJobs(t *testing.T) {
	var finished atomic.Bool
	started := make(chan struct{})
	w := river.WorkFunc(func(ctx context.Context, j *river.Job[otherArgs]) error {
		close(started)
		select {
		case <-time.After(300 * time.Millisecond):
			finished.Store(true)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	q, _, _ := mustQueue(t, func(q *queue.Queue) { queue.Register(q, w) })
	if _, err := q.Enqueue(context.Background(), otherArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(60 * time.Second):
		t.Fatal("job never started")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := q.Stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if !finished.Load() {
		t.Fatal("Stop returned before the running job finished")
	}
}
