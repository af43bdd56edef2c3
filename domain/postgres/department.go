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
	Name string `bun:"name,notnull"`
	Kind string `bun:"kind,notnull"`
}

func toDepartmentRow(d *domain.Department) *departmentRow {
	return &departmentRow{
		meta: meta{ID: d.ID, Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt},
		Name: d.Name, Kind: string(d.Kind),
	}
}

func (r *departmentRow) toDomain() *domain.Department {
	return &domain.Department{
		ID: r.ID, Name: r.Name, Kind: domain.DepartmentKind(r.Kind),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func (s *DepartmentService) CreateDepartment(ctx context.Context, d *domain.Department) error {
	if err := d.Validate(); err != nil {
		return err
	}
	m := newMeta(s.db.Now())
	d.ID, d.Version, d.CreatedAt, d.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	_, err := s.db.Bun.NewInsert().Model(toDepartmentRow(d)).Exec(ctx)
	return translate(err)
}

func (s *DepartmentService) Department(ctx context.Context, id string) (*domain.Department, error) {
	var r departmentRow
	if err := get(ctx, s.db.Bun, &r, id); err != nil {
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
	var r departmentRow
	err := update(ctx, s.db, &r, id, version, func(tx bun.Tx) error {
		d := r.toDomain()
		if err := d.Apply(p); err != nil {
			return err
		}
		r.Name, r.Kind = d.Name, string(d.Kind)
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
