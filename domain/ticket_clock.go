package domain

import "time"

// The clocks of a ticket (签收 and 办结 time limits): which runs, its SLA light, and the jobs a
// move queues when a clock starts or moves.

// Clock names.
const (
	ClockSign    = "sign"    // 签收: from assignment until the department signs for it
	ClockResolve = "resolve" // 办结: from acceptance until resolution
)

// signRuns and resolveRuns say in which statuses each clock runs.
func (s TicketStatus) signRuns() bool { return s == TicketAssigned }
func (s TicketStatus) resolveRuns() bool {
	return s == TicketAccepted || s == TicketAssigned || s == TicketInProgress || s == TicketReturned
}

// clock is the named clock and whether it runs now.
func (t *Ticket) clock(name string) (*Clock, bool) {
	if name == ClockSign {
		return t.SignClock, t.SignClock != nil && t.Status.signRuns()
	}
	return t.ResolveClock, t.ResolveClock != nil && t.Status.resolveRuns()
}

// RunningClock is the deadline the SLA light follows: of the clocks that run, the earliest due
// and the earliest warning; nil when none runs. Storage keeps it in the ticket's row (clock_due_at,
// clock_warn_at) in the transaction of every move, so lists filter and sort by the light with
// an index and the light is never stale.
func (t *Ticket) RunningClock() *Clock {
	var out *Clock
	for _, name := range []string{ClockSign, ClockResolve} {
		c, runs := t.clock(name)
		if !runs {
			continue
		}
		if out == nil {
			out = &Clock{Due: c.Due, Warn: c.Warn}
			continue
		}
		if c.Due.Before(out.Due) {
			out.Due = c.Due
		}
		if c.Warn.Before(out.Warn) {
			out.Warn = c.Warn
		}
	}
	return out
}

// Light is the clock's SLA light at now: red once overdue, yellow from the warning (a working
// day before due), green before.
func (c *Clock) Light(now time.Time) Light {
	switch {
	case c == nil:
		return LightNone
	case now.After(c.Due):
		return LightRed
	case !now.Before(c.Warn):
		return LightYellow
	}
	return LightGreen
}

// Light is the SLA light of the running clocks at now: red when one is overdue, yellow when one
// has at most a working day left, green otherwise; none when no clock runs.
func (t *Ticket) Light(now time.Time) Light { return t.RunningClock().Light(now) }

// JobArgs is a job's arguments as River takes them (Kind + IDs), declared in domain.
type JobArgs interface{ Kind() string }

// FollowUp is a job a ticket change queues in its own transaction, to run at At.
type FollowUp struct {
	Args JobArgs
	At   time.Time
}

// EscalateAfter is how many working days after due a running clock is escalated (通报).
const EscalateAfter = 2

// FollowUps are the jobs that follow from moving a ticket from prev to t: the reminders of a
// clock that started or moved (warn a working day before due, due, escalate two working days
// after), and the rating follow-ups of a ticket just resolved (a reminder after 2 working days,
// the automatic close after AutoCloseAfter).
func (t *Ticket) FollowUps(prev *Ticket, wd WorkingDays, now time.Time) []FollowUp {
	var out []FollowUp
	moved := func(before, after *Clock) bool {
		return after != nil && (before == nil || !before.Due.Equal(after.Due))
	}
	for _, name := range []string{ClockResolve, ClockSign} {
		before, _ := prev.clock(name)
		after, _ := t.clock(name)
		if !moved(before, after) {
			continue
		}
		for _, lvl := range []struct {
			name string
			at   time.Time
		}{{ClockWarn, after.Warn}, {ClockDue, after.Due}, {ClockEscalate, wd.WorkingDaysAfter(after.Due, EscalateAfter)}} {
			out = append(out, FollowUp{Args: TicketClockArgs{TicketID: t.ID, Clock: name, Level: lvl.name, Due: after.Due.UTC()}, At: lvl.at})
		}
	}
	out = append(out, t.opinionFollowUps(prev, wd)...)
	if t.Status == TicketResolved && prev.Status != TicketResolved && t.ResolvedAt != nil {
		for _, step := range []struct {
			name string
			days int
		}{{RatingRemind, 2}, {RatingClose, AutoCloseAfter}} {
			out = append(out, FollowUp{Args: RatingFollowupArgs{TicketID: t.ID, Step: step.name, ResolvedAt: t.ResolvedAt.UTC()},
				At: wd.WorkingDaysAfter(now, step.days)})
		}
	}
	return out
}

// Steps of a rating_followup job.
const (
	RatingRemind = "remind"
	RatingClose  = "close"
)

// Waiting reports whether the ticket still waits for the rating the job was queued for.
func (t *Ticket) Waiting(args RatingFollowupArgs) bool {
	return t.Status == TicketResolved && t.ResolvedAt != nil && t.ResolvedAt.Equal(args.ResolvedAt)
}
