package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steward/domain"
	"steward/domain/postgres"
)

// statsWorld is a small district over the 2026 National Day holiday (1–7 October off, 8 October
// and Saturday 10 October working), with known numbers. All four tickets are accepted, routed and
// signed for on Wednesday 30 September at 09:00:
//
//   - T1 (e1, 政策咨询: 3 working days → due Saturday 10 October 18:00) → 住建局, resolved 9 October:
//     2 working days, on time; rated 3 (基本满意: rated, not satisfied).
//   - T2 (e1, 政策咨询) → 住建局, resolved 12 October: 4 working days, late.
//   - T3 (e2, 政策咨询) → 供电公司, resolved 9 October: 2 working days, on time; rated 5.
//   - T4 (e2, 审批许可: 10 working days → due 20 October 18:00) → 供电公司, still in progress: red
//     on 22 October, 2 working days overdue.
//
// steward1 visits e1 on 30 September; e2 is not visited. e1 has a project still in talks half a
// year after its planned start: red. The clock then stays at 22 October 10:00.
type statsWorld struct {
	b                 *testBundle
	d1, d2            *domain.Department
	e1, e2            *domain.Enterprise
	l1, s1, s2        *domain.User
	t4                *domain.Ticket
	dispatcher        *client
	leader1, steward1 *client
	officer1          *client
}

var statsPeriod = "?from=2026-09-01&to=2026-10-01"

func newStatsWorld(t *testing.T) *statsWorld {
	t.Helper()
	b := setup(t)
	w := &statsWorld{b: b}
	b.setNow(cst("2026-09-30 09:00"))
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	w.d1 = b.department(t, "区住房和城乡建设局", domain.DepartmentGovernment)
	w.d2 = b.department(t, "国网区供电公司", domain.DepartmentUtility)
	w.e1, w.e2 = b.enterprise(t, "苏州统计一号科技有限公司"), b.enterprise(t, "苏州统计二号材料有限公司")
	w.l1, w.s1 = b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleSteward)
	l2 := b.user(t, domain.RoleLeader, gov.ID)
	w.s2 = b.user(t, domain.RoleSteward)
	b.assign(t, domain.SubjectEnterprise, w.e1.ID, w.l1.ID, w.s1.ID)
	b.assign(t, domain.SubjectEnterprise, w.e2.ID, l2.ID, w.s2.ID)
	b.project(t, w.e1.ID, "统计一号智能工厂")
	portal1, portal2 := b.user(t, domain.RoleEnterprise, w.e1.ID), b.user(t, domain.RoleEnterprise, w.e2.ID)

	svc := b.tickets
	act := func(as *domain.Actor, tk *domain.Ticket, a domain.TicketAction) *domain.Ticket {
		t.Helper()
		ctx := system
		if as != nil {
			ctx = domain.WithActor(system, as)
		}
		got, err := svc.Act(ctx, tk.ID, tk.Version, a)
		if err != nil {
			t.Fatalf("%s %s: %v", a.Name, tk.Title, err)
		}
		return got
	}
	open := func(ent *domain.Enterprise, category string, dept *domain.Department, title string) *domain.Ticket {
		t.Helper()
		tk := &domain.Ticket{EnterpriseID: ent.ID, CategoryID: category, Title: title, Description: "统计测试用的诉求，内容无关紧要。"}
		if _, err := svc.CreateTicket(system, tk, "", ""); err != nil {
			t.Fatal(err)
		}
		tk = act(nil, tk, domain.TicketAction{Name: "accept"})
		tk = act(nil, tk, domain.TicketAction{Name: "assign", Department: dept.ID})
		return act(nil, tk, domain.TicketAction{Name: "sign"})
	}
	const policy, approval = "01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002"
	t1 := open(w.e1, policy, w.d1, "统计诉求一号")
	t2 := open(w.e1, policy, w.d1, "统计诉求二号")
	t3 := open(w.e2, policy, w.d2, "统计诉求三号")
	w.t4 = open(w.e2, approval, w.d2, "统计诉求四号")
	v := &domain.Visit{EnterpriseID: w.e1.ID, VisitedAt: cst("2026-09-30 08:30"), Kind: domain.VisitOnsite, Summary: "节前走访，了解生产情况"}
	sa := &domain.Actor{UserID: w.s1.ID, Username: w.s1.Username, Role: domain.RoleSteward, DepartmentID: w.s1.DepartmentID}
	if _, err := postgres.NewVisitService(b.db, svc).CreateVisit(domain.WithActor(system, sa), v, nil, "", ""); err != nil {
		t.Fatal(err)
	}
	resolve := domain.TicketAction{Name: "resolve", Resolution: "已按政策答复企业并办结。"}
	enterprise := func(u *domain.User, e *domain.Enterprise) *domain.Actor {
		return &domain.Actor{UserID: u.ID, Username: u.Username, Role: domain.RoleEnterprise, EnterpriseID: e.ID}
	}

	b.setNow(cst("2026-10-09 10:00"))
	t1 = act(nil, t1, resolve)
	act(enterprise(portal1, w.e1), t1, domain.TicketAction{Name: "rate", Rating: domain.Rating{Solved: 3, Attitude: 4}})
	t3 = act(nil, t3, resolve)
	act(enterprise(portal2, w.e2), t3, domain.TicketAction{Name: "rate", Rating: domain.Rating{Solved: 5, Attitude: 5}})
	b.setNow(cst("2026-10-12 10:00"))
	act(nil, t2, resolve)

	b.setNow(cst("2026-10-22 10:00"))
	w.dispatcher = b.as(t, domain.RoleDispatcher)
	w.leader1, w.steward1 = b.login(t, w.l1.Username), b.login(t, w.s1.Username)
	w.officer1 = b.as(t, domain.RoleOfficer, w.d1.ID)
	return w
}

// num reads a number of a decoded JSON object by its path (tickets.on_time_rate); nil is -1.
func num(t *testing.T, m map[string]any, path string) float64 {
	t.Helper()
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object at %s", path, k)
		}
		v = obj[k]
	}
	if v == nil {
		return -1
	}
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%s = %v, not a number", path, v)
	}
	return f
}

func wantNumbers(t *testing.T, what string, m map[string]any, want map[string]float64) {
	t.Helper()
	for path, w := range want {
		if got := num(t, m, path); got != w {
			t.Errorf("%s: %s = %v, want %v", what, path, got, w)
		}
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	w := newStatsWorld(t)

	t.Run("OverviewCountsTheDistrict", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/stats/overview"+statsPeriod, nil).want(t, 200)
		wantNumbers(t, "overview", r.body, map[string]float64{
			"tickets.total": 4, "tickets.open": 1, "tickets.red": 1, "tickets.yellow": 0, "tickets.resolved": 3,
			"tickets.on_time": 2, "tickets.on_time_rate": 0.6667,
			// (2 + 4 + 2) / 3 working days: the seven days of the National Day holiday do not count.
			"tickets.avg_resolve_working_days": 2.6667,
			"tickets.rated":                    2, "tickets.satisfied": 1, "tickets.satisfaction_rate": 0.5,
			"visits.count": 1, "visits.assigned": 2, "visits.covered": 1, "visits.coverage_rate": 0.5,
			"projects.by_stage.negotiating": 1, "projects.red": 1,
		})
		if r.body["from"] != "2026-09-01" || r.body["to"] != "2026-10-01" {
			t.Errorf("period %v–%v, want 2026-09-01–2026-10-01", r.body["from"], r.body["to"])
		}
	})

	t.Run("DefaultPeriodIsTheCurrentMonthToDate", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/stats/overview", nil).want(t, 200)
		if r.body["from"] != "2026-10-01" || r.body["to"] != "2026-10-23" {
			t.Errorf("default period %v–%v, want 2026-10-01–2026-10-23", r.body["from"], r.body["to"])
		}
		// The tickets were created and the visit made in September; projects are counted as they are now.
		wantNumbers(t, "this month", r.body, map[string]float64{"tickets.total": 0, "tickets.on_time_rate": -1, "visits.count": 0,
			"visits.assigned": 2, "visits.coverage_rate": 0, "projects.red": 1})
	})

	t.Run("BadPeriodIs422", func(t *testing.T) {
		w.dispatcher.do(t, "GET", "/api/v1/stats/overview?from=2026-10-01&to=2026-09-01", nil).wantProblem(t, 422, "validation_failed")
		w.dispatcher.do(t, "GET", "/api/v1/stats/overview?from=2025-01-01&to=2026-10-01", nil).wantProblem(t, 422, "validation_failed")
	})

	t.Run("LeaderSeesOnlyTheirPortfolio", func(t *testing.T) {
		r := w.leader1.do(t, "GET", "/api/v1/stats/overview"+statsPeriod, nil).want(t, 200)
		wantNumbers(t, "leader1", r.body, map[string]float64{
			"tickets.total": 2, "tickets.open": 0, "tickets.red": 0, "tickets.resolved": 2, "tickets.on_time_rate": 0.5,
			"tickets.avg_resolve_working_days": 3, "tickets.satisfaction_rate": 0,
			"visits.count": 1, "visits.assigned": 1, "visits.coverage_rate": 1, "projects.by_stage.negotiating": 1,
		})
	})

	t.Run("DepartmentsHaveTheirOwnMeasures", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/stats/departments"+statsPeriod, nil).want(t, 200)
		rows := map[any]map[string]any{}
		for _, it := range r.items() {
			rows[it["department_id"]] = it
		}
		if len(rows) != 2 {
			t.Fatalf("%d department rows, want 2: %s", len(rows), r.raw)
		}
		wantNumbers(t, "住建局", rows[w.d1.ID], map[string]float64{"tickets.total": 2, "tickets.resolved": 2,
			"tickets.on_time_rate": 0.5, "tickets.avg_resolve_working_days": 3, "tickets.red": 0})
		wantNumbers(t, "供电公司", rows[w.d2.ID], map[string]float64{"tickets.total": 2, "tickets.resolved": 1,
			"tickets.on_time_rate": 1, "tickets.red": 1, "tickets.open": 1, "tickets.satisfaction_rate": 1})
	})

	t.Run("OfficerSeesOnlyTheirDepartmentRow", func(t *testing.T) {
		items := w.officer1.do(t, "GET", "/api/v1/stats/departments"+statsPeriod, nil).want(t, 200).items()
		if len(items) != 1 || items[0]["department_id"] != w.d1.ID {
			t.Fatalf("officer of 住建局 got %v, want their department's row only", items)
		}
		wantNumbers(t, "officer's row", items[0], map[string]float64{"tickets.total": 2, "tickets.on_time_rate": 0.5})
		w.officer1.do(t, "GET", "/api/v1/stats/overview"+statsPeriod, nil).wantProblem(t, 403, "forbidden")
		w.officer1.do(t, "GET", "/api/v1/stats/stewards"+statsPeriod, nil).wantProblem(t, 403, "forbidden")
	})

	t.Run("StewardsHaveTicketsAndVisits", func(t *testing.T) {
		items := w.dispatcher.do(t, "GET", "/api/v1/stats/stewards"+statsPeriod, nil).want(t, 200).items()
		rows := map[any]map[string]any{}
		for _, it := range items {
			rows[it["steward_id"]] = it
		}
		wantNumbers(t, "steward1", rows[w.s1.ID], map[string]float64{"tickets.total": 2, "tickets.on_time_rate": 0.5,
			"visits.count": 1, "visits.assigned": 1, "visits.coverage_rate": 1})
		wantNumbers(t, "steward2", rows[w.s2.ID], map[string]float64{"tickets.total": 2, "tickets.red": 1,
			"visits.count": 0, "visits.coverage_rate": 0})

		own := w.steward1.do(t, "GET", "/api/v1/stats/stewards"+statsPeriod, nil).want(t, 200).items()
		if len(own) != 1 || own[0]["steward_id"] != w.s1.ID {
			t.Fatalf("steward1 got %v, want their own row only", own)
		}
	})

	t.Run("CategoriesHaveTheirOwnMeasures", func(t *testing.T) {
		items := w.dispatcher.do(t, "GET", "/api/v1/stats/categories"+statsPeriod, nil).want(t, 200).items()
		rows := map[any]map[string]any{}
		for _, it := range items {
			rows[it["category_name"]] = it
		}
		wantNumbers(t, "政策咨询", rows["政策咨询"], map[string]float64{"tickets.total": 3, "tickets.resolved": 3, "tickets.on_time_rate": 0.6667})
		wantNumbers(t, "审批许可", rows["审批许可"], map[string]float64{"tickets.total": 1, "tickets.red": 1, "tickets.on_time_rate": -1})
		if items[0]["category_name"] != "政策咨询" {
			t.Errorf("first category %v, want the one with the most tickets", items[0]["category_name"])
		}
	})

	t.Run("MonthlyReport", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/reports/monthly?month=2026-09", nil).want(t, 200)
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83%E7%9B%91%E7%9D%A3%E9%80%9A%E6%8A%A5-2026%E5%B9%B49%E6%9C%88.xlsx") {
			t.Errorf("Content-Disposition %q, want the attachment 营商环境监督通报-2026年9月.xlsx", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.raw))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := strings.Join(f.GetSheetList(), ","); got != "总体情况,部门,项目管家,诉求类别,超期诉求,考核得分" {
			t.Fatalf("sheets %s", got)
		}
		cells := func(sheet string) map[string][]string {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][]string{}
			for _, row := range rows[1:] {
				out[row[0]] = row
			}
			return out
		}
		overview := cells("总体情况")
		for k, want := range map[string]string{"诉求总数（期间内提交）": "4", "已办结": "3", "按时办结率": "66.67%",
			"平均办结用时（工作日）": "2.67", "满意率": "50.00%", "走访覆盖率": "50.00%", "红灯（已超期）": "1"} {
			if got := overview[k]; len(got) < 2 || got[1] != want {
				t.Errorf("总体情况 %s = %v, want %s", k, got, want)
			}
		}
		depts := cells("部门")
		if got := depts["区住房和城乡建设局"]; len(got) < 8 || got[7] != "50.00%" {
			t.Errorf("部门 住建局 %v, want an on-time rate of 50.00%%", got)
		}
		style, _ := f.GetCellStyle("部门", "H2")
		if s, _ := f.GetStyle(style); s == nil || len(s.Fill.Color) == 0 || s.Fill.Color[0] != "FFC7CE" {
			v, _ := f.GetCellValue("部门", "H2")
			t.Errorf("部门 H2 (%s) is not marked red", v)
		}
		if got := cells("诉求类别")["政策咨询"]; len(got) < 2 || got[1] != "3" {
			t.Errorf("诉求类别 政策咨询 %v, want 3 tickets", got)
		}
		if rows, _ := f.GetRows("项目管家"); len(rows) != 3 {
			t.Errorf("项目管家 has %d rows, want a header and the 2 stewards", len(rows))
		}
		overdue := cells("超期诉求")
		if got := overdue[w.t4.Number]; len(overdue) != 1 || len(got) < 6 || got[3] != "国网区供电公司" ||
			got[4] != "2026-10-20 18:00" || got[5] != "2" {
			t.Errorf("超期诉求 %v, want %s of 国网区供电公司 due 2026-10-20 18:00, 2 working days overdue", overdue, w.t4.Number)
		}

		w.leader1.do(t, "GET", "/api/v1/reports/monthly?month=2026-09", nil).wantProblem(t, 403, "forbidden")
		w.dispatcher.do(t, "GET", "/api/v1/reports/monthly?month=2026-13", nil).wantProblem(t, 422, "validation_failed")
	})
}
