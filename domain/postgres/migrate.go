package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key that keeps two processes from migrating at once.
const migrationLock = 7263151001

// Migration is one schema change and whether it has been applied.
type Migration struct {
	Name    string // file name, or "river <version> <name>" for River's own migrations
	Applied bool
	// AppliedAt is when it was applied; zero for River's, which do not record it.
	AppliedAt time.Time
}

// MigrationStatus lists every migration, applied or pending, in order.
type MigrationStatus []Migration

// Pending counts the migrations not yet applied.
func (s MigrationStatus) Pending() int {
	n := 0
	for _, m := range s {
		if !m.Applied {
			n++
		}
	}
	return n
}

type migrationFile struct{ name, sql string }

func migrationFiles() ([]migrationFile, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	files := make([]migrationFile, 0, len(names))
	for _, n := range names {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		files = append(files, migrationFile{name: strings.TrimPrefix(n, "migrations/"), sql: string(b)})
	}
	return files, nil
}

// SchemaHash identifies the schema the migrations build: the files' names and contents and the
// River schema version. Test templates are keyed by it.
func SchemaHash() (string, error) {
	files, err := migrationFiles()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%s\x00", f.name, f.sql)
	}
	m, err := riverMigrator(nil)
	if err != nil {
		return "", err
	}
	all := m.AllVersions()
	fmt.Fprintf(h, "river %d", all[len(all)-1].Version)
	return hex.EncodeToString(h.Sum(nil)), nil
}

func riverMigrator(db *sql.DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	return rivermigrate.New(riverdatabasesql.New(db), nil)
}

// Migrate applies every pending migration, ours then River's. Each of ours runs in its own
// transaction and is recorded only when it succeeded. A session advisory lock makes a second
// process wait until the first is done, after which it finds nothing to do. A schema that is
// current is left alone without a lock or any DDL, so a runtime role that may not change the
// schema can start against it.
func Migrate(ctx context.Context, db *sql.DB) error {
	if st, err := Status(ctx, db); err == nil && st.Pending() == 0 {
		return nil
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return translate(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock) //nolint:errcheck

	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := appliedMigrations(ctx, conn)
	if err != nil {
		return err
	}
	files, err := migrationFiles()
	if err != nil {
		return err
	}
	for _, f := range files {
		if _, ok := applied[f.name]; ok {
			continue
		}
		if err := applyMigration(ctx, conn, f); err != nil {
			return err
		}
	}
	m, err := riverMigrator(db)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("River migrations: %w", err)
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, f migrationFile) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, f.sql); err != nil {
		return fmt.Errorf("migration %s: %w", f.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name) VALUES ($1)`, f.name); err != nil {
		return fmt.Errorf("record migration %s: %w", f.name, err)
	}
	return tx.Commit()
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func appliedMigrations(ctx context.Context, q queryer) (map[string]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", translate(err))
	}
	defer rows.Close()
	applied := map[string]time.Time{}
	for rows.Next() {
		var name string
		var at time.Time
		if err := rows.Scan(&name, &at); err != nil {
			return nil, err
		}
		applied[name] = at
	}
	return applied, rows.Err()
}

// Status lists our migrations and River's, each applied or pending.
func Status(ctx context.Context, db *sql.DB) (MigrationStatus, error) {
	var exists, riverExists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL,
		to_regclass('river_migration') IS NOT NULL`).Scan(&exists, &riverExists); err != nil {
		return nil, translate(err)
	}
	applied := map[string]time.Time{}
	if exists {
		var err error
		if applied, err = appliedMigrations(ctx, db); err != nil {
			return nil, err
		}
	}
	files, err := migrationFiles()
	if err != nil {
		return nil, err
	}
	var st MigrationStatus
	for _, f := range files {
		m := Migration{Name: f.name}
		m.AppliedAt, m.Applied = applied[f.name]
		st = append(st, m)
	}

	rm, err := riverMigrator(db)
	if err != nil {
		return nil, err
	}
	riverApplied := map[int]bool{}
	if riverExists {
		existing, err := rm.ExistingVersions(ctx)
		if err != nil {
			return nil, fmt.Errorf("read River migrations: %w", translate(err))
		}
		for _, v := range existing {
			riverApplied[v.Version] = true
		}
	}
	for _, v := range rm.AllVersions() {
		st = append(st, Migration{Name: fmt.Sprintf("river %03d %s", v.Version, v.Name), Applied: riverApplied[v.Version]})
	}
	return st, nil
}
