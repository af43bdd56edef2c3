package domain_test

import (
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
