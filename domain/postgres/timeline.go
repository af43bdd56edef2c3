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
}

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
	p = p.Normalize()
	id := enterpriseID
	q := s.db.Bun.NewSelect().TableExpr("("+timelineSQL+") AS tl", id, id, id, id, id, id, id).
		ColumnExpr("tl.*")
	switch a.Role {
	case domain.RoleEnterprise:
		// The enterprise's own file shows its requests and its projects' progress, not the
		// bureau's visit notes or who answers for it.
		q = q.Where("tl.kind IN ('ticket', 'stage_move')")
	case domain.RoleOfficer:
		// A department sees the tickets it works on, nothing else of the enterprise.
		q = q.Where("tl.kind = 'ticket' AND tl.department_id = ?", a.DepartmentID)
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
			VisitKind: domain.VisitKind(r.VisitKind), TicketNumber: r.Number, TicketStatus: r.Status}
	}
	return &domain.List[domain.TimelineEntry]{Items: items, NextCursor: next}, nil
}
