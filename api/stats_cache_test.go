package api_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/postgres"
)

// The statistics cache must never serve a number a fresh computation would not give: after each
// kind of change — a ticket moved, rated or corrected behind the services' back, a visit, a
// reassignment — and when only the clock moves (a light turns yellow, then red), the cached
// service answers exactly what one that computes everything anew answers.
func TestStatsCacheIsNeverStale(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	b := w.b
	cached := postgres.NewStatsService(b.db, postgres.NewCalendarService(b.db))
	fresh := postgres.NewStatsService(b.db, postgres.NewCalendarService(b.db))
	fresh.NoCache = true

	leader := domain.WithActor(context.Background(), &domain.Actor{UserID: w.l1.ID, Username: w.l1.Username, Role: domain.RoleLeader,
		DepartmentID: w.l1.DepartmentID})
	steward := domain.WithActor(context.Background(), &domain.Actor{UserID: w.s1.ID, Username: w.s1.Username, Role: domain.RoleSteward,
		DepartmentID: w.s1.DepartmentID})
	officer := domain.WithActor(context.Background(), &domain.Actor{UserID: "00000000-0000-0000-0000-000000000001", Role: domain.RoleOfficer,
		DepartmentID: w.d1.ID})
	september := domain.MonthPeriod(2026, time.September)
	same := func(t *testing.T, what string, got, want any, gerr, werr error) {
		t.Helper()
		if gerr != nil || werr != nil {
			t.Fatalf("%s: cached error %v, fresh error %v", what, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the cache answered\n%+v\nbut a fresh computation\n%+v", what, got, want)
		}
	}
	// check compares every statistic, twice (the second from the cache), for the bureau, a
	// leader, a steward and an officer, over September and the current month.
	check := func(t *testing.T, step string) {
		t.Helper()
		for range 2 {
			for _, p := range []domain.StatsPeriod{september, {}} {
				for name, ctx := range map[string]context.Context{"bureau": system, "leader": leader, "steward": steward} {
					ov, err := cached.Overview(ctx, p)
					ov2, err2 := fresh.Overview(ctx, p)
					same(t, step+": overview of "+name, ov, ov2, err, err2)
					st, err := cached.Stewards(ctx, p)
					st2, err2 := fresh.Stewards(ctx, p)
					same(t, step+": stewards of "+name, st, st2, err, err2)
					c, err := cached.Categories(ctx, p)
					c2, err2 := fresh.Categories(ctx, p)
					same(t, step+": categories of "+name, c, c2, err, err2)
				}
				for name, ctx := range map[string]context.Context{"bureau": system, "leader": leader, "officer": officer} {
					d, err := cached.Departments(ctx, p)
					d2, err2 := fresh.Departments(ctx, p)
					same(t, step+": departments of "+name, d, d2, err, err2)
				}
			}
			tr, err := cached.Trends(system, 3)
			tr2, err2 := fresh.Trends(system, 3)
			same(t, step+": trends", tr, tr2, err, err2)
		}
	}
	overview := func(t *testing.T, p domain.StatsPeriod) *domain.Overview {
		t.Helper()
		ov, err := cached.Overview(system, p)
		if err != nil {
			t.Fatal(err)
		}
		return ov
	}
	act := func(t *testing.T, tk *domain.Ticket, a domain.TicketAction) *domain.Ticket {
		t.Helper()
		got, err := b.tickets.Act(system, tk.ID, tk.Version, a)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		return got
	}
	check(t, "start")
	if ov := overview(t, september); ov.Tickets.Red != 1 || ov.Visits.Covered != 1 {
		t.Fatalf("September: %d red, %d covered; want 1 and 1", ov.Tickets.Red, ov.Visits.Covered)
	}

	// Ticket moves: T4 returned by 供电公司, routed to 住建局, signed for and resolved.
	t4 := act(t, w.t4, domain.TicketAction{Name: "return", Reason: "不属于本单位职责范围"})
	check(t, "T4 returned")
	t4 = act(t, t4, domain.TicketAction{Name: "assign", Department: w.d1.ID})
	t4 = act(t, t4, domain.TicketAction{Name: "sign"})
	check(t, "T4 rerouted")
	act(t, t4, domain.TicketAction{Name: "resolve", Resolution: "已协调完成审批并办结。"})
	check(t, "T4 resolved")
	if ov := overview(t, september); ov.Tickets.Red != 0 || ov.Tickets.Resolved != 4 || ov.Tickets.Returned != 1 {
		t.Errorf("after T4 was returned and resolved: %+v; want 0 red, 4 resolved, 1 returned", ov.Tickets)
	}

	// A correction behind the services' back (an administrator's SQL).
	if _, err := b.db.Pool.Exec(context.Background(), `UPDATE tickets SET rating_solved = 5 WHERE rating_solved = 3`); err != nil {
		t.Fatal(err)
	}
	check(t, "rating corrected")
	if ov := overview(t, september); ov.Tickets.Satisfied != 2 {
		t.Errorf("after the correction: %d satisfied, want 2", ov.Tickets.Satisfied)
	}

	// A visit to e2, which covers it.
	visits := postgres.NewVisitService(b.db, b.tickets)
	s2 := domain.WithActor(system, &domain.Actor{UserID: w.s2.ID, Username: w.s2.Username, Role: domain.RoleSteward, DepartmentID: w.s2.DepartmentID})
	v := &domain.Visit{EnterpriseID: w.e2.ID, VisitedAt: b.db.Now().Add(-time.Hour), Kind: domain.VisitPhone, Summary: "电话回访，了解审批进展"}
	if _, err := visits.CreateVisit(s2, v, nil, "", ""); err != nil {
		t.Fatal(err)
	}
	check(t, "e2 visited")
	if ov := overview(t, domain.StatsPeriod{}); ov.Visits.Count != 1 || ov.Visits.Covered != 1 {
		t.Errorf("this month after the visit: %d visits, %d covered; want 1 and 1", ov.Visits.Count, ov.Visits.Covered)
	}

	// e2 reassigned to leader1 and steward1: their portfolio grows.
	b.assign(t, domain.SubjectEnterprise, w.e2.ID, w.l1.ID, w.s1.ID)
	check(t, "e2 reassigned")

	// Only the clock moves: a new ticket turns yellow at its warning and red at its due time.
	tk := &domain.Ticket{EnterpriseID: w.e1.ID, CategoryID: "01900000-0000-7000-8000-000000000001", Title: "统计缓存诉求",
		Description: "统计缓存测试用的诉求，内容无关紧要。"}
	if _, err := b.tickets.CreateTicket(system, tk, "", ""); err != nil {
		t.Fatal(err)
	}
	tk = act(t, tk, domain.TicketAction{Name: "accept"})
	tk = act(t, tk, domain.TicketAction{Name: "assign", Department: w.d1.ID})
	tk = act(t, tk, domain.TicketAction{Name: "sign"})
	check(t, "new ticket")
	clock := tk.RunningClock()
	if clock == nil {
		t.Fatal("the new ticket's clock does not run")
	}
	// Ten minutes either side: the test's clock runs on from each setting while check compares
	// (seconds on a loaded machine), and the cached and the fresh answer must be taken on the
	// same side of the deadline.
	const margin = 10 * time.Minute
	for _, at := range []time.Time{clock.Warn.Add(-margin), clock.Warn.Add(margin), clock.Due.Add(-margin), clock.Due.Add(margin)} {
		b.setNow(at)
		check(t, "at "+at.Format(time.DateTime))
	}
	if ov := overview(t, domain.StatsPeriod{}); ov.Tickets.Red != 1 {
		t.Errorf("after its due time the new ticket is not red: %+v", ov.Tickets)
	}
}

// Under concurrent writes a cached answer is never older than the request: each overview
// counts at least the visits committed before it was asked for and at most those committed by
// the time it answered.
func TestStatsCacheUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)
	b := w.b
	cached := postgres.NewStatsService(b.db, postgres.NewCalendarService(b.db))
	visits := postgres.NewVisitService(b.db, b.tickets)
	sa := domain.WithActor(system, &domain.Actor{UserID: w.s1.ID, Username: w.s1.Username, Role: domain.RoleSteward, DepartmentID: w.s1.DepartmentID})
	p := domain.CurrentMonthToDate(b.db.Now())
	count := func() int {
		var n int
		if err := b.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM visits WHERE visited_at >= $1 AND visited_at < $2`,
			p.Start(), p.End()).Scan(&n); err != nil {
			t.Error(err)
		}
		return n
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			v := &domain.Visit{EnterpriseID: w.e1.ID, VisitedAt: b.db.Now().Add(-time.Hour), Kind: domain.VisitPhone, Summary: "电话回访，了解生产情况"}
			if _, err := visits.CreateVisit(sa, v, nil, "", ""); err != nil {
				t.Error(err)
				return
			}
			if i%3 == 0 {
				time.Sleep(20 * time.Millisecond) // let some reads find the cache valid
			}
		}
	}()
	readers := 4
	wg.Add(readers)
	deadline := time.Now().Add(3 * time.Second)
	for range readers {
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				before := count()
				ov, err := cached.Overview(system, p)
				if err != nil {
					t.Error(err)
					return
				}
				after := count()
				if ov.Visits.Count < before || ov.Visits.Count > after {
					t.Errorf("overview counted %d visits; %d were committed before the request and %d after it", ov.Visits.Count, before, after)
					return
				}
			}
		}()
	}
	time.Sleep(time.Until(deadline))
	close(stop)
	wg.Wait()
}
