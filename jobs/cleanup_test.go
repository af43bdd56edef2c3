package jobs

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func TestImportFileSweepDeletesFilesAfterThirtyDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	var offset time.Duration
	db.Now = func() time.Time { return time.Now().Add(offset) }
	system := domain.WithActor(ctx, domain.System)
	imports := postgres.NewImportService(db)
	file := []byte("企业名称,统一社会信用代码\n甲有限公司,91320500MA1EXAMPLW\n")

	old, err := imports.CreateImport(system, domain.ImportEnterprises, "旧的.csv", file) // never worked
	if err != nil {
		t.Fatal(err)
	}
	offset = 20 * 24 * time.Hour
	recent, err := imports.CreateImport(system, domain.ImportEnterprises, "新的.csv", file)
	if err != nil {
		t.Fatal(err)
	}
	offset = 31 * 24 * time.Hour // old is 31 days old, recent 11

	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		newImportFileSweepWorker(Deps{Logger: slog.New(slog.DiscardHandler), Imports: imports}))
	sweep := func() {
		t.Helper()
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		res, err := w.Work(ctx, t, tx, domain.ImportFileSweepArgs{}, nil)
		if err != nil || res.EventKind != river.EventKindJobCompleted {
			t.Fatalf("sweep: %v %+v", err, res)
		}
	}
	sweep()
	sweep() // twice is harmless

	kept := map[string]bool{}
	rows, err := db.SQL.QueryContext(ctx, `SELECT id::text, file IS NOT NULL FROM imports`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var has bool
		if err := rows.Scan(&id, &has); err != nil {
			t.Fatal(err)
		}
		kept[id] = has
	}
	if kept[old.ID] || !kept[recent.ID] {
		t.Fatalf("files kept after the sweep: %v; want only the recent one (%s)", kept, recent.ID)
	}
	// The record stays, and says why the file that was never imported is gone.
	imp, err := imports.Import(system, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Status != domain.ImportFailed || len(imp.Errors) != 1 || imp.Errors[0].Field != "file" {
		t.Fatalf("the old import after the sweep: %+v", imp)
	}
	var audits int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'delete_file' AND entity_id = $1`, old.ID).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	if audits != 1 {
		t.Fatalf("%d audit records of the deletion, want 1", audits)
	}
	// Its queued job finds nothing to do.
	iw := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		&importWorker{deps: Deps{Logger: slog.New(slog.DiscardHandler), Imports: imports}})
	tx, _ := db.SQL.BeginTx(ctx, nil)
	defer tx.Rollback()
	if res, err := iw.Work(ctx, t, tx, domain.ImportArgs{ImportID: old.ID}, nil); err != nil || res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("the import job of a swept import: %v %+v", err, res)
	}
}
