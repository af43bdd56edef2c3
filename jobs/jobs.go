// Package jobs holds Steward's background work as River job workers: reminders, escalations,
// digests and deliveries (shared/DESIGN.md §4). Every worker kind is registered in Register and
// every periodic job in Periodic, so that every process that works jobs knows every kind.
package jobs

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// Deps are what the workers need from the rest of the program.
type Deps struct {
	Logger   *slog.Logger
	Sessions domain.SessionSweeper
	// Imports stores uploaded files and saves their rows (the import job).
	Imports domain.ImportStore
}

// Register adds every worker kind to workers.
func Register(workers *river.Workers, deps Deps) {
	river.AddWorker(workers, &sessionSweepWorker{deps: deps})
	river.AddWorker(workers, &importWorker{deps: deps})
}

// Periodic returns every periodic job.
func Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return domain.SessionSweepArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "session_sweep"}),
	}
}
