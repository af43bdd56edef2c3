package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/calendar"
)

// cal is the statutory calendar (National Day 2026: 1–7 October off, Saturday 10 October worked).
var cal, _ = calendar.New()

func pday(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func bj(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// worked is the example of the issue: A 5 days; B after A, 3; C after A, 4; D after B and C, 2.
func worked() *domain.PlanTemplate {
	return &domain.PlanTemplate{Name: "示例", ProjectKind: domain.ProjectNew, Nodes: []domain.PlanTemplateNode{
		{Key: "A", Name: "立项备案", DepartmentID: "fgj", Days: 5},
		{Key: "B", Name: "环评", DepartmentID: "hbj", Days: 3, After: []string{"A"}},
		{Key: "C", Name: "能评", DepartmentID: "fgj", Days: 4, After: []string{"A"}},
		{Key: "D", Name: "施工许可", DepartmentID: "zjj", Days: 2, After: []string{"B", "C"}},
	}}
}

// plan makes the worked plan from start with node ids equal to their keys.
func workedPlan(t *testing.T, start string) *domain.Plan {
	t.Helper()
	tpl := worked()
	if err := tpl.Validate(); err != nil {
		t.Fatal(err)
	}
	p := domain.NewPlan(tpl, "proj", pday(start), cal)
	for i := range p.Nodes {
		p.Nodes[i].ID = p.Nodes[i].Key
	}
	return p
}

func dates(p *domain.Plan, f func(n *domain.PlanNode) time.Time) string {
	var out []string
	for i := range p.Nodes {
		out = append(out, p.Nodes[i].Key+" "+f(&p.Nodes[i]).Format("01-02"))
	}
	return strings.Join(out, ", ")
}

func TestPlanBaselineOnTheWorkingDayCalendar(t *testing.T) {
	t.Parallel()
	// Monday 28 September 2026: Tue 29 and Wed 30 are working days, 1–7 October National Day,
	// Thu 8, Fri 9 and the make-up Saturday 10 are worked: A's fifth working day is 10 October.
	p := workedPlan(t, "2026-09-28")
	if got := dates(p, func(n *domain.PlanNode) time.Time { return n.PlannedStart }); got != "A 09-28, B 10-10, C 10-10, D 10-15" {
		t.Errorf("planned starts: %s", got)
	}
	if got := dates(p, func(n *domain.PlanNode) time.Time { return n.PlannedFinish }); got != "A 10-10, B 10-14, C 10-15, D 10-19" {
		t.Errorf("planned finishes: %s", got)
	}
	p.Compute(cal, bj("2026-09-28 09:00"))
	if got := strings.Join(p.CriticalPath, "-"); got != "A-C-D" {
		t.Errorf("critical path %s, want A-C-D", got)
	}
	if !p.BaselineFinish.Equal(pday("2026-10-19")) || !p.ForecastFinish.Equal(pday("2026-10-19")) || p.LightNow != domain.LightGreen {
		t.Errorf("baseline %s forecast %s light %s, want 10-19, 10-19, green", p.BaselineFinish, p.ForecastFinish, p.LightNow)
	}
}

var (
	planDispatcher = &domain.Actor{UserID: "d", Role: domain.RoleDispatcher}
	fgjOfficer     = &domain.Actor{UserID: "of", Role: domain.RoleOfficer, DepartmentID: "fgj"}
	hbjOfficer     = &domain.Actor{UserID: "oh", Role: domain.RoleOfficer, DepartmentID: "hbj"}
	planSteward    = &domain.Actor{UserID: "st", Role: domain.RoleSteward}
)

func statuses(p *domain.Plan) string {
	var out []string
	for _, n := range p.Nodes {
		out = append(out, n.Key+" "+string(n.Status))
	}
	return strings.Join(out, ", ")
}

func TestPlanReadiness(t *testing.T) {
	t.Parallel()
	p := workedPlan(t, "2026-09-28")
	p.StewardID = "st"
	if got := statuses(p); got != "A ready, B waiting, C waiting, D waiting" {
		t.Fatalf("new plan: %s", got)
	}
	// A's clock: ready on the start date, due at 18:00 on its fifth working day, warned the day before.
	a := p.Node("A")
	if !a.ReadyOn.Equal(pday("2026-09-28")) || !a.Clock.Due.Equal(bj("2026-10-10 18:00")) || !a.Clock.Warn.Equal(bj("2026-10-09 18:00")) {
		t.Fatalf("A's clock: ready %s due %s warn %s", a.ReadyOn, a.Clock.Due, a.Clock.Warn)
	}
	now := bj("2026-10-09 10:00")
	if _, err := p.Act(fgjOfficer, "B", domain.PlanAction{Move: domain.PlanMoveStart}, cal, now); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the development bureau starts the environment bureau's node: %v", err)
	}
	if _, err := p.Act(hbjOfficer, "B", domain.PlanAction{Move: domain.PlanMoveStart}, cal, now); domain.ErrorCode(err) != domain.ETRANSITION {
		t.Fatalf("a waiting node starts: %v", err)
	}
	if _, err := p.Act(planSteward, "A", domain.PlanAction{Move: domain.PlanMoveStart}, cal, now); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("the steward starts a department's work: %v", err)
	}
	evs, err := p.Act(planSteward, "A", domain.PlanAction{Move: domain.PlanMoveFinish, Date: pday("2026-10-09"), Note: "备案证已取得"}, cal, now)
	if err != nil {
		t.Fatal(err)
	}
	// B and C wait only on A: ready on A's finish date; D waits for both.
	if got := statuses(p); got != "A done, B ready, C ready, D waiting" {
		t.Fatalf("after A: %s", got)
	}
	if len(evs) != 3 || evs[0].Action != "finish" || evs[1].Action != "ready" || evs[2].Action != "ready" {
		t.Fatalf("events: %+v", evs)
	}
	if b := p.Node("B"); !b.ReadyOn.Equal(pday("2026-10-09")) || !b.Clock.Due.Equal(bj("2026-10-13 18:00")) {
		t.Fatalf("B: ready %s due %s", b.ReadyOn, b.Clock.Due)
	}
	// B: Sat 10 (make-up day), Mon 12, Tue 13. Their reminders are queued: warn, due, escalate for each node that became ready.
	prev := workedPlan(t, "2026-09-28")
	if f := p.FollowUps(prev, cal); len(f) != 6 {
		t.Fatalf("%d follow-ups, want 3 levels × B and C", len(f))
	}
	if _, err := p.Act(hbjOfficer, "B", domain.PlanAction{Move: domain.PlanMoveFinish, Date: pday("2026-10-09")}, cal, now); err != nil {
		t.Fatal(err)
	}
	if got := statuses(p); got != "A done, B done, C ready, D waiting" {
		t.Fatalf("D must wait for C too: %s", got)
	}
	if p.Status != domain.PlanActive {
		t.Fatalf("plan %s", p.Status)
	}
}

func TestPlanForecastAfterALateFinish(t *testing.T) {
	t.Parallel()
	p := workedPlan(t, "2026-09-28")
	// A, due Saturday 10 October, is finished a week late, on Monday 19 October.
	now := bj("2026-10-19 15:00")
	if _, err := p.Act(fgjOfficer, "A", domain.PlanAction{Move: domain.PlanMoveFinish, Date: pday("2026-10-19")}, cal, now); err != nil {
		t.Fatal(err)
	}
	p.Compute(cal, now)
	// B 10-19 + 3 = 10-22, C 10-19 + 4 = 10-23, D 10-23 + 2 = 10-27: six working days past 10-19.
	if got := dates(p, func(n *domain.PlanNode) time.Time { return n.ForecastFinish }); got != "A 10-19, B 10-22, C 10-23, D 10-27" {
		t.Errorf("forecast: %s", got)
	}
	if !p.ForecastFinish.Equal(pday("2026-10-27")) || p.LateDays != 6 || p.LightNow != domain.LightYellow {
		t.Errorf("forecast %s, %d working days late, light %s; want 10-27, 6, yellow", p.ForecastFinish.Format("01-02"), p.LateDays, p.LightNow)
	}
	if got := strings.Join(p.CriticalPath, "-"); got != "A-C-D" {
		t.Errorf("critical path %s", got)
	}
	// Nothing moves for two more weeks: C is overdue (red) and the forecast slips past ten
	// working days late: red.
	later := bj("2026-11-06 10:00")
	p.Compute(cal, later)
	if c := p.Node("C"); c.LightNow != domain.LightRed || !c.ForecastFinish.Equal(pday("2026-11-06")) {
		t.Errorf("C overdue: light %s forecast %s", c.LightNow, c.ForecastFinish.Format("01-02"))
	}
	if !p.ForecastFinish.Equal(pday("2026-11-10")) || p.LightNow != domain.LightRed {
		t.Errorf("forecast %s light %s; want 11-10 (today + D's 2 days), red", p.ForecastFinish.Format("01-02"), p.LightNow)
	}
	// A node's light: yellow from a working day before its due time, red after.
	if b := p.Node("B"); !b.Clock.Due.Equal(bj("2026-10-22 18:00")) {
		t.Fatalf("B due %s", b.Clock.Due)
	}
	p.Compute(cal, bj("2026-10-21 18:30"))
	if b := p.Node("B"); b.LightNow != domain.LightYellow {
		t.Errorf("B a working day before due: %s", b.LightNow)
	}
}

func TestPlanWaive(t *testing.T) {
	t.Parallel()
	p := workedPlan(t, "2026-09-28")
	now := bj("2026-10-12 10:00")
	if _, err := p.Act(fgjOfficer, "A", domain.PlanAction{Move: domain.PlanMoveWaive, Reason: "告知承诺制"}, cal, now); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("an officer waives: %v", err)
	}
	if _, err := p.Act(planDispatcher, "A", domain.PlanAction{Move: domain.PlanMoveWaive}, cal, now); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a waiver without a reason: %v", err)
	}
	// A waiting node can be waived too: C is not needed. D still waits for B.
	if _, err := p.Act(planDispatcher, "C", domain.PlanAction{Move: domain.PlanMoveWaive, Reason: "实行告知承诺制，免于节能审查"}, cal, now); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Act(planDispatcher, "A", domain.PlanAction{Move: domain.PlanMoveFinish, Date: pday("2026-10-10")}, cal, now); err != nil {
		t.Fatal(err)
	}
	if got := statuses(p); got != "A done, B ready, C waived, D waiting" {
		t.Fatalf("after waiving C and finishing A: %s", got)
	}
	if _, err := p.Act(planDispatcher, "B", domain.PlanAction{Move: domain.PlanMoveWaive, Reason: "环评豁免名录内项目"}, cal, now); err != nil {
		t.Fatal(err)
	}
	d := p.Node("D")
	if d.Status != domain.NodeReady || !d.ReadyOn.Equal(pday("2026-10-12")) {
		t.Fatalf("D after its predecessors were waived: %s ready %v", d.Status, d.ReadyOn)
	}
	p.Compute(cal, now)
	// D: 10-12 + 2 = 10-14, five days ahead of the baseline: green, and the path runs through B.
	if !p.ForecastFinish.Equal(pday("2026-10-14")) || p.LightNow != domain.LightGreen || strings.Join(p.CriticalPath, "-") != "A-B-D" {
		t.Fatalf("forecast %s light %s path %v", p.ForecastFinish.Format("01-02"), p.LightNow, p.CriticalPath)
	}
	if _, err := p.Act(planDispatcher, "D", domain.PlanAction{Move: domain.PlanMoveFinish, Date: pday("2026-10-12")}, cal, now); err != nil {
		t.Fatal(err)
	}
	if p.Status != domain.PlanDone {
		t.Fatalf("every node closed, plan %s", p.Status)
	}
	// A closed node's reminder is a no-op.
	if n := p.NodeNotice(domain.PlanNodeClockArgs{NodeID: "D", Level: domain.ClockDue, Due: d.Clock.Due}); n != nil {
		t.Fatalf("a reminder for a done node: %+v", n)
	}
}

func TestPlanBlockAndUnblock(t *testing.T) {
	t.Parallel()
	p := workedPlan(t, "2026-09-28")
	p.StewardID = "st"
	now := bj("2026-09-30 10:00")
	if _, err := p.Act(fgjOfficer, "A", domain.PlanAction{Move: domain.PlanMoveBlock, Reason: " "}, cal, now); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a block without a reason: %v", err)
	}
	if _, err := p.Act(planSteward, "A", domain.PlanAction{Move: domain.PlanMoveBlock, Reason: "用地红线未确定"}, cal, now); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Act(fgjOfficer, "A", domain.PlanAction{Move: domain.PlanMoveFinish, Date: pday("2026-09-30")}, cal, now); domain.ErrorCode(err) != domain.ETRANSITION {
		t.Fatalf("a blocked node finished: %v", err)
	}
	// The clock keeps running while blocked: the reminder still goes out.
	a := p.Node("A")
	if n := p.NodeNotice(domain.PlanNodeClockArgs{NodeID: "A", Level: domain.ClockWarn, Due: a.Clock.Due}); n == nil {
		t.Fatal("no reminder for a blocked node")
	}
	if _, err := p.Act(fgjOfficer, "A", domain.PlanAction{Move: domain.PlanMoveUnblock}, cal, now); err != nil {
		t.Fatal(err)
	}
	if a.Status != domain.NodeReady {
		t.Fatalf("unblocked a node never started: %s", a.Status)
	}
	// The steward may not waive, an officer of another department may not block.
	if got := p.AllowedMoves(planSteward, a); fmt.Sprint(got) != "[finish block]" {
		t.Fatalf("the steward's moves on a ready node: %v", got)
	}
	if got := p.AllowedMoves(hbjOfficer, a); len(got) != 0 {
		t.Fatalf("another department's moves: %v", got)
	}
	if got := p.AllowedMoves(planDispatcher, a); fmt.Sprint(got) != "[start finish block waive]" {
		t.Fatalf("the dispatcher's moves: %v", got)
	}
}

func TestPlanTemplateRefusesBadNodes(t *testing.T) {
	t.Parallel()
	table := []struct {
		name, field, says string
		mutate            func(n []domain.PlanTemplateNode)
	}{
		{"DuplicateKey", "nodes[2].key", "already the key of nodes[1]", func(n []domain.PlanTemplateNode) { n[2].Key = "B" }},
		{"UnknownAfter", "nodes[3].after", `"X"`, func(n []domain.PlanTemplateNode) { n[3].After = []string{"B", "X"} }},
		{"AfterItself", "nodes[1].after", "itself", func(n []domain.PlanTemplateNode) { n[1].After = []string{"B"} }},
		{"TwoNodeCycle", "nodes[1].after", "B → D → B", func(n []domain.PlanTemplateNode) { n[1].After = []string{"A", "D"} }},
		{"ThreeNodeCycle", "nodes[0].after", "A → B → D → A", func(n []domain.PlanTemplateNode) { n[0].After = []string{"D"} }},
		{"NoDays", "nodes[0].days", "working days", func(n []domain.PlanTemplateNode) { n[0].Days = 0 }},
		{"NoDepartment", "nodes[2].department_id", "required", func(n []domain.PlanTemplateNode) { n[2].DepartmentID = "" }},
		{"BadKey", "nodes[0].key", "letters", func(n []domain.PlanTemplateNode) { n[0].Key = "环评 A" }},
	}
	for _, tc := range table {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tpl := worked()
			tc.mutate(tpl.Nodes)
			err := tpl.Validate()
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.EINVALID {
				t.Fatalf("got %v, want a validation error", err)
			}
			for _, f := range e.Fields {
				if f.Field == tc.field && strings.Contains(f.Message, tc.says) {
					return
				}
			}
			t.Fatalf("no error on %s saying %q: %+v", tc.field, tc.says, e.Fields)
		})
	}
	t.Run("ParallelBranchesAreFine", func(t *testing.T) {
		t.Parallel()
		if err := worked().Validate(); err != nil {
			t.Fatal(err)
		}
	})
}
