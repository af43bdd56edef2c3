package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"

	"steward/domain"
	"steward/domain/postgres"
)

func TestPlanNodeClockRemindsOnWorkingDaysAndStopsOnceDone(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	ctx := context.Background()
	sys := domain.WithActor(ctx, domain.System)
	plans := postgres.NewPlanService(d.db, d.tickets)

	// The enterprise's project (its steward and leader are the enterprise's) gets a plan on
	// Friday 25 September 2026: the power company's connection study (3 working days), then its
	// connection works (2 working days).
	proj := &domain.Project{EnterpriseID: d.ent.ID, Name: "智能装备产业园新建项目", Kind: domain.ProjectNew, Industry: "C",
		PlannedInvestment: 50000, PlannedStart: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		PlannedCompletion: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), KeyLevel: domain.KeyDistrict}
	if err := postgres.NewProjectService(d.db).CreateProject(sys, proj); err != nil {
		t.Fatal(err)
	}
	tpl := &domain.PlanTemplate{Name: "供电接入", ProjectKind: domain.ProjectNew, Nodes: []domain.PlanTemplateNode{
		{Key: "study", Name: "接入方案答复", DepartmentID: d.dept.ID, Days: 3},
		{Key: "works", Name: "外线工程", DepartmentID: d.dept.ID, Days: 2, After: []string{"study"}},
	}}
	if err := plans.CreatePlanTemplate(sys, tpl); err != nil {
		t.Fatal(err)
	}
	plan, err := plans.CreatePlan(as(d.dispatcher), proj.ID, tpl.ID, cst("2026-09-25 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"warn":     cst("2026-09-29 18:00"), // a working day before due
		"due":      cst("2026-09-30 18:00"), // Mon 28, Tue 29, Wed 30
		"escalate": cst("2026-10-09 18:00"), // two working days after: National Day off, Thu 8, Fri 9
	}
	jobs := d.queuedJobs(t, "plan_node_clock")
	if len(jobs) != 3 {
		t.Fatalf("%d plan_node_clock jobs, want 3 levels of the study", len(jobs))
	}
	for _, j := range jobs {
		var a domain.PlanNodeClockArgs
		json.Unmarshal(j.args, &a)
		if !want[a.Level].Equal(j.at) || !a.Due.Equal(want["due"]) || a.NodeID != plan.Nodes[0].ID {
			t.Errorf("%s scheduled at %s due %s, want %s", a.Level, j.at.In(domain.Shanghai), a.Due.In(domain.Shanghai), want[a.Level].In(domain.Shanghai))
		}
	}
	// A move that leaves the clock as it is (starting the work) queues nothing again.
	if plan, err = plans.ActOnNode(as(d.officer), proj.ID, plan.Nodes[0].ID, plan.Version, domain.PlanAction{Move: domain.PlanMoveStart}); err != nil {
		t.Fatal(err)
	}
	if n := len(d.queuedJobs(t, "plan_node_clock")); n != 3 {
		t.Fatalf("%d plan_node_clock jobs after starting, want still 3", n)
	}

	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		&planNodeClockWorker{deps: Deps{Logger: slog.New(slog.DiscardHandler), Plans: plans}})
	for _, j := range jobs {
		d.set(j.at)
		var a domain.PlanNodeClockArgs
		json.Unmarshal(j.args, &a)
		// Thursday 8 October, before the escalation, the study is done: its escalation is a no-op,
		// and the works become ready with their own clock.
		if a.Level == domain.ClockEscalate {
			d.set(cst("2026-10-08 09:00"))
			if plan, err = plans.ActOnNode(as(d.officer), proj.ID, plan.Nodes[0].ID, plan.Version,
				domain.PlanAction{Move: domain.PlanMoveFinish, Date: cst("2026-10-08 09:00"), Note: "接入方案已答复"}); err != nil {
				t.Fatal(err)
			}
			d.set(j.at)
		}
		for range 2 { // twice, as a crash and a retry would
			tx, _ := d.db.SQL.BeginTx(ctx, nil)
			if _, err := w.Work(ctx, t, tx, a, nil); err != nil {
				t.Fatal(err)
			}
			tx.Rollback()
		}
	}
	// The works: ready Thursday 8 October, due Saturday 10 (Fri 9, and the make-up Saturday).
	var works []domain.PlanNodeClockArgs
	for _, j := range d.queuedJobs(t, "plan_node_clock") {
		var a domain.PlanNodeClockArgs
		json.Unmarshal(j.args, &a)
		if a.NodeID == plan.Nodes[1].ID {
			works = append(works, a)
		}
	}
	if len(works) != 3 || !works[0].Due.Equal(cst("2026-10-10 18:00")) {
		t.Fatalf("the works' reminders: %+v", works)
	}

	rows, err := d.db.SQL.Query(`SELECT n.kind || ' ' || to_char(n.created_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') || ' ' || u.username
		FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE n.title LIKE '%审批节点%' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	rows.Close()
	// Ready notices go to the department's officers (the study at creation, the works when the
	// study is done); the study's warning to its officers and head, its due reminder also to the
	// steward and leader; no escalation, since it was done before; each once.
	if fmt.Sprint(got) != "[ticket_assigned 09-25 10:00 head ticket_assigned 09-25 10:00 officer "+
		"ticket_assigned 10-08 09:00 head ticket_assigned 10-08 09:00 officer "+
		"ticket_due 09-30 18:00 head ticket_due 09-30 18:00 leader ticket_due 09-30 18:00 officer ticket_due 09-30 18:00 steward "+
		"ticket_warn 09-29 18:00 head ticket_warn 09-29 18:00 officer]" {
		t.Fatalf("plan node reminders:\n%v", got)
	}
}
