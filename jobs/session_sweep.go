package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// sessionSweepWorker removes expired sessions every quarter hour, so that sessions nobody comes
// back to do not pile up. Running it twice is harmless.
type sessionSweepWorker struct {
	river.WorkerDefaults[domain.SessionSweepArgs]
	deps Deps
}

func (w *sessionSweepWorker) Timeout(*river.Job[domain.SessionSweepArgs]) time.Duration {
	return time.Minute
}

func (w *sessionSweepWorker) Work(ctx context.Context, job *river.Job[domain.SessionSweepArgs]) error {
	n, err := w.deps.Sessions.EndExpiredSessions(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.deps.Logger.Info("ended expired sessions", "count", n)
	}
	return nil
}
