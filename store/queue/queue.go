// Package queue is the console's job engine: River on the product's SQLite file. Other packages
// register workers and enqueue jobs through it; job code sees only River's driver-neutral types
// (river.JobArgs, river.Worker, river.Job), so a Postgres driver can replace SQLite here alone.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	_ "modernc.org/sqlite" // the store's driver: the binary stays CGO-free
)

// Config is how a Queue is built. Zero fields mean their defaults.
type Config struct {
	// Path is the product's SQLite file; the store has already created River's tables in it.
	Path string
	// Log receives job failures and panics; nil discards them.
	Log *slog.Logger
	// Workers is how many jobs run at once; 0 means DefaultWorkers.
	Workers int
	// PollInterval is how often idle workers look for new jobs; 0 means DefaultPollInterval.
	// SQLite has no LISTEN/NOTIFY, so an enqueued job waits for at most one interval.
	PollInterval time.Duration
	// DB, when set, is the pool River uses instead of opening its own one-connection pool on
	// Path. It must allow one open connection (SQLite has one writer); the Queue does not close it.
	DB *sql.DB
}

// Defaults for Config's zero fields.
const (
	DefaultWorkers      = 100
	DefaultPollInterval = 200 * time.Millisecond
)

// busyTimeout is how long River's connection waits for the store's writer to finish before
// SQLite answers "database is locked". The store's writer commits a run in milliseconds; the
// generous wait only matters on a disk that stalls.
const busyTimeout = 10000

// Queue runs and accepts jobs. Register workers, then Start; Enqueue works once started.
type Queue struct {
	log     *slog.Logger
	db      *sql.DB
	ownDB   bool
	workers *river.Workers
	client  *river.Client[*sql.Tx]

	mu      sync.Mutex
	kinds   int // workers registered
	started bool
	stopped bool
}

// DSN is River's connection string for the database file at path: busy_timeout first, so that
// it is in force before WAL is switched on, and immediate transactions, so that a transaction
// that reads before it writes waits for the writer instead of failing with SQLITE_BUSY.
func DSN(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + fmt.Sprintf(
		"?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate", busyTimeout)
}

// New builds a queue on cfg.Path (or cfg.DB). Nothing runs until Start.
func New(cfg Config) (*Queue, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	q := &Queue{log: cfg.Log, db: cfg.DB, workers: river.NewWorkers()}
	if q.db == nil {
		db, err := sql.Open("sqlite", DSN(cfg.Path))
		if err != nil {
			return nil, fmt.Errorf("job queue: opening %s: %w", cfg.Path, err)
		}
		// River's own advice for SQLite: one connection, so River's parallel internals queue up
		// in the pool instead of racing each other for the file's lock.
		db.SetMaxOpenConns(1)
		q.db, q.ownDB = db, true
	}
	client, err := river.NewClient(riversqlite.New(q.db), &river.Config{
		Logger:            quietLogger(cfg.Log),
		ErrorHandler:      &reporter{log: cfg.Log},
		Workers:           q.workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     cfg.PollInterval / 4,
		// A check has its own deadlines; River's one-minute default would cancel a slow
		// transcript half-way, and a job is never meant to run for longer than this.
		JobTimeout: 5 * time.Minute,
		// No LISTEN/NOTIFY on SQLite (and none needed on one instance): poll.
		PollOnly: true,
	})
	if err != nil {
		q.closeDB()
		return nil, fmt.Errorf("job queue: %w", err)
	}
	q.client = client
	return q, nil
}

// Register adds the worker for jobs of type T. Call it before Start; a second worker for the
// same kind is an error.
func Register[T river.JobArgs](q *Queue, w river.Worker[T]) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return fmt.Errorf("job queue: worker for %q registered after Start", (*new(T)).Kind())
	}
	if err := river.AddWorkerSafely(q.workers, w); err != nil {
		return err
	}
	q.kinds++
	return nil
}

// AddPeriodic adds a job River enqueues on a schedule while the queue runs. Periodic jobs are
// not stored: each start adds them again, and the job itself looks at stored state.
func (q *Queue) AddPeriodic(every time.Duration, args func() river.JobArgs, runOnStart bool) {
	q.client.PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return args(), nil },
		&river.PeriodicJobOpts{RunOnStart: runOnStart}))
}

// Start starts fetching and working jobs. ctx bounds the start only; Stop ends the work.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("job queue: already started")
	}
	q.started = true
	if q.kinds == 0 {
		// Nothing could run; River refuses to start without a worker.
		q.log.Info("job queue: no workers registered; not started")
		return nil
	}
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("job queue: starting: %w", err)
	}
	return nil
}

// Stop stops fetching new jobs and waits for running ones until ctx ends, then cancels them;
// cancelled jobs stay in the database and run again at the next start. The queue's own
// connection is closed.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	started, stopped := q.started, q.stopped
	q.stopped = true
	q.mu.Unlock()
	if stopped {
		return nil
	}
	var err error
	if started && q.kinds > 0 {
		if err = q.client.Stop(ctx); err != nil {
			q.log.Warn("job queue: jobs still running at the shutdown deadline were cancelled; they run again at the next start", "err", err)
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = q.client.StopAndCancel(cctx)
			cancel()
		}
	}
	return errors.Join(err, q.closeDB())
}

func (q *Queue) closeDB() error {
	if !q.ownDB {
		return nil
	}
	return q.db.Close()
}

// InsertOpts are options for one enqueued job (unique keys, schedule, priority, queue).
type InsertOpts = river.InsertOpts

// UniqueOpts says which jobs count as duplicates; see river.UniqueOpts.
type UniqueOpts = river.UniqueOpts

// Enqueued is what Enqueue says about one job: its id, and whether an equal unique job was
// already waiting (then no new job was made).
type Enqueued struct {
	ID        int64
	Duplicate bool
	// Args are the job's arguments as stored (JSON): for a duplicate, the earlier job's.
	Args []byte
}

// Enqueue adds one job.
func (q *Queue) Enqueue(ctx context.Context, args river.JobArgs, opts *InsertOpts) (Enqueued, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return Enqueued{}, fmt.Errorf("job queue: enqueueing %s: %w", args.Kind(), err)
	}
	return Enqueued{ID: res.Job.ID, Duplicate: res.UniqueSkippedAsDuplicate, Args: res.Job.EncodedArgs}, nil
}

// Job is one job to enqueue with EnqueueMany.
type Job struct {
	Args river.JobArgs
	Opts *InsertOpts
}

// EnqueueMany adds jobs in one transaction: all of them or none.
func (q *Queue) EnqueueMany(ctx context.Context, jobs []Job) ([]Enqueued, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{Args: j.Args, InsertOpts: j.Opts}
	}
	res, err := q.client.InsertMany(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("job queue: enqueueing %d jobs: %w", len(jobs), err)
	}
	out := make([]Enqueued, len(res))
	for i, r := range res {
		out[i] = Enqueued{ID: r.Job.ID, Duplicate: r.UniqueSkippedAsDuplicate, Args: r.Job.EncodedArgs}
	}
	return out, nil
}

// Cancel cancels a job: a waiting one never runs, a running one has its context cancelled.
func (q *Queue) Cancel(ctx context.Context, id int64) error {
	_, err := q.client.JobCancel(ctx, id)
	if errors.Is(err, rivertype.ErrNotFound) {
		return nil
	}
	return err
}

// JobState is a job's state as River keeps it (available, running, completed, …).
type JobState = rivertype.JobState

// State is job id's current state.
func (q *Queue) State(ctx context.Context, id int64) (JobState, error) {
	j, err := q.client.JobGet(ctx, id)
	if err != nil {
		return "", err
	}
	return j.State, nil
}
