package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"steward/domain"
)

// PlanService implements domain.PlanService and domain.PlanReminders: approval-plan templates,
// projects' plans and their node moves (migration 0017).
type PlanService struct {
	db       *DB
	calendar func(ctx context.Context) (domain.WorkingDays, error)
	notifier *Notifier
	// tickets records the ticket a block raises, with its events and reminders.
	tickets *TicketService
}

// NewPlanService returns a PlanService on db; a block raises its ticket through tickets.
func NewPlanService(db *DB, tickets *TicketService) *PlanService {
	return &PlanService{db: db, calendar: tickets.calendar, notifier: tickets.notifier, tickets: tickets}
}

var (
	_ domain.PlanService   = (*PlanService)(nil)
	_ domain.PlanReminders = (*PlanService)(nil)
)

// templateNodeJSON is a template node as an element of plan_templates.nodes.
type templateNodeJSON struct {
	Key          string   `json:"key"`
	Name         string   `json:"name"`
	DepartmentID string   `json:"department_id"`
	Days         int      `json:"days"`
	After        []string `json:"after"`
}

type planTemplateRow struct {
	bun.BaseModel `bun:"table:plan_templates,alias:pt"`
	meta
	Name        string             `bun:"name,notnull" json:"name"`
	ProjectKind string             `bun:"project_kind,notnull" json:"project_kind"`
	Nodes       []templateNodeJSON `bun:"nodes,type:jsonb,notnull" json:"nodes"`
}

func (r *planTemplateRow) set(t *domain.PlanTemplate) {
	r.Name, r.ProjectKind = t.Name, string(t.ProjectKind)
	r.Nodes = make([]templateNodeJSON, len(t.Nodes))
	for i, n := range t.Nodes {
		after := n.After
		if after == nil {
			after = []string{}
		}
		r.Nodes[i] = templateNodeJSON{Key: n.Key, Name: n.Name, DepartmentID: n.DepartmentID, Days: n.Days, After: after}
	}
}

func (r *planTemplateRow) toDomain(depts map[string]string) *domain.PlanTemplate {
	t := &domain.PlanTemplate{ID: r.ID, Name: r.Name, ProjectKind: domain.ProjectKind(r.ProjectKind), Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Nodes: make([]domain.PlanTemplateNode, len(r.Nodes))}
	for i, n := range r.Nodes {
		t.Nodes[i] = domain.PlanTemplateNode{Key: n.Key, Name: n.Name, DepartmentID: n.DepartmentID, DepartmentName: depts[n.DepartmentID],
			Days: n.Days, After: append([]string{}, n.After...)}
	}
	return t
}

// departmentNames maps every department's id to its name (a district has a few dozen).
func departmentNames(ctx context.Context, idb bun.IDB) (map[string]string, error) {
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if err := idb.NewSelect().Table("departments").Column("id", "name").Scan(ctx, &rows); err != nil {
		return nil, translate(err)
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Name
	}
	return m, nil
}

// checkTemplateDepartments reports every node whose department does not exist.
func checkTemplateDepartments(t *domain.PlanTemplate, depts map[string]string) error {
	var v domain.Validation
	for i, n := range t.Nodes {
		_, ok := depts[n.DepartmentID]
		v.Check(ok, fmt.Sprintf("nodes[%d].department_id", i), "no such department")
	}
	return v.Err()
}

func (s *PlanService) PlanTemplates(ctx context.Context, kind domain.ProjectKind) ([]domain.PlanTemplate, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResPlanTemplate) {
		return nil, domain.Forbidden(a, "read plan templates")
	}
	var rows []planTemplateRow
	q := s.db.Bun.NewSelect().Model(&rows).OrderExpr("pt.project_kind, pt.name, pt.id")
	if kind != "" {
		q = q.Where("pt.project_kind = ?", kind)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, translate(err)
	}
	depts, err := departmentNames(ctx, s.db.Bun)
	if err != nil {
		return nil, err
	}
	out := make([]domain.PlanTemplate, len(rows))
	for i := range rows {
		out[i] = *rows[i].toDomain(depts)
	}
	return out, nil
}

func (s *PlanService) PlanTemplate(ctx context.Context, id string) (*domain.PlanTemplate, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResPlanTemplate) {
		return nil, domain.Forbidden(a, "read plan templates")
	}
	var r planTemplateRow
	if err := get(ctx, s.db.Bun, &r, id, nil); err != nil {
		return nil, err
	}
	depts, err := departmentNames(ctx, s.db.Bun)
	if err != nil {
		return nil, err
	}
	return r.toDomain(depts), nil
}

func (s *PlanService) CreatePlanTemplate(ctx context.Context, t *domain.PlanTemplate) error {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResPlanTemplate) {
		return domain.Forbidden(a, "create plan templates")
	}
	if err := t.Validate(); err != nil {
		return err
	}
	depts, err := departmentNames(ctx, s.db.Bun)
	if err != nil {
		return err
	}
	if err := checkTemplateDepartments(t, depts); err != nil {
		return err
	}
	r := &planTemplateRow{meta: newMeta(s.db.Now())}
	r.set(t)
	if err := insert(ctx, s.db, r, "plan_template"); err != nil {
		return err
	}
	*t = *r.toDomain(depts)
	return nil
}

func (s *PlanService) UpdatePlanTemplate(ctx context.Context, id string, version int, p domain.PlanTemplatePatch) (*domain.PlanTemplate, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActUpdate, domain.ResPlanTemplate) {
		return nil, domain.Forbidden(a, "change plan templates")
	}
	depts, err := departmentNames(ctx, s.db.Bun)
	if err != nil {
		return nil, err
	}
	var r planTemplateRow
	err = update(ctx, s.db, &r, id, version, "plan_template", nil, func(bun.Tx) error {
		t := r.toDomain(depts)
		if err := t.Apply(p); err != nil {
			return err
		}
		if err := checkTemplateDepartments(t, depts); err != nil {
			return err
		}
		r.set(t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(depts), nil
}

type planRow struct {
	bun.BaseModel `bun:"table:plans,alias:pl"`
	meta
	ProjectID  string    `bun:"project_id,type:uuid,notnull" json:"project_id"`
	TemplateID string    `bun:"template_id,type:uuid,notnull" json:"template_id"`
	StartOn    time.Time `bun:"start_on,type:date,notnull" json:"start_on"`
	Status     string    `bun:"status,notnull" json:"status"`
	CreatedBy  *string   `bun:"created_by,type:uuid" json:"created_by"`
}

type planNodeRow struct {
	bun.BaseModel `bun:"table:plan_nodes,alias:n"`
	ID            string     `bun:"id,pk,type:uuid" json:"id"`
	PlanID        string     `bun:"plan_id,type:uuid,notnull" json:"plan_id"`
	Position      int        `bun:"position,notnull" json:"position"`
	Key           string     `bun:"key,notnull" json:"key"`
	Name          string     `bun:"name,notnull" json:"name"`
	DepartmentID  string     `bun:"department_id,type:uuid,notnull" json:"department_id"`
	Days          int        `bun:"days,notnull" json:"days"`
	After         []string   `bun:"after,array,notnull" json:"after"`
	PlannedStart  time.Time  `bun:"planned_start,type:date,notnull" json:"planned_start"`
	PlannedFinish time.Time  `bun:"planned_finish,type:date,notnull" json:"planned_finish"`
	Status        string     `bun:"status,notnull" json:"status"`
	ReadyOn       *time.Time `bun:"ready_on,type:date" json:"ready_on"`
	DueAt         *time.Time `bun:"due_at" json:"due_at"`
	WarnAt        *time.Time `bun:"warn_at" json:"warn_at"`
	StartedOn     *time.Time `bun:"started_on,type:date" json:"started_on"`
	FinishedOn    *time.Time `bun:"finished_on,type:date" json:"finished_on"`
	Note          string     `bun:"note,notnull" json:"note"`
	Reason        string     `bun:"reason,notnull" json:"reason"`
	TicketID      *string    `bun:"ticket_id,type:uuid" json:"ticket_id"`

	DepartmentName string `bun:"department_name,scanonly" json:"-"`
}

func (r *planNodeRow) toDomain() domain.PlanNode {
	n := domain.PlanNode{ID: r.ID, Key: r.Key, Name: r.Name, DepartmentID: r.DepartmentID, DepartmentName: r.DepartmentName,
		Days: r.Days, After: append([]string{}, r.After...), PlannedStart: utcDate(r.PlannedStart), PlannedFinish: utcDate(r.PlannedFinish),
		Status: domain.PlanNodeStatus(r.Status), ReadyOn: utcDatePtr(r.ReadyOn), StartedOn: utcDatePtr(r.StartedOn),
		FinishedOn: utcDatePtr(r.FinishedOn), Note: r.Note, Reason: r.Reason, TicketID: deref(r.TicketID)}
	if r.DueAt != nil {
		n.Clock = clockOf(r.DueAt, r.WarnAt)
	}
	return n
}

func (r *planNodeRow) set(n *domain.PlanNode) {
	r.Key, r.Name, r.DepartmentID, r.Days, r.After = n.Key, n.Name, n.DepartmentID, n.Days, append([]string{}, n.After...)
	r.PlannedStart, r.PlannedFinish, r.Status = n.PlannedStart, n.PlannedFinish, string(n.Status)
	r.ReadyOn, r.StartedOn, r.FinishedOn = n.ReadyOn, n.StartedOn, n.FinishedOn
	r.DueAt, r.WarnAt = nil, nil
	if n.Clock != nil {
		due, warn := n.Clock.Due.UTC(), n.Clock.Warn.UTC()
		r.DueAt, r.WarnAt = &due, &warn
	}
	r.Note, r.Reason, r.TicketID = n.Note, n.Reason, nullable(n.TicketID)
}

// utcDate is a date column as midnight UTC of its date (how domain keeps civil dates).
func utcDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func utcDatePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := utcDate(*t)
	return &d
}

type planEventRow struct {
	bun.BaseModel `bun:"table:plan_events,alias:pe"`
	ID            string         `bun:"id,pk,type:uuid"`
	PlanID        string         `bun:"plan_id,type:uuid,notnull"`
	NodeID        *string        `bun:"node_id,type:uuid"`
	Action        string         `bun:"action,notnull"`
	FromStatus    string         `bun:"from_status,notnull"`
	ToStatus      string         `bun:"to_status,notnull"`
	ActorID       *string        `bun:"actor_id,type:uuid"`
	ActorName     string         `bun:"actor_name,notnull"`
	ActorRole     string         `bun:"actor_role,notnull"`
	Body          string         `bun:"body,notnull"`
	Data          map[string]any `bun:"data,type:jsonb"`
	At            time.Time      `bun:"at,notnull"`

	NodeKey  string `bun:"node_key,scanonly"`
	NodeName string `bun:"node_name,scanonly"`
}

// planScopeSQL narrows a query on plans (alias pl) joined with their project (alias p) to the
// plans the actor may read (domain.PlanService): all for dispatchers, the portfolio of leaders
// and stewards, the enterprise's own, and an officer's when a node is their department's.
func planScope(a *domain.Actor) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if a.IsSystem() {
			return q
		}
		if !domain.Can(a, domain.ActRead, domain.ResPlan) {
			return noRows(q)
		}
		switch a.Role {
		case domain.RoleDispatcher:
			return q
		case domain.RoleLeader, domain.RoleSteward:
			return q.Where(assignedProjectsSQL, a.UserID, a.UserID, a.UserID, a.UserID)
		case domain.RoleEnterprise:
			return q.Where("p.enterprise_id = ?", a.EnterpriseID)
		case domain.RoleOfficer:
			return q.Where("EXISTS (SELECT 1 FROM plan_nodes sn WHERE sn.plan_id = pl.id AND sn.department_id = ?)", a.DepartmentID)
		}
		return noRows(q)
	}
}

// planHead is a plan row with what it shows of its project.
type planHead struct {
	bun.BaseModel `bun:"table:plans,alias:pl"`
	planRow
	ProjectName    string `bun:"project_name,scanonly" json:"-"`
	ProjectKind    string `bun:"project_kind,scanonly" json:"-"`
	EnterpriseID   string `bun:"enterprise_id,scanonly" json:"-"`
	EnterpriseName string `bun:"enterprise_name,scanonly" json:"-"`
	TemplateName   string `bun:"template_name,scanonly" json:"-"`
}

// steward and leader of a project now: its own assignment, else its enterprise's.
const projectAssignmentSQL = `SELECT a.steward_id, a.leader_id FROM assignments a
	WHERE a.to_date IS NULL AND ((a.subject_type = 'project' AND a.subject_id = ?) OR (a.subject_type = 'enterprise' AND a.subject_id = ?))
	ORDER BY a.subject_type = 'project' DESC LIMIT 1`

func projectAssignment(ctx context.Context, idb bun.IDB, projectID, enterpriseID string) (steward, leader string, err error) {
	var r struct {
		StewardID *string `bun:"steward_id"`
		LeaderID  *string `bun:"leader_id"`
	}
	if err := idb.NewRaw(projectAssignmentSQL, projectID, enterpriseID).Scan(ctx, &r); err != nil {
		if err := translate(err); domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", "", nil
		}
		return "", "", translate(err)
	}
	return deref(r.StewardID), deref(r.LeaderID), nil
}

// loadPlan reads the plan of a project within the actor's scope, with its nodes; forUpdate
// locks the plan row (every move goes through it).
func (s *PlanService) loadPlan(ctx context.Context, idb bun.IDB, a *domain.Actor, where string, arg string, forUpdate bool) (*domain.Plan, *planHead, error) {
	if uuid.Validate(arg) != nil {
		return nil, nil, errNotFound
	}
	var h planHead
	q := idb.NewSelect().Model(&h).ColumnExpr("pl.*").
		ColumnExpr("p.name AS project_name, p.kind AS project_kind, p.enterprise_id, e.name AS enterprise_name, pt.name AS template_name").
		Join("JOIN projects p ON p.id = pl.project_id").Join("JOIN enterprises e ON e.id = p.enterprise_id").
		Join("JOIN plan_templates pt ON pt.id = pl.template_id").Where(where, arg)
	q = planScope(a)(q)
	if forUpdate {
		q = q.For("UPDATE OF pl")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, nil, translate(err)
	}
	var nodes []planNodeRow
	if err := idb.NewSelect().Model(&nodes).ColumnExpr("n.*, d.name AS department_name").Join("JOIN departments d ON d.id = n.department_id").
		Where("n.plan_id = ?", h.ID).OrderExpr("n.position").Scan(ctx); err != nil {
		return nil, nil, translate(err)
	}
	p := &domain.Plan{ID: h.ID, ProjectID: h.ProjectID, ProjectName: h.ProjectName, EnterpriseID: h.EnterpriseID,
		EnterpriseName: h.EnterpriseName, TemplateID: h.TemplateID, TemplateName: h.TemplateName, Start: utcDate(h.StartOn),
		Status: domain.PlanStatus(h.Status), CreatedBy: deref(h.CreatedBy), Version: h.Version, CreatedAt: h.CreatedAt, UpdatedAt: h.UpdatedAt}
	for i := range nodes {
		p.Nodes = append(p.Nodes, nodes[i].toDomain())
	}
	var err error
	if p.StewardID, p.LeaderID, err = projectAssignment(ctx, idb, h.ProjectID, h.EnterpriseID); err != nil {
		return nil, nil, err
	}
	return p, &h, nil
}

// maxPlanStartYears bounds how far a plan's start may lie from today: beyond is a typing error.
const maxPlanStartYears = 3

func (s *PlanService) CreatePlan(ctx context.Context, projectID, templateID string, start time.Time) (*domain.Plan, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResPlan) {
		return nil, domain.Forbidden(a, "make approval plans")
	}
	if uuid.Validate(projectID) != nil {
		return nil, errNotFound
	}
	wd, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	today := domain.Today(now)
	var v domain.Validation
	switch {
	case start.IsZero():
		v.Add("start", "is required")
	case start.Before(today.AddDate(-maxPlanStartYears, 0, 0)) || start.After(today.AddDate(maxPlanStartYears, 0, 0)):
		v.Add("start", "must be within %d years of today", maxPlanStartYears)
	}
	if uuid.Validate(templateID) != nil {
		v.Add("template_id", "no such plan template")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var planID string
	err = s.db.InTx(ctx, func(tx bun.Tx) error {
		var pr projectRow
		if err := get(ctx, tx, &pr, projectID, projectScope(a)); err != nil {
			return err
		}
		steward, leader, err := projectAssignment(ctx, tx, pr.ID, pr.EnterpriseID)
		if err != nil {
			return err
		}
		if !domain.CanMakePlan(a, steward) {
			return domain.Forbidden(a, "make a plan for this project: its steward or a dispatcher does")
		}
		if n, err := tx.NewSelect().Table("plans").Where("project_id = ?", projectID).Count(ctx); err != nil {
			return translate(err)
		} else if n > 0 {
			return domain.Errorf(domain.ECONFLICT, "this project has an approval plan already")
		}
		var tr planTemplateRow
		if err := get(ctx, tx, &tr, templateID, nil); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
					Fields: []domain.FieldError{{Field: "template_id", Message: "no such plan template"}}}
			}
			return err
		}
		depts, err := departmentNames(ctx, tx)
		if err != nil {
			return err
		}
		tpl := tr.toDomain(depts)
		p := domain.NewPlan(tpl, projectID, start, wd)
		p.ProjectName, p.EnterpriseID, p.StewardID, p.LeaderID = pr.Name, pr.EnterpriseID, steward, leader
		m := newMeta(now)
		p.ID, planID = m.ID, m.ID
		for i := range p.Nodes {
			p.Nodes[i].ID = uuid.Must(uuid.NewV7()).String()
		}
		row := &planRow{meta: m, ProjectID: projectID, TemplateID: tpl.ID, StartOn: p.Start, Status: string(p.Status), CreatedBy: nullable(a.UserID)}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return translate(err)
		}
		nodes := make([]planNodeRow, len(p.Nodes))
		for i := range p.Nodes {
			nodes[i] = planNodeRow{ID: p.Nodes[i].ID, PlanID: p.ID, Position: i}
			nodes[i].set(&p.Nodes[i])
		}
		if _, err := tx.NewInsert().Model(&nodes).Exec(ctx); err != nil {
			return translate(err)
		}
		events := []domain.PlanEvent{{PlanID: p.ID, Action: "create", ActorID: a.UserID, ActorName: displayName(a), ActorRole: a.Role, At: now,
			Body: tpl.Name, Data: map[string]any{"template_id": tpl.ID, "start": p.Start.Format(time.DateOnly)}}}
		for i := range p.Nodes {
			if n := &p.Nodes[i]; n.Status == domain.NodeReady {
				events = append(events, domain.PlanEvent{PlanID: p.ID, NodeID: n.ID, Action: "ready", FromStatus: domain.NodeWaiting,
					ToStatus: domain.NodeReady, ActorID: a.UserID, ActorName: displayName(a), ActorRole: a.Role, At: now,
					Data: map[string]any{"ready_on": n.ReadyOn.Format(time.DateOnly), "due_at": n.Clock.Due.UTC().Format(time.RFC3339)}})
			}
		}
		if err := s.afterMove(ctx, tx, nil, p, events, wd); err != nil {
			return err
		}
		return s.db.audit(ctx, tx, "create", "plan", p.ID, nil, map[string]any{"plan": row, "nodes": nodes})
	})
	if err != nil {
		return nil, err
	}
	return s.planView(ctx, a, "pl.id = ?", planID)
}

// afterMove writes what follows a change of plan p from prev (nil for a new plan): its events,
// the reminders of the clocks that started or moved, and the notices of nodes made ready.
func (s *PlanService) afterMove(ctx context.Context, tx bun.Tx, prev, p *domain.Plan, events []domain.PlanEvent, wd domain.WorkingDays) error {
	for i := range events {
		ev := &events[i]
		ev.ID = uuid.Must(uuid.NewV7()).String()
		if _, err := tx.NewInsert().Model(&planEventRow{ID: ev.ID, PlanID: p.ID, NodeID: nullable(ev.NodeID), Action: ev.Action,
			FromStatus: string(ev.FromStatus), ToStatus: string(ev.ToStatus), ActorID: nullable(ev.ActorID), ActorName: ev.ActorName,
			ActorRole: string(ev.ActorRole), Body: ev.Body, Data: ev.Data, At: ev.At}).Exec(ctx); err != nil {
			return translate(err)
		}
	}
	for _, f := range p.FollowUps(prev, wd) {
		if err := s.db.enqueue(ctx, tx, f.Args.(river.JobArgs), &river.InsertOpts{ScheduledAt: f.At, MaxAttempts: 5,
			UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
			return err
		}
	}
	for _, n := range p.ReadyNotices(prev) {
		if _, err := s.notifier.Send(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// planView reads a plan as the actor may see it, computed as of now.
func (s *PlanService) planView(ctx context.Context, a *domain.Actor, where, arg string) (*domain.Plan, error) {
	wd, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	p, _, err := s.loadPlan(ctx, s.db.Bun, a, where, arg, false)
	if err != nil {
		return nil, err
	}
	p.Compute(wd, s.db.Now())
	return p, nil
}

func (s *PlanService) ProjectPlan(ctx context.Context, projectID string) (*domain.Plan, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResPlan) {
		return nil, domain.Forbidden(a, "read approval plans")
	}
	return s.planView(ctx, a, "pl.project_id = ?", projectID)
}

func (s *PlanService) ActOnNode(ctx context.Context, projectID, nodeID string, version int, act domain.PlanAction) (*domain.Plan, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResPlan) {
		return nil, domain.Forbidden(a, "work on approval plans")
	}
	if uuid.Validate(nodeID) != nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "no such node in this plan")
	}
	wd, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	var planID string
	err = s.db.InTx(ctx, func(tx bun.Tx) error {
		p, head, err := s.loadPlan(ctx, tx, a, "pl.project_id = ?", projectID, true)
		if err != nil {
			return err
		}
		planID = p.ID
		if p.Node(nodeID) == nil {
			return domain.Errorf(domain.ENOTFOUND, "no such node in this plan")
		}
		if !p.CanMoveNode(a, p.Node(nodeID), act.Move) {
			return domain.Forbidden(a, string(act.Move)+" this node")
		}
		if p.Version != version {
			return domain.Errorf(domain.EVERSION, "the plan was changed by someone else (now version %d, yours %d); reload it and try again", p.Version, version)
		}
		before := s.rows(p)
		beforeJSON, err := json.Marshal(before)
		if err != nil {
			return err
		}
		prev := clonePlan(p)
		events, err := p.Act(a, nodeID, act, wd, now)
		if err != nil {
			return err
		}
		if act.Move == domain.PlanMoveBlock {
			id, err := s.raiseBlocker(ctx, tx, a, p, p.Node(nodeID), act, wd, now)
			if err != nil {
				return err
			}
			p.Node(nodeID).TicketID = id
			events[0].Data = map[string]any{"ticket_id": id}
		}
		after := s.rows(p)
		for i := range after {
			b, _ := json.Marshal(before[i])
			c, _ := json.Marshal(after[i])
			if bytes.Equal(b, c) {
				continue
			}
			if _, err := tx.NewUpdate().Model(&after[i]).WherePK().Exec(ctx); err != nil {
				return translate(err)
			}
		}
		head.Version++
		head.UpdatedAt, head.Status = now, string(p.Status)
		if _, err := tx.NewUpdate().Model(&head.planRow).Column("version", "updated_at", "status").WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		if err := s.afterMove(ctx, tx, prev, p, events, wd); err != nil {
			return err
		}
		return s.db.audit(ctx, tx, "plan."+string(act.Move), "plan", p.ID, json.RawMessage(beforeJSON),
			map[string]any{"version": head.Version, "node_id": nodeID, "nodes": after, "note": events[0].Body})
	})
	if err != nil {
		return nil, err
	}
	// The answer is the state the actor just made.
	return s.planView(ctx, domain.System, "pl.id = ?", planID)
}

// rows are p's nodes as rows.
func (s *PlanService) rows(p *domain.Plan) []planNodeRow {
	out := make([]planNodeRow, len(p.Nodes))
	for i := range p.Nodes {
		out[i] = planNodeRow{ID: p.Nodes[i].ID, PlanID: p.ID, Position: i}
		out[i].set(&p.Nodes[i])
	}
	return out
}

// clonePlan copies p deeply enough for FollowUps and ReadyNotices to compare before and after.
func clonePlan(p *domain.Plan) *domain.Plan {
	c := *p
	c.Nodes = append([]domain.PlanNode{}, p.Nodes...)
	for i := range c.Nodes {
		if n := p.Nodes[i].Clock; n != nil {
			cl := *n
			c.Nodes[i].Clock = &cl
		}
	}
	return &c
}

// raiseBlocker records the ticket of a block (卡点) in tx: routed at once to the department named
// (the node's own by default), under the category given or the first one that department takes
// by default, linked to the node both ways. It returns the ticket's id.
func (s *PlanService) raiseBlocker(ctx context.Context, tx bun.Tx, a *domain.Actor, p *domain.Plan, n *domain.PlanNode, act domain.PlanAction, wd domain.WorkingDays, now time.Time) (string, error) {
	deptID := act.DepartmentID
	if deptID == "" {
		deptID = n.DepartmentID
	}
	dept, err := s.tickets.department(ctx, tx, deptID, "department_id")
	if err != nil {
		return "", err
	}
	var cat categoryLimits
	var catID string
	q := tx.NewSelect().Table("categories").Column("id", "name", "sign_days", "resolve_days", "active").Where("active")
	if act.CategoryID != "" {
		if uuid.Validate(act.CategoryID) != nil {
			return "", fieldInvalid("category_id", "no such category")
		}
		q = q.Where("id = ?", act.CategoryID)
	} else {
		// The department's own category, else 审批许可 (a hold-up of an approval mostly is one),
		// else any.
		q = q.OrderExpr("default_department_id IS NOT DISTINCT FROM ? DESC, name = '审批许可' DESC, resolve_days DESC, name", dept.ID).Limit(1)
	}
	var found struct {
		ID string `bun:"id"`
		categoryLimits
	}
	if err := q.Scan(ctx, &found); err != nil {
		if err := translate(err); domain.ErrorCode(err) != domain.ENOTFOUND {
			return "", err
		}
		if act.CategoryID != "" {
			return "", fieldInvalid("category_id", "no such category")
		}
		return "", fieldInvalid("category_id", "no category takes tickets; an administrator must add one")
	}
	cat, catID = found.categoryLimits, found.ID
	t, evs := p.BlockerTicket(a, n, act.Reason, dept, catID, cat.SignDays, cat.ResolveDays, wd, now)
	number, err := nextNumber(ctx, tx, now)
	if err != nil {
		return "", err
	}
	t.ID, t.Number, t.CategoryName = uuid.Must(uuid.NewV7()).String(), number, cat.Name
	r := &ticketRow{meta: meta{ID: t.ID, Version: 1, CreatedAt: now, UpdatedAt: now}, Number: number,
		EnterpriseID: t.EnterpriseID, ProjectID: nullable(t.ProjectID), Source: string(t.Source), CategoryID: t.CategoryID,
		Title: t.Title, Description: t.Description, Priority: string(t.Priority), StewardID: nullable(t.StewardID),
		LeaderID: nullable(t.LeaderID), SignDays: t.SignDays, ResolveDays: t.ResolveDays, CreatedBy: nullable(a.UserID),
		PlanNodeID: nullable(n.ID)}
	r.set(t)
	if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
		return "", translate(err)
	}
	for i := range evs {
		evs[i].TicketID = t.ID
		if err := s.tickets.recordEvent(ctx, tx, &evs[i]); err != nil {
			return "", err
		}
	}
	for _, f := range t.FollowUps(&domain.Ticket{}, wd, now) {
		if err := s.db.enqueue(ctx, tx, f.Args.(river.JobArgs), &river.InsertOpts{ScheduledAt: f.At, MaxAttempts: 5,
			UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
			return "", err
		}
	}
	for _, notice := range t.MoveNotices(&domain.Ticket{}) {
		if _, err := s.notifier.Send(ctx, tx, notice); err != nil {
			return "", err
		}
	}
	if err := s.db.audit(ctx, tx, "create", "ticket", t.ID, nil, r); err != nil {
		return "", err
	}
	return t.ID, nil
}

func fieldInvalid(field, message string) error {
	return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid", Fields: []domain.FieldError{{Field: field, Message: message}}}
}

// planNodeListRow is a node with its plan's project and enterprise.
type planNodeListRow struct {
	bun.BaseModel `bun:"table:plan_nodes,alias:n"`
	planNodeRow
	ProjectID      string `bun:"project_id,scanonly"`
	ProjectName    string `bun:"project_name,scanonly"`
	EnterpriseID   string `bun:"enterprise_id,scanonly"`
	EnterpriseName string `bun:"enterprise_name,scanonly"`
}

// nodesByDue lists the nearest due time first (nodes without a clock last).
var nodesByDue = keyset[planNodeListRow]{
	columns: []string{"coalesce(n.due_at, 'infinity'::timestamptz)"},
	key: func(r *planNodeListRow) []string {
		if r.DueAt == nil {
			return []string{"infinity"}
		}
		return []string{r.DueAt.UTC().Format(time.RFC3339Nano)}
	},
	id: func(r *planNodeListRow) string { return r.ID },
}

var openNodeStatuses = []string{string(domain.NodeReady), string(domain.NodeInProgress), string(domain.NodeBlocked)}

func (s *PlanService) PlanNodes(ctx context.Context, f domain.PlanNodeFilter, page domain.Page) (*domain.List[domain.PlanNodeRow], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResPlan) || a.Role == domain.RoleEnterprise {
		return nil, domain.Forbidden(a, "list the nodes departments owe")
	}
	if a.Role == domain.RoleOfficer && f.DepartmentID != "" && f.DepartmentID != a.DepartmentID {
		return nil, domain.Forbidden(a, "list another department's nodes")
	}
	if f.DepartmentID != "" && uuid.Validate(f.DepartmentID) != nil {
		return nil, fieldInvalid("department_id", "no such department")
	}
	now := s.db.Now()
	q := s.db.Bun.NewSelect().Model((*planNodeListRow)(nil)).ColumnExpr("n.*, d.name AS department_name").
		ColumnExpr("p.id AS project_id, p.name AS project_name, p.enterprise_id, e.name AS enterprise_name").
		Join("JOIN departments d ON d.id = n.department_id").Join("JOIN plans pl ON pl.id = n.plan_id").
		Join("JOIN projects p ON p.id = pl.project_id").Join("JOIN enterprises e ON e.id = p.enterprise_id")
	switch a.Role {
	case domain.RoleOfficer:
		q = q.Where("n.department_id = ?", a.DepartmentID)
	default:
		q = planScope(a)(q)
	}
	if f.DepartmentID != "" {
		q = q.Where("n.department_id = ?", f.DepartmentID)
	}
	if f.Status != "" {
		q = q.Where("n.status = ?", f.Status)
	} else {
		q = q.Where("n.status IN (?)", bun.In(openNodeStatuses))
	}
	running := "n.status IN ('ready', 'in_progress', 'blocked')"
	switch f.Light {
	case domain.LightRed:
		q = q.Where(running+" AND n.due_at < ?", now)
	case domain.LightYellow:
		q = q.Where(running+" AND n.warn_at <= ? AND n.due_at >= ?", now, now)
	case domain.LightGreen:
		q = q.Where(running+" AND n.warn_at > ?", now)
	case domain.LightNone:
		q = q.Where("NOT (" + running + ")")
	}
	rows, next, total, err := nodesByDue.page(ctx, q, page)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, func(r *planNodeListRow) *domain.PlanNodeRow {
		n := r.planNodeRow.toDomain()
		n.LightNow = domain.LightNone
		if domain.PlanNodeStatus(r.Status) != domain.NodeWaiting && !domain.PlanNodeStatus(r.Status).Closed() && n.Clock != nil {
			n.LightNow = n.Clock.Light(now)
		}
		return &domain.PlanNodeRow{PlanNode: n, PlanID: r.PlanID, ProjectID: r.ProjectID, ProjectName: r.ProjectName,
			EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName}
	}), nil
}

func (s *PlanService) PlanEvents(ctx context.Context, projectID string) ([]domain.PlanEvent, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResPlan) {
		return nil, domain.Forbidden(a, "read approval plans")
	}
	p, _, err := s.loadPlan(ctx, s.db.Bun, a, "pl.project_id = ?", projectID, false)
	if err != nil {
		return nil, err
	}
	var rows []planEventRow
	if err := s.db.Bun.NewSelect().Model(&rows).ColumnExpr("pe.*, coalesce(n.key, '') AS node_key, coalesce(n.name, '') AS node_name").
		Join("LEFT JOIN plan_nodes n ON n.id = pe.node_id").Where("pe.plan_id = ?", p.ID).OrderExpr("pe.at, pe.id").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	notes := domain.SeesPlanNotes(a)
	out := make([]domain.PlanEvent, len(rows))
	for i, r := range rows {
		out[i] = domain.PlanEvent{ID: r.ID, PlanID: r.PlanID, NodeID: deref(r.NodeID), NodeKey: r.NodeKey, NodeName: r.NodeName,
			Action: r.Action, FromStatus: domain.PlanNodeStatus(r.FromStatus), ToStatus: domain.PlanNodeStatus(r.ToStatus),
			ActorID: deref(r.ActorID), ActorName: r.ActorName, ActorRole: domain.Role(r.ActorRole), Body: r.Body, Data: r.Data, At: r.At}
		if !notes {
			out[i].Body, out[i].Data, out[i].ActorID = "", nil, ""
			out[i].ActorName = publicActorName(out[i].ActorRole)
		}
	}
	return out, nil
}

func (s *PlanService) NotifyAboutNode(ctx context.Context, planID string, rule func(*domain.Plan) *domain.Notice) (int, error) {
	ctx = system(ctx)
	var k int
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		k = 0
		// FOR UPDATE of the plan row: no move can close the node or shift its clock meanwhile.
		p, _, err := s.loadPlan(ctx, tx, domain.System, "pl.id = ?", planID, true)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return nil
			}
			return err
		}
		n := rule(p)
		if n == nil {
			return nil
		}
		k, err = s.notifier.Send(ctx, tx, *n)
		return err
	})
	if err != nil {
		return 0, err
	}
	return k, nil
}
