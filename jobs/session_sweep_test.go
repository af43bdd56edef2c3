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
