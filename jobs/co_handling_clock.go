package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"steward/domain"
)

// coHandlingClockWorker reminds a co-handling department (协办) of the opinion it owes the lead
// when its clock reaches a level: it re-reads the ticket (locked against moves meanwhile) and
// sends what domain.Ticket.OpinionNotice says — the department's officers and head at warn and
// due, the dispatchers too at escalate — or nothing once the opinion was given or waived, the
// department was removed, the due time moved or the ticket is no longer worked. Safe to run
// twice: a notice is recorded once per recipient and key.
type coHandlingClockWorker struct {
	river.WorkerDefaults[domain.CoHandlingClockArgs]
	deps Deps
}

func (w *coHandlingClockWorker) Work(ctx context.Context, job *river.Job[domain.CoHandlingClockArgs]) error {
	_, err := w.deps.Reminders.NotifyAbout(ctx, job.Args.TicketID, func(t *domain.Ticket) *domain.Notice {
		return t.OpinionNotice(job.Args)
	})
	return err
}
