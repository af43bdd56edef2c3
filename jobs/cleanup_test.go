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

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSessionSweepEndsOnlyExpiredSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	var offset time.Duration
	db.Now = func() time.Time { return time.Now().Add(offset) }
	auth := postgres.NewAuthService(db)
	system := domain.WithActor(ctx, domain.System)

	dept := &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
	if err := postgres.NewDepartmentService(db).CreateDepartment(system, dept); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"early", "late"} {
		u := &domain.User{Username: name, DisplayName: name, Role: domain.RoleSteward, DepartmentID: dept.ID}
		if err := postgres.NewUserService(db).CreateUser(system, u, "Kx9#mPq2-vL", false); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := auth.Login(ctx, "early", "Kx9#mPq2-vL", "test"); err != nil {
		t.Fatal(err)
	}
	offset = 20 * time.Minute
	_, lateToken, err := auth.Login(ctx, "late", "Kx9#mPq2-vL", "test")
	if err != nil {
		t.Fatal(err)
	}
	offset = 35 * time.Minute // early has been idle 35 minutes, late 15

	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		newSessionSweepWorker(Deps{Logger: slog.New(slog.DiscardHandler), Sessions: auth}))
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	res, err := w.Work(ctx, t, tx, domain.SessionSweepArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("job ended %s", res.EventKind)
	}
	var left []string
	rows, err := db.SQL.QueryContext(ctx, `SELECT u.username FROM sessions s JOIN users u ON u.id = s.user_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		rows.Scan(&n)
		left = append(left, n)
	}
	if len(left) != 1 || left[0] != "late" {
		t.Fatalf("sessions left after the sweep: %v, want only late's", left)
	}
	if _, err := auth.Session(ctx, lateToken); err != nil {
		t.Fatalf("the live session was ended: %v", err)
	}
}
