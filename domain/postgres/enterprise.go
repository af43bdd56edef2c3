package postgres

import (
	"context"

	"github.com/uptrace/bun"

	"steward/domain"
)

// EnterpriseService implements domain.EnterpriseService.
type EnterpriseService struct{ db *DB }

// NewEnterpriseService returns an EnterpriseService on db.
func NewEnterpriseService(db *DB) *EnterpriseService { return &EnterpriseService{db: db} }

var _ domain.EnterpriseService = (*EnterpriseService)(nil)

type enterpriseRow struct {
	bun.BaseModel `bun:"table:enterprises,alias:e"`
	meta
	Name                string        `bun:"name,notnull"`
	CreditCode          string        `bun:"credit_code,notnull"`
	LegalRepresentative string        `bun:"legal_representative,notnull"`
	Industry            string        `bun:"industry,notnull"`
	Scale               string        `bun:"scale,notnull"`
	KeyLevel            string        `bun:"key_level,notnull"`
	Address             string        `bun:"address,notnull"`
	Street              string        `bun:"street,notnull"`
	Tags                []string      `bun:"tags,array,notnull"`
	Contacts            []contactJSON `bun:"contacts,type:jsonb,notnull"`
	Status              string        `bun:"status,notnull"`
}

type contactJSON struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

func toEnterpriseRow(e *domain.Enterprise) *enterpriseRow {
	r := &enterpriseRow{
		meta: meta{ID: e.ID, Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt},
	}
	r.set(e)
	return r
}

// set copies e's editable fields into r.
func (r *enterpriseRow) set(e *domain.Enterprise) {
	r.Name, r.CreditCode, r.LegalRepresentative = e.Name, e.CreditCode, e.LegalRepresentative
	r.Industry, r.Scale, r.KeyLevel = e.Industry, string(e.Scale), string(e.KeyLevel)
	r.Address, r.Street, r.Status = e.Address, e.Street, string(e.Status)
	r.Tags = append([]string{}, e.Tags...)
	r.Contacts = make([]contactJSON, len(e.Contacts))
	for i, c := range e.Contacts {
		r.Contacts[i] = contactJSON(c)
	}
}

func (r *enterpriseRow) toDomain() *domain.Enterprise {
	e := &domain.Enterprise{
		ID: r.ID, Name: r.Name, CreditCode: r.CreditCode, LegalRepresentative: r.LegalRepresentative,
		Industry: r.Industry, Scale: domain.Scale(r.Scale), KeyLevel: domain.KeyLevel(r.KeyLevel),
		Address: r.Address, Street: r.Street, Tags: append([]string{}, r.Tags...),
		Contacts: make([]domain.Contact, len(r.Contacts)), Status: domain.EnterpriseStatus(r.Status),
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	for i, c := range r.Contacts {
		e.Contacts[i] = domain.Contact(c)
	}
	return e
}

func (s *EnterpriseService) CreateEnterprise(ctx context.Context, e *domain.Enterprise) error {
	e.Status = domain.EnterpriseActive
	if err := e.Validate(); err != nil {
		return err
	}
	m := newMeta(s.db.Now())
	e.ID, e.Version, e.CreatedAt, e.UpdatedAt = m.ID, m.Version, m.CreatedAt, m.UpdatedAt
	_, err := s.db.Bun.NewInsert().Model(toEnterpriseRow(e)).Exec(ctx)
	return translate(err)
}

func (s *EnterpriseService) Enterprise(ctx context.Context, id string) (*domain.Enterprise, error) {
	var r enterpriseRow
	if err := get(ctx, s.db.Bun, &r, id); err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

// enterpriseKeyset lists newest first: UUIDv7 ids sort by creation time.
var enterpriseKeyset = keyset[enterpriseRow]{
	desc: true,
	key:  func(*enterpriseRow) []string { return nil },
	id:   func(r *enterpriseRow) string { return r.ID },
}

func (s *EnterpriseService) Enterprises(ctx context.Context, f domain.EnterpriseFilter, p domain.Page) (*domain.List[domain.Enterprise], error) {
	q := s.db.Bun.NewSelect().Model((*enterpriseRow)(nil))
	if f.Q != "" {
		like := escapeLike(f.Q)
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("name ILIKE ?", "%"+like+"%").WhereOr("credit_code LIKE upper(?)", like+"%")
		})
	}
	if f.KeyLevel != "" {
		q = q.Where("key_level = ?", f.KeyLevel)
	}
	if f.Industry != "" {
		q = q.Where("industry = upper(?)", f.Industry)
	}
	if f.Street != "" {
		q = q.Where("street = ?", f.Street)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	rows, next, total, err := enterpriseKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*enterpriseRow).toDomain), nil
}

func (s *EnterpriseService) UpdateEnterprise(ctx context.Context, id string, version int, p domain.EnterprisePatch) (*domain.Enterprise, error) {
	var r enterpriseRow
	err := update(ctx, s.db, &r, id, version, func(tx bun.Tx) error {
		e := r.toDomain()
		if err := e.Apply(p); err != nil {
			return err
		}
		r.set(e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}
