package domain

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Approval plans (审批节点计划, DESIGN.md §3): the chain of approvals and milestones a key project
// needs, each node with a responsible department, a committed limit in working days (承诺时限) and
// predecessors, so serial and parallel steps are both expressed. A plan comes from a template of
// the project's kind and a start date; its baseline is kept, its forecast recomputed from actual
// dates after every move.
//
// Dates here (plan start, planned and actual dates) are civil dates kept as midnight UTC of that
// date in Asia/Shanghai, as project dates are; a node's clock is instants, as a ticket's.

// PlanTemplate is an admin-editable template of approval nodes for a kind of project.
type PlanTemplate struct {
	ID          string
	Name        string
	ProjectKind ProjectKind
	Nodes       []PlanTemplateNode
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PlanTemplateNode is one node of a template: its key (unique in the template, named by the
// after lists of others), what it is, who answers for it, its committed limit and predecessors.
type PlanTemplateNode struct {
	Key            string
	Name           string
	DepartmentID   string
	DepartmentName string // filled in when read
	Days           int
	After          []string
}

// PlanTemplatePatch carries what a PATCH changes; nil means unchanged. Nodes replace the
// template's nodes whole (plans made from it before keep theirs).
type PlanTemplatePatch struct {
	Name        *string
	ProjectKind *ProjectKind
	Nodes       *[]PlanTemplateNode
}

// Bounds of a template.
const (
	maxPlanNodes   = 60
	maxPlanDays    = 250 // a year of working days: beyond is a typing error
	maxPlanTextLen = 1000
)

var planKeyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// Validate normalizes the template (trimmed text) and reports every invalid field, under the
// path of the node it concerns (nodes[3].after): a missing or malformed key, a key used twice,
// an after naming an unknown key or the node itself, and a cycle of predecessors — named at the
// node that closes it. That a department exists is for storage to check.
func (t *PlanTemplate) Validate() error {
	var v Validation
	t.Name = strings.TrimSpace(t.Name)
	n := utf8.RuneCountInString(t.Name)
	v.Check(n >= 2 && n <= 100, "name", "must be 2 to 100 characters")
	v.Check(oneOf(t.ProjectKind, ProjectKinds), "project_kind", "must be one of new, expansion, renovation")
	switch {
	case len(t.Nodes) == 0:
		v.Add("nodes", "a template needs at least one node")
	case len(t.Nodes) > maxPlanNodes:
		v.Add("nodes", "at most %d nodes", maxPlanNodes)
	}
	index := map[string]int{}
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		at := fmt.Sprintf("nodes[%d].", i)
		nd.Key, nd.Name = strings.TrimSpace(nd.Key), strings.TrimSpace(nd.Name)
		switch {
		case !planKeyPattern.MatchString(nd.Key):
			v.Add(at+"key", "must be 1 to 32 letters, digits, - or _, starting with a letter or digit")
		case index[nd.Key] > 0:
			v.Add(at+"key", "%q is already the key of nodes[%d]", nd.Key, index[nd.Key]-1)
		default:
			index[nd.Key] = i + 1
		}
		n := utf8.RuneCountInString(nd.Name)
		v.Check(n >= 1 && n <= 100, at+"name", "must be 1 to 100 characters")
		v.Check(nd.DepartmentID != "", at+"department_id", "is required: the department that answers for the node")
		v.Check(nd.Days >= 1 && nd.Days <= maxPlanDays, at+"days", "must be 1 to %d working days", maxPlanDays)
	}
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		at := fmt.Sprintf("nodes[%d].after", i)
		var after []string
		for _, k := range nd.After {
			k = strings.TrimSpace(k)
			switch {
			case k == nd.Key:
				v.Add(at, "node %q cannot come after itself", nd.Key)
			case index[k] == 0:
				v.Add(at, "names %q, which is not the key of a node of this template", k)
			case !slices.Contains(after, k):
				after = append(after, k)
			}
		}
		nd.After = after
	}
	if err := v.Err(); err != nil {
		return err
	}
	if i, cycle := findCycle(t.Nodes); i >= 0 {
		v.Add(fmt.Sprintf("nodes[%d].after", i), "makes a cycle: %s (each before the next); remove one of these predecessors", strings.Join(cycle, " → "))
	}
	return v.Err()
}

// findCycle returns the index of a node whose after list closes a cycle of predecessors, and
// the cycle as keys (first key repeated at the end); -1 without one. Keys are valid and unique.
func findCycle(nodes []PlanTemplateNode) (int, []string) {
	index := map[string]int{}
	for i, n := range nodes {
		index[n.Key] = i
	}
	const (
		unseen = iota
		onPath
		finished
	)
	state := make([]int, len(nodes))
	var path []int
	var visit func(i int) (int, []string)
	visit = func(i int) (int, []string) {
		state[i] = onPath
		path = append(path, i)
		for _, k := range nodes[i].After {
			j := index[k]
			switch state[j] {
			case onPath:
				// The cycle is path[j…i] closed by i → j. Name it at its earliest node in template
				// order: after names earlier keys, so that is the one naming a later key.
				cycle := path[slices.Index(path, j):]
				at := slices.Min(cycle)
				k := slices.Index(cycle, at)
				// path runs "comes after" (each element after the next, the last after the first);
				// the message runs the way work flows, each node before the next.
				order := append(append([]int{}, cycle[k+1:]...), cycle[:k]...)
				slices.Reverse(order)
				keys := []string{nodes[at].Key}
				for _, p := range order {
					keys = append(keys, nodes[p].Key)
				}
				return at, append(keys, nodes[at].Key)
			case unseen:
				if at, c := visit(j); at >= 0 {
					return at, c
				}
			}
		}
		path = path[:len(path)-1]
		state[i] = finished
		return -1, nil
	}
	for i := range nodes {
		if state[i] == unseen {
			if at, c := visit(i); at >= 0 {
				return at, c
			}
		}
	}
	return -1, nil
}

// Apply changes t by patch and validates the result.
func (t *PlanTemplate) Apply(p PlanTemplatePatch) error {
	set(&t.Name, p.Name)
	set(&t.ProjectKind, p.ProjectKind)
	set(&t.Nodes, p.Nodes)
	return t.Validate()
}

// PlanStatus is where a plan stands.
type PlanStatus string

// Plan statuses.
const (
	PlanActive PlanStatus = "active" // some node is still open
	PlanDone   PlanStatus = "done"   // every node is done or waived
)

// PlanNodeStatus is where a node stands.
type PlanNodeStatus string

// Node statuses.
const (
	NodeWaiting    PlanNodeStatus = "waiting"     // 待前置: a predecessor is still open
	NodeReady      PlanNodeStatus = "ready"       // 可办理: its clock runs; the department may start
	NodeInProgress PlanNodeStatus = "in_progress" // 办理中
	NodeBlocked    PlanNodeStatus = "blocked"     // 卡点: held up; a ticket asks a department to clear it
	NodeDone       PlanNodeStatus = "done"        // 已完成
	NodeWaived     PlanNodeStatus = "waived"      // 已豁免: the dispatcher released it, with a reason
)

// PlanNodeStatuses lists every status in order.
var PlanNodeStatuses = []PlanNodeStatus{NodeWaiting, NodeReady, NodeInProgress, NodeBlocked, NodeDone, NodeWaived}

// Closed reports whether the node no longer holds anything up: done or waived.
func (s PlanNodeStatus) Closed() bool { return s == NodeDone || s == NodeWaived }

// clockRuns reports whether a node's clock runs: from ready until done or waived (a block does
// not stop it — the limit was committed, and the ticket is how the hold-up gets cleared).
func (s PlanNodeStatus) clockRuns() bool {
	return s == NodeReady || s == NodeInProgress || s == NodeBlocked
}

// PlanNode is one node of a project's plan.
type PlanNode struct {
	ID             string
	Key            string
	Name           string
	DepartmentID   string
	DepartmentName string
	Days           int
	After          []string
	// PlannedStart and PlannedFinish are the baseline, kept as computed when the plan was made.
	PlannedStart, PlannedFinish time.Time
	Status                      PlanNodeStatus
	// ReadyOn is the date the node became ready; Clock its deadline (ready date + Days working
	// days, 18:00) and warning, set while it runs and kept after.
	ReadyOn *time.Time
	Clock   *Clock
	// StartedOn, FinishedOn are the actual dates (FinishedOn of a waived node: the day waived).
	StartedOn, FinishedOn *time.Time
	// Note is the finish note; Reason the block or waive reason (internal).
	Note, Reason string
	// TicketID is the ticket a block raised (卡点), kept after it is unblocked.
	TicketID string
	// Derived when read (Plan.Compute): the forecast and the light.
	ForecastStart, ForecastFinish time.Time
	LightNow                      Light
}

// Plan is a project's approval plan.
type Plan struct {
	ID             string
	ProjectID      string
	ProjectName    string
	EnterpriseID   string
	EnterpriseName string
	TemplateID     string
	TemplateName   string
	Start          time.Time
	Status         PlanStatus
	Nodes          []PlanNode
	// StewardID and LeaderID answer for the project now (filled in when read, for who may move
	// and who hears).
	StewardID, LeaderID string
	// CreatedBy is the user who made the plan.
	CreatedBy string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	// Derived by Compute: the baseline and forecast finish, the critical path, the light.
	BaselineFinish, ForecastFinish time.Time
	CriticalPath                   []string
	LightNow                       Light
	// LateDays is how many working days the forecast finish is past the baseline finish.
	LateDays int
}

// AddWorkingDays is the n-th working day after the civil date d (midnight UTC of the date);
// d itself is not counted, so a 5-day node planned to start on Monday 28 September 2026 finishes
// on the fifth working day after it.
func AddWorkingDays(wd WorkingDays, d time.Time, n int) time.Time {
	noon := time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, Shanghai)
	return Today(wd.WorkingDaysAfter(noon, n))
}

// civil returns the civil date of t as midnight UTC (t already such a date stays as it is).
func civil(t time.Time) time.Time {
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t
	}
	return Today(t)
}

// NewPlan makes the plan of a template for a project from start: the nodes in template order
// with their baseline (Baseline), the first ones ready on the start date.
func NewPlan(tpl *PlanTemplate, projectID string, start time.Time, wd WorkingDays) *Plan {
	p := &Plan{ProjectID: projectID, TemplateID: tpl.ID, TemplateName: tpl.Name, Start: civil(start), Status: PlanActive}
	for _, n := range tpl.Nodes {
		p.Nodes = append(p.Nodes, PlanNode{Key: n.Key, Name: n.Name, DepartmentID: n.DepartmentID, DepartmentName: n.DepartmentName,
			Days: n.Days, After: slices.Clone(n.After), Status: NodeWaiting})
	}
	p.Baseline(wd)
	p.settle(wd, p.Start)
	return p
}

// order returns the node indexes with every node after its predecessors (the template was
// validated: no cycle, no unknown key).
func (p *Plan) order() []int {
	index := p.index()
	done := make([]bool, len(p.Nodes))
	var out []int
	var visit func(i int)
	visit = func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		for _, k := range p.Nodes[i].After {
			if j, ok := index[k]; ok {
				visit(j)
			}
		}
		out = append(out, i)
	}
	for i := range p.Nodes {
		visit(i)
	}
	return out
}

func (p *Plan) index() map[string]int {
	m := make(map[string]int, len(p.Nodes))
	for i, n := range p.Nodes {
		m[n.Key] = i
	}
	return m
}

// Node returns the node with the id, or nil.
func (p *Plan) Node(id string) *PlanNode {
	for i := range p.Nodes {
		if id != "" && p.Nodes[i].ID == id {
			return &p.Nodes[i]
		}
	}
	return nil
}

// Baseline computes the planned start and finish of every node (DESIGN.md §3): a node without
// predecessors starts on the plan's start date, any other on the latest planned finish of its
// predecessors; its planned finish is its planned start + its limit in working days.
func (p *Plan) Baseline(wd WorkingDays) {
	index := p.index()
	for _, i := range p.order() {
		n := &p.Nodes[i]
		start := p.Start
		for _, k := range n.After {
			if f := p.Nodes[index[k]].PlannedFinish; f.After(start) {
				start = f
			}
		}
		n.PlannedStart, n.PlannedFinish = start, AddWorkingDays(wd, start, n.Days)
	}
}

// settle makes ready every waiting node whose predecessors are all done or waived, on the
// latest date they closed (the plan's start for a node without predecessors, and never before
// it), and starts its clock; and marks the plan done once every node is closed. It returns the
// nodes it made ready.
func (p *Plan) settle(wd WorkingDays, today time.Time) []string {
	index := p.index()
	var readied []string
	for _, i := range p.order() {
		n := &p.Nodes[i]
		if n.Status != NodeWaiting {
			continue
		}
		on := p.Start
		ready := true
		for _, k := range n.After {
			pred := &p.Nodes[index[k]]
			if !pred.Status.Closed() {
				ready = false
				break
			}
			if pred.FinishedOn != nil && pred.FinishedOn.After(on) {
				on = *pred.FinishedOn
			}
		}
		if !ready {
			continue
		}
		n.Status, n.ReadyOn = NodeReady, &on
		due := wd.Deadline(time.Date(on.Year(), on.Month(), on.Day(), 12, 0, 0, 0, Shanghai), n.Days)
		n.Clock = &Clock{Due: due, Warn: wd.WorkingDaysBefore(due, 1)}
		readied = append(readied, n.Key)
	}
	p.Status = PlanDone
	for _, n := range p.Nodes {
		if !n.Status.Closed() {
			p.Status = PlanActive
		}
	}
	return readied
}

// PlanLateYellow is how many working days late a plan's forecast may be and still be yellow;
// later is red.
const PlanLateYellow = 10

// Compute derives what a plan shows at now: each node's forecast and light, the forecast and
// baseline finish, the critical path and the plan's light. The forecast: a done or waived node
// finishes when it did; an open one starts when it became ready (a waiting one: today, or when
// its predecessors are forecast to finish, whichever is later) and finishes its limit in working
// days later — but never before today, since it is not done yet. The critical path is the chain
// of predecessors that sets the forecast finish. The light: green while the forecast finish is
// on or before the baseline finish, yellow up to PlanLateYellow working days late, red beyond.
func (p *Plan) Compute(wd WorkingDays, now time.Time) {
	today := Today(now)
	index := p.index()
	p.BaselineFinish, p.ForecastFinish = time.Time{}, time.Time{}
	for _, i := range p.order() {
		n := &p.Nodes[i]
		var predFinish time.Time
		for _, k := range n.After {
			if f := p.Nodes[index[k]].ForecastFinish; f.After(predFinish) {
				predFinish = f
			}
		}
		switch {
		case n.Status.Closed():
			finished := today
			if n.FinishedOn != nil {
				finished = *n.FinishedOn
			}
			n.ForecastStart = finished
			if n.StartedOn != nil {
				n.ForecastStart = *n.StartedOn
			} else if n.ReadyOn != nil {
				n.ForecastStart = *n.ReadyOn
			}
			n.ForecastFinish = finished
		case n.ReadyOn != nil:
			n.ForecastStart = *n.ReadyOn
			n.ForecastFinish = AddWorkingDays(wd, *n.ReadyOn, n.Days)
		default:
			start := today
			if predFinish.After(start) {
				start = predFinish
			}
			if p.Start.After(start) {
				start = p.Start
			}
			n.ForecastStart = start
			n.ForecastFinish = AddWorkingDays(wd, start, n.Days)
		}
		if !n.Status.Closed() && n.ForecastFinish.Before(today) {
			n.ForecastFinish = today
		}
		n.LightNow = LightNone
		if n.Status.clockRuns() && n.Clock != nil {
			n.LightNow = n.Clock.Light(now)
		}
		if n.PlannedFinish.After(p.BaselineFinish) {
			p.BaselineFinish = n.PlannedFinish
		}
		if n.ForecastFinish.After(p.ForecastFinish) {
			p.ForecastFinish = n.ForecastFinish
		}
	}
	p.CriticalPath = p.criticalPath()
	p.LateDays = 0
	for d := p.BaselineFinish; d.Before(p.ForecastFinish) && p.LateDays < 1000; p.LateDays++ {
		d = AddWorkingDays(wd, d, 1)
	}
	switch {
	case len(p.Nodes) == 0 || !p.ForecastFinish.After(p.BaselineFinish):
		p.LightNow = LightGreen
	case !p.ForecastFinish.After(AddWorkingDays(wd, p.BaselineFinish, PlanLateYellow)):
		p.LightNow = LightYellow
	default:
		p.LightNow = LightRed
	}
}

// criticalPath walks back from the node forecast to finish last (the first such in template
// order) through the predecessor forecast to finish last, and returns the keys start first.
func (p *Plan) criticalPath() []string {
	if len(p.Nodes) == 0 {
		return []string{}
	}
	index := p.index()
	last := -1
	for i, n := range p.Nodes {
		if last < 0 || n.ForecastFinish.After(p.Nodes[last].ForecastFinish) {
			last = i
		}
	}
	var path []string
	for i := last; i >= 0; {
		n := &p.Nodes[i]
		path = append(path, n.Key)
		next := -1
		for _, k := range n.After {
			j := index[k]
			if next < 0 || p.Nodes[j].ForecastFinish.After(p.Nodes[next].ForecastFinish) {
				next = j
			}
		}
		i = next
	}
	slices.Reverse(path)
	return path
}

// PlanMove names a node move of POST /projects/{id}/plan/nodes/{node_id}/actions/{move}.
type PlanMove string

// Node moves.
const (
	PlanMoveStart   PlanMove = "start"
	PlanMoveFinish  PlanMove = "finish"
	PlanMoveBlock   PlanMove = "block"
	PlanMoveUnblock PlanMove = "unblock"
	PlanMoveWaive   PlanMove = "waive"
)

// PlanAction is one node move and what it carries.
type PlanAction struct {
	Move PlanMove
	// Date is the finish date (finish; midnight UTC of the civil date).
	Date time.Time
	// Note is the finish or unblock note; Reason the block or waive reason.
	Note, Reason string
	// DepartmentID is the department a block's ticket goes to ("" for the node's own);
	// CategoryID its category ("" for one whose default department it is).
	DepartmentID, CategoryID string
}

// PlanEvent is one entry of a plan's timeline: a plan made, a node moved, a node made ready.
type PlanEvent struct {
	ID, PlanID, NodeID string
	NodeKey, NodeName  string
	Action             string // create, start, finish, block, unblock, waive, ready
	FromStatus         PlanNodeStatus
	ToStatus           PlanNodeStatus
	ActorID, ActorName string
	ActorRole          Role
	Body               string // the note or reason (internal)
	Data               map[string]any
	At                 time.Time
}

// Who may do what with a plan (DESIGN.md §5):
//   - read: the dispatchers, the project's steward and leader now, the officers of a department
//     responsible for one of its nodes, and the enterprise itself (without notes and reasons);
//   - make one: the project's steward, or a dispatcher;
//   - start a node: an officer of the node's department, or a dispatcher;
//   - finish, block, unblock a node: an officer of the node's department, the project's steward
//     (on the enterprise's behalf: the approval often reaches the enterprise first, and the
//     steward is who hears of a hold-up (卡点) on site), or a dispatcher;
//   - waive a node: a dispatcher only, with a reason.

// isPlanDispatcher says who may do everything with plans.
func isPlanDispatcher(a *Actor) bool {
	return a.IsSystem() || (a.LoggedIn() && !a.MustChangePassword && a.Role == RoleDispatcher)
}

func (p *Plan) isSteward(a *Actor) bool {
	return a.LoggedIn() && !a.MustChangePassword && a.Role == RoleSteward && p.StewardID != "" && a.UserID == p.StewardID
}

func (n *PlanNode) isOfficer(a *Actor) bool {
	return a.LoggedIn() && !a.MustChangePassword && a.Role == RoleOfficer && a.DepartmentID != "" && a.DepartmentID == n.DepartmentID
}

// CanMakePlan reports whether a may make a plan for a project whose steward now is stewardID.
func CanMakePlan(a *Actor, stewardID string) bool {
	return isPlanDispatcher(a) || (a.LoggedIn() && !a.MustChangePassword && a.Role == RoleSteward && stewardID != "" && a.UserID == stewardID)
}

// CanMoveNode reports whether a may make the move on node n of p.
func (p *Plan) CanMoveNode(a *Actor, n *PlanNode, m PlanMove) bool {
	switch {
	case isPlanDispatcher(a):
		return true
	case m == PlanMoveWaive:
		return false
	case n.isOfficer(a):
		return true
	case m == PlanMoveStart:
		return false
	}
	return p.isSteward(a)
}

// SeesPlanNotes reports whether a sees a plan's internal notes (finish notes, block and waive
// reasons, the blocking ticket): everyone who may read it but the enterprise.
func SeesPlanNotes(a *Actor) bool {
	return a.IsSystem() || (a.Role != RoleEnterprise && a.Role != RoleIntegration)
}

// Act makes one move on the node with nodeID, for a, on today's date (now): it checks who may,
// from which status, and what the move carries; recomputes readiness (successors whose
// predecessors are all closed become ready, their clocks start); and returns the events — the
// move's and one per node made ready.
func (p *Plan) Act(a *Actor, nodeID string, act PlanAction, wd WorkingDays, now time.Time) ([]PlanEvent, error) {
	n := p.Node(nodeID)
	if n == nil {
		return nil, Errorf(ENOTFOUND, "no such node in this plan")
	}
	if !p.CanMoveNode(a, n, act.Move) {
		return nil, Forbidden(a, fmt.Sprintf("%s this node", act.Move))
	}
	today := Today(now)
	from := n.Status
	ev := PlanEvent{PlanID: p.ID, NodeID: n.ID, NodeKey: n.Key, NodeName: n.Name, Action: string(act.Move), FromStatus: from,
		ActorID: a.UserID, ActorName: actorName(a), ActorRole: a.Role, At: now}
	refuse := func(allowed ...PlanNodeStatus) error {
		if oneOf(from, allowed) {
			return nil
		}
		return Errorf(ETRANSITION, "cannot %s a node that is %s", act.Move, from)
	}
	switch act.Move {
	case PlanMoveStart:
		if err := refuse(NodeReady); err != nil {
			return nil, err
		}
		n.Status, n.StartedOn = NodeInProgress, &today
	case PlanMoveFinish:
		if err := refuse(NodeReady, NodeInProgress); err != nil {
			return nil, err
		}
		var v Validation
		on := act.Date
		switch {
		case on.IsZero():
			v.Add("date", "is required: the date the approval was granted")
		case civil(on).After(today):
			v.Add("date", "cannot be in the future")
		case n.ReadyOn != nil && civil(on).Before(*n.ReadyOn):
			v.Add("date", "cannot be before the node became ready (%s)", n.ReadyOn.Format(time.DateOnly))
		}
		note := strings.TrimSpace(act.Note)
		v.Check(utf8.RuneCountInString(note) <= maxPlanTextLen, "note", "must be at most %d characters", maxPlanTextLen)
		if err := v.Err(); err != nil {
			return nil, err
		}
		on = civil(on)
		if n.StartedOn == nil || n.StartedOn.After(on) {
			n.StartedOn = &on
		}
		n.Status, n.FinishedOn, n.Note = NodeDone, &on, note
		ev.Body, ev.Data = note, map[string]any{"date": on.Format(time.DateOnly), "on_time": n.Clock == nil || !on.After(Today(n.Clock.Due))}
	case PlanMoveBlock:
		if err := refuse(NodeReady, NodeInProgress); err != nil {
			return nil, err
		}
		if err := required("reason", act.Reason, maxPlanTextLen); err != nil {
			return nil, err
		}
		n.Status, n.Reason = NodeBlocked, strings.TrimSpace(act.Reason)
		ev.Body = n.Reason
	case PlanMoveUnblock:
		if err := refuse(NodeBlocked); err != nil {
			return nil, err
		}
		note := strings.TrimSpace(act.Note)
		if utf8.RuneCountInString(note) > maxPlanTextLen {
			return nil, &Error{Code: EINVALID, Message: "some fields are invalid", Fields: []FieldError{{Field: "note", Message: "must be at most 1000 characters"}}}
		}
		n.Status = NodeReady
		if n.StartedOn != nil {
			n.Status = NodeInProgress
		}
		ev.Body = note
	case PlanMoveWaive:
		if err := refuse(NodeWaiting, NodeReady, NodeInProgress, NodeBlocked); err != nil {
			return nil, err
		}
		if err := required("reason", act.Reason, maxPlanTextLen); err != nil {
			return nil, err
		}
		n.Status, n.FinishedOn, n.Reason = NodeWaived, &today, strings.TrimSpace(act.Reason)
		ev.Body = n.Reason
	default:
		return nil, Errorf(ENOTFOUND, "no such move %q", act.Move)
	}
	ev.ToStatus = n.Status
	out := []PlanEvent{ev}
	for _, k := range p.settle(wd, today) {
		r := p.nodeByKey(k)
		out = append(out, PlanEvent{PlanID: p.ID, NodeID: r.ID, NodeKey: r.Key, NodeName: r.Name, Action: "ready",
			FromStatus: NodeWaiting, ToStatus: NodeReady, ActorID: a.UserID, ActorName: actorName(a), ActorRole: a.Role, At: now,
			Data: map[string]any{"ready_on": r.ReadyOn.Format(time.DateOnly), "due_at": r.Clock.Due.UTC().Format(time.RFC3339)}})
	}
	return out, nil
}

// nodeByKey is the node with the key, or nil.
func (p *Plan) nodeByKey(key string) *PlanNode {
	for i := range p.Nodes {
		if p.Nodes[i].Key == key {
			return &p.Nodes[i]
		}
	}
	return nil
}

// PlanNodeClockArgs fires an approval-plan node's reminder when its clock reaches a level
// (warn a working day before due, due, escalate two working days after). The worker re-reads the
// plan and does nothing once the node is done or waived, or its due time moved. Unique by all
// its fields.
type PlanNodeClockArgs struct {
	PlanID string    `json:"plan_id"`
	NodeID string    `json:"node_id"`
	Level  string    `json:"level"`
	Due    time.Time `json:"due"`
}

// Kind names the job.
func (PlanNodeClockArgs) Kind() string { return "plan_node_clock" }

// FollowUps are the plan_node_clock jobs of the nodes whose clock started or moved from prev to
// p: warn a working day before due, due, escalate EscalateAfter working days after.
func (p *Plan) FollowUps(prev *Plan, wd WorkingDays) []FollowUp {
	var out []FollowUp
	for i := range p.Nodes {
		n := &p.Nodes[i]
		if !n.Status.clockRuns() || n.Clock == nil {
			continue
		}
		if prev != nil {
			if b := prev.nodeByKey(n.Key); b != nil && b.Status.clockRuns() && b.Clock != nil && b.Clock.Due.Equal(n.Clock.Due) {
				continue
			}
		}
		for _, lvl := range []struct {
			name string
			at   time.Time
		}{{ClockWarn, n.Clock.Warn}, {ClockDue, n.Clock.Due}, {ClockEscalate, wd.WorkingDaysAfter(n.Clock.Due, EscalateAfter)}} {
			out = append(out, FollowUp{Args: PlanNodeClockArgs{PlanID: p.ID, NodeID: n.ID, Level: lvl.name, Due: n.Clock.Due.UTC()}, At: lvl.at})
		}
	}
	return out
}

// NodeNotice is the reminder of a plan_node_clock job, or nil when its reason is gone (the node
// is done or waived, or its due time moved). warn → the department's officers and head; due →
// also the project's steward and leader (督办); escalate → also the dispatchers (通报), urgent
// whatever the hour.
func (p *Plan) NodeNotice(args PlanNodeClockArgs) *Notice {
	n := p.Node(args.NodeID)
	if n == nil || !n.Status.clockRuns() || n.Clock == nil || !n.Clock.Due.Equal(args.Due) {
		return nil
	}
	to := []Audience{{AudienceOfficers, n.DepartmentID}, {AudienceDepartmentHead, n.DepartmentID}}
	kind, what := levelNotice(args.Level)
	switch args.Level {
	case ClockDue:
		to = append(to, Person(p.StewardID), Person(p.LeaderID))
	case ClockEscalate:
		to = append(to, Person(p.StewardID), Person(p.LeaderID), Audience{Kind: AudienceDispatchers})
	}
	return &Notice{
		Notification: Notification{Kind: kind, Link: "/projects/" + p.ProjectID + "/plan", Urgent: args.Level == ClockEscalate,
			Title: fmt.Sprintf("审批节点「%s」承诺时限%s", n.Name, what),
			Body:  fmt.Sprintf("%s：%s，承诺时限 %s。", p.ProjectName, n.Name, args.Due.In(Shanghai).Format("2006年1月2日 15:04"))},
		To: to, Key: fmt.Sprintf("plan-node:%s:%s:%d", n.ID, args.Level, args.Due.Unix()),
	}
}

// ReadyNotices tell each department whose node became ready from prev to p, at once, with its
// committed deadline.
func (p *Plan) ReadyNotices(prev *Plan) []Notice {
	var out []Notice
	for i := range p.Nodes {
		n := &p.Nodes[i]
		if n.Status != NodeReady || n.Clock == nil {
			continue
		}
		if prev != nil {
			if b := prev.nodeByKey(n.Key); b != nil && b.Status != NodeWaiting {
				continue
			}
		}
		out = append(out, Notice{
			Notification: Notification{Kind: NotifyTicketAssigned, Title: "审批节点可办理：" + p.ProjectName + " " + n.Name,
				Body: "请在" + n.Clock.Due.In(Shanghai).Format("1月2日15:04") + "前办结（承诺时限" + strconv.Itoa(n.Days) + "个工作日）。",
				Link: "/projects/" + p.ProjectID + "/plan"},
			To:  []Audience{{AudienceOfficers, n.DepartmentID}},
			Key: "plan-ready:" + n.ID + ":" + n.Clock.Due.UTC().Format(time.RFC3339),
		})
	}
	return out
}

// BlockerTicket is the ticket a block raises (卡点): for the project's enterprise, routed at
// once to the department that must clear it (no intake: it comes from inside government), its
// sign-for clock started. It returns the ticket's events (submit, assign), which storage
// records with it. signDays and resolveDays are the category's limits.
func (p *Plan) BlockerTicket(a *Actor, n *PlanNode, reason string, dept Department, categoryID string, signDays, resolveDays int, wd WorkingDays, now time.Time) (*Ticket, []TicketEvent) {
	t := &Ticket{EnterpriseID: p.EnterpriseID, EnterpriseName: p.EnterpriseName, ProjectID: p.ProjectID, CategoryID: categoryID,
		Source: SourceSteward, Priority: PriorityNormal, StewardID: p.StewardID, LeaderID: p.LeaderID,
		Title:       truncate("审批卡点："+n.Name, 100),
		Description: truncate(fmt.Sprintf("项目「%s」审批节点「%s」受阻：%s", p.ProjectName, n.Name, strings.TrimSpace(reason)), 5000)}
	submit := t.Submit(a, signDays, resolveDays, now)
	submit.Data = map[string]any{"plan_id": p.ID, "plan_node_id": n.ID}
	accepted := now
	t.AcceptedAt = &accepted
	t.ResolveClock = newClock(wd, now, t.ResolveDays)
	t.Status, t.DepartmentID, t.DepartmentName = TicketAssigned, dept.ID, dept.Name
	t.SignClock = newClock(wd, now, t.SignDays)
	assign := t.event(a, "assign", TicketSubmitted, "", true, now, map[string]any{"department_id": dept.ID, "plan_node_id": n.ID})
	return t, []TicketEvent{submit, assign}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// PlanNodeFilter narrows GET /plan-nodes.
type PlanNodeFilter struct {
	DepartmentID string
	Status       PlanNodeStatus
	Light        Light
}

// PlanNodeRow is a node as an inbox lists it, with its project and enterprise.
type PlanNodeRow struct {
	PlanNode
	PlanID         string
	ProjectID      string
	ProjectName    string
	EnterpriseID   string
	EnterpriseName string
}

// PlanTemplateService stores the templates (admin).
type PlanTemplateService interface {
	// PlanTemplates lists the templates, optionally of one project kind. Any staff role may read
	// them (to pick one for a plan); EFORBIDDEN for enterprise users, integrations, auditors.
	PlanTemplates(ctx context.Context, kind ProjectKind) ([]PlanTemplate, error)
	// PlanTemplate reads one; ENOTFOUND.
	PlanTemplate(ctx context.Context, id string) (*PlanTemplate, error)
	// CreatePlanTemplate validates and stores t (admin). EINVALID names the field (a department
	// that does not exist at nodes[i].department_id); EFORBIDDEN.
	CreatePlanTemplate(ctx context.Context, t *PlanTemplate) error
	// UpdatePlanTemplate applies the patch (admin) at the version the caller saw; EVERSION when
	// stale, EINVALID, ENOTFOUND, EFORBIDDEN.
	UpdatePlanTemplate(ctx context.Context, id string, version int, p PlanTemplatePatch) (*PlanTemplate, error)
}

// PlanService stores projects' plans and makes their moves. Every method acts for the actor in
// ctx: a project or plan outside what the actor may read is ENOTFOUND.
type PlanService interface {
	PlanTemplateService
	// CreatePlan makes the project's plan from a template and a start date (the project's
	// steward or a dispatcher); ECONFLICT when it has one already, EINVALID for a template that
	// does not exist or is for another kind of project (template_id), EFORBIDDEN.
	CreatePlan(ctx context.Context, projectID, templateID string, start time.Time) (*Plan, error)
	// ProjectPlan reads the project's plan, computed as of now; ENOTFOUND when there is none or
	// the actor may not read it.
	ProjectPlan(ctx context.Context, projectID string) (*Plan, error)
	// ActOnNode makes one node move at the version of the plan the caller saw, writing the
	// plan, its events, the audit record, the reminders and (block) the ticket in one
	// transaction. EVERSION when stale, ETRANSITION from the wrong status, EFORBIDDEN, EINVALID.
	ActOnNode(ctx context.Context, projectID, nodeID string, version int, act PlanAction) (*Plan, error)
	// PlanNodes lists the nodes departments owe: an officer only their department's, a
	// dispatcher any; open nodes (ready, in progress, blocked) first by due time unless a
	// status is asked for.
	PlanNodes(ctx context.Context, f PlanNodeFilter, p Page) (*List[PlanNodeRow], error)
	// PlanEvents lists a plan's timeline, oldest first (notes blanked for the enterprise).
	PlanEvents(ctx context.Context, projectID string) ([]PlanEvent, error)
}

// PlanReminders is the work behind the plan_node_clock job.
type PlanReminders interface {
	// NotifyAboutNode re-reads the plan of the node as the system does, holding off its moves
	// meanwhile, and sends what rule gives (nothing for nil); it returns how many it recorded.
	NotifyAboutNode(ctx context.Context, planID string, rule func(*Plan) *Notice) (int, error)
}

// movesFrom are the statuses each move is made from.
var movesFrom = map[PlanMove][]PlanNodeStatus{
	PlanMoveStart:   {NodeReady},
	PlanMoveFinish:  {NodeReady, NodeInProgress},
	PlanMoveBlock:   {NodeReady, NodeInProgress},
	PlanMoveUnblock: {NodeBlocked},
	PlanMoveWaive:   {NodeWaiting, NodeReady, NodeInProgress, NodeBlocked},
}

// PlanMoves lists every node move in display order.
var PlanMoves = []PlanMove{PlanMoveStart, PlanMoveFinish, PlanMoveBlock, PlanMoveUnblock, PlanMoveWaive}

// AllowedMoves are the moves a may make on n now: permitted to a, and from n's status.
func (p *Plan) AllowedMoves(a *Actor, n *PlanNode) []PlanMove {
	out := []PlanMove{}
	for _, m := range PlanMoves {
		if oneOf(n.Status, movesFrom[m]) && p.CanMoveNode(a, n, m) {
			out = append(out, m)
		}
	}
	return out
}
