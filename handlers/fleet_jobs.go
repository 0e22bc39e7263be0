package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
)

// checkArgs is the check_connection job: test one connection, authenticate only, for a fleet run.
// Only the connection is part of the unique key, so a connection has one pending check however
// many fleet runs (or schedule ticks) ask for it.
type checkArgs struct {
	ProfileID  int64  `json:"profile_id" river:"unique"`
	FleetRunID string `json:"fleet_run_id"`
	StartedBy  string `json:"started_by"`
}

// Kind names the job in the queue's table.
func (checkArgs) Kind() string { return "check_connection" }

// checkAttempts bounds how often the queue tries a check job whose bookkeeping failed; the
// check's own temporary failures are retried inside the run by the fleet runner.
const checkAttempts = 3

// checkInsertOpts makes a check unique per connection while it waits or runs; once it ends, the
// connection can be checked again.
func checkInsertOpts() *queue.InsertOpts {
	return &queue.InsertOpts{MaxAttempts: checkAttempts, UniqueOpts: queue.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// checkWorker runs check_connection jobs through the fleet's checker and saves each run exactly
// as "Test now" does, so it has the same run page.
type checkWorker struct {
	river.WorkerDefaults[checkArgs]
	s *Server
}

// saveGrace is how long a cancelled job still waits for its run to be saved.
const saveGrace = 30 * time.Second

func (w *checkWorker) Work(ctx context.Context, job *river.Job[checkArgs]) error {
	s, a := w.s, job.Args
	n, err := s.DB.StartFleetItems(ctx, a.FleetRunID, a.ProfileID, job.ID)
	if err != nil {
		return err
	}
	if n == 0 && a.FleetRunID != "" {
		return nil // every fleet run that asked for it was cancelled
	}
	skip := func() error {
		return s.DB.FinishFleetItems(context.WithoutCancel(ctx), a.FleetRunID, a.ProfileID, job.ID, store.ItemSkipped, "", "", "")
	}
	p, err := s.DB.Profile(ctx, a.ProfileID)
	if errors.Is(err, store.ErrNotFound) {
		return skip()
	} else if err != nil {
		return err
	}
	if !p.HasCredential() {
		return skip()
	}
	req, err := s.DB.Request(ctx, p, "")
	if err != nil {
		return err
	}
	// Fleet and scheduled runs may use a token an earlier run fetched: a thousand connections of
	// one app need not ask Entra ID a thousand times.
	req.ReuseToken = true
	type outcome struct {
		res         *mailer.Result
		interrupted bool
	}
	done := make(chan outcome, 1)
	run, err := s.recordRun(ctx, p, req, a.StartedBy, "", s.fleetChecker, ctx, func(res *mailer.Result, interrupted bool) {
		done <- outcome{res, interrupted}
	})
	if err != nil {
		return err
	}
	var o outcome
	select {
	case o = <-done:
	case <-ctx.Done():
		// The check was cut short with the job; its run is being saved as interrupted.
		select {
		case o = <-done:
		case <-time.After(saveGrace):
			return fmt.Errorf("run %s: not saved in time after the job was cancelled: %w", run.ID, ctx.Err())
		}
	}
	state, code, title := store.ItemPassed, "", ""
	if !o.res.OK {
		state = store.ItemFailed
	}
	if o.res.Diagnosis != nil && !o.res.OK {
		code, title = o.res.Diagnosis.Code, o.res.Diagnosis.Title
	}
	if o.interrupted {
		state, code, title = store.ItemFailed, "INTERRUPTED", "interrupted"
	}
	if err := s.DB.FinishFleetItems(context.WithoutCancel(ctx), a.FleetRunID, a.ProfileID, job.ID, state, run.ID, code, title); err != nil {
		return err
	}
	if o.interrupted {
		// Tried again at the next start, as a new run.
		return ctx.Err()
	}
	return nil
}

// scheduleArgs is the periodic job that enqueues the connections due for a re-test.
type scheduleArgs struct{}

// Kind names the job in the queue's table.
func (scheduleArgs) Kind() string { return "fleet_schedule" }

type scheduleWorker struct {
	river.WorkerDefaults[scheduleArgs]
	s *Server
}

// ScheduleActor is who scheduled runs are started by, in the runs list and the audit log.
const ScheduleActor = "schedule"

func (w *scheduleWorker) Work(ctx context.Context, job *river.Job[scheduleArgs]) error {
	s := w.s
	due, err := s.DB.DueForRetest(ctx, s.now(), retestJitter)
	if err != nil || len(due) == 0 {
		return err
	}
	f := &store.FleetRun{StartedBy: ScheduleActor, Selection: store.SelectSchedule}
	if err := s.enqueueFleet(ctx, f, due); err != nil {
		return err
	}
	if err := s.DB.Audit(ctx, store.AuditEntry{Actor: ScheduleActor, Action: "fleet.started", Target: "fleet " + f.ID,
		Detail: fmt.Sprintf("%d connections due for a re-test", len(due))}); err != nil {
		s.Log.Error("writing the audit log", "action", "fleet.started", "err", err)
	}
	s.Log.Info("scheduled re-tests enqueued", "fleet_run_id", f.ID, "connections", len(due))
	return nil
}

// maxJitter stretches a connection's interval by up to a tenth, so that connections saved (or
// tested) together drift apart instead of all coming due in the same minute.
const maxJitter = 0.1

// retestJitter is a connection's fixed share of maxJitter: the same after a restart.
func retestJitter(profileID int64) float64 {
	h := fnv.New32a()
	fmt.Fprintf(h, "retest-%d", profileID)
	return maxJitter * float64(h.Sum32()) / float64(1<<32)
}

// enqueueFleet records a fleet run over targets and enqueues one check per connection. A
// connection whose check is already pending shares it: its item follows that job.
func (s *Server) enqueueFleet(ctx context.Context, f *store.FleetRun, targets []store.FleetTarget) error {
	if err := s.DB.CreateFleetRun(ctx, f, targets); err != nil {
		return err
	}
	jobs := make([]queue.Job, len(targets))
	for i, t := range targets {
		jobs[i] = queue.Job{Args: checkArgs{ProfileID: t.ProfileID, FleetRunID: f.ID, StartedBy: f.StartedBy}, Opts: checkInsertOpts()}
	}
	res, err := s.Queue.EnqueueMany(ctx, jobs)
	if err != nil {
		// Nothing was enqueued: the fleet run shows its items cancelled rather than queued forever.
		if _, cerr := s.DB.CancelFleetRun(context.WithoutCancel(ctx), f.ID, f.StartedBy); cerr != nil {
			s.Log.Error("cancelling a fleet run whose jobs could not be enqueued", "fleet_run_id", f.ID, "err", cerr)
		}
		return err
	}
	ids := make([]store.FleetJob, len(res))
	for i, r := range res {
		ids[i] = store.FleetJob{ProfileID: targets[i].ProfileID, JobID: r.ID, Owner: f.ID}
		if r.Duplicate {
			var earlier checkArgs
			if err := json.Unmarshal(r.Args, &earlier); err == nil {
				ids[i].Owner = earlier.FleetRunID
			}
		}
	}
	return s.DB.SetFleetJobs(ctx, f.ID, ids)
}

// registerJobs adds the fleet's workers and the schedule to the queue, before it starts.
func (s *Server) registerJobs(q *queue.Queue, scheduleEvery time.Duration) error {
	if err := queue.Register(q, &checkWorker{s: s}); err != nil {
		return err
	}
	if err := queue.Register(q, &scheduleWorker{s: s}); err != nil {
		return err
	}
	q.AddPeriodic(scheduleEvery, func() river.JobArgs { return scheduleArgs{} }, true)
	return nil
}
