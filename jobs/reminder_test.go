package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertest"

	"steward/domain"
	"steward/domain/postgres"
	"steward/domain/postgres/pgtest"
)

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// district is a small district on its own database with a clock the test moves.
type district struct {
	db                                         *postgres.DB
	now                                        atomic.Int64
	tickets                                    *postgres.TicketService
	reminders                                  *postgres.Reminders
	ent                                        *domain.Enterprise
	dept                                       *domain.Department
	officer, head, steward, leader, dispatcher *domain.User
	bureauHead                                 *domain.User
}

func (d *district) set(t time.Time) { d.now.Store(t.UnixNano()) }

func newDistrict(t *testing.T) *district {
	t.Helper()
	d := &district{db: pgtest.New(t)}
	d.set(cst("2026-09-25 10:00"))
	d.db.Now = func() time.Time { return time.Unix(0, d.now.Load()) }
	ctx := domain.WithActor(context.Background(), domain.System)
	cal := postgres.NewCalendarService(d.db)
	notifier := postgres.NewNotifier(d.db, postgres.WorkingTimeOf(cal))
	d.tickets = postgres.NewTicketService(d.db, postgres.WorkingDaysOf(cal), notifier)
	visits := postgres.NewVisitService(d.db, d.tickets)
	d.reminders = postgres.NewReminders(d.db, d.tickets, visits, postgres.NewProjectService(d.db), notifier)

	depts := postgres.NewDepartmentService(d.db)
	users := postgres.NewUserService(d.db)
	bureau := &domain.Department{Name: "区营商环境建设局", Kind: domain.DepartmentBureau}
	gov := &domain.Department{Name: "区人民政府", Kind: domain.DepartmentGovernment}
	d.dept = &domain.Department{Name: "国网区供电公司", Kind: domain.DepartmentUtility}
	for _, x := range []*domain.Department{bureau, gov, d.dept} {
		if err := depts.CreateDepartment(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(name string, role domain.Role, dept string) *domain.User {
		u := &domain.User{Username: name, DisplayName: name, Role: role, DepartmentID: dept}
		if err := users.CreateUser(ctx, u, "Kx9#mPq2-vL", false); err != nil {
			t.Fatal(err)
		}
		return u
	}
	d.officer, d.head = mk("officer", domain.RoleOfficer, d.dept.ID), mk("head", domain.RoleOfficer, d.dept.ID)
	d.steward, d.leader = mk("steward", domain.RoleSteward, bureau.ID), mk("leader", domain.RoleLeader, gov.ID)
	d.dispatcher, d.bureauHead = mk("dispatcher", domain.RoleDispatcher, bureau.ID), mk("chief", domain.RoleDispatcher, bureau.ID)
	for dept, head := range map[string]string{d.dept.ID: d.head.ID, bureau.ID: d.bureauHead.ID} {
		var version int
		if err := d.db.SQL.QueryRow(`SELECT version FROM departments WHERE id = $1`, dept).Scan(&version); err != nil {
			t.Fatal(err)
		}
		if _, err := depts.UpdateDepartment(ctx, dept, version, domain.DepartmentPatch{HeadUserID: &head}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := domain.CreditCodeCheckChar("91320594MA1MXK8D0")
	d.ent = &domain.Enterprise{Name: "苏州示范智能装备有限公司", CreditCode: "91320594MA1MXK8D0" + string(c), Industry: "C",
		Scale: domain.ScaleMedium, KeyLevel: domain.KeyDistrict}
	if err := postgres.NewEnterpriseService(d.db).CreateEnterprise(ctx, d.ent); err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewAssignmentService(d.db).Assign(ctx, &domain.Assignment{SubjectType: domain.SubjectEnterprise,
		SubjectID: d.ent.ID, LeaderID: d.leader.ID, StewardID: d.steward.ID}); err != nil {
		t.Fatal(err)
	}
	return d
}

// as acts as u.
func as(u *domain.User) context.Context {
	return domain.WithActor(context.Background(), &domain.Actor{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName,
		Role: u.Role, DepartmentID: u.DepartmentID})
}

type queued struct {
	id   int64
	args json.RawMessage
	at   time.Time
}

// queuedJobs returns the jobs of a kind, in the order they are scheduled.
func (d *district) queuedJobs(t *testing.T, kind string) []queued {
	t.Helper()
	rows, err := d.db.SQL.Query(`SELECT id, args, scheduled_at FROM river_job WHERE kind = $1 ORDER BY scheduled_at, id`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []queued
	for rows.Next() {
		var q queued
		if err := rows.Scan(&q.id, &q.args, &q.at); err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
	return out
}

// received lists who got notifications of a kind, by username.
func (d *district) received(t *testing.T, kind domain.NotificationKind) []string {
	t.Helper()
	rows, err := d.db.SQL.Query(`SELECT u.username FROM notifications n JOIN users u ON u.id = n.recipient_id
		WHERE n.kind = $1 ORDER BY u.username`, string(kind))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func TestTicketClocksFireOnWorkingDaysAcrossNationalDay(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	ctx := context.Background()

	// Friday 25 September 2026 (the Mid-Autumn holiday just before National Day): a policy
	// question (3 working days to resolve) is accepted and routed to the power company.
	tk := &domain.Ticket{EnterpriseID: d.ent.ID, CategoryID: "01900000-0000-7000-8000-000000000001",
		Title: "高新技术企业认定政策咨询", Description: "企业希望了解今年高新技术企业认定的申报条件和时间安排。"}
	if _, err := d.tickets.CreateTicket(as(d.steward), tk, "", ""); err != nil {
		t.Fatal(err)
	}
	var err error
	if tk, err = d.tickets.Act(as(d.dispatcher), tk.ID, 1, domain.TicketAction{Name: "accept"}); err != nil {
		t.Fatal(err)
	}
	if tk, err = d.tickets.Act(as(d.dispatcher), tk.ID, 2, domain.TicketAction{Name: "assign", Department: d.dept.ID}); err != nil {
		t.Fatal(err)
	}
	if got := d.received(t, domain.NotifyTicketAssigned); fmt.Sprint(got) != "[head officer]" {
		t.Fatalf("the department was told of the new ticket: %v", got)
	}
	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		&ticketClockWorker{deps: Deps{Logger: slog.New(slog.DiscardHandler), Reminders: d.reminders}})
	work := func(args json.RawMessage) {
		var a domain.TicketClockArgs
		json.Unmarshal(args, &a)
		for range 2 { // twice, as a crash and a retry would
			tx, err := d.db.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Work(ctx, t, tx, a, nil); err != nil {
				t.Fatal(err)
			}
			tx.Rollback() // rivertest's own job rows only; the reminder commits on its own
		}
	}
	// The sign-for clock (due Monday 28 18:00) has a working day left from the start: its warning
	// is scheduled in the past and runs at once.
	d.set(cst("2026-09-25 10:01"))
	for _, j := range d.queuedJobs(t, "ticket_clock") {
		if !j.at.After(cst("2026-09-25 10:00")) {
			work(j.args)
		}
	}
	// Monday morning the officer signs for it: the sign-for clock stops.
	d.set(cst("2026-09-28 09:00"))
	if tk, err = d.tickets.Act(as(d.officer), tk.ID, 3, domain.TicketAction{Name: "sign"}); err != nil {
		t.Fatal(err)
	}

	// Every reminder was queued in the moves' transactions, at the working-day times.
	want := map[string]time.Time{
		"resolve warn":     cst("2026-09-29 18:00"), // one working day before due
		"resolve due":      cst("2026-09-30 18:00"), // 3 working days: Mon 28, Tue 29, Wed 30
		"resolve escalate": cst("2026-10-09 18:00"), // two working days after: National Day off, Thu 8, Fri 9
		"sign warn":        cst("2026-09-24 18:00"), // the sign-for clock (due Mon 28 18:00) was yellow from the start
		"sign due":         cst("2026-09-28 18:00"),
		"sign escalate":    cst("2026-09-30 18:00"),
	}
	jobs := d.queuedJobs(t, "ticket_clock")
	if len(jobs) != len(want) {
		t.Fatalf("%d ticket_clock jobs, want %d", len(jobs), len(want))
	}
	for _, j := range jobs {
		var a domain.TicketClockArgs
		json.Unmarshal(j.args, &a)
		key := a.Clock + " " + a.Level
		if at, ok := want[key]; !ok || !at.Equal(j.at) {
			t.Errorf("%s scheduled at %s, want %s", key, j.at.In(domain.Shanghai), want[key].In(domain.Shanghai))
		}
	}

	// Travel through time, working each job when it falls due (twice each): each reminder
	// reaches the right people once; the stopped sign-for clock stays silent; nothing fires
	// during the holiday.
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].at.Before(jobs[j].at) })
	for _, j := range jobs {
		if j.at.After(cst("2026-09-25 10:00")) {
			d.set(j.at)
			work(j.args)
		}
	}
	for kind, who := range map[domain.NotificationKind]string{
		domain.NotifyTicketWarn:     "[head head officer officer]", // sign-for warn on Friday to the department, resolve warn on Tuesday 29 to the handler and head
		domain.NotifyTicketDue:      "[head leader officer steward]",
		domain.NotifyTicketEscalate: "[chief dispatcher head leader officer steward]",
	} {
		if got := fmt.Sprint(d.received(t, kind)); got != who {
			t.Errorf("%s went to %s, want %s", kind, got, who)
		}
	}
	var times []string
	rows, _ := d.db.SQL.Query(`SELECT DISTINCT kind || ' ' || to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI')
		FROM notifications WHERE kind LIKE 'ticket_%' ORDER BY 1`)
	for rows.Next() {
		var s string
		rows.Scan(&s)
		times = append(times, s)
	}
	rows.Close()
	if fmt.Sprint(times) != "[ticket_assigned 09-25 10:00 ticket_due 09-30 18:00 ticket_escalate 10-09 18:00 ticket_warn 09-25 10:01 ticket_warn 09-29 18:00]" {
		t.Fatalf("notification times %v", times)
	}
}

func TestRatingFollowupRemindsThenClosesUnrated(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	ctx := context.Background()
	d.set(cst("2026-10-12 10:00"))
	tk := &domain.Ticket{EnterpriseID: d.ent.ID, CategoryID: "01900000-0000-7000-8000-000000000008",
		Title: "园区道路路灯损坏", Description: "企业门口道路路灯损坏多日，夜间员工出行不便。"}
	if _, err := d.tickets.CreateTicket(as(d.steward), tk, "", ""); err != nil {
		t.Fatal(err)
	}
	var err error
	for i, step := range []struct {
		who *domain.User
		act domain.TicketAction
	}{
		{d.dispatcher, domain.TicketAction{Name: "accept"}},
		{d.dispatcher, domain.TicketAction{Name: "assign", Department: d.dept.ID}},
		{d.officer, domain.TicketAction{Name: "sign"}},
		{d.officer, domain.TicketAction{Name: "resolve", Resolution: "已更换路灯。"}},
	} {
		if tk, err = d.tickets.Act(as(step.who), tk.ID, i+1, step.act); err != nil {
			t.Fatal(err)
		}
	}
	jobs := d.queuedJobs(t, "rating_followup")
	if len(jobs) != 2 || !jobs[0].at.Equal(cst("2026-10-14 10:00")) || !jobs[1].at.Equal(cst("2026-10-21 10:00")) {
		t.Fatalf("rating follow-ups %+v, want a reminder on 14 Oct and the close on 21 Oct", jobs)
	}
	w := rivertest.NewWorker(t, riverdatabasesql.New(nil), &river.Config{},
		&ratingFollowupWorker{deps: Deps{Logger: slog.New(slog.DiscardHandler), Reminders: d.reminders}})
	for _, j := range jobs {
		d.set(j.at)
		var a domain.RatingFollowupArgs
		json.Unmarshal(j.args, &a)
		tx, _ := d.db.SQL.BeginTx(ctx, nil)
		if _, err := w.Work(ctx, t, tx, a, nil); err != nil {
			t.Fatal(err)
		}
		tx.Rollback()
	}
	got, err := d.tickets.Ticket(domain.WithActor(ctx, domain.System), tk.ID)
	if err != nil || got.Status != domain.TicketClosed || got.Rating == nil || !got.Rating.Auto {
		t.Fatalf("after the follow-ups: %+v %v", got, err)
	}
}
