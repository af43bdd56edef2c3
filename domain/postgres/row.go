package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"steward/domain"
)

// meta holds the columns every mutable row has: its id, its version for optimistic concurrency,
// and its times. The JSON tags name the fields in audit records.
type meta struct {
	ID        string    `bun:"id,pk,type:uuid" json:"id"`
	Version   int       `bun:"version,notnull" json:"version"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

func (m *meta) rowMeta() *meta { return m }

type row interface{ rowMeta() *meta }

// newMeta gives a new row a UUIDv7 id, version 1 and the current time.
func newMeta(now time.Time) meta {
	now = now.UTC().Truncate(time.Microsecond) // what PostgreSQL keeps
	return meta{ID: uuid.Must(uuid.NewV7()).String(), Version: 1, CreatedAt: now, UpdatedAt: now}
}

var errNotFound = domain.Errorf(domain.ENOTFOUND, "not found")

// get loads the row with the given id into r; scope narrows the query to what the actor may see.
func get(ctx context.Context, db bun.IDB, r row, id string, scope func(*bun.SelectQuery) *bun.SelectQuery) error {
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	q := db.NewSelect().Model(r).Where("?TableAlias.id = ?", id)
	if scope != nil {
		q = scope(q)
	}
	return translate(q.Scan(ctx))
}

// insert stores a new row and its audit record (action "create") in one transaction.
func insert(ctx context.Context, db *DB, r row, entity string) error {
	return db.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return translate(err)
		}
		return db.audit(ctx, tx, "create", entity, r.rowMeta().ID, nil, r)
	})
}

// update is how every versioned row changes: in one transaction it loads the row FOR UPDATE
// (within scope, so a row the actor may not see is ENOTFOUND), refuses a stale version with
// EVERSION, lets apply change it (apply holds the rule and returns a domain error to refuse),
// bumps the version, writes it back and audits the change with the row before and after.
func update(ctx context.Context, db *DB, r row, id string, version int, entity string,
	scope func(*bun.SelectQuery) *bun.SelectQuery, apply func(tx bun.Tx) error) error {
	if uuid.Validate(id) != nil {
		return errNotFound
	}
	return db.InTx(ctx, func(tx bun.Tx) error {
		q := tx.NewSelect().Model(r).Where("?TableAlias.id = ?", id)
		if scope != nil {
			q = scope(q)
		}
		if err := q.For("UPDATE").Scan(ctx); err != nil {
			return translate(err)
		}
		m := r.rowMeta()
		if m.Version != version {
			return domain.Errorf(domain.EVERSION, "the record was changed by someone else (now version %d, yours %d); reload it and try again", m.Version, version)
		}
		before, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := apply(tx); err != nil {
			return err
		}
		m.Version++
		m.UpdatedAt = db.Now().UTC().Truncate(time.Microsecond)
		if _, err := tx.NewUpdate().Model(r).WherePK().Exec(ctx); err != nil {
			return translate(err)
		}
		return db.audit(ctx, tx, "update", entity, id, json.RawMessage(before), r)
	})
}

// noRows narrows a query to nothing, for an actor whose scope is empty.
func noRows(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("false") }

// jsonOf is a row as JSON, for the before of an audit record.
func jsonOf(r any) (json.RawMessage, error) {
	b, err := json.Marshal(r)
	return json.RawMessage(b), err
}
