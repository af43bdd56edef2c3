package postgres_test

import (
	"context"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func TestSeedDemoBuildsTheDistrictOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	logins, err := postgres.SeedDemo(ctx, db, "Demo-2026-pass")
	if err != nil {
		t.Fatal(err)
	}
	roles := map[domain.Role]int{}
	for _, l := range logins {
		roles[l.Role]++
	}
	for _, r := range domain.Roles {
		if roles[r] == 0 {
			t.Errorf("no demo login for role %s", r)
		}
	}
	if roles[domain.RoleLeader] != 3 || roles[domain.RoleSteward] != 6 {
		t.Errorf("leaders %d stewards %d, want 3 and 6", roles[domain.RoleLeader], roles[domain.RoleSteward])
	}
	count := func(q string) int {
		var n int
		if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM enterprises`); n < 200 {
		t.Errorf("%d enterprises, want about 200", n)
	}
	if n := count(`SELECT count(DISTINCT stage) FROM projects`); n != len(domain.Stages) {
		t.Errorf("projects cover %d stages, want all %d", n, len(domain.Stages))
	}
	if n := count(`SELECT count(*) FROM enterprises e WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.subject_id = e.id AND a.to_date IS NULL)`); n != 0 {
		t.Errorf("%d enterprises without a current leader and steward", n)
	}
	if n := count(`SELECT count(*) FROM assignments WHERE to_date IS NOT NULL`); n == 0 {
		t.Error("no assignment history")
	}
	if n := count(`SELECT count(DISTINCT light) FROM projects WHERE stage = 'under_construction'`); n < 2 {
		t.Errorf("projects under construction show %d kinds of light, want a mix", n)
	}
	if n := count(`SELECT count(DISTINCT status) FROM tickets`); n != len(domain.TicketStatuses) {
		t.Errorf("tickets in %d statuses, want all %d", n, len(domain.TicketStatuses))
	}
	if n := count(`SELECT count(*) FROM visits`); n < 1000 {
		t.Errorf("%d visits, want a year of them (about 1,500)", n)
	}
	if n := count(`SELECT count(*) FROM visits WHERE visited_at < now() - interval '300 days'`); n == 0 {
		t.Error("no visits from early in the year")
	}
	if n := count(`SELECT count(*) FROM tickets WHERE rating_solved IS NOT NULL`); n == 0 {
		t.Error("no rated tickets")
	}
	if v, err := db.VerifyAudit(ctx); err != nil || !v.OK || v.Checked < 500 {
		t.Errorf("audit after seeding: %+v %v", v, err)
	}
	again, err := postgres.SeedDemo(ctx, db, "Demo-2026-pass")
	if err != nil || len(again) != 0 {
		t.Fatalf("a second seed on a seeded database: %v, %v", again, err)
	}
}

func TestSeedScaleWritesAWorkingDistrict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	res, err := postgres.SeedScale(ctx, db, postgres.ScaleOptions{Enterprises: 500, Projects: 100, Users: 60, Visits: 3000, Tickets: 1000, Password: "Bench-2026-pass"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Enterprises != 500 || res.Projects != 100 || res.Users != 60 || res.Visits != 3000 || res.Tickets != 1000 {
		t.Fatalf("seeded %+v", res)
	}
	// A steward of the synthetic district sees a portfolio through the normal services.
	var steward struct{ ID, Username string }
	if err := db.SQL.QueryRowContext(ctx, `SELECT id, username FROM users WHERE role = 'steward' LIMIT 1`).Scan(&steward.ID, &steward.Username); err != nil {
		t.Fatal(err)
	}
	auth := postgres.NewAuthService(db)
	_, token, err := auth.Login(ctx, steward.Username, "Bench-2026-pass", "test")
	if err != nil {
		t.Fatal(err)
	}
	actor, err := auth.Session(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	l, err := postgres.NewEnterpriseService(db).Enterprises(domain.WithActor(ctx, actor), domain.EnterpriseFilter{}, domain.Page{WithTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	if *l.Total < 50 || *l.Total > 120 {
		t.Fatalf("a steward's portfolio holds %d of 500 enterprises, want about a sixth", *l.Total)
	}
	if _, err := postgres.SeedScale(ctx, db, postgres.ScaleOptions{Enterprises: 1, Password: "Bench-2026-pass"}); err == nil {
		t.Fatal("a second scale seed into a full database was accepted")
	}
}
