package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"steward/domain"
)

// AssignmentService implements domain.AssignmentService.
type AssignmentService struct{ db *DB }

// NewAssignmentService returns an AssignmentService on db.
func NewAssignmentService(db *DB) *AssignmentService { return &AssignmentService{db: db} }

var _ domain.AssignmentService = (*AssignmentService)(nil)

type assignmentRow struct {
	bun.BaseModel `bun:"table:assignments,alias:asg"`
	ID            string     `bun:"id,pk,type:uuid" json:"id"`
	SubjectType   string     `bun:"subject_type,notnull" json:"subject_type"`
	SubjectID     string     `bun:"subject_id,type:uuid,notnull" json:"subject_id"`
	LeaderID      string     `bun:"leader_id,type:uuid,notnull" json:"leader_id"`
	StewardID     string     `bun:"steward_id,type:uuid,notnull" json:"steward_id"`
	From          time.Time  `bun:"from_date,type:date,notnull" json:"from"`
	To            *time.Time `bun:"to_date,type:date" json:"to"`
	Reason        string     `bun:"reason,notnull" json:"reason"`
	CreatedBy     *string    `bun:"created_by,type:uuid" json:"created_by"`
	CreatedAt     time.Time  `bun:"created_at,notnull" json:"created_at"`

	SubjectName string `bun:"subject_name,scanonly" json:"-"`
	LeaderName  string `bun:"leader_name,scanonly" json:"-"`
	StewardName string `bun:"steward_name,scanonly" json:"-"`
}

func (r *assignmentRow) toDomain() *domain.Assignment {
	from := r.From
	return &domain.Assignment{
		ID: r.ID, SubjectType: domain.SubjectType(r.SubjectType), SubjectID: r.SubjectID, SubjectName: r.SubjectName,
		LeaderID: r.LeaderID, StewardID: r.StewardID, LeaderName: r.LeaderName, StewardName: r.StewardName,
		From: &from, To: r.To, Reason: r.Reason, CreatedBy: deref(r.CreatedBy), CreatedAt: r.CreatedAt,
	}
}

// subjectExists checks that the subject exists and the actor may see it.
func subjectExists(ctx context.Context, idb bun.IDB, a *domain.Actor, typ domain.SubjectType, id string) error {
	var err error
	switch typ {
	case domain.SubjectEnterprise:
		err = get(ctx, idb, &enterpriseRow{}, id, enterpriseScope(a))
	case domain.SubjectProject:
		err = get(ctx, idb, &projectRow{}, id, projectScope(a))
	}
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: "subject_id", Message: "no such " + string(typ)}}}
	}
	return err
}

// checkPerson checks that a user exists, is active and has the role.
func checkPerson(ctx context.Context, idb bun.IDB, v *domain.Validation, field, id string, role domain.Role) error {
	var u userRow
	if err := get(ctx, idb, &u, id, nil); err != nil {
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		v.Add(field, "no such user")
		return nil
	}
	v.Check(u.Role == string(role), field, "must be a user with the role %s", role)
	v.Check(u.Status != string(domain.UserDisabled), field, "the user is disabled")
	return nil
}

func (s *AssignmentService) Assign(ctx context.Context, as *domain.Assignment) error {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResAssignment) {
		return domain.Forbidden(a, "assign leaders and stewards")
	}
	now := s.db.Now()
	if err := as.Validate(now); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		if err := subjectExists(ctx, tx, a, as.SubjectType, as.SubjectID); err != nil {
			return err
		}
		var v domain.Validation
		if err := checkPerson(ctx, tx, &v, "leader_id", as.LeaderID, domain.RoleLeader); err != nil {
			return err
		}
		if err := checkPerson(ctx, tx, &v, "steward_id", as.StewardID, domain.RoleSteward); err != nil {
			return err
		}
		var current assignmentRow
		err := tx.NewSelect().Model(&current).Where("subject_type = ?", as.SubjectType).
			Where("subject_id = ?", as.SubjectID).Where("to_date IS NULL").For("UPDATE").Scan(ctx)
		hasCurrent := err == nil
		if err != nil && domain.ErrorCode(translate(err)) != domain.ENOTFOUND {
			return translate(err)
		}
		if hasCurrent {
			v.Check(!as.From.Before(current.From), "from", "must not be before the current assignment began (%s)", current.From.Format(time.DateOnly))
			v.Check(current.LeaderID != as.LeaderID || current.StewardID != as.StewardID, "steward_id", "the leader and steward are already assigned")
		}
		if err := v.Err(); err != nil {
			return err
		}
		// Open tickets follow the responsibility: from now on the new steward and leader accept,
		// instruct and are reminded (a project's own assignment wins over its enterprise's).
		q := tx.NewUpdate().Table("tickets").Set("steward_id = ?, leader_id = ?", as.StewardID, as.LeaderID).
			Where("status NOT IN ('rejected', 'closed')")
		if as.SubjectType == domain.SubjectProject {
			q = q.Where("project_id = ?", as.SubjectID)
		} else {
			q = q.Where("enterprise_id = ?", as.SubjectID).Where(`(project_id IS NULL OR NOT EXISTS (SELECT 1 FROM assignments pa
				WHERE pa.subject_type = 'project' AND pa.subject_id = tickets.project_id AND pa.to_date IS NULL))`)
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return translate(err)
		}
		moved, _ := res.RowsAffected()
		if hasCurrent {
			before := current
			current.To = as.From
			if _, err := tx.NewUpdate().Model(&current).Column("to_date").WherePK().Exec(ctx); err != nil {
				return translate(err)
			}
			if err := s.db.audit(ctx, tx, "end", "assignment", current.ID, &before, &current); err != nil {
				return err
			}
		}
		m := newMeta(now)
		r := &assignmentRow{ID: m.ID, SubjectType: string(as.SubjectType), SubjectID: as.SubjectID,
			LeaderID: as.LeaderID, StewardID: as.StewardID, From: *as.From, Reason: as.Reason,
			CreatedBy: nullable(a.UserID), CreatedAt: m.CreatedAt}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		as.ID, as.CreatedAt, as.CreatedBy = r.ID, r.CreatedAt, a.UserID
		return s.db.audit(ctx, tx, "create", "assignment", r.ID, nil, map[string]any{"assignment": r, "open_tickets_moved": moved})
	})
}

// assignmentQuery selects assignments with the names of their subject and people.
func (s *AssignmentService) query(a *domain.Actor) *bun.SelectQuery {
	q := s.db.Bun.NewSelect().Model((*assignmentRow)(nil)).ColumnExpr("asg.*").
		ColumnExpr("coalesce(se.name, sp.name, '') AS subject_name").
		ColumnExpr("lu.display_name AS leader_name, su.display_name AS steward_name").
		Join("LEFT JOIN enterprises se ON asg.subject_type = 'enterprise' AND se.id = asg.subject_id").
		Join("LEFT JOIN projects sp ON asg.subject_type = 'project' AND sp.id = asg.subject_id").
		Join("JOIN users lu ON lu.id = asg.leader_id").
		Join("JOIN users su ON su.id = asg.steward_id")
	sc := domain.AssignmentScope(a)
	switch {
	case sc.All:
	case sc.AssignedTo != "":
		q = q.Where("(asg.steward_id = ? OR asg.leader_id = ?)", sc.AssignedTo, sc.AssignedTo)
	default:
		q = noRows(q)
	}
	return q
}

var assignmentKeyset = keyset[assignmentRow]{
	desc:    true,
	columns: nil,
	key:     func(*assignmentRow) []string { return nil },
	id:      func(r *assignmentRow) string { return r.ID },
}

func (s *AssignmentService) Assignments(ctx context.Context, f domain.AssignmentFilter, p domain.Page) (*domain.List[domain.Assignment], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAssignment) {
		return nil, domain.Forbidden(a, "read assignments")
	}
	q := s.query(a)
	if f.SubjectType != "" {
		q = q.Where("asg.subject_type = ?", f.SubjectType)
	}
	if f.SubjectID != "" {
		q = q.Where("asg.subject_id = nullif(?, '')::uuid", f.SubjectID)
	}
	if f.LeaderID != "" {
		q = q.Where("asg.leader_id = nullif(?, '')::uuid", f.LeaderID)
	}
	if f.StewardID != "" {
		q = q.Where("asg.steward_id = nullif(?, '')::uuid", f.StewardID)
	}
	if f.Active != nil {
		if *f.Active {
			q = q.Where("asg.to_date IS NULL")
		} else {
			q = q.Where("asg.to_date IS NOT NULL")
		}
	}
	if f.On != nil {
		q = q.Where("asg.from_date <= ?", *f.On).Where("(asg.to_date IS NULL OR asg.to_date > ?)", *f.On)
	}
	rows, next, total, err := assignmentKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*assignmentRow).toDomain), nil
}
