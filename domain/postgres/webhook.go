package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// WebhookService implements domain.WebhookService.
type WebhookService struct {
	db *DB
	// Targets are the addresses webhooks may reach (nil: no private range).
	Targets *domain.WebhookTargets
	// Poster sends test posts (nil: a test answers that test posts are not configured).
	Poster domain.WebhookPoster
}

// NewWebhookService returns a WebhookService on db.
func NewWebhookService(db *DB) *WebhookService { return &WebhookService{db: db} }

var _ domain.WebhookService = (*WebhookService)(nil)

// webhookRow is a row of webhooks. The JSON tags name the fields in audit records, which hold
// the secret and the URL's access token masked.
type webhookRow struct {
	bun.BaseModel `bun:"table:webhooks,alias:w"`
	ID            string     `bun:"id,pk,type:uuid" json:"id"`
	Name          string     `bun:"name,notnull" json:"name"`
	Format        string     `bun:"format,notnull" json:"format"`
	URL           string     `bun:"url,notnull" json:"url"`
	Secret        string     `bun:"secret,notnull" json:"secret"`
	Kinds         []string   `bun:"kinds,array,notnull" json:"kinds"`
	Active        bool       `bun:"active,notnull" json:"active"`
	CreatedBy     *string    `bun:"created_by,type:uuid" json:"created_by"`
	CreatedAt     time.Time  `bun:"created_at,notnull" json:"created_at"`
	DeletedAt     *time.Time `bun:"deleted_at" json:"deleted_at"`
}

func (r *webhookRow) toDomain() *domain.Webhook {
	w := &domain.Webhook{ID: r.ID, Name: r.Name, Format: domain.WebhookFormat(r.Format), URL: r.URL, Secret: r.Secret,
		CreatedBy: deref(r.CreatedBy), CreatedAt: r.CreatedAt, Deleted: r.DeletedAt != nil || !r.Active}
	for _, k := range r.Kinds {
		w.Kinds = append(w.Kinds, domain.NotificationKind(k))
	}
	return w
}

// audited is the row as the audit log keeps it: no secret in the clear.
func (r *webhookRow) audited() *webhookRow {
	c := *r
	c.Secret, c.URL = domain.MaskSecret(r.Secret), domain.MaskURL(r.URL)
	return &c
}

var webhookKeyset = keyset[webhookRow]{desc: true, key: func(*webhookRow) []string { return nil },
	id: func(r *webhookRow) string { return r.ID }}

func (s *WebhookService) Webhooks(ctx context.Context, p domain.Page) (*domain.List[domain.Webhook], error) {
	if a := domain.ActorFrom(ctx); !domain.Can(a, domain.ActRead, domain.ResWebhook) {
		return nil, domain.Forbidden(a, "read webhooks")
	}
	q := s.db.Bun.NewSelect().Model((*webhookRow)(nil)).Where("w.deleted_at IS NULL")
	rows, next, total, err := webhookKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, (*webhookRow).toDomain), nil
}

func (s *WebhookService) CreateWebhook(ctx context.Context, w *domain.Webhook) error {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResWebhook) {
		return domain.Forbidden(a, "create webhooks")
	}
	if err := w.Validate(ctx, s.Targets); err != nil {
		return err
	}
	w.ID = uuid.Must(uuid.NewV7()).String()
	w.CreatedAt = s.db.Now().UTC().Truncate(time.Microsecond)
	w.CreatedBy = a.UserID
	r := &webhookRow{ID: w.ID, Name: w.Name, Format: string(w.Format), URL: w.URL, Secret: w.Secret, Kinds: []string{},
		Active: true, CreatedBy: nullable(w.CreatedBy), CreatedAt: w.CreatedAt}
	for _, k := range w.Kinds {
		r.Kinds = append(r.Kinds, string(k))
	}
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		return s.db.audit(ctx, tx, "create", "webhook", r.ID, nil, r.audited())
	})
}

func (s *WebhookService) DeleteWebhook(ctx context.Context, id string) error {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActArchive, domain.ResWebhook) {
		return domain.Forbidden(a, "delete webhooks")
	}
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	return s.db.InTx(ctx, func(tx bun.Tx) error {
		r := &webhookRow{}
		if err := tx.NewSelect().Model(r).Where("w.id = ? AND w.deleted_at IS NULL", id).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		before := r.audited()
		now := s.db.Now().UTC().Truncate(time.Microsecond)
		r.DeletedAt, r.Active = &now, false
		if _, err := tx.NewUpdate().Model(r).Column("deleted_at", "active").WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		return s.db.audit(ctx, tx, "delete", "webhook", id, before, r.audited())
	})
}

func (s *WebhookService) TestWebhook(ctx context.Context, id string) (*domain.WebhookTest, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActCreate, domain.ResWebhook) {
		return nil, domain.Forbidden(a, "test webhooks")
	}
	if uuid.Validate(id) != nil {
		return nil, errNotFound
	}
	r := &webhookRow{}
	if err := s.db.Bun.NewSelect().Model(r).Where("w.id = ? AND w.deleted_at IS NULL", id).Scan(ctx); err != nil {
		return nil, translate(err)
	}
	// The post goes out before anything is written: a slow receiver holds no transaction.
	res := &domain.WebhookTest{}
	var err error
	if s.Poster == nil {
		err = errors.New("test posts are not configured on this server")
	} else {
		err = s.Poster.PostTest(ctx, r.toDomain())
	}
	res.Delivered = err == nil
	if err != nil {
		res.Error = err.Error()
	}
	res.At = s.db.Now().UTC().Truncate(time.Microsecond)
	err = s.db.InTx(ctx, func(tx bun.Tx) error {
		return s.db.audit(ctx, tx, "test", "webhook", id, nil, map[string]any{"delivered": res.Delivered, "error": res.Error})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
