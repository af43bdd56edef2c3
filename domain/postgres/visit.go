package postgres

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// VisitService implements domain.VisitService.
type VisitService struct {
	db      *DB
	tickets *TicketService
	// Cadence is the visiting frequency configuration.
	Cadence domain.Cadence
}

// NewVisitService returns a VisitService on db that raises tickets through tickets.
func NewVisitService(db *DB, tickets *TicketService) *VisitService {
	return &VisitService{db: db, tickets: tickets, Cadence: domain.DefaultCadence}
}

var _ domain.VisitService = (*VisitService)(nil)

// locationJSON is where a visit took place as the location column stores it, under fixed names
// (the one-word Go names of rows written before are matched whatever their case).
type locationJSON struct {
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	Address string  `json:"address"`
}

func toLocationJSON(l *domain.Location) *locationJSON {
	if l == nil {
		return nil
	}
	return &locationJSON{Lat: l.Lat, Lng: l.Lng, Address: l.Address}
}

func (j *locationJSON) toDomain() *domain.Location {
	if j == nil {
		return nil
	}
	return &domain.Location{Lat: j.Lat, Lng: j.Lng, Address: j.Address}
}

type visitRow struct {
	bun.BaseModel `bun:"table:visits,alias:v"`
	meta
	StewardID      string        `bun:"steward_id,type:uuid,notnull" json:"steward_id"`
	EnterpriseID   string        `bun:"enterprise_id,type:uuid,notnull" json:"enterprise_id"`
	ProjectID      *string       `bun:"project_id,type:uuid" json:"project_id"`
	VisitedAt      time.Time     `bun:"visited_at,notnull" json:"visited_at"`
	Kind           string        `bun:"kind,notnull" json:"kind"`
	Attendees      []string      `bun:"attendees,array,notnull" json:"attendees"`
	Summary        string        `bun:"summary,notnull" json:"summary"`
	Findings       string        `bun:"findings,notnull" json:"findings"`
	Satisfaction   string        `bun:"satisfaction,notnull" json:"satisfaction"`
	Location       *locationJSON `bun:"location,type:jsonb" json:"location"`
	IdempotencyKey *string       `bun:"idempotency_key" json:"-"`
	RequestHash    *string       `bun:"request_hash" json:"-"`

	StewardName    string   `bun:"steward_name,scanonly" json:"-"`
	EnterpriseName string   `bun:"enterprise_name,scanonly" json:"-"`
	ProjectName    string   `bun:"project_name,scanonly" json:"-"`
	TicketIDs      []string `bun:"ticket_ids,array,scanonly" json:"-"`
	PhotoCount     int      `bun:"photo_count,scanonly" json:"-"`
}

func (r *visitRow) set(v *domain.Visit) {
	r.StewardID, r.EnterpriseID, r.ProjectID = v.StewardID, v.EnterpriseID, nullable(v.ProjectID)
	r.VisitedAt, r.Kind, r.Attendees = v.VisitedAt, string(v.Kind), append([]string{}, v.Attendees...)
	r.Summary, r.Findings, r.Satisfaction, r.Location = v.Summary, v.Findings, v.Satisfaction, toLocationJSON(v.Location)
}

func (r *visitRow) toDomain() *domain.Visit {
	return &domain.Visit{ID: r.ID, StewardID: r.StewardID, StewardName: r.StewardName, EnterpriseID: r.EnterpriseID,
		EnterpriseName: r.EnterpriseName, ProjectID: deref(r.ProjectID), ProjectName: r.ProjectName, VisitedAt: r.VisitedAt,
		Kind: domain.VisitKind(r.Kind), Attendees: r.Attendees, Summary: r.Summary, Findings: r.Findings,
		Satisfaction: r.Satisfaction, Location: r.Location.toDomain(), TicketIDs: r.TicketIDs, PhotoCount: r.PhotoCount, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// visitScope narrows a query on visits (alias v): all for dispatchers; for stewards and leaders
// their own and those to the enterprises they answer for or serve now.
func visitScope(a *domain.Actor) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		switch {
		case a.IsSystem():
			return q
		case !domain.Can(a, domain.ActRead, domain.ResVisit):
			return noRows(q)
		}
		switch a.Role {
		case domain.RoleDispatcher:
			return q
		case domain.RoleLeader, domain.RoleSteward:
			return q.Where("(v.steward_id = ? OR v.enterprise_id IN ("+assignedEnterprisesSQL+"))",
				a.UserID, a.UserID, a.UserID, a.UserID, a.UserID)
		}
		return noRows(q) // fail closed: a role this does not name sees no visit
	}
}

func (s *VisitService) selectVisits(a *domain.Actor) *bun.SelectQuery {
	q := s.db.Bun.NewSelect().Model((*visitRow)(nil)).ColumnExpr("v.*").
		ColumnExpr("u.display_name AS steward_name, e.name AS enterprise_name, coalesce(p.name, '') AS project_name").
		ColumnExpr("ARRAY(SELECT t.id::text FROM tickets t WHERE t.visit_id = v.id ORDER BY t.number) AS ticket_ids").
		// A count on the attachments_owner index: cheap enough for every row of a list.
		ColumnExpr("(SELECT count(*) FROM attachments att WHERE att.owner_type = 'visit' AND att.owner_id = v.id) AS photo_count").
		Join("JOIN users u ON u.id = v.steward_id").
		Join("JOIN enterprises e ON e.id = v.enterprise_id").
		Join("LEFT JOIN projects p ON p.id = v.project_id")
	return visitScope(a)(q)
}

func (s *VisitService) CreateVisit(ctx context.Context, v *domain.Visit, tickets []*domain.Ticket, key, bodyHash string) (bool, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResVisit) {
		return false, domain.Forbidden(a, "record visits")
	}
	now := s.db.Now().UTC().Truncate(time.Microsecond)
	v.StewardID = a.UserID
	if err := v.Validate(now); err != nil {
		return false, err
	}
	if len(tickets) > 10 {
		return false, &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: "tickets", Message: "at most 10 tickets from one visit"}}}
	}
	if key != "" {
		if replayed, err := s.replay(ctx, a, v, key, bodyHash); replayed || err != nil {
			return replayed, err
		}
	}
	// Each finding's ticket is checked on its own first, so every bad field is reported at once.
	var problems []domain.FieldError
	for i, t := range tickets {
		// The visit id is known only inside the transaction; a placeholder makes the source "visit".
		t.EnterpriseID, t.VisitID = v.EnterpriseID, "pending"
		if t.ProjectID == "" {
			t.ProjectID = v.ProjectID
		}
		if err := s.tickets.prepare(a, t); err != nil {
			de, ok := err.(*domain.Error)
			if !ok || len(de.Fields) == 0 {
				return false, err // not a field problem: who may raise tickets, say
			}
			for _, f := range de.Fields {
				problems = append(problems, domain.FieldError{Field: "tickets[" + strconv.Itoa(i) + "]." + f.Field, Message: f.Message})
			}
		}
	}
	if len(problems) > 0 {
		return false, &domain.Error{Code: domain.EINVALID, Message: "some tickets raised from the visit are invalid; nothing was saved", Fields: problems}
	}
	m := newMeta(now)
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		var val domain.Validation
		if uuid.Validate(v.EnterpriseID) != nil || get(ctx, tx, &enterpriseRow{}, v.EnterpriseID, enterpriseScope(a)) != nil {
			val.Add("enterprise_id", "no such enterprise in your portfolio")
		}
		if v.ProjectID != "" {
			var n int64
			if uuid.Validate(v.ProjectID) == nil {
				n, _ = tx.NewSelect().Table("projects").Where("id = ? AND enterprise_id = ?", v.ProjectID, v.EnterpriseID).Count(ctx)
			}
			val.Check(n == 1, "project_id", "no such project of this enterprise")
		}
		if err := val.Err(); err != nil {
			return err
		}
		r := &visitRow{meta: m, IdempotencyKey: nullable(key), RequestHash: nullable(bodyHash)}
		r.set(v)
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		for i, t := range tickets {
			t.VisitID = r.ID
			if err := s.tickets.createIn(ctx, tx, t, "", "", "tickets["+strconv.Itoa(i)+"]."); err != nil {
				return err
			}
		}
		// The audit record goes last, as in every transaction: it takes the audit chain's lock,
		// which must come after any other (the ticket counter) to keep lock order the same.
		return s.db.audit(ctx, tx, "create", "visit", r.ID, nil, r)
	})
	if domain.ErrorCode(err) == domain.ECONFLICT && key != "" {
		return s.replay(ctx, a, v, key, bodyHash)
	}
	if err != nil {
		return false, err
	}
	got, err := s.Visit(ctx, m.ID)
	if err != nil {
		return false, err
	}
	*v = *got
	return false, nil
}

// replay answers a repeated Idempotency-Key with the visit it recorded.
func (s *VisitService) replay(ctx context.Context, a *domain.Actor, v *domain.Visit, key, bodyHash string) (bool, error) {
	var r visitRow
	err := s.db.Bun.NewSelect().Model(&r).Where("steward_id = ?", a.UserID).Where("idempotency_key = ?", key).Scan(ctx)
	if domain.ErrorCode(translate(err)) == domain.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, translate(err)
	}
	if r.RequestHash != nil && *r.RequestHash != bodyHash {
		return false, &domain.Error{Code: domain.EINVALID, Message: "this Idempotency-Key was used for a different visit",
			Fields: []domain.FieldError{{Field: "Idempotency-Key", Message: "send a new key for a new visit"}}}
	}
	got, err := s.Visit(ctx, r.ID)
	if err != nil {
		return false, err
	}
	*v = *got
	return true, nil
}

func (s *VisitService) Visit(ctx context.Context, id string) (*domain.Visit, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResVisit) {
		return nil, domain.Forbidden(a, "read visits")
	}
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	var r visitRow
	if err := s.selectVisits(a).Where("v.id = ?", id).Scan(ctx, &r); err != nil {
		return nil, translate(err)
	}
	return r.toDomain(), nil
}

var visitKeyset = keyset[visitRow]{
	desc:    true,
	columns: []string{"v.visited_at"},
	key:     func(r *visitRow) []string { return []string{r.VisitedAt.UTC().Format(time.RFC3339Nano)} },
	id:      func(r *visitRow) string { return r.ID },
}

func (s *VisitService) Visits(ctx context.Context, f domain.VisitFilter, p domain.Page) (*domain.List[domain.Visit], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResVisit) {
		return nil, domain.Forbidden(a, "read visits")
	}
	q := s.selectVisits(a)
	if f.EnterpriseID != "" {
		q = q.Where("v.enterprise_id = nullif(?, '')::uuid", f.EnterpriseID)
	}
	if f.ProjectID != "" {
		q = q.Where("v.project_id = nullif(?, '')::uuid", f.ProjectID)
	}
	if f.StewardID != "" {
		q = q.Where("v.steward_id = nullif(?, '')::uuid", f.StewardID)
	}
	if !f.From.IsZero() {
		q = q.Where("v.visited_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("v.visited_at < ?", f.To)
	}
	rows, next, total, err := visitKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*visitRow).toDomain), nil
}

func (s *VisitService) CorrectVisit(ctx context.Context, id string, version int, p domain.VisitPatch) (*domain.Visit, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResVisit) {
		return nil, domain.Forbidden(a, "correct visits")
	}
	var r visitRow
	err := update(ctx, s.db, &r, id, version, "visit", visitScope(a), func(tx bun.Tx) error {
		v := r.toDomain()
		if err := v.Correct(a, p, s.db.Now()); err != nil {
			return err
		}
		r.set(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Visit(ctx, id)
}

type dueRow struct {
	AssignmentID string     `bun:"assignment_id"`
	SubjectType  string     `bun:"subject_type"`
	SubjectID    string     `bun:"subject_id"`
	SubjectName  string     `bun:"subject_name"`
	EnterpriseID string     `bun:"enterprise_id"`
	KeyLevel     string     `bun:"key_level"`
	Stage        string     `bun:"stage"`
	StewardID    string     `bun:"steward_id"`
	StewardName  string     `bun:"steward_name"`
	LeaderID     string     `bun:"leader_id"`
	From         time.Time  `bun:"from_date"`
	LastVisitAt  *time.Time `bun:"last_visit_at"`
}

func (s *VisitService) DueVisits(ctx context.Context, stewardID string) ([]domain.DueVisit, error) {
	a := domain.ActorFrom(ctx)
	switch {
	case a.IsSystem() || a.Role == domain.RoleDispatcher:
	case a.Role == domain.RoleSteward && (stewardID == "" || stewardID == a.UserID):
		stewardID = a.UserID
	default:
		return nil, domain.Forbidden(a, "see another steward's due visits")
	}
	var rows []dueRow
	// Enterprise and project assignments in two branches, each joining its own subject by its
	// primary key: one query with both as outer joins left the planner no index to join
	// enterprises on, and it read all of them (20,000 at district scale) for a steward's 300.
	// The last visit is the subject's own column, kept by the visits' triggers (migration 0024).
	err := s.db.Bun.NewRaw(`
		SELECT a.id AS assignment_id, a.subject_type, a.subject_id, e.name AS subject_name, e.id AS enterprise_id,
			e.key_level, '' AS stage, a.steward_id, su.display_name AS steward_name, a.leader_id, a.from_date,
			e.last_visit_at
		FROM assignments a
			JOIN enterprises e ON e.id = a.subject_id
			JOIN users su ON su.id = a.steward_id
		WHERE a.to_date IS NULL AND a.subject_type = 'enterprise' AND (? = '' OR a.steward_id = nullif(?, '')::uuid)
			AND e.status = 'active'
		UNION ALL
		SELECT a.id, a.subject_type, a.subject_id, p.name, p.enterprise_id, p.key_level, p.stage, a.steward_id,
			su.display_name, a.leader_id, a.from_date,
			p.last_visit_at
		FROM assignments a
			JOIN projects p ON p.id = a.subject_id
			JOIN users su ON su.id = a.steward_id
		WHERE a.to_date IS NULL AND a.subject_type = 'project' AND (? = '' OR a.steward_id = nullif(?, '')::uuid)`,
		stewardID, stewardID, stewardID, stewardID).Scan(ctx, &rows)
	if err != nil {
		return nil, translate(err)
	}
	today := domain.Today(s.db.Now())
	var out []domain.DueVisit
	for _, r := range rows {
		days := s.Cadence.Days(domain.SubjectType(r.SubjectType), domain.KeyLevel(r.KeyLevel), domain.Stage(r.Stage))
		due, state := s.Cadence.DueOn(r.LastVisitAt, r.From, days, today)
		if state == domain.VisitNotDue {
			continue
		}
		out = append(out, domain.DueVisit{AssignmentID: r.AssignmentID, SubjectType: domain.SubjectType(r.SubjectType),
			SubjectID: r.SubjectID, SubjectName: r.SubjectName, EnterpriseID: r.EnterpriseID, StewardID: r.StewardID,
			StewardName: r.StewardName, LeaderID: r.LeaderID, LastVisitAt: r.LastVisitAt, DueOn: due, State: state})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].DueOn.Equal(out[j].DueOn) {
			return out[i].DueOn.Before(out[j].DueOn)
		}
		return out[i].SubjectName < out[j].SubjectName
	})
	return out, nil
}
