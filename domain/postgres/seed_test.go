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
	// The seeds' COPY batches keep every enterprise's and project's last visit (migration 0024).
	var wrong int
	if err := db.SQL.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM enterprises e WHERE e.last_visit_at IS DISTINCT FROM
			(SELECT max(v.visited_at) FROM visits v WHERE v.enterprise_id = e.id)) +
		(SELECT count(*) FROM projects p WHERE p.last_visit_at IS DISTINCT FROM
			(SELECT max(v.visited_at) FROM visits v WHERE v.project_id = p.id))`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	var visited int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM enterprises WHERE last_visit_at IS NOT NULL`).Scan(&visited); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 || visited < 400 {
		t.Fatalf("after the seed %d enterprises and projects hold a wrong last visit, %d of 500 enterprises one at all", wrong, visited)
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

func TestSeedDemoPlansTellEveryStory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	if _, err := postgres.SeedDemo(ctx, db, "Demo-2026-pass"); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM plan_templates t WHERE t.project_kind = 'new' AND jsonb_array_length(t.nodes) = 12`); n != 1 {
		t.Errorf("%d industrial new-build templates of 12 nodes", n)
	}
	if n := count(`SELECT count(*) FROM plan_templates t WHERE t.project_kind = 'renovation' AND jsonb_array_length(t.nodes) = 6`); n != 1 {
		t.Errorf("%d renovation templates of 6 nodes", n)
	}
	// 环评, 能评 and 安评 run in parallel: each waits only for the site approval.
	if n := count(`SELECT count(*) FROM plan_templates t, jsonb_array_elements(t.nodes) n
		WHERE t.project_kind = 'new' AND n->>'key' IN ('eia', 'energy', 'safety') AND n->'after' = '["site"]'`); n != 3 {
		t.Errorf("%d of 环评/能评/安评 in parallel after the site approval, want 3", n)
	}
	if n := count(`SELECT count(*) FROM plans`); n < 18 || n > 25 {
		t.Errorf("%d plans, want about 20", n)
	}
	if n := count(`SELECT count(*) FROM plans WHERE status = 'done'`); n < 3 {
		t.Errorf("%d finished plans", n)
	}
	if n := count(`SELECT count(*) FROM plan_nodes WHERE status = 'blocked' AND ticket_id IS NOT NULL`); n < 2 {
		t.Errorf("%d blocked nodes with their ticket", n)
	}
	if n := count(`SELECT count(*) FROM tickets t JOIN plan_nodes n ON n.id = t.plan_node_id AND n.ticket_id = t.id`); n < 2 {
		t.Errorf("%d tickets linked both ways to their node", n)
	}
	if n := count(`SELECT count(*) FROM plan_nodes WHERE status = 'waived' AND reason <> ''`); n < 3 {
		t.Errorf("%d waived nodes with a reason", n)
	}
	if n := count(`SELECT count(DISTINCT status) FROM plan_nodes`); n != len(domain.PlanNodeStatuses) {
		t.Errorf("nodes in %d statuses, want all %d", n, len(domain.PlanNodeStatuses))
	}
	if n := count(`SELECT count(*) FROM plan_nodes WHERE status IN ('ready', 'in_progress', 'blocked') AND due_at < now()`); n < 2 {
		t.Errorf("%d overdue (red) open nodes", n)
	}
	if n := count(`SELECT count(*) FROM plan_nodes WHERE status IN ('ready', 'in_progress') AND due_at > now()`); n < 2 {
		t.Errorf("%d open nodes on time", n)
	}
	if n := count(`SELECT count(*) FROM plan_nodes WHERE status = 'done' AND finished_on > (due_at AT TIME ZONE 'Asia/Shanghai')::date`); n < 3 {
		t.Errorf("%d nodes finished late", n)
	}
	if n := count(`SELECT count(*) FROM river_job WHERE kind = 'plan_node_clock'`); n == 0 {
		t.Error("no plan_node_clock reminders queued")
	}

	// The lights as the plans show them: green, yellow and red all occur.
	sys := domain.WithActor(ctx, domain.System)
	cal := postgres.NewCalendarService(db)
	plans := postgres.NewPlanService(db, postgres.NewTicketService(db, postgres.WorkingDaysOf(cal), postgres.NewNotifier(db, postgres.WorkingTimeOf(cal))))
	rows, err := db.SQL.QueryContext(ctx, `SELECT project_id FROM plans`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	lights := map[domain.Light]int{}
	for _, id := range ids {
		p, err := plans.ProjectPlan(sys, id)
		if err != nil {
			t.Fatal(err)
		}
		lights[p.LightNow]++
	}
	if lights[domain.LightGreen] == 0 || lights[domain.LightYellow] == 0 || lights[domain.LightRed] == 0 {
		t.Errorf("plan lights %v, want green, yellow and red", lights)
	}
	t.Logf("plan lights %v", lights)
}
