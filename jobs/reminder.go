package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"steward/domain"
)

// shanghaiSchedule fires at a time of day in Asia/Shanghai, every day or on one weekday.
type shanghaiSchedule struct {
	hour, minute int
	weekday      time.Weekday // -1: every day
}

func shanghaiAt(hour, minute int, weekday time.Weekday) river.PeriodicSchedule {
	return shanghaiSchedule{hour: hour, minute: minute, weekday: weekday}
}

// Next is the first firing strictly after t.
func (s shanghaiSchedule) Next(t time.Time) time.Time {
	l := t.In(domain.Shanghai)
	next := time.Date(l.Year(), l.Month(), l.Day(), s.hour, s.minute, 0, 0, domain.Shanghai)
	for !next.After(t) || (s.weekday >= 0 && next.Weekday() != s.weekday) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// onceByArgs makes a periodic job unique by its arguments (its Beijing day or week), whatever
// state an earlier copy is in.
func onceByArgs() *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func beijingDay() string { return time.Now().In(domain.Shanghai).Format(time.DateOnly) }

func beijingWeek() string {
	y, w := time.Now().In(domain.Shanghai).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// visitSweepWorker reminds stewards of due and overdue visits each working morning.
type visitSweepWorker struct {
	river.WorkerDefaults[domain.VisitSweepArgs]
	deps Deps
}

func (w *visitSweepWorker) Work(ctx context.Context, job *river.Job[domain.VisitSweepArgs]) error {
	n, err := w.deps.Reminders.SweepVisits(ctx)
	if n > 0 {
		w.deps.Logger.Info("visit reminders sent", "count", n)
	}
	return err
}

// leaderDigestWorker sends the leaders' weekly digest on Monday mornings.
type leaderDigestWorker struct {
	river.WorkerDefaults[domain.LeaderDigestArgs]
	deps Deps
}

func (w *leaderDigestWorker) Work(ctx context.Context, job *river.Job[domain.LeaderDigestArgs]) error {
	_, err := w.deps.Reminders.SendDigests(ctx)
	return err
}

// projectWatchWorker recomputes the progress lights daily.
type projectWatchWorker struct {
	river.WorkerDefaults[domain.ProjectWatchArgs]
	deps Deps
}

func (w *projectWatchWorker) Timeout(*river.Job[domain.ProjectWatchArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *projectWatchWorker) Work(ctx context.Context, job *river.Job[domain.ProjectWatchArgs]) error {
	n, err := w.deps.Reminders.WatchProjects(ctx)
	if n > 0 {
		w.deps.Logger.Info("projects turned red", "count", n)
	}
	return err
}
