package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// cleanupWorker runs a periodic clean-up that says how many rows it removed: expired sessions
// every quarter hour (so that sessions nobody comes back to do not pile up), import files older
// than 30 days once a day (they hold contacts' personal data; the record of the import stays).
// Running one twice is harmless.
type cleanupWorker[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	logger *slog.Logger
	did    string // what the log says was done, e.g. "ended expired sessions"
	run    func(context.Context) (int, error)
}

func newSessionSweepWorker(deps Deps) *cleanupWorker[domain.SessionSweepArgs] {
	return &cleanupWorker[domain.SessionSweepArgs]{logger: deps.Logger, did: "ended expired sessions",
		run: func(ctx context.Context) (int, error) { return deps.Sessions.EndExpiredSessions(ctx) }}
}

func newImportFileSweepWorker(deps Deps) *cleanupWorker[domain.ImportFileSweepArgs] {
	return &cleanupWorker[domain.ImportFileSweepArgs]{logger: deps.Logger, did: "deleted old import files",
		run: func(ctx context.Context) (int, error) { return deps.Imports.DeleteOldImportFiles(ctx) }}
}

func (w *cleanupWorker[T]) Timeout(*river.Job[T]) time.Duration { return time.Minute }

func (w *cleanupWorker[T]) Work(ctx context.Context, _ *river.Job[T]) error {
	n, err := w.run(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.logger.Info(w.did, "count", n)
	}
	return nil
}
