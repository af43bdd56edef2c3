package postgres

import (
	"context"
	"time"

	"steward/domain"
)

// TimelineService implements domain.TimelineService.
type TimelineService struct{ db *DB }

// NewTimelineService returns a TimelineService on db.
func NewTimelineService(db *DB) *TimelineService { return &TimelineService{db: db} }

var _ domain.TimelineService = (*TimelineService)(nil)

type timelineRow struct {
	ID          string    `bun:"id"`
	Kind        string    `bun:"kind"`
	At          time.Time `bun:"at"`
	Date        time.Time `bun:"date"`
	SubjectType string    `bun:"subject_type"`
	SubjectID   string    `bun:"subject_id"`
	SubjectName string    `bun:"subject_name"`
	ActorName   string    `bun:"actor_name"`
	FromStage   string    `bun:"from_stage"`
	ToStage     string    `bun:"to_stage"`
	Note        string    `bun:"note"`
	Reason      string    `bun:"reason"`
	LeaderName  string    `bun:"leader_name"`
	StewardName string    `bun:"steward_name"`
	VisitKind   string    `bun:"visit_kind"`
	Number      string    `bun:"ticket_number"`
	Status      string    `bun:"ticket_status"`
	Department  string    `bun:"department_id"`
	NodeName    string    `bun:"node_name"`
	PlanAction  string    `bun:"plan_action"`
	NodeStatus  string    `bun:"node_status"`
}

// withPlansSQL is timelineSQL (its seven ?s) and the approval-plan events of the enterprise's
// projects (one more ?), with the columns of a plan entry.
const withPlansSQL = `SELECT b.*, '' AS node_name, '' AS plan_action, '' AS node_status FROM (` + timelineSQL + `) b
UNION ALL
SELECT pe.id::text, 'plan_node', pe.at, (pe.at AT TIME ZONE 'Asia/Shanghai')::date, 'project', p.id::text, p.name,
	pe.actor_name, '', '', pe.body, pe.actor_role, '', '', '', '', '', coalesce(n.department_id::text, ''),
	coalesce(n.name, ''), pe.action, pe.to_status
FROM plan_events pe JOIN plans pl ON pl.id = pe.plan_id JOIN projects p ON p.id = pl.project_id
	LEFT JOIN plan_nodes n ON n.id = pe.node_id
WHERE p.enterprise_id = ?`

// timelineSQL unions every kind of entry of one enterprise (the ?s: the enterprise id, seven
// times). Each entry has a unique id (its row's id, with a suffix where a row gives two entries).
const timelineSQL = `
SELECT sm.id::text AS id, 'stage_move' AS kind, sm.at, sm.on_date AS date, 'project' AS subject_type,
	p.id::text AS subject_id, p.name AS subject_name, sm.by_name AS actor_name, sm.from_stage, sm.to_stage,
	sm.note, sm.reason, '' AS leader_name, '' AS steward_name, '' AS visit_kind, '' AS ticket_number, '' AS ticket_status, '' AS department_id
FROM project_stage_moves sm JOIN projects p ON p.id = sm.project_id WHERE p.enterprise_id = ?
UNION ALL
SELECT a.id::text || ':start', 'assignment_start', a.created_at, a.from_date, a.subject_type,
	a.subject_id::text, coalesce(p.name, e.name), coalesce(cu.display_name, ''), '', '', '', a.reason,
	lu.display_name, su.display_name, '', '', '', ''
FROM assignments a
	LEFT JOIN projects p ON a.subject_type = 'project' AND p.id = a.subject_id
	LEFT JOIN enterprises e ON a.subject_type = 'enterprise' AND e.id = a.subject_id
	LEFT JOIN users cu ON cu.id = a.created_by
	JOIN users lu ON lu.id = a.leader_id JOIN users su ON su.id = a.steward_id
WHERE (a.subject_type = 'enterprise' AND a.subject_id = ?) OR (a.subject_type = 'project' AND p.enterprise_id = ?)
UNION ALL
SELECT a.id::text || ':end', 'assignment_end', (a.to_date::timestamp AT TIME ZONE 'Asia/Shanghai'), a.to_date, a.subject_type,
	a.subject_id::text, coalesce(p.name, e.name), '', '', '', '', '', lu.display_name, su.display_name, '', '', '', ''
FROM assignments a
	LEFT JOIN projects p ON a.subject_type = 'project' AND p.id = a.subject_id
	LEFT JOIN enterprises e ON a.subject_type = 'enterprise' AND e.id = a.subject_id
	JOIN users lu ON lu.id = a.leader_id JOIN users su ON su.id = a.steward_id
WHERE a.to_date IS NOT NULL AND ((a.subject_type = 'enterprise' AND a.subject_id = ?) OR (a.subject_type = 'project' AND p.enterprise_id = ?))
UNION ALL
SELECT v.id::text, 'visit', v.created_at, (v.visited_at AT TIME ZONE 'Asia/Shanghai')::date,
	CASE WHEN v.project_id IS NULL THEN 'enterprise' ELSE 'project' END, coalesce(v.project_id, v.enterprise_id)::text,
	coalesce(p.name, e.name), u.display_name, '', '', v.summary, '', '', u.display_name, v.kind, '', '', ''
FROM visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN users u ON u.id = v.steward_id
	LEFT JOIN projects p ON p.id = v.project_id
WHERE v.enterprise_id = ?
UNION ALL
SELECT t.id::text, 'ticket', t.created_at, (t.created_at AT TIME ZONE 'Asia/Shanghai')::date,
	CASE WHEN t.project_id IS NULL THEN 'enterprise' ELSE 'project' END, coalesce(t.project_id, t.enterprise_id)::text,
	coalesce(p.name, e.name), '', '', '', t.title, '', '', '', '', t.number, t.status, coalesce(t.department_id::text, '')
FROM tickets t JOIN enterprises e ON e.id = t.enterprise_id LEFT JOIN projects p ON p.id = t.project_id
WHERE t.enterprise_id = ?`

func (s *TimelineService) EnterpriseTimeline(ctx context.Context, enterpriseID string, p domain.Page) (*domain.List[domain.TimelineEntry], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResEnterprise) {
		return nil, domain.Forbidden(a, "read enterprises")
	}
	if a.Role == domain.RoleIntegration {
		return nil, domain.Forbidden(a, "read enterprise timelines")
	}
	if err := get(ctx, s.db.Bun, &enterpriseRow{}, enterpriseID, enterpriseScope(a)); err != nil {
		return nil, err
	}
	return s.timeline(ctx, a, enterpriseID, "", p)
}

func (s *TimelineService) ProjectTimeline(ctx context.Context, projectID string, p domain.Page) (*domain.List[domain.TimelineEntry], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResProject) {
		return nil, domain.Forbidden(a, "read projects")
	}
	var pr projectRow
	if err := get(ctx, s.db.Bun, &pr, projectID, projectScope(a)); err != nil {
		return nil, err
	}
	return s.timeline(ctx, a, pr.EnterpriseID, pr.ID, p)
}

// timeline is the enterprise's entries as the actor may see them, only those of the project
// when projectID is set.
func (s *TimelineService) timeline(ctx context.Context, a *domain.Actor, enterpriseID, projectID string, p domain.Page) (*domain.List[domain.TimelineEntry], error) {
	p = p.Normalize()
	id := enterpriseID
	q := s.db.Bun.NewSelect().TableExpr("("+withPlansSQL+") AS tl", id, id, id, id, id, id, id, id).
		ColumnExpr("tl.*")
	if projectID != "" {
		q = q.Where("tl.subject_type = 'project' AND tl.subject_id = ?", projectID)
	}
	switch a.Role {
	case domain.RoleEnterprise:
		// The enterprise's own file shows its requests and its projects' progress, not the
		// bureau's visit notes or who answers for it.
		q = q.Where("tl.kind IN ('ticket', 'stage_move', 'plan_node')")
	case domain.RoleOfficer:
		// A department sees the tickets it works on and the plan nodes it answers for, nothing
		// else of the enterprise.
		q = q.Where("tl.kind IN ('ticket', 'plan_node') AND tl.department_id = ?", a.DepartmentID)
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, 2, func(string) bool { return true })
		if err != nil {
			return nil, err
		}
		at, err := time.Parse(time.RFC3339Nano, c[0])
		if err != nil {
			return nil, errBadCursor
		}
		q = q.Where("(tl.at, tl.id) < (?, ?)", at, c[1])
	}
	var rows []timelineRow
	if err := q.OrderExpr("tl.at DESC, tl.id DESC").Limit(int64(p.Limit+1)).Scan(ctx, &rows); err != nil {
		return nil, translate(err)
	}
	next := ""
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
		last := rows[len(rows)-1]
		next = encodeCursor(cursor{last.At.UTC().Format(time.RFC3339Nano), last.ID})
	}
	items := make([]domain.TimelineEntry, len(rows))
	for i, r := range rows {
		items[i] = domain.TimelineEntry{ID: r.ID, Kind: domain.TimelineKind(r.Kind), At: r.At, Date: r.Date,
			SubjectType: domain.SubjectType(r.SubjectType), SubjectID: r.SubjectID, SubjectName: r.SubjectName,
			ActorName: r.ActorName, FromStage: domain.Stage(r.FromStage), ToStage: domain.Stage(r.ToStage),
			Note: r.Note, Reason: r.Reason, LeaderName: r.LeaderName, StewardName: r.StewardName,
			VisitKind: domain.VisitKind(r.VisitKind), TicketNumber: r.Number, TicketStatus: r.Status,
			NodeName: r.NodeName, PlanAction: r.PlanAction, NodeStatus: domain.PlanNodeStatus(r.NodeStatus)}
		if r.Kind == string(domain.TimelinePlanNode) {
			// The reason column carried the actor's role; a plan entry has no reason of its own.
			items[i].Reason = ""
			if !domain.SeesPlanNotes(a) {
				items[i].Note, items[i].ActorName = "", publicActorName(domain.Role(r.Reason))
			}
		}
	}
	return &domain.List[domain.TimelineEntry]{Items: items, NextCursor: next}, nil
}
