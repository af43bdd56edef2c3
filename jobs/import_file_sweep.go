package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// importFileSweepWorker deletes uploaded import files once they are 30 days old (the file holds
// contacts' personal data; the record of the import stays). Running it twice is harmless.
type importFileSweepWorker struct {
	river.WorkerDefaults[domain.ImportFileSweepArgs]
	deps Deps
}

func (w *importFileSweepWorker) Timeout(*river.Job[domain.ImportFileSweepArgs]) time.Duration {
	return time.Minute
}

func (w *importFileSweepWorker) Work(ctx context.Context, job *river.Job[domain.ImportFileSweepArgs]) error {
	n, err := w.deps.Imports.DeleteOldImportFiles(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.deps.Logger.Info("deleted old import files", "count", n)
	}
	return nil
}
