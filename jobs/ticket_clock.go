package jobs

import (
	"context"

	"github.com/riverqueue/river"

	"steward/domain"
)

// ticketClockWorker reminds of a ticket clock reaching a level (warn, due, escalate): it re-reads
// the ticket, and when that clock still runs with that due time it notifies those the level
// names (domain.Ticket.ClockNotice: the handler and department head, then the steward and
// leader, then the dispatchers). A clock that stopped or moved is no reason to remind: done.
// Safe to run twice: a notice is recorded once per recipient and key. A reminder is useless a
// week late, so retries are few.
type ticketClockWorker struct {
	river.WorkerDefaults[domain.TicketClockArgs]
	deps Deps
}

func (w *ticketClockWorker) Work(ctx context.Context, job *river.Job[domain.TicketClockArgs]) error {
	_, err := w.deps.Reminders.NotifyAbout(ctx, job.Args.TicketID, func(t *domain.Ticket) *domain.Notice {
		return t.ClockNotice(job.Args)
	})
	return err
}

// ratingFollowupWorker follows up a resolved ticket: at step remind it asks the enterprise to
// rate (domain.Ticket.RatingNotice), at step close it closes the ticket unrated (rating none).
// Either is nothing once the ticket was rated, reworked or closed since it was resolved.
type ratingFollowupWorker struct {
	river.WorkerDefaults[domain.RatingFollowupArgs]
	deps Deps
}

func (w *ratingFollowupWorker) Work(ctx context.Context, job *river.Job[domain.RatingFollowupArgs]) error {
	if job.Args.Step != domain.RatingClose {
		_, err := w.deps.Reminders.NotifyAbout(ctx, job.Args.TicketID, func(t *domain.Ticket) *domain.Notice {
			return t.RatingNotice(job.Args)
		})
		return err
	}
	// Closed under the ticket's lock, which checks that it still waits for this rating.
	err := w.deps.Reminders.CloseUnrated(ctx, job.Args)
	if c := domain.ErrorCode(err); c == domain.ETRANSITION || c == domain.ENOTFOUND {
		return nil
	}
	return err
}
