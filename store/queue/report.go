package queue

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// reporter logs every failed and panicking job. River itself recovers a worker's panic and
// retries the job by its policy; this makes sure somebody hears of it.
type reporter struct{ log *slog.Logger }

func (r *reporter) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	r.log.Warn("job failed", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (r *reporter) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	r.log.Error("job panicked", "kind", job.Kind, "job_id", job.ID, "attempt", job.Attempt, "panic", panicVal, "stack", trace)
	return nil
}

// quietLogger passes River's own logging on at warnings and above: its information lines
// (producer started, leader elected, …) would drown the console's log.
func quietLogger(log *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{log.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (l levelFloor) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= l.min && l.Handler.Enabled(ctx, lv)
}

func (l levelFloor) WithAttrs(as []slog.Attr) slog.Handler {
	return levelFloor{l.Handler.WithAttrs(as), l.min}
}

func (l levelFloor) WithGroup(name string) slog.Handler {
	return levelFloor{l.Handler.WithGroup(name), l.min}
}
