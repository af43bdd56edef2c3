package postgres_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"steward/domain"
	"steward/domain/postgres"
)

// partsTicket is what decides whether a ticket is listed, and where.
type partsTicket struct {
	id, ent, status, dept, leader, steward, title string
	coHandlers                                    []string
	due, clockDue                                 *time.Time
}

// TestTicketListsPageTheirScope: a list read in parts (ticketParts: an officer's led and
// co-handled tickets, a leader's led and stewarded ones) pages exactly like the scope they cut:
// every ticket in scope once, in the list's order, across pages of 3 whose cursors fall inside
// either part, for tickets that match both parts, ties of deadline and filters. The expected list
// is the scope as DESIGN.md §5 says it, computed here from the rows.
func TestTicketListsPageTheirScope(t *testing.T) {
	t.Parallel()
	b := newTicketBundle(t)
	ctx, db := sysCtx, b.db
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.SQL.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var ents []string // 0 led by U, 1 stewarded by U, 2 through a project led by U, 3 not U's
	ents = append(ents, b.ent.ID)
	for i := 2; i <= 4; i++ {
		e := newEnterprise(i)
		if err := postgres.NewEnterpriseService(db).CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		ents = append(ents, e.ID)
	}
	deptA, deptB := uuid.NewString(), uuid.NewString()
	exec(`INSERT INTO departments (id, name, kind) VALUES ($1, '部门甲', 'government'), ($2, '部门乙', 'utility')`, deptA, deptB)
	u, s, v := uuid.NewString(), uuid.NewString(), uuid.NewString() // U leads, S stewards, V leads elsewhere
	for _, x := range []struct{ id, role string }{{u, "leader"}, {s, "steward"}, {v, "leader"}} {
		exec(`INSERT INTO users (id, username, display_name, role, password_hash) VALUES ($1, $2, $2, $3, 'x')`, x.id, x.role+x.id[:8], x.role)
	}
	project := uuid.NewString()
	exec(`INSERT INTO projects (id, enterprise_id, name, kind, industry, planned_investment, planned_start, planned_completion, key_level, stage, stage_since)
		VALUES ($1, $2, '二期厂房', 'new', 'C', 1000, '2026-01-01', '2027-01-01', 'district', 'signed', '2026-01-01')`, project, ents[2])
	for _, a := range []struct{ typ, subject, leader, steward string }{
		{"enterprise", ents[0], u, s}, {"enterprise", ents[1], v, u}, {"project", project, u, s}, {"enterprise", ents[3], v, s},
	} {
		exec(`INSERT INTO assignments (id, subject_type, subject_id, leader_id, steward_id, from_date, created_at)
			VALUES ($1, $2, $3, $4, $5, '2026-01-01', now())`, uuid.NewString(), a.typ, a.subject, a.leader, a.steward)
	}

	// Every combination that matters, some twice so that deadlines tie.
	past, future := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	dues := []*time.Time{nil, &past, &future, &past}
	var rows []partsTicket
	pick := rand.New(rand.NewPCG(15, 23)) // the same district every run
	n := 0
	for _, status := range []string{"submitted", "assigned", "in_progress", "resolved", "closed", "rejected"} {
		for _, dept := range []string{deptA, deptB, ""} {
			for _, co := range [][]string{nil, {deptA}, {deptB, deptA}} {
				for _, names := range [][2]string{{u, s}, {v, u}, {u, u}, {"", ""}} {
					n++
					r := partsTicket{id: uuid.NewString(), ent: ents[pick.IntN(4)], status: status, dept: dept, leader: names[0], steward: names[1],
						coHandlers: co, due: dues[pick.IntN(4)], title: []string{"用电增容", "用水报装"}[n%2]}
					r.clockDue = []*time.Time{nil, &past, &future}[pick.IntN(3)] // no clock, red, green
					rows = append(rows, r)
				}
			}
		}
	}
	for i, r := range rows {
		var opinions []map[string]string
		for _, d := range r.coHandlers {
			opinions = append(opinions, map[string]string{"department_id": d, "status": "owed"})
		}
		js, _ := json.Marshal(opinions)
		if opinions == nil {
			js = []byte("[]")
		}
		exec(`INSERT INTO tickets (id, number, enterprise_id, source, category_id, title, description, priority, status,
			department_id, leader_id, steward_id, sign_days, resolve_days, due_resolve_at, clock_due_at, clock_warn_at, opinions, created_at, updated_at)
			VALUES ($1, $2, $3, 'steward', '01900000-0000-7000-8000-000000000004', $4, '说明', 'normal', $5,
			nullif($6, '')::uuid, nullif($7, '')::uuid, nullif($8, '')::uuid, 1, 15, $9, $10, $10, $11, now(), now())`,
			r.id, fmt.Sprintf("SQ-2026-9%05d", i), r.ent, r.title, r.status, r.dept, r.leader, r.steward, r.due, r.clockDue, string(js))
	}

	open := func(r partsTicket) bool { return r.status != "rejected" && r.status != "closed" }
	leads := map[string]map[string]bool{u: {ents[0]: true, ents[1]: true, ents[2]: true}, s: {ents[0]: true, ents[2]: true, ents[3]: true}}
	officer := func(dept string) *domain.Actor {
		return &domain.Actor{UserID: uuid.NewString(), Role: domain.RoleOfficer, DepartmentID: dept}
	}
	type listCase struct {
		name  string
		actor *domain.Actor
		f     domain.TicketFilter
		want  func(partsTicket) bool
	}
	inDept := func(dept string) func(partsTicket) bool {
		return func(r partsTicket) bool { return r.dept == dept || (open(r) && slices.Contains(r.coHandlers, dept)) }
	}
	portfolio := func(user string) func(partsTicket) bool {
		return func(r partsTicket) bool { return leads[user][r.ent] }
	}
	mine := func(user string) func(partsTicket) bool {
		return func(r partsTicket) bool {
			return portfolio(user)(r) && open(r) && (r.leader == user || r.steward == user)
		}
	}
	and := func(ps ...func(partsTicket) bool) func(partsTicket) bool {
		return func(r partsTicket) bool {
			for _, p := range ps {
				if !p(r) {
					return false
				}
			}
			return true
		}
	}
	red := func(r partsTicket) bool { return r.clockDue != nil && r.clockDue.Before(time.Now()) }
	leader, steward := &domain.Actor{UserID: u, Role: domain.RoleLeader}, &domain.Actor{UserID: s, Role: domain.RoleSteward}
	var cases []listCase
	for _, urgent := range []bool{false, true} {
		cases = append(cases,
			listCase{"officer all", officer(deptA), domain.TicketFilter{Urgent: urgent}, inDept(deptA)},
			listCase{"officer inbox", officer(deptA), domain.TicketFilter{Mine: true, Urgent: urgent},
				func(r partsTicket) bool {
					return r.dept == deptA && (r.status == "assigned" || r.status == "in_progress")
				}},
			listCase{"officer red", officer(deptA), domain.TicketFilter{Light: domain.LightRed, Urgent: urgent}, and(inDept(deptA), red)},
			listCase{"officer q", officer(deptA), domain.TicketFilter{Q: "用水", Urgent: urgent},
				and(inDept(deptA), func(r partsTicket) bool { return r.title == "用水报装" })},
			listCase{"officer status", officer(deptA), domain.TicketFilter{Status: domain.TicketResolved, Urgent: urgent},
				and(inDept(deptA), func(r partsTicket) bool { return r.status == "resolved" })},
			listCase{"officer own department", officer(deptA), domain.TicketFilter{DepartmentID: deptA, Urgent: urgent},
				func(r partsTicket) bool { return r.dept == deptA }},
			listCase{"officer other lead", officer(deptA), domain.TicketFilter{DepartmentID: deptB, Urgent: urgent},
				and(inDept(deptA), func(r partsTicket) bool { return r.dept == deptB })},
			listCase{"officer opinions owed", officer(deptA), domain.TicketFilter{OpinionOwed: true, Urgent: urgent},
				and(inDept(deptA), func(r partsTicket) bool {
					return slices.Contains(r.coHandlers, deptA) && slices.Contains([]string{"accepted", "assigned", "in_progress", "returned"}, r.status)
				})},
			listCase{"leader all", leader, domain.TicketFilter{Urgent: urgent}, portfolio(u)},
			listCase{"leader portfolio", leader, domain.TicketFilter{Mine: true, Urgent: urgent}, mine(u)},
			listCase{"leader red", leader, domain.TicketFilter{Mine: true, Light: domain.LightRed, Urgent: urgent}, and(mine(u), red)},
			listCase{"leader enterprise", leader, domain.TicketFilter{Mine: true, EnterpriseID: ents[1], Urgent: urgent},
				and(mine(u), func(r partsTicket) bool { return r.ent == ents[1] })},
			listCase{"steward portfolio", steward, domain.TicketFilter{Mine: true, Urgent: urgent}, mine(s)},
		)
	}
	for _, c := range cases {
		var want []partsTicket
		for _, r := range rows {
			if c.want(r) {
				want = append(want, r)
			}
		}
		if c.f.Urgent {
			slices.SortFunc(want, func(x, y partsTicket) int {
				dx, dy := future.AddDate(1000, 0, 0), future.AddDate(1000, 0, 0) // no deadline: last
				if x.due != nil {
					dx = *x.due
				}
				if y.due != nil {
					dy = *y.due
				}
				return cmp.Or(dx.Compare(dy), cmp.Compare(x.id, y.id))
			})
		} else {
			slices.SortFunc(want, func(x, y partsTicket) int { return cmp.Compare(y.id, x.id) })
		}
		wantIDs := make([]string, len(want))
		for i, r := range want {
			wantIDs[i] = r.id
		}
		actx := domain.WithActor(ctx, c.actor)
		var got []string
		p := domain.Page{Limit: 3, WithTotal: true}
		for pages := 0; ; pages++ {
			l, err := b.tickets.Tickets(actx, c.f, p)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if pages == 0 && (l.Total == nil || *l.Total != len(wantIDs)) {
				total := -1
				if l.Total != nil {
					total = *l.Total
				}
				t.Errorf("%s, urgent %v: total %d, want %d", c.name, c.f.Urgent, total, len(wantIDs))
			}
			for _, tk := range l.Items {
				got = append(got, tk.ID)
			}
			if l.NextCursor == "" || pages > len(rows) {
				break
			}
			p = domain.Page{Limit: 3, Cursor: l.NextCursor}
		}
		if len(wantIDs) < 4 {
			t.Errorf("%s, urgent %v: only %d tickets to list; the case does not page", c.name, c.f.Urgent, len(wantIDs))
		}
		if !slices.Equal(got, wantIDs) {
			t.Errorf("%s, urgent %v: listed %d tickets\n%v\nwant %d\n%v", c.name, c.f.Urgent, len(got), got, len(wantIDs), wantIDs)
		}
	}
}
