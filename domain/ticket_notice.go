package domain

import (
	"fmt"
	"time"
)

// Who hears of what happens to a ticket (DESIGN.md §4): the rules, as data that storage resolves
// to the active users it names.

// AudienceKind says how an Audience names its users.
type AudienceKind string

// Audiences.
const (
	AudienceUser           AudienceKind = "user"            // the user ID
	AudienceOfficers       AudienceKind = "officers"        // the officers of department ID
	AudienceDepartmentHead AudienceKind = "department_head" // the head of department ID
	AudienceDispatchers    AudienceKind = "dispatchers"     // the bureau's dispatchers
	AudienceBureauHeads    AudienceKind = "bureau_heads"    // the heads of the bureau's departments (通报 list)
	AudienceEnterprise     AudienceKind = "enterprise"      // the portal users of enterprise ID
)

// Audience names a group of recipients by their part in a ticket. Only active users hear.
type Audience struct {
	Kind AudienceKind
	ID   string
}

// Person is the audience of one user ("" names nobody).
func Person(id string) Audience { return Audience{Kind: AudienceUser, ID: id} }

// Notice is a notification, who receives it, and the key that makes it once per recipient.
type Notice struct {
	Notification
	To  []Audience
	Key string
}

// workers are who works the ticket now: the officer who signed for it, else the officers of its
// department; and the department's head. Without a department, the bureau's dispatchers.
func (t *Ticket) workers() []Audience {
	switch {
	case t.HandlerID != "":
		return []Audience{Person(t.HandlerID), {AudienceDepartmentHead, t.DepartmentID}}
	case t.DepartmentID != "":
		return []Audience{{AudienceOfficers, t.DepartmentID}, {AudienceDepartmentHead, t.DepartmentID}}
	}
	return []Audience{{Kind: AudienceDispatchers}}
}

// levelNotice is the notification kind of a clock reminder's level and how its title says it.
func levelNotice(level string) (NotificationKind, string) {
	switch level {
	case ClockDue:
		return NotifyTicketDue, "已到期（督办）"
	case ClockEscalate:
		return NotifyTicketEscalate, fmt.Sprintf("超期%d个工作日（通报）", EscalateAfter)
	}
	return NotifyTicketWarn, "还剩1个工作日"
}

var clockNames = map[string]string{ClockSign: "签收", ClockResolve: "办结"}

// ClockNotice is the reminder of a ticket_clock job, or nil when its reason is gone (the clock
// stopped, or moved to another due time). Who hears grows with the level: warn → the handler
// (or the department's officers) and the department head; due → also the steward and the leader
// (督办); escalate → also the dispatchers and the bureau's heads (通报), urgent whatever the hour.
func (t *Ticket) ClockNotice(args TicketClockArgs) *Notice {
	c, runs := t.clock(args.Clock)
	if !runs || !c.Due.Equal(args.Due) {
		return nil
	}
	var to []Audience
	if t.HandlerID != "" {
		to = append(to, Person(t.HandlerID))
	} else if t.DepartmentID != "" {
		to = append(to, Audience{AudienceOfficers, t.DepartmentID})
	}
	if t.DepartmentID != "" {
		to = append(to, Audience{AudienceDepartmentHead, t.DepartmentID})
	}
	kind, what := levelNotice(args.Level)
	switch args.Level {
	case ClockDue:
		to = append(to, Person(t.StewardID), Person(t.LeaderID))
	case ClockEscalate:
		to = append(to, Person(t.StewardID), Person(t.LeaderID), Audience{Kind: AudienceDispatchers}, Audience{Kind: AudienceBureauHeads})
	}
	name := clockNames[args.Clock]
	return &Notice{
		Notification: Notification{Kind: kind, Link: "/tickets/" + t.ID, Urgent: t.Priority == PriorityUrgent || args.Level == ClockEscalate,
			Title: fmt.Sprintf("%s %s时限%s", t.Number, name, what),
			Body:  fmt.Sprintf("%s：%s。%s时限 %s。", t.EnterpriseName, t.Title, name, args.Due.In(Shanghai).Format("2006年1月2日 15:04"))},
		To: to, Key: fmt.Sprintf("clock:%s:%s:%s:%d", t.ID, args.Clock, args.Level, args.Due.Unix()),
	}
}

// MoveNotices are the notices a move from prev to t sends: a ticket routed to a department tells
// its officers at once, with the sign-for deadline; and those of co-handling (opinionNotices).
func (t *Ticket) MoveNotices(prev *Ticket) []Notice {
	out := t.opinionNotices(prev)
	if n := t.ProgressNotice(prev); n != nil {
		out = append(out, *n) // the enterprise hears of its request's public moves
	}
	if t.Status != TicketAssigned || prev.Status == TicketAssigned || t.SignClock == nil {
		return out
	}
	return append(out, Notice{
		Notification: Notification{Kind: NotifyTicketAssigned, Title: "新诉求待签收：" + t.Number + " " + t.Title,
			Body: "请在" + t.SignClock.Due.In(Shanghai).Format("1月2日15:04") + "前签收。", Link: "/tickets/" + t.ID,
			Urgent: t.Priority == PriorityUrgent},
		To:  []Audience{{AudienceOfficers, t.DepartmentID}},
		Key: "assigned:" + t.ID + ":" + t.SignClock.Due.UTC().Format(time.RFC3339),
	})
}

// InstructionNotice tells those who must answer a leader's instruction at once, whatever the
// hour: the handler, or the department's officers before anyone signed, and its head; without
// a department, the bureau's dispatchers.
func (t *Ticket) InstructionNotice(ins *Instruction) Notice {
	return Notice{
		Notification: Notification{Kind: NotifyInstruction, Link: "/tickets/" + t.ID, Urgent: true,
			Title: "领导批示：" + t.Number + " " + t.Title, Body: ins.LeaderName + "批示：" + ins.Body},
		To: t.workers(), Key: "instruction:" + ins.ID,
	}
}

// RatingNotice asks the enterprise's portal users to rate the resolved ticket, or nil when it
// no longer waits for that rating.
func (t *Ticket) RatingNotice(args RatingFollowupArgs) *Notice {
	if !t.Waiting(args) {
		return nil
	}
	return &Notice{
		Notification: Notification{Kind: NotifyRatingReminder, Link: "/portal/tickets/" + t.ID,
			Title: "请评价诉求办理结果：" + t.Number, Body: t.Title + " 已办结，请对办理结果和服务态度进行评价。"},
		To: []Audience{{AudienceEnterprise, t.EnterpriseID}}, Key: fmt.Sprintf("rate:%s:%d", t.ID, args.ResolvedAt.Unix()),
	}
}

// AnswerInstruction records the department's answer to a leader's instruction (an internal
// event). The department handling the ticket answers, or the bureau's dispatcher for it; an
// instruction is answered once.
func (t *Ticket) AnswerInstruction(a *Actor, ins *Instruction, answer string, now time.Time) (TicketEvent, error) {
	if !t.isOfficer(a) && !t.isDispatcher(a) {
		return TicketEvent{}, Forbidden(a, "answer instructions: the department handling the ticket answers")
	}
	if ins.AnsweredAt != nil {
		return TicketEvent{}, Errorf(ETRANSITION, "the instruction is already answered")
	}
	ev, err := t.Comment(a, answer, true, now)
	if err != nil {
		return ev, err
	}
	ev.Action, ev.Data = "answer", map[string]any{"instruction_id": ins.ID}
	ins.Answer, ins.AnsweredBy, ins.AnsweredAt = ev.Body, a.UserID, &now
	return ev, nil
}
