// Package jobs holds Steward's background work as River job workers: reminders, escalations,
// digests and deliveries (shared/DESIGN.md §4). Every worker kind is registered in Register and
// every periodic job in Periodic, so that every process that works jobs knows every kind.
package jobs

import (
	"log/slog"

	"github.com/riverqueue/river"
)

// Deps are what the workers need from the rest of the program.
type Deps struct {
	Logger *slog.Logger
}

// Register adds every worker kind to workers and returns how many it added.
func Register(workers *river.Workers, deps Deps) int {
	n := 0
	return n
}

// Periodic returns every periodic job.
func Periodic(deps Deps) []*river.PeriodicJob { return nil }
