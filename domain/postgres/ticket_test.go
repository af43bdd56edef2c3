package postgres_test

import (
	"context"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestTicketRowsKeepTheirJSON: the jsonb columns of a ticket are written under fixed names, and
// rows written before the names were fixed (under the Go field names) are still read.
func TestTicketRowsKeepTheirJSON(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := domain.WithActor(context.Background(), domain.System)
	cal := postgres.NewCalendarService(db)
	tickets := postgres.NewTicketService(db, postgres.WorkingDaysOf(cal), postgres.NewNotifier(db, postgres.WorkingTimeOf(cal)))
	e := newEnterprise(1)
	if err := postgres.NewEnterpriseService(db).CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	tk := &domain.Ticket{EnterpriseID: e.ID, CategoryID: "01900000-0000-7000-8000-000000000004",
		Title: "用电增容申请", Description: "二期厂房需要增容两千千伏安。"}
	if _, err := tickets.CreateTicket(ctx, tk, "", ""); err != nil {
		t.Fatal(err)
	}

	t.Run("OldRowsAreRead", func(t *testing.T) {
		if _, err := db.SQL.ExecContext(ctx, `UPDATE tickets SET
			extension = '{"Days": 3, "Reason": "需现场踏勘", "RequestedBy": "01900000-0000-7000-8000-0000000000aa", "At": "2026-10-12T02:00:00Z"}',
			rating = '{"Solved": 2, "Attitude": 4, "Tags": ["办理拖延"], "Comment": "仍未送电", "At": "2026-10-13T02:00:00Z", "Auto": false}'
			WHERE id = $1`, tk.ID); err != nil {
			t.Fatal(err)
		}
		got, err := tickets.Ticket(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if x := got.Extension; x == nil || x.Days != 3 || x.Reason != "需现场踏勘" || x.RequestedBy != "01900000-0000-7000-8000-0000000000aa" || x.At.IsZero() {
			t.Fatalf("old extension read as %+v", got.Extension)
		}
		if r := got.Rating; r == nil || r.Solved != 2 || r.Attitude != 4 || len(r.Tags) != 1 || r.Comment != "仍未送电" || r.At.IsZero() {
			t.Fatalf("old rating read as %+v", got.Rating)
		}
	})
	t.Run("NewRowsUseFixedNames", func(t *testing.T) {
		if _, err := db.SQL.ExecContext(ctx, `UPDATE tickets SET extension = NULL, rating = NULL, status = 'in_progress' WHERE id = $1`, tk.ID); err != nil {
			t.Fatal(err)
		}
		officer := domain.WithActor(ctx, domain.System)
		if _, err := tickets.Act(officer, tk.ID, tk.Version, domain.TicketAction{Name: domain.MoveRequestExtension, Days: 2, Reason: "等待图纸"}); err != nil {
			t.Fatal(err)
		}
		var days int
		var by string
		if err := db.SQL.QueryRowContext(ctx, `SELECT (extension->>'days')::int, extension->>'requested_by' FROM tickets WHERE id = $1`, tk.ID).Scan(&days, &by); err != nil || days != 2 {
			t.Fatalf("extension stored as days %d by %q (%v)", days, by, err)
		}
	})
}
