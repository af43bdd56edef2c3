package postgres

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"steward/domain"
)

// DepartmentService implements domain.DepartmentService.
type DepartmentService struct{ db *DB }

// NewDepartmentService returns a DepartmentService on db.
func NewDepartmentService(db *DB) *DepartmentService { return &DepartmentService{db: db} }

var _ domain.DepartmentService = (*DepartmentService)(nil)

type departmentRow struct {
	bun.BaseModel `bun:"table:departments,alias:d"`
	meta
	Name       string  `bun:"name,notnull" json:"name"`
	Kind       string  `bun:"kind,notnull" json:"kind"`
	HeadUserID *string `bun:"head_user_id,type:uuid" json:"head_user_id"`
}

func toDepartmentRow(d *domain.Department) *departmentRow {
	r := &departmentRow{meta: meta{ID: d.ID, Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}}
	r.set(d)
	return r
}

func (r *departmentRow) set(d *domain.Department) {
	r.Name, r.Kind, r.HeadUserID = d.Name, string(d.Kind), nullable(d.HeadUserID)
}

func (r *departmentRow) toDomain() *domain.Department {
	return &domain.Department{
		ID: r.ID, Name: r.Name, Kind: domain.DepartmentKind(r.Kind), HeadUserID: deref(r.HeadUserID),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func (s *DepartmentService) CreateDepartment(ctx context.Context, d *domain.Department) error {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActCreate, domain.ResDepartment) {
		return domain.Forbidden(a, "create departments")
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if err := s.checkHead(ctx, s.db.Bun, d); err != nil {
		return err
	}
	m := newMeta(s.db.Now())
	d.ID, d.Version, d.CreatedAt, d.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	return insert(ctx, s.db, toDepartmentRow(d), "department")
}

// checkHead makes sure a department's head is a user of that department.
func (s *DepartmentService) checkHead(ctx context.Context, idb bun.IDB, d *domain.Department) error {
	if d.HeadUserID == "" {
		return nil
	}
	ok, err := idb.NewSelect().Model((*userRow)(nil)).
		Where("id = ?", d.HeadUserID).Where("department_id = ?", nullable(d.ID)).Exists(ctx)
	if err != nil {
		return translate(err)
	}
	if !ok {
		return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: "head_user_id", Message: "must be a user of this department"}}}
	}
	return nil
}

func (s *DepartmentService) Department(ctx context.Context, id string) (*domain.Department, error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResDepartment) {
		return nil, domain.Forbidden(a, "read departments")
	}
	var r departmentRow
	if err := get(ctx, s.db.Bun, &r, id, nil); err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

var departmentKeyset = keyset[departmentRow]{
	columns: []string{"name"},
	key:     func(r *departmentRow) []string { return []string{r.Name} },
	id:      func(r *departmentRow) string { return r.ID },
}

func (s *DepartmentService) Departments(ctx context.Context, f domain.DepartmentFilter, p domain.Page) (*domain.List[domain.Department], error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResDepartment) {
		return nil, domain.Forbidden(a, "read departments")
	}
	q := s.db.Bun.NewSelect().Model((*departmentRow)(nil))
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Q != "" {
		q = q.Where("name ILIKE ?", "%"+escapeLike(f.Q)+"%")
	}
	rows, next, total, err := departmentKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*departmentRow).toDomain), nil
}

func (s *DepartmentService) UpdateDepartment(ctx context.Context, id string, version int, p domain.DepartmentPatch) (*domain.Department, error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActUpdate, domain.ResDepartment) {
		return nil, domain.Forbidden(a, "change departments")
	}
	var r departmentRow
	err := update(ctx, s.db, &r, id, version, "department", nil, func(tx bun.Tx) error {
		d := r.toDomain()
		if err := d.Apply(p); err != nil {
			return err
		}
		if err := s.checkHead(ctx, tx, d); err != nil {
			return err
		}
		r.set(d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

// escapeLike escapes the LIKE wildcards in a user's search text.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(s))
}

func toList[R any, T any](rows []R, next string, total *int, conv func(*R) *T) *domain.List[T] {
	items := make([]T, len(rows))
	for i := range rows {
		items[i] = *conv(&rows[i])
	}
	return &domain.List[T]{Items: items, NextCursor: next, Total: total}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
