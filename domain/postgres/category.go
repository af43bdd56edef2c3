package postgres

import (
	"context"

	"github.com/uptrace/bun"

	"steward/domain"
)

// CategoryService implements domain.CategoryService.
type CategoryService struct{ db *DB }

// NewCategoryService returns a CategoryService on db.
func NewCategoryService(db *DB) *CategoryService { return &CategoryService{db: db} }

var _ domain.CategoryService = (*CategoryService)(nil)

type categoryRow struct {
	bun.BaseModel `bun:"table:categories,alias:cat"`
	meta
	Name                string  `bun:"name,notnull" json:"name"`
	Description         string  `bun:"description,notnull" json:"description"`
	DefaultDepartmentID *string `bun:"default_department_id,type:uuid" json:"default_department_id"`
	SignDays            int     `bun:"sign_days,notnull" json:"sign_days"`
	ResolveDays         int     `bun:"resolve_days,notnull" json:"resolve_days"`
	Active              bool    `bun:"active,notnull" json:"active"`
}

func toCategoryRow(c *domain.Category) *categoryRow {
	r := &categoryRow{meta: meta{ID: c.ID, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}}
	r.set(c)
	return r
}

func (r *categoryRow) set(c *domain.Category) {
	r.Name, r.Description, r.DefaultDepartmentID = c.Name, c.Description, nullable(c.DefaultDepartmentID)
	r.SignDays, r.ResolveDays, r.Active = c.SignDays, c.ResolveDays, c.Active
}

func (r *categoryRow) toDomain() *domain.Category {
	return &domain.Category{
		ID: r.ID, Name: r.Name, Description: r.Description, DefaultDepartmentID: deref(r.DefaultDepartmentID),
		SignDays: r.SignDays, ResolveDays: r.ResolveDays, Active: r.Active,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func (s *CategoryService) CreateCategory(ctx context.Context, c *domain.Category) error {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActCreate, domain.ResCategory) {
		return domain.Forbidden(a, "create categories")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := checkDefaultDepartment(ctx, s.db.Bun, c); err != nil {
		return err
	}
	m := newMeta(s.db.Now())
	c.ID, c.Version, c.CreatedAt, c.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	return insert(ctx, s.db, toCategoryRow(c), "category")
}

// checkDefaultDepartment makes sure a category's default department exists.
func checkDefaultDepartment(ctx context.Context, idb bun.IDB, c *domain.Category) error {
	if c.DefaultDepartmentID == "" {
		return nil
	}
	err := get(ctx, idb, &departmentRow{}, c.DefaultDepartmentID, nil)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: "default_department_id", Message: "no such department"}}}
	}
	return err
}

func (s *CategoryService) Category(ctx context.Context, id string) (*domain.Category, error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResCategory) {
		return nil, domain.Forbidden(a, "read categories")
	}
	var r categoryRow
	if err := get(ctx, s.db.Bun, &r, id, nil); err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

// categoryKeyset orders categories by id, which is creation order (UUIDv7; the built-in
// defaults have the oldest ids).
var categoryKeyset = keyset[categoryRow]{
	key: func(*categoryRow) []string { return nil },
	id:  func(r *categoryRow) string { return r.ID },
}

func (s *CategoryService) Categories(ctx context.Context, f domain.CategoryFilter, p domain.Page) (*domain.List[domain.Category], error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResCategory) {
		return nil, domain.Forbidden(a, "read categories")
	}
	q := s.db.Bun.NewSelect().Model((*categoryRow)(nil))
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	rows, next, total, err := categoryKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*categoryRow).toDomain), nil
}

func (s *CategoryService) UpdateCategory(ctx context.Context, id string, version int, p domain.CategoryPatch) (*domain.Category, error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActUpdate, domain.ResCategory) {
		return nil, domain.Forbidden(a, "change categories")
	}
	var r categoryRow
	err := update(ctx, s.db, &r, id, version, "category", nil, func(tx bun.Tx) error {
		c := r.toDomain()
		if err := c.Apply(p); err != nil {
			return err
		}
		if err := checkDefaultDepartment(ctx, tx, c); err != nil {
			return err
		}
		r.set(c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}
