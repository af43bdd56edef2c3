package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func TestImportWorker(t *testing.T) {
	t.Parallel()

	type testBundle struct {
		db      *postgres.DB
		imports *postgres.ImportService
		worker  *rivertest.Worker[domain.ImportArgs, *sql.Tx]
		as      context.Context // the dispatcher who uploads
		user    *domain.User
	}
	setup := func(t *testing.T) *testBundle {
		t.Helper()
		db := pgtest.New(t)
		system := domain.WithActor(context.Background(), domain.System)
		dept := &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
		if err := postgres.NewDepartmentService(db).CreateDepartment(system, dept); err != nil {
			t.Fatal(err)
		}
		u := &domain.User{Username: "dispatcher", DisplayName: "调度员", Role: domain.RoleDispatcher, DepartmentID: dept.ID}
		if err := postgres.NewUserService(db).CreateUser(system, u, "Kx9#mPq2-vL", false); err != nil {
			t.Fatal(err)
		}
		imports := postgres.NewImportService(db)
		return &testBundle{
			db: db, imports: imports, user: u,
			as: domain.WithActor(context.Background(), &domain.Actor{UserID: u.ID, Username: u.Username, Role: u.Role}),
			worker: rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
				&importWorker{deps: Deps{Logger: slog.New(slog.DiscardHandler), Imports: imports}}),
		}
	}
	code := func(n int) string {
		first17 := fmt.Sprintf("91320500%09d", n)
		c, _ := domain.CreditCodeCheckChar(first17)
		return first17 + string(c)
	}
	csvFile := "企业名称,统一社会信用代码,行业门类,企业规模,重点级别\n" +
		"甲有限公司," + code(1) + ",C,小型,区级重点\n" +
		"乙有限公司," + code(2) + ",C,小型,区级重点\n" +
		"丙有限公司,123,C,小型,区级重点\n"
	work := func(t *testing.T, b *testBundle, id string) *domain.Import {
		t.Helper()
		tx, err := b.db.SQL.BeginTx(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		res, err := b.worker.Work(context.Background(), t, tx, domain.ImportArgs{ImportID: id}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.EventKind != river.EventKindJobCompleted {
			t.Fatalf("job ended %s: %+v", res.EventKind, res.Job.Errors)
		}
		imp, err := b.imports.Import(b.as, id)
		if err != nil {
			t.Fatal(err)
		}
		return imp
	}
	records := func(t *testing.T, b *testBundle) (enterprises, audits int) {
		t.Helper()
		if err := b.db.SQL.QueryRow(`SELECT (SELECT count(*) FROM enterprises), (SELECT count(*) FROM audit_log WHERE entity = 'enterprise')`).
			Scan(&enterprises, &audits); err != nil {
			t.Fatal(err)
		}
		return enterprises, audits
	}

	t.Run("AFinishedImportIsNotWorkedAgain", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		imp, err := b.imports.CreateImport(b.as, domain.ImportEnterprises, "名录.csv", []byte(csvFile))
		if err != nil {
			t.Fatal(err)
		}
		first := work(t, b, imp.ID)
		if first.Status != domain.ImportDone || first.Total != 3 || first.Created != 2 || first.Failed != 1 ||
			len(first.Errors) != 1 || first.Errors[0].Row != 4 || first.Errors[0].Field != "credit_code" {
			t.Fatalf("first run: %+v", first)
		}
		ents, audits := records(t, b)
		second := work(t, b, imp.ID)
		if second.Created != 2 || second.Failed != 1 || !second.FinishedAt.Equal(*first.FinishedAt) {
			t.Fatalf("second run changed the import: %+v", second)
		}
		if e, a := records(t, b); e != ents || a != audits {
			t.Fatalf("second run wrote %d enterprises and %d audit records, want none", e-ents, a-audits)
		}
	})

	t.Run("AnInterruptedImportStartsAgainWithoutDuplicates", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		imp, err := b.imports.CreateImport(b.as, domain.ImportEnterprises, "名录.csv", []byte(csvFile))
		if err != nil {
			t.Fatal(err)
		}
		// The first worker saved row 2 and died.
		if _, err := b.imports.ImportEnterprise(b.as, &domain.Enterprise{Name: "甲有限公司", CreditCode: code(1),
			Industry: "C", Scale: domain.ScaleSmall, KeyLevel: domain.KeyDistrict}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.db.SQL.Exec(`UPDATE imports SET status = 'running', total = 3, done = 1, created = 1 WHERE id = $1`, imp.ID); err != nil {
			t.Fatal(err)
		}
		got := work(t, b, imp.ID)
		if got.Status != domain.ImportDone || got.Total != 3 || got.Done != 2 || got.Created != 1 || got.Unchanged != 1 || got.Failed != 1 {
			t.Fatalf("restarted import: %+v", got)
		}
		if e, _ := records(t, b); e != 2 {
			t.Fatalf("%d enterprises, want 2", e)
		}
	})

	t.Run("AnUploaderWhoWasDisabledImportsNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		imp, err := b.imports.CreateImport(b.as, domain.ImportEnterprises, "名录.csv", []byte(csvFile))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.db.SQL.Exec(`UPDATE users SET status = 'disabled' WHERE id = $1`, b.user.ID); err != nil {
			t.Fatal(err)
		}
		got := work(t, b, imp.ID)
		if got.Status != domain.ImportFailed || len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Message, "may no longer") {
			t.Fatalf("import of a disabled user: %+v", got)
		}
		if e, _ := records(t, b); e != 0 {
			t.Fatalf("%d enterprises imported", e)
		}
	})
}
