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
	// Reminders does the work of the reminder jobs (ticket clocks, ratings, visits, digests,
	// project lights).
	Reminders domain.Reminders
	// Deliveries are the emails and webhook posts of notifications (the deliver job).
	Deliveries domain.DeliveryStore
	// WebhookTargets are the addresses webhook posts may reach (STEWARD_WEBHOOK_ALLOW); nil
	// permits no private range.
	WebhookTargets *domain.WebhookTargets
	// Mailer sends email; nil when email is not configured (STEWARD_SMTP_URL).
	Mailer domain.Mailer
	// AuditAnchors reads the audit chain's head for the audit_anchor job, which publishes it
	// to the log, to AuditAnchorURL (STEWARD_AUDIT_ANCHOR_URL, when set) and to the auditors by
	// email (when Mailer is set).
	AuditAnchors   domain.AuditAnchors
	AuditAnchorURL string
	// Plans does the work of the plan_node_clock job (approval-plan node reminders).
	Plans domain.PlanReminders
	// BaseURL is where people reach Steward (STEWARD_BASE_URL), for the links in emails and
	// webhook posts.
	BaseURL string
}

// Register adds every worker kind to workers.
func Register(workers *river.Workers, deps Deps) {
	river.AddWorker(workers, newSessionSweepWorker(deps))
	river.AddWorker(workers, &importWorker{deps: deps})
	river.AddWorker(workers, newImportFileSweepWorker(deps))
	river.AddWorker(workers, &ticketClockWorker{deps: deps})
	river.AddWorker(workers, &ratingFollowupWorker{deps: deps})
	river.AddWorker(workers, &coHandlingClockWorker{deps: deps})
	river.AddWorker(workers, &planNodeClockWorker{deps: deps})
	river.AddWorker(workers, &visitSweepWorker{deps: deps})
	river.AddWorker(workers, &leaderDigestWorker{deps: deps})
	river.AddWorker(workers, &projectWatchWorker{deps: deps})
	river.AddWorker(workers, newDeliverWorker(deps))
	river.AddWorker(workers, newAuditAnchorWorker(deps))
}

// Queues returns every queue and how many of its jobs a process works at once. Deliveries have
// their own, so that a slow mail server or webhook never holds up reminders and imports; its
// short fetch cooldown lets a burst of notifications (a morning's reminders) go out quickly.
func Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{
		river.QueueDefault:  {MaxWorkers: 20},
		domain.QueueDeliver: {MaxWorkers: DeliverWorkers, FetchCooldown: 20 * time.Millisecond},
	}
}

// DeliverWorkers is how many deliveries a process sends at once.
const DeliverWorkers = 32

// Periodic returns every periodic job.
func Periodic() []*river.PeriodicJob {
	// The sweeps are unique in their interval, so that a new leader (after a crash or a
	// restart), whose run-on-start inserts them again, does not sweep twice in one period.
	oncePer := func(d time.Duration) *river.InsertOpts {
		return &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: d}}
	}
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return domain.SessionSweepArgs{}, oncePer(15 * time.Minute) },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "session_sweep"}),
		river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) {
				return domain.ImportFileSweepArgs{}, oncePer(24 * time.Hour)
			},
			&river.PeriodicJobOpts{RunOnStart: true, ID: "import_file_sweep"}),
		// Reminders go out in the morning, Beijing time. Each job carries its Beijing day (or
		// week) and is unique by it, so it runs once per period however many processes run and
		// whenever they restart (River's leader inserts periodic jobs; uniqueness covers a change
		// of leader and a start-up run).
		river.NewPeriodicJob(shanghaiAt(8, 0, -1),
			func() (river.JobArgs, *river.InsertOpts) {
				return domain.VisitSweepArgs{Day: beijingDay()}, onceByArgs()
			}, &river.PeriodicJobOpts{ID: "visit_sweep"}),
		river.NewPeriodicJob(shanghaiAt(8, 0, time.Monday),
			func() (river.JobArgs, *river.InsertOpts) {
				return domain.LeaderDigestArgs{Week: beijingWeek()}, onceByArgs()
			}, &river.PeriodicJobOpts{ID: "leader_digest"}),
		river.NewPeriodicJob(shanghaiAt(7, 0, -1),
			func() (river.JobArgs, *river.InsertOpts) {
				return domain.ProjectWatchArgs{Day: beijingDay()}, onceByArgs()
			}, &river.PeriodicJobOpts{ID: "project_watch", RunOnStart: true}),
	}
}
