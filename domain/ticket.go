package domain

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TicketStatus is where a ticket (诉求) stands in the 受理→分派→签收→办结→评价 loop.
type TicketStatus string

// Ticket statuses (DESIGN.md §3).
const (
	TicketSubmitted  TicketStatus = "submitted"   // 已提交: waiting to be accepted
	TicketAccepted   TicketStatus = "accepted"    // 已受理: the resolve clock runs; waiting to be routed
	TicketRejected   TicketStatus = "rejected"    // 不予受理: final
	TicketAssigned   TicketStatus = "assigned"    // 已分派: waiting for the department to sign for it
	TicketInProgress TicketStatus = "in_progress" // 办理中
	TicketReturned   TicketStatus = "returned"    // 已退回: the department sent it back; to be routed again
	TicketResolved   TicketStatus = "resolved"    // 已办结: waiting for the enterprise's rating
	TicketClosed     TicketStatus = "closed"      // 已关闭: final
)

// TicketStatuses lists every status in loop order.
var TicketStatuses = []TicketStatus{TicketSubmitted, TicketAccepted, TicketRejected, TicketAssigned,
	TicketInProgress, TicketReturned, TicketResolved, TicketClosed}

// Open reports whether the ticket still needs work (neither rejected nor closed).
func (s TicketStatus) Open() bool { return s != TicketRejected && s != TicketClosed }

// TicketSource says where a ticket came from.
type TicketSource string

// Sources.
const (
	SourcePortal  TicketSource = "portal"  // the enterprise itself
	SourceVisit   TicketSource = "visit"   // a finding of a steward's visit
	SourceSteward TicketSource = "steward" // raised by a steward
	SourceHotline TicketSource = "hotline" // 12345
	SourceLeader  TicketSource = "leader"  // a leader's request, recorded by the bureau
	SourceAPI     TicketSource = "api"     // another system (一网通办)
)

// Priority is normal or urgent; urgent halves the resolve limit.
type Priority string

// Priorities.
const (
	PriorityNormal Priority = "normal"
	PriorityUrgent Priority = "urgent"
)

// Rating is the enterprise's verdict (评价): whether the problem was solved and how it was
// treated, each on five levels — 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 — with reason
// tags. An unrated ticket closed by the system has Auto set and no scores.
type Rating struct {
	Solved, Attitude int
	Tags             []string
	Comment          string
	At               time.Time
	Auto             bool
}

// Satisfied reports whether the enterprise accepts the result: the problem is rated at least
// 基本满意 (3). Below that the ticket goes back to work (重办).
func (r Rating) Satisfied() bool { return r.Auto || r.Solved >= 3 }

// Extension is a department's pending request for more time (延期).
type Extension struct {
	Days        int
	Reason      string
	RequestedBy string
	At          time.Time
}

// Clock is a deadline: when it falls due and when it turns yellow (one working day before).
type Clock struct {
	Due, Warn time.Time
}

// Ticket is an enterprise's request or problem, worked by a department against statutory time
// limits counted in working days. Its status changes only through its methods.
type Ticket struct {
	ID             string
	Number         string // SQ-2026-000123
	EnterpriseID   string
	EnterpriseName string
	ProjectID      string
	VisitID        string
	Source         TicketSource
	CategoryID     string
	CategoryName   string
	Title          string
	Description    string
	Priority       Priority
	// UrgencyRequested says the enterprise (or an integration for it) asked for urgency; it
	// counts only once the bureau confirms it at accept (Priority becomes urgent then).
	UrgencyRequested bool
	Status           TicketStatus
	DepartmentID     string
	DepartmentName   string
	HandlerID        string // the officer who signed for it
	HandlerName      string
	// StewardID and LeaderID are copied from the assignment when the ticket is created.
	StewardID string
	LeaderID  string
	// SignDays and ResolveDays are the limits in force (from the category; urgent halves resolve).
	SignDays, ResolveDays   int
	SignClock, ResolveClock *Clock // nil while not running
	Extension               *Extension
	// Opinions are the co-handling departments (协办) and what each owes the lead, in the order
	// they were named (domain/ticket_cohandling.go).
	Opinions []Opinion
	// AcceptedAt is when the ticket was accepted (受理); the statistics count working days to
	// resolve from it.
	AcceptedAt  *time.Time
	Resolution  string
	ResolvedAt  *time.Time
	Rating      *Rating
	ReopenCount int
	ClosedAt    *time.Time
	// LightNow is the SLA light when the ticket was read (derived, never stored).
	LightNow             Light
	CreatedBy            string
	Version              int
	CreatedAt, UpdatedAt time.Time
	// PlanNodeID is the approval-plan node whose block (卡点) raised the ticket, if any.
	PlanNodeID string
}

// WorkingDays is the calendar arithmetic tickets need (domain/calendar.Calendar provides it).
type WorkingDays interface {
	// Deadline is 18:00 (Asia/Shanghai) on the n-th working day after start's date.
	Deadline(start time.Time, n int) time.Time
	// WorkingDaysBefore is t moved back n working days, same time of day.
	WorkingDaysBefore(t time.Time, n int) time.Time
	// WorkingDaysAfter is t moved on n working days, same time of day.
	WorkingDaysAfter(t time.Time, n int) time.Time
}

// newClock starts a clock of n working days at now.
func newClock(wd WorkingDays, now time.Time, n int) *Clock {
	due := wd.Deadline(now, n)
	return &Clock{Due: due, Warn: wd.WorkingDaysBefore(due, 1)}
}

// TicketEvent is one entry of a ticket's timeline.
type TicketEvent struct {
	ID         string
	TicketID   string
	Action     string // submit, accept, reject, assign, sign, return, request-extension, approve-extension, deny-extension, resolve, rate, rework, close, comment, instruct, answer
	FromStatus TicketStatus
	ToStatus   TicketStatus
	ActorID    string
	ActorName  string
	ActorRole  Role
	Body       string
	// Public events are shown to the enterprise; internal ones (routing, returns, extensions,
	// instructions, internal comments) never are.
	Public bool
	Data   map[string]any
	At     time.Time
}

// Validate checks a new ticket's own fields.
func (t *Ticket) Validate() error {
	var v Validation
	t.Title, t.Description = strings.TrimSpace(t.Title), strings.TrimSpace(t.Description)
	n := utf8.RuneCountInString(t.Title)
	v.Check(n >= 4 && n <= 100, "title", "must be 4 to 100 characters: say in a line what the problem is")
	n = utf8.RuneCountInString(t.Description)
	v.Check(n >= 10 && n <= 5000, "description", "must be 10 to 5000 characters: describe the problem and what is needed")
	v.Check(t.EnterpriseID != "", "enterprise_id", "is required")
	v.Check(t.CategoryID != "", "category_id", "is required")
	if t.Priority == "" {
		t.Priority = PriorityNormal
	}
	v.Check(t.Priority == PriorityNormal || t.Priority == PriorityUrgent, "priority", "must be normal or urgent")
	return v.Err()
}

// SourceFor is the source of a ticket submitted by a, with the one a dispatcher or an
// integration asked for ("" for the default). Others may not choose.
func SourceFor(a *Actor, asked TicketSource, fromVisit bool) (TicketSource, error) {
	bad := func(allowed string) error {
		return &Error{Code: EINVALID, Message: "some fields are invalid",
			Fields: []FieldError{{Field: "source", Message: allowed}}}
	}
	switch a.Role {
	case RoleEnterprise:
		if asked != "" && asked != SourcePortal {
			return "", bad("is set by the server for enterprise users")
		}
		return SourcePortal, nil
	case RoleSteward:
		if asked != "" {
			return "", bad("is set by the server for stewards")
		}
		if fromVisit {
			return SourceVisit, nil
		}
		return SourceSteward, nil
	case RoleDispatcher:
		switch asked {
		case "", SourceHotline:
			return SourceHotline, nil
		case SourceLeader, SourceSteward:
			return asked, nil
		}
		return "", bad("a dispatcher records tickets from the hotline, a leader or a steward")
	case RoleIntegration:
		switch asked {
		case "", SourceAPI:
			return SourceAPI, nil
		case SourceHotline:
			return SourceHotline, nil
		}
		return "", bad("an integration submits with source api or hotline")
	}
	if a.IsSystem() {
		if asked == "" {
			return SourceSteward, nil
		}
		return asked, nil
	}
	return "", Forbidden(a, "submit tickets")
}

func (t *Ticket) transition(action string, allowed []TicketStatus) error {
	if !oneOf(t.Status, allowed) {
		return Errorf(ETRANSITION, "cannot %s a ticket that is %s", strings.ReplaceAll(action, "-", " "), t.Status)
	}
	return nil
}

func (t *Ticket) event(a *Actor, action string, from TicketStatus, body string, public bool, now time.Time, data map[string]any) TicketEvent {
	return TicketEvent{TicketID: t.ID, Action: action, FromStatus: from, ToStatus: t.Status, ActorID: a.UserID,
		ActorName: actorName(a), ActorRole: a.Role, Body: body, Public: public, Data: data, At: now}
}

func actorName(a *Actor) string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}

func required(field, value string, max int) error {
	n := utf8.RuneCountInString(strings.TrimSpace(value))
	if n == 0 || n > max {
		return &Error{Code: EINVALID, Message: "some fields are invalid",
			Fields: []FieldError{{Field: field, Message: "is required (at most " + strconv.Itoa(max) + " characters)"}}}
	}
	return nil
}

// isDispatcher, isSteward … say who may make which move (DESIGN.md §3, the "who" column).
func (t *Ticket) isDispatcher(a *Actor) bool { return a.IsSystem() || a.Role == RoleDispatcher }
func (t *Ticket) isOwnSteward(a *Actor) bool { return a.Role == RoleSteward && a.UserID == t.StewardID }
func (t *Ticket) isOfficer(a *Actor) bool {
	return a.IsSystem() || a.Role == RoleOfficer && t.DepartmentID != "" && a.DepartmentID == t.DepartmentID
}
func (t *Ticket) isLeader(a *Actor) bool { return a.Role == RoleLeader && a.UserID == t.LeaderID }
func (t *Ticket) isOwnEnterprise(a *Actor) bool {
	return a.Role == RoleEnterprise && a.EnterpriseID == t.EnterpriseID
}

// outside reports whether a acts from outside the government: an enterprise user, or an
// integration submitting for one.
func outside(a *Actor) bool { return a.Role == RoleEnterprise || a.Role == RoleIntegration }

// halved is an urgent resolve limit: half the category's, rounded up.
func halved(days int) int { return (days + 1) / 2 }

// Submit (提交) makes t a new ticket submitted by a under the category's limits. Urgency asked
// for by staff halves the resolve limit at once; asked for from outside (the portal, an
// integration) it is only a request, which the bureau confirms when it accepts.
func (t *Ticket) Submit(a *Actor, signDays, resolveDays int, now time.Time) TicketEvent {
	t.Status, t.SignDays, t.ResolveDays, t.CreatedBy = TicketSubmitted, signDays, resolveDays, a.UserID
	t.Version, t.CreatedAt, t.UpdatedAt = 1, now, now
	if t.Priority == PriorityUrgent && outside(a) {
		t.Priority, t.UrgencyRequested = PriorityNormal, true
	}
	if t.Priority == PriorityUrgent {
		t.ResolveDays = halved(resolveDays)
	}
	data := map[string]any{"source": t.Source, "priority": t.Priority}
	if t.UrgencyRequested {
		data["urgency_requested"] = true
	}
	return t.event(a, "submit", "", "", true, now, data)
}

// Accept (受理) takes the ticket on and starts the resolve clock. With urgent, the bureau makes
// the ticket urgent (confirming an enterprise's request, or on its own call): the resolve limit
// is halved.
func (t *Ticket) Accept(a *Actor, urgent bool, wd WorkingDays, now time.Time) (TicketEvent, error) {
	if !t.isDispatcher(a) && !t.isOwnSteward(a) {
		return TicketEvent{}, Forbidden(a, "accept this ticket")
	}
	if err := t.transition("accept", []TicketStatus{TicketSubmitted}); err != nil {
		return TicketEvent{}, err
	}
	if urgent && t.Priority != PriorityUrgent {
		t.Priority, t.ResolveDays = PriorityUrgent, halved(t.ResolveDays)
	}
	from := t.Status
	t.Status, t.ResolveClock, t.AcceptedAt = TicketAccepted, newClock(wd, now, t.ResolveDays), &now
	data := map[string]any{"due_resolve_at": t.ResolveClock.Due}
	if urgent {
		data["urgent"] = true
	}
	return t.event(a, "accept", from, "", true, now, data), nil
}

// Reject (不予受理) refuses the ticket with a reason; it is final.
func (t *Ticket) Reject(a *Actor, reason string, now time.Time) (TicketEvent, error) {
	if !t.isDispatcher(a) {
		return TicketEvent{}, Forbidden(a, "reject tickets")
	}
	if err := t.transition("reject", []TicketStatus{TicketSubmitted}); err != nil {
		return TicketEvent{}, err
	}
	if err := required("reason", reason, 1000); err != nil {
		return TicketEvent{}, err
	}
	from := t.Status
	t.Status, t.ClosedAt = TicketRejected, &now
	return t.event(a, "reject", from, strings.TrimSpace(reason), true, now, nil), nil
}

// Assign (分派) routes the ticket to a lead department (主办) and starts the sign-for clock; co
// names the co-handling departments (协办), which replace those of an earlier assignment (one
// named again keeps its opinion and clock).
func (t *Ticket) Assign(a *Actor, departmentID, departmentName string, wd WorkingDays, now time.Time, co ...Department) (TicketEvent, error) {
	if !t.isDispatcher(a) {
		return TicketEvent{}, Forbidden(a, "route tickets")
	}
	if err := t.transition("assign", []TicketStatus{TicketAccepted, TicketReturned}); err != nil {
		return TicketEvent{}, err
	}
	if err := t.coHandle(departmentID, co, wd, now); err != nil {
		return TicketEvent{}, err
	}
	from := t.Status
	t.Status, t.DepartmentID, t.DepartmentName = TicketAssigned, departmentID, departmentName
	t.HandlerID, t.HandlerName, t.SignClock = "", "", newClock(wd, now, t.SignDays)
	return t.event(a, "assign", from, "", true, now, map[string]any{"department_id": departmentID,
		"department_name": departmentName, "due_sign_at": t.SignClock.Due}), nil
}

// Sign (签收) records that the department has taken the ticket; its work starts.
func (t *Ticket) Sign(a *Actor, now time.Time) (TicketEvent, error) {
	if !t.isOfficer(a) {
		return TicketEvent{}, Forbidden(a, "sign for tickets of another department")
	}
	if err := t.transition("sign", []TicketStatus{TicketAssigned}); err != nil {
		return TicketEvent{}, err
	}
	from := t.Status
	t.Status, t.HandlerID, t.HandlerName, t.SignClock = TicketInProgress, a.UserID, actorName(a), nil
	return t.event(a, "sign", from, "", true, now, nil), nil
}

// Return (退回) sends the ticket back to the bureau with the basis for it (not our remit, wrong
// department …); the bureau routes it again. The resolve clock keeps running.
func (t *Ticket) Return(a *Actor, reason string, now time.Time) (TicketEvent, error) {
	if !t.isOfficer(a) {
		return TicketEvent{}, Forbidden(a, "return tickets of another department")
	}
	if err := t.transition("return", []TicketStatus{TicketAssigned, TicketInProgress}); err != nil {
		return TicketEvent{}, err
	}
	if err := required("reason", reason, 1000); err != nil {
		return TicketEvent{}, err
	}
	from, dept, deptID := t.Status, t.DepartmentName, t.DepartmentID
	t.Status, t.SignClock, t.Extension = TicketReturned, nil, nil
	t.DepartmentID, t.DepartmentName, t.HandlerID, t.HandlerName = "", "", "", ""
	// department_id says whose return it was, for the statistics (a department's returns).
	return t.event(a, "return", from, strings.TrimSpace(reason), false, now,
		map[string]any{"department_name": dept, "department_id": deptID}), nil
}

// RequestExtension (申请延期) asks for more working days; the dispatcher rules on it.
func (t *Ticket) RequestExtension(a *Actor, days int, reason string, now time.Time) (TicketEvent, error) {
	if !t.isOfficer(a) {
		return TicketEvent{}, Forbidden(a, "ask for an extension on another department's ticket")
	}
	if err := t.transition("request-extension", []TicketStatus{TicketInProgress}); err != nil {
		return TicketEvent{}, err
	}
	if t.Extension != nil {
		return TicketEvent{}, Errorf(ETRANSITION, "an extension request is already pending")
	}
	var v Validation
	v.Check(days >= 1 && days <= 30, "days", "must be 1 to 30 working days")
	if err := required("reason", reason, 1000); err != nil {
		v.Add("reason", "is required (at most 1000 characters)")
	}
	if err := v.Err(); err != nil {
		return TicketEvent{}, err
	}
	t.Extension = &Extension{Days: days, Reason: strings.TrimSpace(reason), RequestedBy: a.UserID, At: now}
	return t.event(a, "request-extension", t.Status, t.Extension.Reason, false, now, map[string]any{"days": days}), nil
}

// ApproveExtension moves the resolve deadline by the days asked for.
func (t *Ticket) ApproveExtension(a *Actor, wd WorkingDays, now time.Time) (TicketEvent, error) {
	if !t.isDispatcher(a) {
		return TicketEvent{}, Forbidden(a, "rule on extensions")
	}
	if t.Extension == nil || t.Status != TicketInProgress {
		return TicketEvent{}, Errorf(ETRANSITION, "there is no pending extension request")
	}
	days := t.Extension.Days
	due := wd.Deadline(t.ResolveClock.Due, days)
	t.ResolveClock, t.Extension = &Clock{Due: due, Warn: wd.WorkingDaysBefore(due, 1)}, nil
	return t.event(a, "approve-extension", t.Status, "", true, now, map[string]any{"days": days, "due_resolve_at": due}), nil
}

// DenyExtension refuses the request with a reason; the deadline stands.
func (t *Ticket) DenyExtension(a *Actor, reason string, now time.Time) (TicketEvent, error) {
	if !t.isDispatcher(a) {
		return TicketEvent{}, Forbidden(a, "rule on extensions")
	}
	if t.Extension == nil || t.Status != TicketInProgress {
		return TicketEvent{}, Errorf(ETRANSITION, "there is no pending extension request")
	}
	if err := required("reason", reason, 1000); err != nil {
		return TicketEvent{}, err
	}
	t.Extension = nil
	return t.event(a, "deny-extension", t.Status, strings.TrimSpace(reason), false, now, nil), nil
}

// Resolve (办结) records the resolution; the enterprise rates it next.
func (t *Ticket) Resolve(a *Actor, resolution string, now time.Time) (TicketEvent, error) {
	if !t.isOfficer(a) {
		return TicketEvent{}, Forbidden(a, "resolve tickets of another department")
	}
	if err := t.transition("resolve", []TicketStatus{TicketInProgress}); err != nil {
		return TicketEvent{}, err
	}
	if err := required("resolution", resolution, 5000); err != nil {
		return TicketEvent{}, err
	}
	if err := t.opinionsPending(); err != nil {
		return TicketEvent{}, err
	}
	from := t.Status
	t.Status, t.Resolution, t.ResolvedAt, t.Extension = TicketResolved, strings.TrimSpace(resolution), &now, nil
	onTime := t.ResolveClock == nil || !now.After(t.ResolveClock.Due)
	return t.event(a, "resolve", from, t.Resolution, true, now, map[string]any{"on_time": onTime}), nil
}

// RatingTags are the reasons an enterprise may give with a rating.
var RatingTags = []string{"办事高效", "态度热情", "解释清楚", "主动服务", "推诿扯皮", "办理拖延", "问题未解决", "态度冷漠", "多头跑"}

// Rate (评价) is the enterprise's verdict, given only by the enterprise itself through the
// portal: satisfied closes the ticket; unsatisfied sends it back to work (重办) on a new
// resolve clock.
func (t *Ticket) Rate(a *Actor, r Rating, wd WorkingDays, now time.Time) (TicketEvent, error) {
	if !t.isOwnEnterprise(a) {
		return TicketEvent{}, Forbidden(a, "rate tickets: only the enterprise rates, through the portal")
	}
	if err := t.transition("rate", []TicketStatus{TicketResolved}); err != nil {
		return TicketEvent{}, err
	}
	var v Validation
	v.Check(r.Solved >= 1 && r.Solved <= 5, "solved", "must be 1 (非常不满意) to 5 (非常满意)")
	v.Check(r.Attitude >= 1 && r.Attitude <= 5, "attitude", "must be 1 (非常不满意) to 5 (非常满意)")
	for _, tag := range r.Tags {
		v.Check(oneOf(tag, RatingTags), "tags", "unknown tag %q", tag)
	}
	r.Comment = strings.TrimSpace(r.Comment)
	v.Check(utf8.RuneCountInString(r.Comment) <= 1000, "comment", "must be at most 1000 characters")
	if err := v.Err(); err != nil {
		return TicketEvent{}, err
	}
	r.At, r.Auto = now, false
	from := t.Status
	data := map[string]any{"solved": r.Solved, "attitude": r.Attitude, "tags": r.Tags}
	if r.Satisfied() {
		t.Status, t.Rating, t.ClosedAt = TicketClosed, &r, &now
		return t.event(a, "rate", from, r.Comment, true, now, data), nil
	}
	// 重办: back to the same department on a new resolve clock.
	t.Status, t.Rating, t.ReopenCount = TicketInProgress, &r, t.ReopenCount+1
	t.Resolution, t.ResolvedAt, t.ResolveClock = "", nil, newClock(wd, now, t.ResolveDays)
	data["rework"], data["due_resolve_at"] = true, t.ResolveClock.Due
	return t.event(a, "rework", from, r.Comment, true, now, data), nil
}

// AutoCloseAfter is how long a resolved ticket waits for a rating before the system closes it
// (configurable; DESIGN.md §3 default).
const AutoCloseAfter = 7

// AutoClose closes a resolved ticket the enterprise did not rate in time, with rating none.
// It is the system's move; it returns ETRANSITION when the ticket is no longer waiting.
func (t *Ticket) AutoClose(now time.Time) (TicketEvent, error) {
	if err := t.transition("close", []TicketStatus{TicketResolved}); err != nil {
		return TicketEvent{}, err
	}
	from := t.Status
	t.Status, t.Rating, t.ClosedAt = TicketClosed, &Rating{Auto: true, At: now}, &now
	return t.event(System, "close", from, "", true, now, map[string]any{"rating": "none"}), nil
}

// Instruct (批示) records a leader's instruction, which the department must answer.
func (t *Ticket) Instruct(a *Actor, body string, now time.Time) (TicketEvent, error) {
	if !t.isLeader(a) {
		return TicketEvent{}, Forbidden(a, "instruct on tickets of enterprises you do not answer for")
	}
	if !t.Status.Open() {
		return TicketEvent{}, Errorf(ETRANSITION, "the ticket is %s", t.Status)
	}
	if err := required("body", body, 2000); err != nil {
		return TicketEvent{}, err
	}
	return t.event(a, "instruct", t.Status, strings.TrimSpace(body), false, now, nil), nil
}

// Comment adds a note to an open ticket; internal notes are never shown to the enterprise (nor
// to integrations acting for it), which may only comment publicly.
func (t *Ticket) Comment(a *Actor, body string, internal bool, now time.Time) (TicketEvent, error) {
	if !t.Status.Open() {
		return TicketEvent{}, Errorf(ETRANSITION, "the ticket is %s; comments are closed", t.Status)
	}
	if (a.Role == RoleEnterprise || a.Role == RoleIntegration) && internal {
		return TicketEvent{}, &Error{Code: EINVALID, Message: "enterprise users and integrations comment publicly",
			Fields: []FieldError{{Field: "internal", Message: "must be false for enterprise users"}}}
	}
	if err := required("body", body, 5000); err != nil {
		return TicketEvent{}, err
	}
	return t.event(a, "comment", t.Status, strings.TrimSpace(body), !internal, now, nil), nil
}

// Inbox is what waits on an actor (the mine filter of a ticket list): tickets in one of
// Statuses, or with a pending extension request when Extensions; with Portfolio only those the
// actor answers for as steward or leader.
type Inbox struct {
	Statuses   []TicketStatus
	Extensions bool
	Portfolio  bool
	// Lead keeps the tickets the actor's department leads: an officer's inbox is what it signs
	// for and works, not what it co-handles (those wait on its opinion: TicketFilter.OpinionOwed).
	Lead bool
}

// InboxOf is what waits on a: the intake queue, returns and extension requests for the
// dispatcher; the department's tickets to sign for and work for an officer; the open tickets of
// their portfolio for stewards and leaders, of their enterprise for enterprise users.
func InboxOf(a *Actor) Inbox {
	var open []TicketStatus
	for _, s := range TicketStatuses {
		if s.Open() {
			open = append(open, s)
		}
	}
	switch a.Role {
	case RoleDispatcher:
		return Inbox{Statuses: []TicketStatus{TicketSubmitted, TicketAccepted, TicketReturned}, Extensions: true}
	case RoleOfficer:
		return Inbox{Statuses: []TicketStatus{TicketAssigned, TicketInProgress}, Lead: true}
	case RoleSteward, RoleLeader:
		return Inbox{Statuses: open, Portfolio: true}
	case RoleEnterprise:
		return Inbox{Statuses: open}
	}
	return Inbox{Statuses: TicketStatuses}
}

// TicketFilter narrows a ticket list.
type TicketFilter struct {
	Status       TicketStatus
	Light        Light
	DepartmentID string
	EnterpriseID string
	CategoryID   string
	// Mine keeps the tickets waiting on the actor: their department's for officers, their
	// portfolio's for stewards and leaders, the intake queue for dispatchers.
	Mine bool
	Q    string
	// OpinionOwed keeps the open tickets on which a co-handling opinion is owed: the actor's own
	// department's for an officer (the opinions we owe), any department's for the others.
	OpinionOwed bool
	// Urgent sorts by the nearest deadline first instead of newest first.
	Urgent bool
}

// The moves of POST /tickets/{id}/actions/{action}, by name.
const (
	MoveAccept           = "accept"
	MoveReject           = "reject"
	MoveAssign           = "assign"
	MoveSign             = "sign"
	MoveReturn           = "return"
	MoveRequestExtension = "request-extension"
	MoveApproveExtension = "approve-extension"
	MoveDenyExtension    = "deny-extension"
	MoveResolve          = "resolve"
	MoveRate             = "rate"
	MoveWaiveOpinion     = "waive-opinion"
)

// TicketAction names a move in POST /tickets/{id}/actions/{action} and carries what it needs.
type TicketAction struct {
	Name       string
	Urgent     bool // accept
	Reason     string
	Department string // assign: the lead; waive-opinion: the co-handling department
	// CoDepartments are the co-handling departments of an assign.
	CoDepartments []string
	Days          int
	Resolution    string
	Rating        Rating
}

// Instruction is a leader's instruction and the department's answer.
type Instruction struct {
	ID, TicketID, LeaderID, LeaderName, Body string
	At                                       time.Time
	Answer, AnsweredBy                       string
	AnsweredAt                               *time.Time
}

// TicketService stores tickets and makes their moves. Every method acts for the actor in ctx:
// a ticket outside the actor's scope is ENOTFOUND; a move the actor may not make EFORBIDDEN; a
// move not allowed from the status ETRANSITION; a stale version EVERSION.
type TicketService interface {
	// CreateTicket submits a ticket. With an idempotency key, a second call with the same key
	// (and body hash) returns the first ticket and replayed true; another body → EINVALID.
	CreateTicket(ctx context.Context, t *Ticket, idempotencyKey, bodyHash string) (replayed bool, err error)
	Ticket(ctx context.Context, id string) (*Ticket, error)
	Tickets(ctx context.Context, f TicketFilter, p Page) (*List[Ticket], error)
	// Act makes a move with the version the actor saw, in one transaction with its event, its
	// follow-up jobs, its notices and its audit record. ENOTFOUND for an unknown move.
	Act(ctx context.Context, id string, version int, action TicketAction) (*Ticket, error)
	// Events is the ticket's timeline, oldest first; enterprise users get public events only.
	Events(ctx context.Context, id string) ([]TicketEvent, error)
	// AddComment and Instruct add notes that do not change the status or the version.
	AddComment(ctx context.Context, id, body string, internal bool) (*TicketEvent, error)
	Instruct(ctx context.Context, id, body string) (*Instruction, error)
	// AnswerInstruction is the department's answer to a leader's instruction.
	AnswerInstruction(ctx context.Context, id, instructionID, answer string) (*Instruction, error)
	Instructions(ctx context.Context, id string) ([]Instruction, error)
	// GiveOpinion is a co-handling department's opinion to the lead (an internal event).
	GiveOpinion(ctx context.Context, id, body string) (*Opinion, error)
	// Opinions are the co-handling departments' opinions; EFORBIDDEN for those outside the
	// government.
	Opinions(ctx context.Context, id string) ([]Opinion, error)
}
