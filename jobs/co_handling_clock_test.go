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

func TestCoHandlingClockRemindsTheOwingDepartmentOnWorkingDays(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	ctx := context.Background()
	sys := domain.WithActor(ctx, domain.System)

	// Two co-handling departments, each with an officer and a head.
	depts, users := postgres.NewDepartmentService(d.db), postgres.NewUserService(d.db)
	co := map[string]*domain.Department{}
	for _, name := range []string{"land", "env"} {
		dept := &domain.Department{Name: name + "局", Kind: domain.DepartmentGovernment}
		if err := depts.CreateDepartment(sys, dept); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{name + "-officer", name + "-head"} {
			if err := users.CreateUser(sys, &domain.User{Username: u, DisplayName: u, Role: domain.RoleOfficer, DepartmentID: dept.ID}, "Kx9#mPq2-vL", false); err != nil {
				t.Fatal(err)
			}
		}
		var head string
		d.db.SQL.QueryRow(`SELECT id FROM users WHERE username = $1`, name+"-head").Scan(&head)
		if _, err := depts.UpdateDepartment(sys, dept.ID, 1, domain.DepartmentPatch{HeadUserID: &head}); err != nil {
			t.Fatal(err)
		}
		co[name] = dept
	}

	// Friday 25 September 2026: a policy question (sign 1, resolve 3 working days) is routed
	// to the power company with land and env co-handling: opinions owe 1 + 2 = 3 working days.
	tk := &domain.Ticket{EnterpriseID: d.ent.ID, CategoryID: "01900000-0000-7000-8000-000000000001",
		Title: "高新技术企业认定政策咨询", Description: "企业希望了解今年高新技术企业认定的申报条件和时间安排。"}
	if _, err := d.tickets.CreateTicket(as(d.steward), tk, "", ""); err != nil {
		t.Fatal(err)
	}
	var err error
	if tk, err = d.tickets.Act(as(d.dispatcher), tk.ID, 1, domain.TicketAction{Name: "accept"}); err != nil {
		t.Fatal(err)
	}
	if tk, err = d.tickets.Act(as(d.dispatcher), tk.ID, 2, domain.TicketAction{Name: "assign", Department: d.dept.ID,
		CoDepartments: []string{co["land"].ID, co["env"].ID}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"warn":     cst("2026-09-29 18:00"), // a working day before due
		"due":      cst("2026-09-30 18:00"), // Mon 28, Tue 29, Wed 30
		"escalate": cst("2026-10-09 18:00"), // two working days after: National Day off, Thu 8, Fri 9
	}
	jobs := d.queuedJobs(t, "co_handling_clock")
	if len(jobs) != 6 {
		t.Fatalf("%d co_handling_clock jobs, want 3 levels × 2 departments", len(jobs))
	}
	for _, j := range jobs {
		var a domain.CoHandlingClockArgs
		json.Unmarshal(j.args, &a)
		if !want[a.Level].Equal(j.at) || !a.Due.Equal(want["due"]) {
			t.Errorf("%s scheduled at %s due %s, want %s", a.Level, j.at.In(domain.Shanghai), a.Due.In(domain.Shanghai), want[a.Level].In(domain.Shanghai))
		}
	}
	// A move that leaves the opinions as they are queues none again (unique per
	// ticket/department/level/due, and only started or moved clocks are queued).
	if tk, err = d.tickets.Act(as(d.officer), tk.ID, 3, domain.TicketAction{Name: "sign"}); err != nil {
		t.Fatal(err)
	}
	if n := len(d.queuedJobs(t, "co_handling_clock")); n != 6 {
		t.Fatalf("%d co_handling_clock jobs after signing, want still 6", n)
	}

	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		&coHandlingClockWorker{deps: Deps{Logger: slog.New(slog.DiscardHandler), Reminders: d.reminders}})
	landOfficer := &domain.User{}
	d.db.SQL.QueryRow(`SELECT id, username FROM users WHERE username = 'land-officer'`).Scan(&landOfficer.ID, &landOfficer.Username)
	landOfficer.Role, landOfficer.DepartmentID = domain.RoleOfficer, co["land"].ID
	for _, j := range jobs {
		d.set(j.at)
		var a domain.CoHandlingClockArgs
		json.Unmarshal(j.args, &a)
		for range 2 { // twice, as a crash and a retry would
			tx, _ := d.db.SQL.BeginTx(ctx, nil)
			if _, err := w.Work(ctx, t, tx, a, nil); err != nil {
				t.Fatal(err)
			}
			tx.Rollback()
		}
		// Wednesday morning, after the warning, land gives its opinion: its clock stops.
		if a.Level == domain.ClockWarn && a.DepartmentID == co["land"].ID {
			d.set(cst("2026-09-30 09:00"))
			if _, err := d.tickets.GiveOpinion(as(landOfficer), tk.ID, "用地符合规划。"); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := d.db.SQL.Query(`SELECT n.kind || ' ' || to_char(n.created_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') || ' ' || u.username
		FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE n.title LIKE '%协办意见%' ORDER BY 1`)
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
	// land hears the warning only, and the lead's handler and head hear of its opinion; env is
	// warned, reminded at due, and escalated to the dispatchers two working days after; each once.
	if fmt.Sprint(got) != "[ticket_due 09-30 18:00 env-head ticket_due 09-30 18:00 env-officer "+
		"ticket_escalate 10-09 18:00 chief ticket_escalate 10-09 18:00 dispatcher ticket_escalate 10-09 18:00 env-head ticket_escalate 10-09 18:00 env-officer "+
		"ticket_opinion 09-30 09:00 head ticket_opinion 09-30 09:00 officer "+
		"ticket_warn 09-29 18:00 env-head ticket_warn 09-29 18:00 env-officer ticket_warn 09-29 18:00 land-head ticket_warn 09-29 18:00 land-officer]" {
		t.Fatalf("co-handling reminders:\n%v", got)
	}
}
