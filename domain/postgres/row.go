package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// meta holds the columns every mutable row has: its id, its version for optimistic concurrency,
// and its times.
type meta struct {
	ID        string    `bun:"id,pk,type:uuid"`
	Version   int       `bun:"version,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

func (m *meta) rowMeta() *meta { return m }

type row interface{ rowMeta() *meta }

// newMeta gives a new row a UUIDv7 id, version 1 and the current time.
func newMeta(now time.Time) meta {
	now = now.UTC().Truncate(time.Microsecond) // what PostgreSQL keeps
	return meta{ID: uuid.Must(uuid.NewV7()).String(), Version: 1, CreatedAt: now, UpdatedAt: now}
}

var errNotFound = domain.Errorf(domain.ENOTFOUND, "not found")

// get loads the row with the given id into r.
func get(ctx context.Context, db bun.IDB, r row, id string) error {
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	return translate(db.NewSelect().Model(r).Where("?TableAlias.id = ?", id).Scan(ctx))
}

// update is how every versioned row changes: in one transaction it loads the row FOR UPDATE,
// refuses a stale version with EVERSION, lets apply change it (apply holds the rule and returns
// a domain error to refuse), bumps the version and writes it back.
func update(ctx context.Context, db *DB, r row, id string, version int, apply func(tx bun.Tx) error) error {
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	return db.InTx(ctx, func(tx bun.Tx) error {
		if err := tx.NewSelect().Model(r).Where("?TableAlias.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		m := r.rowMeta()
		if m.Version != version {
			return domain.Errorf(domain.EVERSION, "the record was changed by someone else (now version %d, yours %d); reload it and try again", m.Version, version)
		}
		if err := apply(tx); err != nil {
			return err
		}
		m.Version++
		m.UpdatedAt = db.Now().UTC().Truncate(time.Microsecond)
		_, err := tx.NewUpdate().Model(r).WherePK().Exec(ctx)
		return translate(err)
	})
}
