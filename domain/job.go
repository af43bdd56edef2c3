package domain

import (
	"context"
	"time"
)

// Job argument types are plain values declared here, so that storage can enqueue them in the
// transaction of the change they follow from and jobs can work them, neither importing the other.

// SessionSweepArgs asks for expired sessions to be removed (periodic).
type SessionSweepArgs struct{}

// Kind names the job.
func (SessionSweepArgs) Kind() string { return "session_sweep" }

// SessionSweeper removes sessions past their idle or absolute timeout.
type SessionSweeper interface {
	// EndExpiredSessions deletes expired sessions and returns how many.
	EndExpiredSessions(ctx context.Context) (int, error)
}

// ImportFileSweepArgs asks for the files of old imports to be deleted (periodic, daily).
type ImportFileSweepArgs struct{}

// Kind names the job.
func (ImportFileSweepArgs) Kind() string { return "import_file_sweep" }

// ImportArgs asks for an uploaded file to be imported (inserted with the upload). The JSON name
// is fixed because queued jobs outlive a rename of the field.
type ImportArgs struct {
	ImportID string `json:"import_id"`
}

// Kind names the job.
func (ImportArgs) Kind() string { return "import" }

// Clock levels of a ticket_clock job (DESIGN.md §4).
const (
	ClockWarn     = "warn"     // one working day before due: the handler and the department head
	ClockDue      = "due"      // at due: also the steward and the leader (督办)
	ClockEscalate = "escalate" // two working days after due: the dispatchers (通报)
)

// TicketClockArgs fires a ticket's reminder when a clock reaches a level. The worker re-reads the
// ticket and does nothing when that clock is no longer running with that due time. Unique by
// all its fields, so a move that reschedules the same clock twice inserts it once.
type TicketClockArgs struct {
	TicketID string    `json:"ticket_id"`
	Clock    string    `json:"clock"` // sign or resolve
	Level    string    `json:"level"`
	Due      time.Time `json:"due"`
}

// Kind names the job.
func (TicketClockArgs) Kind() string { return "ticket_clock" }

// RatingFollowupArgs reminds the enterprise to rate a resolved ticket (step remind) and closes
// it unrated when it never does (step close). It is a no-op once the ticket moved on.
type RatingFollowupArgs struct {
	TicketID   string    `json:"ticket_id"`
	Step       string    `json:"step"` // remind or close
	ResolvedAt time.Time `json:"resolved_at"`
}

// Kind names the job.
func (RatingFollowupArgs) Kind() string { return "rating_followup" }

// VisitSweepArgs finds due and overdue visits and reminds stewards (periodic, working mornings).
// Day (YYYY-MM-DD, Beijing) makes it once a day however many processes run or restart.
type VisitSweepArgs struct {
	Day string `json:"day"`
}

// Kind names the job.
func (VisitSweepArgs) Kind() string { return "visit_sweep" }

// LeaderDigestArgs sends each leader the weekly digest (periodic, Monday mornings); Week
// (YYYY-Www) makes it once a week.
type LeaderDigestArgs struct {
	Week string `json:"week"`
}

// Kind names the job.
func (LeaderDigestArgs) Kind() string { return "leader_digest" }

// ProjectWatchArgs recomputes the projects' progress lights (periodic, daily); Day makes it
// once a day.
type ProjectWatchArgs struct {
	Day string `json:"day"`
}

// Kind names the job.
func (ProjectWatchArgs) Kind() string { return "project_watch" }

// DeliverArgs sends one notification over one channel (email, or a webhook). Idempotent by
// (notification, channel, webhook): a delivery already sent is not sent again.
type DeliverArgs struct {
	NotificationID string `json:"notification_id"`
	Channel        string `json:"channel"` // email or webhook
	WebhookID      string `json:"webhook_id,omitempty"`
}

// Kind names the job.
func (DeliverArgs) Kind() string { return "deliver" }

// Reminders is the work behind the reminder jobs; each method re-reads state, does nothing when
// the reason is gone, and is safe to run twice (a notification is recorded once per recipient).
type Reminders interface {
	// NotifyAbout re-reads a ticket as the system does, holding off its moves meanwhile, and
	// sends the notice rule gives for it: nothing when rule answers nil (the reason is gone) or
	// the ticket no longer exists. A notice is recorded once per recipient and key; it returns
	// how many it recorded.
	NotifyAbout(ctx context.Context, ticketID string, rule func(*Ticket) *Notice) (int, error)
	// CloseUnrated closes a resolved ticket nobody rated in time (rating none); ETRANSITION
	// when it no longer waits for that rating.
	CloseUnrated(ctx context.Context, args RatingFollowupArgs) error
	// SweepVisits reminds stewards of due and overdue visits (leaders too past a week), once a
	// day per assignment; it does nothing on a day off. It returns how many reminders it sent.
	SweepVisits(ctx context.Context) (int, error)
	// SendDigests sends each leader the weekly digest, once a week.
	SendDigests(ctx context.Context) (int, error)
	// WatchProjects recomputes the progress lights and notifies steward and leader once when a
	// project turns red. It returns how many turned red.
	WatchProjects(ctx context.Context) (int, error)
}
