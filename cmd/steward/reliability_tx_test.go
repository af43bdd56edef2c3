package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

// TestReliabilityRolledBackMoves: 1,000 ticket moves (accept, then assign; 300 in the quick
// mode), eight at a time, where the database refuses 30% at the last moment (a trigger raises
// while the timeline event or the audit record is written, after the row, its jobs and its
// notices) and answers others with deadlocks (SQLSTATE 40P01, as PostgreSQL does to a deadlock's
// victim): twice, which DB.InTx retries through, or on every attempt, which it gives up on.
// Afterwards the timeline events, audit records, follow-up jobs and notifications exist exactly
// for the moves that committed, once each, and the audit chain verifies.
func TestReliabilityRolledBackMoves(t *testing.T) {
	t.Parallel()
	moves := sized(300, 1000)
	ctx := context.Background()
	system := domain.WithActor(ctx, domain.System)
	db := pgtest.New(t)
	owner := pgtest.Owner(t, db)
	cal := postgres.NewCalendarService(db)
	tickets := postgres.NewTicketService(db, postgres.WorkingDaysOf(cal), postgres.NewNotifier(db, postgres.WorkingTimeOf(cal)))

	dept := &domain.Department{Name: "区供电公司", Kind: domain.DepartmentUtility}
	if err := postgres.NewDepartmentService(db).CreateDepartment(system, dept); err != nil {
		t.Fatal(err)
	}
	const officers = 2
	for i := range officers {
		u := &domain.User{Username: fmt.Sprintf("officer%d", i+1), DisplayName: "经办人", Role: domain.RoleOfficer, DepartmentID: dept.ID}
		if err := postgres.NewUserService(db).CreateUser(system, u, "Kx9#mPq2-vL", false); err != nil {
			t.Fatal(err)
		}
	}
	ent := &domain.Enterprise{Name: "苏州回滚测试制造有限公司", CreditCode: "91350100M000100Y43", Industry: "C",
		Scale: domain.ScaleMedium, KeyLevel: domain.KeyDistrict}
	if err := postgres.NewEnterpriseService(db).CreateEnterprise(system, ent); err != nil {
		t.Fatal(err)
	}

	// The saboteur: a trigger on ticket_events and audit_log that looks the move up in doomed.
	// Sequences count the attempts, because they are not rolled back with the transaction.
	for _, q := range []string{
		`CREATE TABLE doomed (ticket_id text, move text, at text, fate text, attempts text, PRIMARY KEY (ticket_id, move))`,
		`CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
		DECLARE id text; mv text; d doomed;
		BEGIN
			IF TG_TABLE_NAME = 'audit_log' THEN
				id := NEW.entity_id; mv := replace(NEW.action, 'ticket.', '');
			ELSE
				id := NEW.ticket_id::text; mv := NEW.action;
			END IF;
			SELECT * INTO d FROM doomed WHERE ticket_id = id AND move = mv AND at = TG_TABLE_NAME;
			IF NOT FOUND THEN RETURN NEW; END IF;
			IF d.fate = 'rollback' THEN
				RAISE EXCEPTION 'forced rollback of % %', mv, id;
			END IF;
			IF d.fate = 'deadlock-always' OR nextval(d.attempts::regclass) <= 2 THEN
				RAISE EXCEPTION 'forced deadlock of % %', mv, id USING ERRCODE = '40P01';
			END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER a_sabotage BEFORE INSERT ON ticket_events FOR EACH ROW EXECUTE FUNCTION sabotage()`,
		`CREATE TRIGGER a_sabotage BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION sabotage()`,
	} {
		if _, err := owner.SQL.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	type plan struct {
		fate          string // "", rollback, deadlock-twice, deadlock-always
		at            string
		err           error
		committed     bool
		ticketVersion int
	}
	type ticketPlan struct {
		id     string
		accept plan
		assign plan
	}
	rng := rand.New(rand.NewPCG(16, 2026))
	fate := func() string {
		switch r := rng.Float64(); {
		case r < 0.25:
			return "rollback"
		case r < 0.30:
			return "deadlock-always"
		case r < 0.45:
			return "deadlock-twice"
		}
		return ""
	}
	plans := make([]*ticketPlan, moves*10/17) // an accept refused leaves no assign to try: about moves in all
	for i := range plans {
		tk := &domain.Ticket{EnterpriseID: ent.ID, CategoryID: "01900000-0000-7000-8000-000000000004",
			Title: fmt.Sprintf("用电增容申请 %d", i), Description: "二期厂房需要增容两千千伏安。"}
		if _, err := tickets.CreateTicket(system, tk, "", ""); err != nil {
			t.Fatal(err)
		}
		p := &ticketPlan{id: tk.ID, accept: plan{fate: fate()}, assign: plan{fate: fate()}}
		for move, pl := range map[string]*plan{"accept": &p.accept, "assign": &p.assign} {
			if pl.fate == "" {
				continue
			}
			pl.at = []string{"ticket_events", "audit_log"}[rng.IntN(2)]
			seq := fmt.Sprintf("attempts_%d_%s", i, move)
			if _, err := owner.SQL.ExecContext(ctx, `CREATE SEQUENCE `+seq); err != nil {
				t.Fatal(err)
			}
			if _, err := owner.SQL.ExecContext(ctx, `INSERT INTO doomed VALUES ($1, $2, $3, $4, $5)`, tk.ID, move, pl.at, pl.fate, seq); err != nil {
				t.Fatal(err)
			}
		}
		plans[i] = p
	}

	// The moves, eight tickets at a time; a ticket's assign follows its accept when that
	// committed.
	began := time.Now()
	work := make(chan *ticketPlan)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for p := range work {
				_, p.accept.err = tickets.Act(system, p.id, 1, domain.TicketAction{Name: domain.MoveAccept})
				p.accept.committed = p.accept.err == nil
				if !p.accept.committed {
					continue
				}
				_, p.assign.err = tickets.Act(system, p.id, 2, domain.TicketAction{Name: domain.MoveAssign, Department: dept.ID})
				p.assign.committed = p.assign.err == nil
			}
		})
	}
	for _, p := range plans {
		work <- p
	}
	close(work)
	wg.Wait()
	took := time.Since(began)

	count := func(query string, args ...any) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	attempted, committed, rolledBack, retried := 0, 0, 0, 0
	check := func(p *ticketPlan, move string, pl *plan, clock string, notices int) {
		attempted++
		switch {
		case pl.fate == "" || pl.fate == "deadlock-twice":
			if pl.err != nil {
				t.Errorf("%s of %s (%q) failed: %v", move, p.id, pl.fate, pl.err)
				return
			}
			if pl.fate != "" {
				retried++
			}
		case pl.err == nil:
			t.Errorf("%s of %s committed although the database refused it (%s)", move, p.id, pl.fate)
			return
		case pl.fate == "deadlock-always" && domain.ErrorCode(pl.err) != domain.EUNAVAILABLE:
			t.Errorf("%s of %s deadlocked on every attempt: %v, want unavailable (503)", move, p.id, pl.err)
		}
		want := 0
		if pl.committed {
			committed++
			want = 1
		} else {
			rolledBack++
		}
		if n := count(`SELECT count(*) FROM ticket_events WHERE ticket_id = $1 AND action = $2`, p.id, move); n != want {
			t.Errorf("%s of %s (%q, committed %v): %d timeline events", move, p.id, pl.fate, pl.committed, n)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = $2`, p.id, "ticket."+move); n != want {
			t.Errorf("%s of %s (%q, committed %v): %d audit records", move, p.id, pl.fate, pl.committed, n)
		}
		if n := count(`SELECT count(*) FROM river_job WHERE kind = 'ticket_clock' AND args->>'ticket_id' = $1 AND args->>'clock' = $2`, p.id, clock); n != 3*want {
			t.Errorf("%s of %s (%q, committed %v): %d %s-clock jobs, want %d", move, p.id, pl.fate, pl.committed, n, clock, 3*want)
		}
		if notices > 0 {
			if n := count(`SELECT count(*) FROM notifications WHERE link = $1 AND kind = $2`, "/tickets/"+p.id, string(domain.NotifyTicketAssigned)); n != notices*want {
				t.Errorf("%s of %s (%q, committed %v): %d notifications, want %d", move, p.id, pl.fate, pl.committed, n, notices*want)
			}
		}
	}
	for _, p := range plans {
		check(p, "accept", &p.accept, "resolve", 0)
		status := domain.TicketSubmitted
		if p.accept.committed {
			status = domain.TicketAccepted
			check(p, "assign", &p.assign, "sign", officers)
			if p.assign.committed {
				status = domain.TicketAssigned
			}
		}
		tk, err := tickets.Ticket(system, p.id)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Status != status {
			t.Errorf("ticket %s is %s, want %s", p.id, tk.Status, status)
		}
	}
	if n := count(`SELECT count(*) FROM notifications`); n != officers*count(`SELECT count(*) FROM ticket_events WHERE action = 'assign'`) {
		t.Errorf("%d notifications in all for %d committed assigns", n, count(`SELECT count(*) FROM ticket_events WHERE action = 'assign'`))
	}
	v, err := db.VerifyAudit(ctx)
	if err != nil || !v.OK {
		t.Fatalf("the audit chain after the rollbacks: %+v %v", v, err)
	}
	if rolledBack*100 < attempted*25 {
		t.Errorf("only %d of %d moves were rolled back: the test forced too few", rolledBack, attempted)
	}
	t.Logf("FIGURE rolled-back-moves: %d moves in %s: %d committed (%d of them after two forced deadlocks), %d rolled back; "+
		"events, audit records, jobs and notifications exactly for the committed ones; audit chain intact (%d records)",
		attempted, took.Round(time.Millisecond), committed, retried, rolledBack, v.Checked)
}
