package domain

import (
	"fmt"
	"strings"
	"time"
)

// Co-handling (主办/协办, DESIGN.md §3): a ticket has one lead department and zero or more
// co-handling departments, each owing the lead an internal opinion within the sign-for limit plus
// half the resolve limit. The lead cannot resolve while an opinion is owed, unless the dispatcher
// waives it with a reason.

// OpinionStatus is where a co-handling department's opinion stands.
type OpinionStatus string

// Opinion statuses.
const (
	OpinionOwed   OpinionStatus = "owed"
	OpinionGiven  OpinionStatus = "given"
	OpinionWaived OpinionStatus = "waived"
)

// Opinion is what a co-handling department owes the lead (协办意见), and its clock.
type Opinion struct {
	DepartmentID   string
	DepartmentName string
	Status         OpinionStatus
	Clock          Clock // due = assignment + sign-for limit + half the resolve limit, in working days
	// Body is the opinion given (or the reason it was waived); By who gave or waived it, At when.
	Body string
	By   string
	At   *time.Time
	// LightNow is the light of its clock when it was read (none unless owed on a ticket being
	// worked), set by storage like Ticket.LightNow.
	LightNow Light
}

// OpinionLight is the light of o's clock at now: red overdue, yellow within a working day of
// due, green before; none once given or waived, or while the ticket is not being worked.
func (t *Ticket) OpinionLight(o *Opinion, now time.Time) Light {
	if !t.opinionRuns(o) {
		return LightNone
	}
	return o.Clock.Light(now)
}

// OpinionDays is how many working days a co-handling department has for its opinion: the
// sign-for limit plus half the resolve limit (rounded up).
func (t *Ticket) OpinionDays() int { return t.SignDays + halved(t.ResolveDays) }

// opinion is the co-handler dept's opinion, or nil.
func (t *Ticket) opinion(dept string) *Opinion {
	for i := range t.Opinions {
		if t.Opinions[i].DepartmentID == dept {
			return &t.Opinions[i]
		}
	}
	return nil
}

// CoDepartmentIDs are the co-handling departments, in the order they were named.
func (t *Ticket) CoDepartmentIDs() []string {
	out := make([]string, len(t.Opinions))
	for i, o := range t.Opinions {
		out[i] = o.DepartmentID
	}
	return out
}

// OpinionsOwed are the co-handling departments whose opinion is still owed.
func (t *Ticket) OpinionsOwed() []string {
	var out []string
	for _, o := range t.Opinions {
		if o.Status == OpinionOwed {
			out = append(out, o.DepartmentID)
		}
	}
	return out
}

// opinionRuns reports whether o's clock runs: owed on a ticket still being worked.
func (t *Ticket) opinionRuns(o *Opinion) bool {
	return o.Status == OpinionOwed && t.Status.resolveRuns()
}

// isCoHandler reports whether a is an officer of a co-handling department of t.
func (t *Ticket) isCoHandler(a *Actor) bool {
	return a.Role == RoleOfficer && a.DepartmentID != "" && t.opinion(a.DepartmentID) != nil
}

// coHandle sets the co-handling departments of an assignment to lead: a department already
// co-handling keeps its opinion and clock, a new one owes an opinion from now, one no longer named
// is removed (its clock ends with it). The lead cannot co-handle too.
func (t *Ticket) coHandle(lead string, co []Department, wd WorkingDays, now time.Time) error {
	seen := map[string]bool{}
	var out []Opinion
	for _, d := range co {
		if d.ID == lead {
			return &Error{Code: EINVALID, Message: "some fields are invalid",
				Fields: []FieldError{{Field: "co_department_ids", Message: "the lead department (department_id) cannot co-handle the same ticket"}}}
		}
		if seen[d.ID] {
			continue
		}
		seen[d.ID] = true
		if o := t.opinion(d.ID); o != nil {
			out = append(out, *o)
			continue
		}
		c := newClock(wd, now, t.OpinionDays())
		out = append(out, Opinion{DepartmentID: d.ID, DepartmentName: d.Name, Status: OpinionOwed, Clock: *c})
	}
	if len(out) > 20 {
		return &Error{Code: EINVALID, Message: "some fields are invalid",
			Fields: []FieldError{{Field: "co_department_ids", Message: "at most 20 co-handling departments"}}}
	}
	t.Opinions = out
	return nil
}

// GiveOpinion (出具协办意见) is a co-handling department's opinion to the lead, an internal event.
func (t *Ticket) GiveOpinion(a *Actor, body string, now time.Time) (TicketEvent, error) {
	if !t.isCoHandler(a) {
		return TicketEvent{}, Forbidden(a, "give an opinion: only officers of a co-handling department do")
	}
	o := t.opinion(a.DepartmentID)
	if o.Status != OpinionOwed {
		return TicketEvent{}, Errorf(ETRANSITION, "the opinion of this department is already %s", o.Status)
	}
	if !t.Status.resolveRuns() {
		return TicketEvent{}, Errorf(ETRANSITION, "the ticket is %s; opinions are closed", t.Status)
	}
	if err := required("body", body, 5000); err != nil {
		return TicketEvent{}, err
	}
	o.Status, o.Body, o.By, o.At = OpinionGiven, strings.TrimSpace(body), a.UserID, &now
	return t.event(a, "opinion", t.Status, o.Body, false, now, map[string]any{"department_id": o.DepartmentID,
		"on_time": !now.After(o.Clock.Due)}), nil
}

// WaiveOpinion releases a co-handling department from its owed opinion (the dispatcher, with a
// reason), an internal event.
func (t *Ticket) WaiveOpinion(a *Actor, dept, reason string, now time.Time) (TicketEvent, error) {
	if !t.isDispatcher(a) {
		return TicketEvent{}, Forbidden(a, "waive opinions")
	}
	o := t.opinion(dept)
	if o == nil {
		return TicketEvent{}, &Error{Code: EINVALID, Message: "some fields are invalid",
			Fields: []FieldError{{Field: "department_id", Message: "is not a co-handling department of this ticket"}}}
	}
	if o.Status != OpinionOwed {
		return TicketEvent{}, Errorf(ETRANSITION, "the opinion of this department is already %s", o.Status)
	}
	if !t.Status.resolveRuns() {
		return TicketEvent{}, Errorf(ETRANSITION, "cannot waive an opinion on a ticket that is %s", t.Status)
	}
	if err := required("reason", reason, 1000); err != nil {
		return TicketEvent{}, err
	}
	o.Status, o.Body, o.By, o.At = OpinionWaived, strings.TrimSpace(reason), a.UserID, &now
	return t.event(a, "waive-opinion", t.Status, o.Body, false, now, map[string]any{"department_id": o.DepartmentID}), nil
}

// opinionsPending refuses a resolve while an opinion is owed.
func (t *Ticket) opinionsPending() error {
	if owed := t.OpinionsOwed(); len(owed) > 0 {
		return Errorf(EOPINIONS, "%d co-handling department(s) still owe their opinion; wait for it, or ask the dispatcher to waive it", len(owed))
	}
	return nil
}

// opinionFollowUps are the co_handling_clock jobs of the opinions whose clock started or moved
// from prev to t: warn a working day before due, due, escalate EscalateAfter working days after.
func (t *Ticket) opinionFollowUps(prev *Ticket, wd WorkingDays) []FollowUp {
	var out []FollowUp
	for i := range t.Opinions {
		o := &t.Opinions[i]
		if !t.opinionRuns(o) {
			continue
		}
		if before := prev.opinion(o.DepartmentID); before != nil && prev.opinionRuns(before) && before.Clock.Due.Equal(o.Clock.Due) {
			continue
		}
		for _, lvl := range []struct {
			name string
			at   time.Time
		}{{ClockWarn, o.Clock.Warn}, {ClockDue, o.Clock.Due}, {ClockEscalate, wd.WorkingDaysAfter(o.Clock.Due, EscalateAfter)}} {
			out = append(out, FollowUp{Args: CoHandlingClockArgs{TicketID: t.ID, DepartmentID: o.DepartmentID, Level: lvl.name, Due: o.Clock.Due.UTC()}, At: lvl.at})
		}
	}
	return out
}

// OpinionNotice is the reminder of a co_handling_clock job, or nil when its reason is gone (the
// opinion was given or waived, the department no longer co-handles, the due time moved, the
// ticket is no longer worked). warn and due go to the department's officers and head; escalate
// also to the dispatchers, urgent whatever the hour.
func (t *Ticket) OpinionNotice(args CoHandlingClockArgs) *Notice {
	o := t.opinion(args.DepartmentID)
	if o == nil || !t.opinionRuns(o) || !o.Clock.Due.Equal(args.Due) {
		return nil
	}
	to := []Audience{{AudienceOfficers, o.DepartmentID}, {AudienceDepartmentHead, o.DepartmentID}}
	kind, what := levelNotice(args.Level)
	if args.Level == ClockEscalate {
		to = append(to, Audience{Kind: AudienceDispatchers})
	}
	return &Notice{
		Notification: Notification{Kind: kind, Link: "/tickets/" + t.ID, Urgent: t.Priority == PriorityUrgent || args.Level == ClockEscalate,
			Title: fmt.Sprintf("%s 协办意见%s", t.Number, what),
			Body:  fmt.Sprintf("%s：%s。协办意见时限 %s。", t.EnterpriseName, t.Title, args.Due.In(Shanghai).Format("2006年1月2日 15:04"))},
		To: to, Key: fmt.Sprintf("opinion:%s:%s:%s:%d", t.ID, args.DepartmentID, args.Level, args.Due.Unix()),
	}
}

// opinionNotices are the notices of co-handling from prev to t: a department newly named
// co-handler hears at once, with its due time; the lead's workers hear of an opinion given.
func (t *Ticket) opinionNotices(prev *Ticket) []Notice {
	var out []Notice
	for _, o := range t.Opinions {
		before := prev.opinion(o.DepartmentID)
		switch {
		case before == nil && o.Status == OpinionOwed:
			out = append(out, Notice{
				Notification: Notification{Kind: NotifyTicketAssigned, Title: "新协办诉求：" + t.Number + " " + t.Title,
					Body: "请在" + o.Clock.Due.In(Shanghai).Format("1月2日15:04") + "前向主办部门出具协办意见。", Link: "/tickets/" + t.ID,
					Urgent: t.Priority == PriorityUrgent},
				To:  []Audience{{AudienceOfficers, o.DepartmentID}},
				Key: "cohandle:" + t.ID + ":" + o.DepartmentID + ":" + o.Clock.Due.UTC().Format(time.RFC3339),
			})
		case before != nil && before.Status == OpinionOwed && o.Status == OpinionGiven:
			out = append(out, Notice{
				Notification: Notification{Kind: NotifyTicketOpinion, Title: "协办意见已出具：" + t.Number + " " + t.Title,
					Body: o.DepartmentName + "：" + o.Body, Link: "/tickets/" + t.ID},
				To: t.workers(), Key: "opinion-given:" + t.ID + ":" + o.DepartmentID,
			})
		}
	}
	return out
}
