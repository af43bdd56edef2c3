package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"steward/domain"
)

// auditRow is a row of the insert-only audit_log; the database assigns id, prev_hash and hash.
type auditRow struct {
	bun.BaseModel `bun:"table:audit_log,alias:a"`
	ID            int64           `bun:"id,pk,autoincrement"`
	At            time.Time       `bun:"at,notnull"`
	ActorID       *string         `bun:"actor_id,type:uuid"`
	ActorName     string          `bun:"actor_name,notnull"`
	ActorRole     string          `bun:"actor_role,notnull"`
	Action        string          `bun:"action,notnull"`
	Entity        string          `bun:"entity,notnull"`
	EntityID      string          `bun:"entity_id,notnull"`
	Before        json.RawMessage `bun:"before,type:jsonb,nullzero"`
	After         json.RawMessage `bun:"after,type:jsonb,nullzero"`
	RequestID     string          `bun:"request_id,notnull"`
	IP            string          `bun:"ip,notnull"`
	PrevHash      string          `bun:"prev_hash,notnull"`
	Hash          string          `bun:"hash,notnull"`
}

// audit records, in the transaction idb, that the actor of ctx did action to the entity.
// before and after are marshalled to JSON (nil is none).
func (db *DB) audit(ctx context.Context, idb bun.IDB, action, entity, entityID string, before, after any) error {
	a := domain.ActorFrom(ctx)
	r := &auditRow{
		At: db.Now(), ActorName: a.Username, ActorRole: string(a.Role),
		Action: action, Entity: entity, EntityID: entityID, RequestID: a.RequestID, IP: a.IP,
	}
	if a.UserID != "" {
		r.ActorID = &a.UserID
	}
	var err error
	if r.Before, err = marshalAudit(before); err != nil {
		return err
	}
	if r.After, err = marshalAudit(after); err != nil {
		return err
	}
	_, err = idb.NewInsert().Model(r).Exec(ctx)
	return translate(err)
}

func marshalAudit(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// AuditService implements domain.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ domain.AuditService = (*AuditService)(nil)

var auditKeyset = keyset[auditRow]{
	desc:    true,
	key:     func(*auditRow) []string { return nil },
	id:      func(r *auditRow) string { return strconv.FormatInt(r.ID, 10) },
	validID: func(s string) bool { _, err := strconv.ParseInt(s, 10, 64); return err == nil },
}

func (s *AuditService) Audit(ctx context.Context, f domain.AuditFilter, p domain.Page) (*domain.List[domain.AuditRecord], error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAudit) {
		return nil, domain.Forbidden(a, "read the audit log")
	}
	q := s.db.Bun.NewSelect().Model((*auditRow)(nil))
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = nullif(?, '')::uuid", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	rows, next, total, err := auditKeyset.page(ctx, q, p)
	if err != nil {
		return nil, err
	}
	return toList(rows, next, total, func(r *auditRow) *domain.AuditRecord { return r.toDomain().Masked() }), nil
}

func (r *auditRow) toDomain() *domain.AuditRecord {
	rec := &domain.AuditRecord{
		ID: r.ID, At: r.At, ActorName: r.ActorName, ActorRole: r.ActorRole, Action: r.Action,
		Entity: r.Entity, EntityID: r.EntityID, Before: r.Before, After: r.After,
		RequestID: r.RequestID, IP: r.IP, Hash: r.Hash,
	}
	if r.ActorID != nil {
		rec.ActorID = *r.ActorID
	}
	return rec
}

func (s *AuditService) RevealAudit(ctx context.Context, id int64) (*domain.AuditRecord, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAudit) {
		return nil, domain.Forbidden(a, "read the audit log")
	}
	var r auditRow
	err := s.db.InTx(ctx, func(tx bun.Tx) error {
		if err := tx.NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
			return translate(err)
		}
		return s.db.audit(ctx, tx, "reveal", "audit", strconv.FormatInt(id, 10), nil, map[string]any{"fields": []string{"before", "after"}})
	})
	if err != nil {
		return nil, err
	}
	return r.toDomain(), nil
}

func (s *AuditService) VerifyAudit(ctx context.Context) (*domain.AuditVerification, error) {
	a := domain.ActorFrom(ctx)
	if !domain.Can(a, domain.ActRead, domain.ResAudit) {
		return nil, domain.Forbidden(a, "verify the audit log")
	}
	return s.db.VerifyAudit(ctx)
}

// VerifyAudit recomputes every record's hash from its content and its predecessor's hash, and
// checks that the chain head is the last record's hash (so a deleted tail shows too).
func (db *DB) VerifyAudit(ctx context.Context) (*domain.AuditVerification, error) {
	v := &domain.AuditVerification{}
	var firstBad, lastID *int64
	var headOK bool
	err := db.SQL.QueryRowContext(ctx, `
		WITH chain AS (
			SELECT id, hash,
				hash = audit_hash(prev_hash, id, at, actor_id, actor_name, actor_role, action, entity,
					entity_id, before, after, request_id, ip)
				AND prev_hash = coalesce(lag(hash) OVER (ORDER BY id), repeat('0', 64)) AS ok
			FROM audit_log
		)
		SELECT count(*), min(id) FILTER (WHERE NOT ok), max(id),
			coalesce((SELECT hash FROM chain ORDER BY id DESC LIMIT 1), repeat('0', 64)) = (SELECT hash FROM audit_head)
		FROM chain`).Scan(&v.Checked, &firstBad, &lastID, &headOK)
	if err != nil {
		return nil, translate(err)
	}
	switch {
	case firstBad != nil:
		v.FirstBadID = *firstBad
	case !headOK && lastID != nil:
		v.FirstBadID = *lastID
	case !headOK:
		v.FirstBadID = -1
	}
	v.OK = v.FirstBadID == 0
	return v, nil
}

// AuditAnchors implements domain.AuditAnchors for the audit_anchor job.
type AuditAnchors struct{ db *DB }

// NewAuditAnchors returns AuditAnchors on db.
func NewAuditAnchors(db *DB) *AuditAnchors { return &AuditAnchors{db: db} }

var _ domain.AuditAnchors = (*AuditAnchors)(nil)

func (s *AuditAnchors) AuditHead(ctx context.Context) (domain.AuditHead, *domain.AuditVerification, error) {
	v, err := s.db.VerifyAudit(ctx)
	if err != nil {
		return domain.AuditHead{}, nil, err
	}
	var h domain.AuditHead
	err = s.db.SQL.QueryRowContext(ctx, `SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&h.ID, &h.Hash, &h.At)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return domain.AuditHead{}, nil, translate(err)
	}
	return h, v, nil
}

func (s *AuditAnchors) AuditorEmails(ctx context.Context) ([]string, error) {
	var emails []string
	err := s.db.Bun.NewSelect().Table("users").Column("email").
		Where("role = 'auditor' AND status = 'active' AND email <> ''").Order("email").Scan(ctx, &emails)
	return emails, translate(err)
}

// AuditHash returns the hash record id has now; found is false when there is no such record.
func (db *DB) AuditHash(ctx context.Context, id int64) (hash string, found bool, err error) {
	err = db.SQL.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id = $1`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return hash, err == nil, translate(err)
}
