package api_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"steward/domain"
)

// scorecardWorld is a small district in September 2026 (no holidays) with three departments and
// six tickets of 政策咨询 (3 working days to resolve), all accepted and routed on Tuesday 1
// September at 09:00, so each is due on Friday 4 September at 18:00:
//
//   - T1 (e1) → A 住建局, resolved Thursday 3 September (2 working days, on time), rated 5.
//   - T2 (e1) → A, resolved Monday 7 September (late), rated 2 → reworked (重办), still open.
//   - T3 (e1) → A, which returns it (退回) on 2 September; routed to B 供电公司, resolved 3 September
//     (2 working days, on time), not rated.
//   - T4 (e2) → B, resolved 3 September (on time), rated 5.
//   - T5 (e2) → C 自然资源局, resolved Friday 4 September (3 working days, on time), not rated.
//   - T6 (e2) → C, which returns it on 2 September; it waits to be routed again.
//
// By hand:
//
//	A: tickets T1, T2; resolved 1, on time 1 → 1; rated 2, satisfied 1 → 0.5; held T1 T2 T3, returned
//	   T3 → 1/3 = 0.3333; no plan nodes, so their 15 points spread over the other 85:
//	   100 × (40×1 + 30×0.5 + 15×(1−0.3333)) / 85 = 76.47 → 76.5
//	B: tickets T3, T4; on time 2/2 → 1; satisfied 1/1 → 1; held 2, returned 0 → 100
//	C: tickets T5; on time 1/1; nobody rated, so satisfaction's 30 points spread too; held T5 T6,
//	   returned T6 → 0.5: 100 × (40×1 + 15×0.5) / 55 = 86.36 → 86.4
//
// Ranks: B 1, C 2, A 3. e1 is leader1's (T1–T3), e2 another leader's. The clock then stays at
// 22 October 10:00.
type scorecardWorld struct {
	b                   *testBundle
	a, bd, c            *domain.Department
	dispatcher, leader1 *client
	admin, officerA     *client
}

func newScorecardWorld(t *testing.T) *scorecardWorld {
	t.Helper()
	b := setup(t)
	w := &scorecardWorld{b: b}
	b.setNow(cst("2026-09-01 09:00"))
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	w.a = b.department(t, "区住房和城乡建设局", domain.DepartmentGovernment)
	w.bd = b.department(t, "国网区供电公司", domain.DepartmentUtility)
	w.c = b.department(t, "区自然资源局", domain.DepartmentGovernment)
	e1, e2 := b.enterprise(t, "苏州考核一号科技有限公司"), b.enterprise(t, "苏州考核二号材料有限公司")
	l1, l2 := b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleLeader, gov.ID)
	s1, s2 := b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
	b.assign(t, domain.SubjectEnterprise, e1.ID, l1.ID, s1.ID)
	b.assign(t, domain.SubjectEnterprise, e2.ID, l2.ID, s2.ID)
	portal1, portal2 := b.user(t, domain.RoleEnterprise, e1.ID), b.user(t, domain.RoleEnterprise, e2.ID)
	officer := func(d *domain.Department) *domain.Actor {
		u := b.user(t, domain.RoleOfficer, d.ID)
		return &domain.Actor{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: domain.RoleOfficer, DepartmentID: d.ID}
	}
	enterprise := func(u *domain.User, e *domain.Enterprise) *domain.Actor {
		return &domain.Actor{UserID: u.ID, Username: u.Username, Role: domain.RoleEnterprise, EnterpriseID: e.ID}
	}
	offA, offC := officer(w.a), officer(w.c)

	svc := b.tickets
	act := func(as *domain.Actor, tk *domain.Ticket, a domain.TicketAction) *domain.Ticket {
		t.Helper()
		ctx := system
		if as != nil {
			ctx = domain.WithActor(context.Background(), as)
		}
		got, err := svc.Act(ctx, tk.ID, tk.Version, a)
		if err != nil {
			t.Fatalf("%s %s: %v", a.Name, tk.Title, err)
		}
		return got
	}
	const policy = "01900000-0000-7000-8000-000000000001"
	open := func(ent *domain.Enterprise, dept *domain.Department, title string) *domain.Ticket {
		t.Helper()
		tk := &domain.Ticket{EnterpriseID: ent.ID, CategoryID: policy, Title: title, Description: "考核测试用的诉求，内容无关紧要。"}
		if _, err := svc.CreateTicket(system, tk, "", ""); err != nil {
			t.Fatal(err)
		}
		tk = act(nil, tk, domain.TicketAction{Name: "accept"})
		tk = act(nil, tk, domain.TicketAction{Name: "assign", Department: dept.ID})
		return act(nil, tk, domain.TicketAction{Name: "sign"})
	}
	t1, t2, t3 := open(e1, w.a, "考核诉求一号"), open(e1, w.a, "考核诉求二号"), open(e1, w.a, "考核诉求三号")
	t4, t5, t6 := open(e2, w.bd, "考核诉求四号"), open(e2, w.c, "考核诉求五号"), open(e2, w.c, "考核诉求六号")
	resolve := domain.TicketAction{Name: "resolve", Resolution: "已按政策答复企业并办结。"}
	rate := func(solved int) domain.TicketAction {
		return domain.TicketAction{Name: "rate", Rating: domain.Rating{Solved: solved, Attitude: 4}}
	}

	b.setNow(cst("2026-09-02 10:00"))
	t3 = act(offA, t3, domain.TicketAction{Name: "return", Reason: "不属于本部门职责，应由供电公司办理。"})
	act(offC, t6, domain.TicketAction{Name: "return", Reason: "材料不全，请营商局补充后再分派。"})
	t3 = act(nil, t3, domain.TicketAction{Name: "assign", Department: w.bd.ID})
	t3 = act(nil, t3, domain.TicketAction{Name: "sign"})

	b.setNow(cst("2026-09-03 10:00"))
	t1 = act(nil, t1, resolve)
	act(enterprise(portal1, e1), t1, rate(5))
	b.setNow(cst("2026-09-03 15:00"))
	act(nil, t3, resolve)
	t4 = act(nil, t4, resolve)
	act(enterprise(portal2, e2), t4, rate(5))
	b.setNow(cst("2026-09-04 10:00"))
	act(nil, t5, resolve)
	b.setNow(cst("2026-09-07 10:00"))
	t2 = act(nil, t2, resolve)
	act(enterprise(portal1, e1), t2, rate(2))

	b.setNow(cst("2026-10-22 10:00"))
	w.dispatcher = b.as(t, domain.RoleDispatcher)
	w.leader1 = b.login(t, l1.Username)
	w.admin = b.as(t, domain.RoleAdmin)
	w.officerA = b.login(t, offA.Username)
	return w
}

// scoreRows are a scorecard's departments by name.
func scoreRows(t *testing.T, r *response) (map[string]map[string]any, []string) {
	t.Helper()
	list, _ := r.body["departments"].([]any)
	out, order := map[string]map[string]any{}, []string{}
	for _, it := range list {
		m := it.(map[string]any)
		out[m["name"].(string)] = m
		order = append(order, m["name"].(string))
	}
	return out, order
}

func TestScorecard(t *testing.T) {
	t.Parallel()
	w := newScorecardWorld(t)
	const month = "?from=2026-09-01&to=2026-10-01"

	t.Run("ReturnsAndFirstTimeResolution", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/stats/overview"+month, nil).want(t, 200)
		// Returned: T3 and T6 of 6. First time: T1, T4, T5 of the resolved T1, T3, T4, T5 (T3 was returned).
		wantNumbers(t, "overview", r.body, map[string]float64{"tickets.total": 6, "tickets.resolved": 4,
			"tickets.returned": 2, "tickets.return_rate": 0.3333, "tickets.first_time": 3, "tickets.first_time_rate": 0.75,
			"tickets.on_time_rate": 1, "tickets.avg_resolve_working_days": 2.25, "tickets.satisfaction_rate": 0.6667})

		items := w.dispatcher.do(t, "GET", "/api/v1/stats/departments"+month, nil).want(t, 200).items()
		rows := map[any]map[string]any{}
		for _, it := range items {
			rows[it["department_id"]] = it
		}
		wantNumbers(t, "住建局", rows[w.a.ID], map[string]float64{"tickets.total": 2, "tickets.resolved": 1, "tickets.open": 1,
			"tickets.red": 1, "tickets.first_time_rate": 1, "tickets.satisfaction_rate": 0.5,
			"returns.held": 3, "returns.returned": 1, "returns.return_rate": 0.3333})
		wantNumbers(t, "供电公司", rows[w.bd.ID], map[string]float64{"tickets.total": 2, "tickets.resolved": 2,
			"tickets.returned": 1, "tickets.first_time": 1, "tickets.first_time_rate": 0.5,
			"returns.held": 2, "returns.returned": 0, "returns.return_rate": 0})
		// C holds T5 only now, but it held T6 too before it returned it.
		wantNumbers(t, "自然资源局", rows[w.c.ID], map[string]float64{"tickets.total": 1, "tickets.avg_resolve_working_days": 3,
			"returns.held": 2, "returns.returned": 1, "returns.return_rate": 0.5})

		own := w.officerA.do(t, "GET", "/api/v1/stats/departments"+month, nil).want(t, 200).items()
		if len(own) != 1 {
			t.Fatalf("officer of A got %d rows, want 1", len(own))
		}
		// T3 is B's now, but A's officer still sees that A held and returned it.
		wantNumbers(t, "officer of A", own[0], map[string]float64{"tickets.total": 2, "returns.held": 3, "returns.returned": 1})

		stewards := w.dispatcher.do(t, "GET", "/api/v1/stats/stewards"+month, nil).want(t, 200).items()
		var got []float64
		for _, s := range stewards {
			got = append(got, num(t, s, "tickets.returned"), num(t, s, "tickets.first_time_rate"))
		}
		// Both have 3 tickets, one of them returned; steward1's resolved T1 and T3 (1 first time of 2),
		// steward2's T4 and T5 (both first time).
		if len(got) != 4 || !(got[0] == 1 && got[2] == 1 && (got[1] == 0.5 && got[3] == 1 || got[1] == 1 && got[3] == 0.5)) {
			t.Errorf("stewards' returned / first-time rate %v, want 1, 0.5 and 1, 1", got)
		}
	})

	t.Run("ScoresRanksAndLists", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/stats/scorecard?month=2026-09", nil).want(t, 200)
		if r.body["month"] != "2026-09" || num(t, r.body, "weights.on_time") != 40 || num(t, r.body, "red") != 3 {
			t.Errorf("month %v, weights %v, red %v: want 2026-09 with the default settings", r.body["month"], r.body["weights"], r.body["red"])
		}
		rows, order := scoreRows(t, r)
		if strings.Join(order, ",") != "国网区供电公司,区自然资源局,区住房和城乡建设局" {
			t.Errorf("order %v, want B, C, A", order)
		}
		wantNumbers(t, "B", rows["国网区供电公司"], map[string]float64{"score": 100, "rank": 1, "on_time_rate": 1,
			"satisfaction_rate": 1, "returns": 0, "held": 2, "return_rate": 0, "node_on_time_rate": -1})
		wantNumbers(t, "C", rows["区自然资源局"], map[string]float64{"score": 86.4, "rank": 2, "satisfaction_rate": -1,
			"returns": 1, "held": 2, "return_rate": 0.5})
		wantNumbers(t, "A", rows["区住房和城乡建设局"], map[string]float64{"score": 76.5, "rank": 3, "on_time_rate": 1,
			"satisfaction_rate": 0.5, "returns": 1, "held": 3})
		// Three departments and lists of three: all three are the best three, so none is black.
		for name, row := range rows {
			if row["list"] != "red" {
				t.Errorf("%s list %v, want red (lists of 3 among 3 departments)", name, row["list"])
			}
		}
	})

	t.Run("LeaderScorecardCountsTheirPortfolio", func(t *testing.T) {
		rows, order := scoreRows(t, w.leader1.do(t, "GET", "/api/v1/stats/scorecard?month=2026-09", nil).want(t, 200))
		// leader1's e1 has T1–T3: B held only T3 (on time, unrated, not returned) → 100; A as before; C none.
		if strings.Join(order, ",") != "国网区供电公司,区住房和城乡建设局" {
			t.Fatalf("leader1's scorecard %v, want B and A only", order)
		}
		wantNumbers(t, "B for leader1", rows["国网区供电公司"], map[string]float64{"score": 100, "held": 1, "satisfaction_rate": -1})
		wantNumbers(t, "A for leader1", rows["区住房和城乡建设局"], map[string]float64{"score": 76.5, "rank": 2})
		w.officerA.do(t, "GET", "/api/v1/stats/scorecard?month=2026-09", nil).wantProblem(t, 403, "forbidden")
		w.dispatcher.do(t, "GET", "/api/v1/stats/scorecard?month=2026-9", nil).wantProblem(t, 422, "validation_failed")
	})

	t.Run("Trends", func(t *testing.T) {
		items := w.dispatcher.do(t, "GET", "/api/v1/stats/trends?months=3", nil).want(t, 200).items()
		if len(items) != 3 || items[0]["month"] != "2026-08" || items[1]["month"] != "2026-09" || items[2]["month"] != "2026-10" {
			t.Fatalf("trend months %v, want 2026-08 … 2026-10", items)
		}
		wantNumbers(t, "September", items[1], map[string]float64{"tickets.total": 6, "tickets.on_time_rate": 1,
			"tickets.first_time_rate": 0.75, "visits.assigned": 2, "visits.coverage_rate": 0})
		wantNumbers(t, "October", items[2], map[string]float64{"tickets.total": 0, "tickets.on_time_rate": -1})
		lead := w.leader1.do(t, "GET", "/api/v1/stats/trends?months=2", nil).want(t, 200).items()
		if len(lead) != 2 || num(t, lead[0], "tickets.total") != 3 {
			t.Errorf("leader1's September %v, want their 3 tickets", lead)
		}
		w.dispatcher.do(t, "GET", "/api/v1/stats/trends?months=25", nil).wantProblem(t, 422, "validation_failed")
		w.officerA.do(t, "GET", "/api/v1/stats/trends", nil).wantProblem(t, 403, "forbidden")
	})

	// The settings change last: the subtests above read the defaults.
	t.Run("Settings", func(t *testing.T) {
		r := w.admin.do(t, "GET", "/api/v1/settings/scorecard", nil).want(t, 200)
		if r.Header.Get("ETag") != `"1"` || num(t, r.body, "weights.returns") != 15 || num(t, r.body, "black") != 3 {
			t.Fatalf("settings %s (ETag %s), want the defaults at version 1", r.raw, r.Header.Get("ETag"))
		}
		w.dispatcher.do(t, "GET", "/api/v1/settings/scorecard", nil).wantProblem(t, 403, "forbidden")
		good := map[string]any{"weights": map[string]any{"on_time": 50, "satisfaction": 50, "returns": 0, "node_on_time": 0}, "red": 2, "black": 1}
		w.dispatcher.do(t, "PUT", "/api/v1/settings/scorecard", good, "If-Match", `"1"`).wantProblem(t, 403, "forbidden")
		w.admin.do(t, "PUT", "/api/v1/settings/scorecard", good).wantProblem(t, 428, "precondition_required")

		bad := w.admin.do(t, "PUT", "/api/v1/settings/scorecard", map[string]any{
			"weights": map[string]any{"on_time": 50, "satisfaction": 30, "returns": 0, "node_on_time": 0}, "red": 2, "black": 1,
		}, "If-Match", `"1"`).wantProblem(t, 422, "validation_failed")
		if msg := bad.fieldErrors()["weights"]; !strings.Contains(msg, "100") {
			t.Errorf("weights adding up to 80: field errors %v, want one on weights naming 100", bad.fieldErrors())
		}
		bad = w.admin.do(t, "PUT", "/api/v1/settings/scorecard", map[string]any{
			"weights": map[string]any{"on_time": 120, "satisfaction": 0, "returns": 0, "node_on_time": 0}, "red": 21, "black": 1,
		}, "If-Match", `"1"`).wantProblem(t, 422, "validation_failed")
		if fe := bad.fieldErrors(); fe["weights.on_time"] == "" || fe["red"] == "" {
			t.Errorf("on_time 120 and red 21: field errors %v, want weights.on_time and red", fe)
		}

		r = w.admin.do(t, "PUT", "/api/v1/settings/scorecard", good, "If-Match", `"1"`).want(t, 200)
		if r.Header.Get("ETag") != `"2"` || num(t, r.body, "weights.on_time") != 50 || num(t, r.body, "red") != 2 {
			t.Fatalf("after the change %s (ETag %s), want version 2 with on_time 50", r.raw, r.Header.Get("ETag"))
		}
		w.admin.do(t, "PUT", "/api/v1/settings/scorecard", good, "If-Match", `"1"`).wantProblem(t, 412, "version_mismatch")
		var audited int
		if err := w.b.db.Bun.NewRaw(`SELECT count(*) FROM audit_log WHERE entity = 'scorecard_settings' AND action = 'update'
			AND (before->>'weight_on_time')::int = 40 AND (after->>'weight_on_time')::int = 50`).Scan(context.Background(), &audited); err != nil {
			t.Fatal(err)
		}
		if audited != 1 {
			t.Errorf("%d audit records of the change, want 1", audited)
		}

		// 50 on time, 50 satisfaction: A = 100 × (50×1 + 50×0.5) / 100 = 75; B = 100; C is not rated, so
		// on time carries all: 100. B and C share rank 1 and the red list of 2; A is the black list of 1.
		rows, _ := scoreRows(t, w.dispatcher.do(t, "GET", "/api/v1/stats/scorecard?month=2026-09", nil).want(t, 200))
		for name, want := range map[string]struct {
			score, rank float64
			list        any
		}{"国网区供电公司": {100, 1, "red"}, "区自然资源局": {100, 1, "red"}, "区住房和城乡建设局": {75, 3, "black"}} {
			row := rows[name]
			if num(t, row, "score") != want.score || num(t, row, "rank") != want.rank || row["list"] != want.list {
				t.Errorf("%s: score %v rank %v list %v, want %v", name, row["score"], row["rank"], row["list"], want)
			}
		}
	})

	t.Run("MonthlyReportHasTheScorecardSheet", func(t *testing.T) {
		r := w.dispatcher.do(t, "GET", "/api/v1/reports/monthly?month=2026-09", nil).want(t, 200)
		f, err := excelize.OpenReader(bytes.NewReader(r.raw))
		if err != nil {
			t.Fatalf("excelize cannot open the report: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows("考核得分")
		if err != nil {
			t.Fatalf("no 考核得分 sheet (sheets %v): %v", f.GetSheetList(), err)
		}
		if len(rows) < 4 || strings.Join(rows[0][:3], ",") != "排名,承办部门,考核得分" {
			t.Fatalf("考核得分 rows %v", rows)
		}
		// The settings of the subtest above: B and C 100 on the red list, A 75 on the black list.
		byName := map[string][]string{}
		for _, row := range rows[1:] {
			switch {
			case len(row) >= 10: // a department's row
				byName[row[1]] = row
			case len(row) > 0: // 红榜, 黑榜, 权重, 说明
				byName[row[0]] = row
			}
		}
		if a := byName["区住房和城乡建设局"]; len(a) < 10 || a[0] != "3" || a[2] != "75.00" || a[5] != "1" || a[6] != "3" || a[9] != "黑榜" {
			t.Errorf("A's row %v, want rank 3, score 75.00, 1 returned of 3 held, 黑榜", a)
		}
		if b := byName["国网区供电公司"]; len(b) < 10 || b[0] != "1" || b[2] != "100.00" || b[9] != "红榜" {
			t.Errorf("B's row %v, want rank 1, score 100.00, 红榜", b)
		}
		if red := byName["红榜"]; len(red) < 2 || !strings.Contains(red[1], "国网区供电公司") || !strings.Contains(red[1], "区自然资源局") {
			t.Errorf("红榜 row %v, want B and C", red)
		}
		if black := byName["黑榜"]; len(black) < 2 || black[1] != "区住房和城乡建设局" {
			t.Errorf("黑榜 row %v, want A", black)
		}
		// The 部门 sheet has the returned tickets and the first-time rate of each department: 供电公司
		// holds T3, which 住建局 returned, and T4 (first time): 1 returned, 50% first time.
		depts, _ := f.GetRows("部门")
		header := strings.Join(depts[0], ",")
		if !strings.Contains(header, ",满意率,被退回件数,一次办结率,") {
			t.Errorf("部门 header %s, want 被退回件数 and 一次办结率 after 满意率", header)
		}
		for _, row := range depts[1:] {
			if row[0] == "国网区供电公司" && (len(row) < 13 || row[11] != "1" || row[12] != "50.00%") {
				t.Errorf("部门 供电公司 %v, want 1 returned and 50.00%% first time", row)
			}
		}
		if wts := byName["权重"]; len(wts) < 2 || !strings.Contains(wts[1], "按时办结率 50 分") {
			t.Errorf("权重 row %v, want the weights in force", wts)
		}
	})
}
