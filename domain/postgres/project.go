package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// ProjectService implements domain.ProjectService.
type ProjectService struct {
	db *DB
	// Thresholds configure the progress light (序时进度).
	Thresholds domain.ProgressThresholds
}

// NewProjectService returns a ProjectService on db with the default progress thresholds.
func NewProjectService(db *DB) *ProjectService {
	return &ProjectService{db: db, Thresholds: domain.DefaultProgressThresholds}
}

var _ domain.ProjectService = (*ProjectService)(nil)

type projectRow struct {
	bun.BaseModel `bun:"table:projects,alias:p"`
	meta
	EnterpriseID        string    `bun:"enterprise_id,type:uuid,notnull" json:"enterprise_id"`
	Name                string    `bun:"name,notnull" json:"name"`
	NamePinyin          string    `bun:"name_pinyin,notnull" json:"-"`
	NameInitials        string    `bun:"name_initials,notnull" json:"-"`
	Kind                string    `bun:"kind,notnull" json:"kind"`
	Industry            string    `bun:"industry,notnull" json:"industry"`
	PlannedInvestment   float64   `bun:"planned_investment,notnull" json:"planned_investment"`
	PlannedStart        time.Time `bun:"planned_start,type:date,notnull" json:"planned_start"`
	PlannedCompletion   time.Time `bun:"planned_completion,type:date,notnull" json:"planned_completion"`
	KeyLevel            string    `bun:"key_level,notnull" json:"key_level"`
	Location            string    `bun:"location,notnull" json:"location"`
	Stage               string    `bun:"stage,notnull" json:"stage"`
	StageSince          time.Time `bun:"stage_since,type:date,notnull" json:"stage_since"`
	ResumeStage         string    `bun:"resume_stage,notnull" json:"resume_stage"`
	CompletedInvestment float64   `bun:"completed_investment,notnull" json:"completed_investment"`
	Light               string    `bun:"light,notnull" json:"light"`
	EnterpriseName      string    `bun:"enterprise_name,scanonly" json:"-"`
	// LastVisitAt is kept by the visits' triggers (migration 0024), never written from here;
	// the list reads p.*, so the row must know the column.
	LastVisitAt *time.Time `bun:"last_visit_at,scanonly" json:"-"`
}

func (r *projectRow) set(p *domain.Project) {
	r.EnterpriseID, r.Name, r.Kind, r.Industry = p.EnterpriseID, p.Name, string(p.Kind), p.Industry
	r.NamePinyin, r.NameInitials = namePinyin(p.Name)
	r.PlannedInvestment, r.PlannedStart, r.PlannedCompletion = p.PlannedInvestment, p.PlannedStart, p.PlannedCompletion
	r.KeyLevel, r.Location, r.Stage, r.StageSince, r.ResumeStage = string(p.KeyLevel), p.Location, string(p.Stage), p.StageSince, string(p.ResumeStage)
	r.CompletedInvestment = p.CompletedInvestment
}

func (r *projectRow) toDomain() *domain.Project {
	return &domain.Project{
		ID: r.ID, EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName, Name: r.Name,
		Kind: domain.ProjectKind(r.Kind), Industry: r.Industry, PlannedInvestment: r.PlannedInvestment,
		PlannedStart: r.PlannedStart, PlannedCompletion: r.PlannedCompletion, KeyLevel: domain.KeyLevel(r.KeyLevel),
		Location: r.Location, Stage: domain.Stage(r.Stage), StageSince: r.StageSince, ResumeStage: domain.Stage(r.ResumeStage),
		CompletedInvestment: r.CompletedInvestment, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// view converts r with its progress as of now.
func (s *ProjectService) view(r *projectRow) *domain.Project {
	p := r.toDomain()
	p.Progress = domain.ProjectProgress(p, p.CompletedInvestment, s.db.Now(), s.Thresholds)
	return p
}

// relight recomputes the stored light of r.
func (s *ProjectService) relight(r *projectRow) {
	p := r.toDomain()
	r.Light = string(domain.ProjectProgress(p, p.CompletedInvestment, s.db.Now(), s.Thresholds).Light)
}

// assignedProjectsSQL selects the projects a user (the four arguments) answers for or serves
// now: assigned directly, or of an enterprise assigned to them.
const assignedProjectsSQL = `(p.id IN (SELECT a.subject_id FROM assignments a WHERE a.to_date IS NULL
	AND a.subject_type = 'project' AND (a.steward_id = ? OR a.leader_id = ?))
	OR p.enterprise_id IN (SELECT a.subject_id FROM assignments a WHERE a.to_date IS NULL
	AND a.subject_type = 'enterprise' AND (a.steward_id = ? OR a.leader_id = ?)))`

// projectScope narrows a query on projects (alias p) to the actor's scope.
func projectScope(a *domain.Actor) func(*bun.SelectQuery) *bun.SelectQuery {
	s := domain.ProjectScope(a)
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		switch {
		case s.All:
			return q
		case s.EnterpriseID != "":
			return q.Where("p.enterprise_id = ?", s.EnterpriseID)
		case s.AssignedTo != "":
			return q.Where(assignedProjectsSQL, s.AssignedTo, s.AssignedTo, s.AssignedTo, s.AssignedTo)
		}
		return noRows(q)
	}
}

func (s *ProjectService) selectProjects(a *domain.Actor) *bun.SelectQuery {
	q := s.db.Bun.NewSelect().Model((*projectRow)(nil)).ColumnExpr("p.*").ColumnExpr("e.name AS enterprise_name").
		Join("JOIN enterprises e ON e.id = p.enterprise_id")
	return projectScope(a)(q)
}

func (s *ProjectService) CreateProject(ctx context.Context, p *domain.Project) error {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResProject) {
		return domain.Forbidden(a, "create projects")
	}
	if p.Stage == "" {
		p.Stage = domain.StageNegotiating
	}
	if p.StageSince.IsZero() {
		p.StageSince = domain.Today(s.db.Now())
	}
	p.ResumeStage, p.CompletedInvestment = "", 0
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Stage == domain.StageSuspended || p.Stage == domain.StageCancelled {
		return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: "stage", Message: "a new project starts on the main line of stages"}}}
	}
	m := newMeta(s.db.Now())
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	r := &projectRow{meta: m}
	r.set(p)
	s.relight(r)
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		var e enterpriseRow
		if err := get(ctx, tx, &e, p.EnterpriseID, enterpriseScope(a)); err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
					Fields: []domain.FieldError{{Field: "enterprise_id", Message: "no such enterprise in your portfolio"}}}
			}
			return err
		}
		p.EnterpriseName = e.Name
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		if err := s.recordMove(ctx, tx, a, p.ID, domain.StageMove{To: p.Stage, On: p.StageSince, Note: "项目入库"}); err != nil {
			return err
		}
		p.Progress = s.view(r).Progress
		return s.db.audit(ctx, tx, "create", "project", r.ID, nil, r)
	})
}

type stageMoveRow struct {
	bun.BaseModel `bun:"table:project_stage_moves,alias:sm"`
	ID            string    `bun:"id,pk,type:uuid" json:"id"`
	ProjectID     string    `bun:"project_id,type:uuid,notnull" json:"project_id"`
	From          string    `bun:"from_stage,notnull" json:"from"`
	To            string    `bun:"to_stage,notnull" json:"to"`
	On            time.Time `bun:"on_date,type:date,notnull" json:"on"`
	Note          string    `bun:"note,notnull" json:"note"`
	Reason        string    `bun:"reason,notnull" json:"reason"`
	ByUser        *string   `bun:"by_user,type:uuid" json:"by_user"`
	ByName        string    `bun:"by_name,notnull" json:"by_name"`
	At            time.Time `bun:"at,notnull" json:"at"`
}

func (s *ProjectService) recordMove(ctx context.Context, tx bun.Tx, a *domain.Actor, projectID string, m domain.StageMove) error {
	r := &stageMoveRow{ID: uuid.Must(uuid.NewV7()).String(), ProjectID: projectID, From: string(m.From), To: string(m.To),
		On: m.On, Note: m.Note, Reason: m.Reason, ByUser: nullable(a.UserID), ByName: displayName(a), At: s.db.Now()}
	_, err := tx.NewInsert().Model(r).Exec(ctx)
	return translate(err)
}

func displayName(a *domain.Actor) string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}

func (s *ProjectService) Project(ctx context.Context, id string) (*domain.Project, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResProject) {
		return nil, domain.Forbidden(a, "read projects")
	}
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	var r projectRow
	if err := s.selectProjects(a).Where("p.id = ?", id).Scan(ctx, &r); err != nil {
		return nil, translate(err)
	}
	return s.view(&r), nil
}

var projectKeyset = keyset[projectRow]{
	desc: true,
	key:  func(*projectRow) []string { return nil },
	id:   func(r *projectRow) string { return r.ID },
}

func (s *ProjectService) Projects(ctx context.Context, f domain.ProjectFilter, page domain.Page) (*domain.List[domain.Project], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResProject) {
		return nil, domain.Forbidden(a, "read projects")
	}
	q := s.selectProjects(a)
	if f.EnterpriseID != "" {
		q = q.Where("p.enterprise_id = nullif(?, '')::uuid", f.EnterpriseID)
	}
	if f.Stage != "" {
		q = q.Where("p.stage = ?", f.Stage)
	}
	if f.KeyLevel != "" {
		q = q.Where("p.key_level = ?", f.KeyLevel)
	}
	if f.Light != "" {
		q = q.Where("p.light = ?", f.Light)
	}
	if f.StewardID != "" || f.LeaderID != "" {
		q = q.Where(`p.id IN (SELECT a.subject_id FROM assignments a WHERE a.to_date IS NULL AND a.subject_type = 'project'
			AND (? = '' OR a.steward_id = nullif(?, '')::uuid) AND (? = '' OR a.leader_id = nullif(?, '')::uuid))`, f.StewardID, f.StewardID, f.LeaderID, f.LeaderID)
	}
	if f.Q != "" {
		like := escapeLike(f.Q)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("p.name ILIKE ?", "%"+like+"%")
			if isPinyinQuery(f.Q) {
				lower := strings.ToLower(like)
				q = q.WhereOr("p.name_pinyin LIKE ?", "%"+lower+"%").WhereOr("p.name_initials LIKE ?", "%"+lower+"%")
			}
			return q
		})
	}
	rows, next, total, err := projectKeyset.page(ctx, q, page)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, s.view), nil
}

// change runs a rule on a project under the update protocol, within the actor's scope, keeping
// its light current.
func (s *ProjectService) change(ctx context.Context, id string, version int, what string, apply func(tx bun.Tx, r *projectRow) error) (*domain.Project, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResProject) {
		return nil, domain.Forbidden(a, what)
	}
	var r projectRow
	if version == 0 {
		if err := get(ctx, s.db.Bun, &r, id, projectScope(a)); err != nil {
			return nil, err
		}
		version = r.Version
	}
	err := update(ctx, s.db, &r, id, version, "project", projectScope(a), func(tx bun.Tx) error {
		if !domain.Can(a, domain.ActUpdate, domain.ResProject) {
			return domain.Forbidden(a, what)
		}
		if err := apply(tx, &r); err != nil {
			return err
		}
		s.relight(&r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Project(ctx, id)
}

func (s *ProjectService) UpdateProject(ctx context.Context, id string, version int, patch domain.ProjectPatch) (*domain.Project, error) {
	return s.change(ctx, id, version, "change projects", func(tx bun.Tx, r *projectRow) error {
		p := r.toDomain()
		if err := p.Apply(patch); err != nil {
			return err
		}
		r.set(p)
		return nil
	})
}

func (s *ProjectService) MoveProjectStage(ctx context.Context, id string, version int, to domain.Stage, on time.Time, note, reason string) (*domain.Project, error) {
	a := domain.ActorFrom(ctx)
	return s.change(ctx, id, version, "move projects through their stages", func(tx bun.Tx, r *projectRow) error {
		p := r.toDomain()
		move, err := p.MoveStage(to, on, note, reason, s.db.Now())
		if err != nil {
			return err
		}
		r.set(p)
		return s.recordMove(ctx, tx, a, id, move)
	})
}

func (s *ProjectService) ProjectStages(ctx context.Context, id string) ([]domain.StageRecord, error) {
	if _, err := s.Project(ctx, id); err != nil {
		return nil, err
	}
	var rows []stageMoveRow
	if err := s.db.Bun.NewSelect().Model(&rows).Where("project_id = ?", id).Order("at", "id").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.StageRecord, len(rows))
	for i, r := range rows {
		out[i] = domain.StageRecord{
			StageMove: domain.StageMove{From: domain.Stage(r.From), To: domain.Stage(r.To), On: r.On, Note: r.Note, Reason: r.Reason},
			ID:        r.ID, ByID: deref(r.ByUser), ByName: r.ByName, At: r.At,
		}
	}
	return out, nil
}

type investmentRow struct {
	bun.BaseModel `bun:"table:project_investments,alias:inv"`
	ProjectID     string    `bun:"project_id,pk,type:uuid" json:"project_id"`
	Month         string    `bun:"month,pk" json:"month"`
	Amount        float64   `bun:"amount,notnull" json:"amount"`
	ByUser        *string   `bun:"by_user,type:uuid" json:"by_user"`
	UpdatedAt     time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

func (s *ProjectService) SetInvestment(ctx context.Context, id string, inv domain.Investment) (*domain.Project, error) {
	a := domain.ActorFrom(ctx)
	if err := inv.Validate(s.db.Now()); err != nil {
		return nil, err
	}
	return s.change(ctx, id, 0, "report investment", func(tx bun.Tx, r *projectRow) error {
		var before investmentRow
		err := tx.NewSelect().Model(&before).Where("project_id = ?", id).Where("month = ?", inv.Month).Scan(ctx)
		existed := err == nil
		row := &investmentRow{ProjectID: id, Month: inv.Month, Amount: inv.Amount, ByUser: nullable(a.UserID), UpdatedAt: s.db.Now()}
		if _, err := tx.NewInsert().Model(row).On("CONFLICT (project_id, month) DO UPDATE").
			Set("amount = EXCLUDED.amount, by_user = EXCLUDED.by_user, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
			return translate(err)
		}
		if err := tx.NewSelect().Model((*investmentRow)(nil)).ColumnExpr("coalesce(sum(amount), 0)").
			Where("project_id = ?", id).Scan(ctx, &r.CompletedInvestment); err != nil {
			return translate(err)
		}
		var old any
		if existed {
			old = &before
		}
		return s.db.audit(ctx, tx, "report_investment", "project", id, old, row)
	})
}

func (s *ProjectService) Investments(ctx context.Context, id string) ([]domain.Investment, error) {
	if _, err := s.Project(ctx, id); err != nil {
		return nil, err
	}
	var rows []investmentRow
	if err := s.db.Bun.NewSelect().Model(&rows).Where("project_id = ?", id).Order("month").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Investment, len(rows))
	for i, r := range rows {
		out[i] = domain.Investment{Month: r.Month, Amount: r.Amount}
	}
	return out, nil
}
