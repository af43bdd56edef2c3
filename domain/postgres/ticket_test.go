package postgres_test

import (
	"context"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// ticketBundle is a database with an enterprise and the services tickets need.
type ticketBundle struct {
	db      *postgres.DB
	tickets *postgres.TicketService
	ent     *domain.Enterprise
}

func newTicketBundle(t *testing.T) *ticketBundle {
	db := pgtest.New(t)
	cal := postgres.NewCalendarService(db)
	b := &ticketBundle{db: db, ent: newEnterprise(1),
		tickets: postgres.NewTicketService(db, postgres.WorkingDaysOf(cal), postgres.NewNotifier(db, postgres.WorkingTimeOf(cal)))}
	if err := postgres.NewEnterpriseService(db).CreateEnterprise(sysCtx, b.ent); err != nil {
		t.Fatal(err)
	}
	return b
}

var sysCtx = domain.WithActor(context.Background(), domain.System)

func (b *ticketBundle) submit(t *testing.T) *domain.Ticket {
	t.Helper()
	tk := &domain.Ticket{EnterpriseID: b.ent.ID, CategoryID: "01900000-0000-7000-8000-000000000004",
		Title: "用电增容申请", Description: "二期厂房需要增容两千千伏安。"}
	if _, err := b.tickets.CreateTicket(sysCtx, tk, "", ""); err != nil {
		t.Fatal(err)
	}
	return tk
}

// count is a count(*) query's answer.
func (b *ticketBundle) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := b.db.SQL.QueryRowContext(sysCtx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTicketChanges: every change of a ticket is one transaction that writes what its rule
// decided — and nothing when the rule refuses.
func TestTicketChanges(t *testing.T) {
	t.Parallel()
	b := newTicketBundle(t)
	tk := b.submit(t)
	events := func() int { return b.count(t, `SELECT count(*) FROM ticket_events WHERE ticket_id = $1`, tk.ID) }
	audits := func(action string) int {
		return b.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'ticket' AND entity_id = $1 AND action = $2`, tk.ID, action)
	}
	version := func() int { return b.count(t, `SELECT version FROM tickets WHERE id = $1`, tk.ID) }

	t.Run("ANoteLeavesTheRowAndItsVersion", func(t *testing.T) {
		if _, err := b.tickets.AddComment(sysCtx, tk.ID, "已电话联系企业", false); err != nil {
			t.Fatal(err)
		}
		if version() != 1 || events() != 2 || audits("ticket.comment") != 1 ||
			b.count(t, `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'ticket.comment' AND before IS NULL`, tk.ID) != 1 {
			t.Fatalf("after a comment: version %d, %d events, %d audit records", version(), events(), audits("ticket.comment"))
		}
	})
	t.Run("AMoveWritesRowEventJobsAndAuditOnce", func(t *testing.T) {
		if _, err := b.tickets.Act(sysCtx, tk.ID, 1, domain.TicketAction{Name: domain.MoveAccept}); err != nil {
			t.Fatal(err)
		}
		if version() != 2 || events() != 3 || audits("ticket.accept") != 1 {
			t.Fatalf("after accept: version %d, %d events, %d audit records", version(), events(), audits("ticket.accept"))
		}
		if n := b.count(t, `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'ticket.accept'
			AND (before->>'version')::int = 1 AND (after->>'version')::int = 2 AND after->>'clock_due_at' IS NOT NULL`, tk.ID); n != 1 {
			t.Fatal("the audit record lacks the row before and after")
		}
		if n := b.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ticket_clock' AND args->>'ticket_id' = $1`, tk.ID); n != 3 {
			t.Fatalf("%d clock jobs, want warn, due and escalate of the resolve clock", n)
		}
	})
	t.Run("ARefusedChangeWritesNothing", func(t *testing.T) {
		_, err := b.tickets.Act(sysCtx, tk.ID, 1, domain.TicketAction{Name: domain.MoveAccept})
		if domain.ErrorCode(err) != domain.EVERSION {
			t.Fatalf("a stale version: %v", err)
		}
		_, err = b.tickets.Act(sysCtx, tk.ID, 2, domain.TicketAction{Name: domain.MoveAccept})
		if domain.ErrorCode(err) != domain.ETRANSITION {
			t.Fatalf("accepting twice: %v", err)
		}
		err = b.tickets.CloseUnrated(sysCtx, domain.RatingFollowupArgs{TicketID: tk.ID, Step: domain.RatingClose})
		if domain.ErrorCode(err) != domain.ETRANSITION {
			t.Fatalf("closing a ticket that waits for no rating: %v", err)
		}
		if version() != 2 || events() != 3 {
			t.Fatalf("a refused change wrote: version %d, %d events", version(), events())
		}
	})
}

// TestTicketRowsKeepTheirJSON: the jsonb columns of a ticket are written under fixed names, and
// rows written before the names were fixed (under the Go field names) are still read.
func TestTicketRowsKeepTheirJSON(t *testing.T) {
	t.Parallel()
	b := newTicketBundle(t)
	db, tickets, ctx := b.db, b.tickets, sysCtx
	tk := b.submit(t)

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
