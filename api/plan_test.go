package api_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"steward/domain"
	"steward/domain/postgres"
)

// planWorld is a project with a steward and a leader, three departments and the callers of a
// plan: the admin who edits templates, the dispatcher, the project's steward and leader, an
// officer of each department, the enterprise, and an outsider steward.
type planWorld struct {
	b                           *testBundle
	ent                         *domain.Enterprise
	proj                        *domain.Project
	fgj, hbj, zjj               *domain.Department
	admin, dispatcher, steward  *client
	leader, portal, outsider    *client
	officerFGJ, officerHBJ      *client
	officerZJJ                  *client
	stewardUser, leaderUser     *domain.User
	officerHBJUser, outsiderUsr *domain.User
}

func newPlanWorld(t *testing.T) *planWorld {
	t.Helper()
	b := setup(t)
	w := &planWorld{b: b}
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	w.fgj = b.department(t, "区发展和改革局", domain.DepartmentGovernment)
	w.hbj = b.department(t, "区生态环境局", domain.DepartmentGovernment)
	w.zjj = b.department(t, "区住房和城乡建设局", domain.DepartmentGovernment)
	w.ent = b.enterprise(t, "苏州示范新材料有限公司")
	w.proj = b.project(t, w.ent.ID, "年产5万吨新材料新建项目")
	w.stewardUser, w.leaderUser = b.user(t, domain.RoleSteward), b.user(t, domain.RoleLeader, gov.ID)
	b.assign(t, domain.SubjectProject, w.proj.ID, w.leaderUser.ID, w.stewardUser.ID)
	w.admin = b.as(t, domain.RoleAdmin)
	w.dispatcher = b.scripted(t, b.user(t, domain.RoleDispatcher).Username)
	w.steward = b.scripted(t, w.stewardUser.Username)
	w.leader = b.scripted(t, w.leaderUser.Username)
	w.portal = b.scripted(t, b.user(t, domain.RoleEnterprise, w.ent.ID).Username)
	w.outsiderUsr = b.user(t, domain.RoleSteward)
	w.outsider = b.scripted(t, w.outsiderUsr.Username)
	w.officerFGJ = b.scripted(t, b.user(t, domain.RoleOfficer, w.fgj.ID).Username)
	w.officerHBJUser = b.user(t, domain.RoleOfficer, w.hbj.ID)
	w.officerHBJ = b.scripted(t, w.officerHBJUser.Username)
	w.officerZJJ = b.scripted(t, b.user(t, domain.RoleOfficer, w.zjj.ID).Username)
	return w
}

// template is the worked example: A 5 days; B after A, 3; C after A, 4; D after B and C, 2.
func (w *planWorld) template() map[string]any {
	return map[string]any{"name": "工业类新建项目审批计划", "project_kind": "new", "nodes": []map[string]any{
		{"key": "A", "name": "立项备案", "department_id": w.fgj.ID, "days": 5, "after": []string{}},
		{"key": "B", "name": "环评审批", "department_id": w.hbj.ID, "days": 3, "after": []string{"A"}},
		{"key": "C", "name": "节能审查", "department_id": w.fgj.ID, "days": 4, "after": []string{"A"}},
		{"key": "D", "name": "施工许可", "department_id": w.zjj.ID, "days": 2, "after": []string{"B", "C"}},
	}}
}

// node is the plan answer's node with the key.
func node(t *testing.T, plan *response, key string) map[string]any {
	t.Helper()
	for _, n := range plan.body["nodes"].([]any) {
		if m := n.(map[string]any); m["key"] == key {
			return m
		}
	}
	t.Fatalf("no node %s in %s", key, plan.raw)
	return nil
}

func (w *planWorld) move(t *testing.T, c *client, plan *response, key, move string, body map[string]any) *response {
	t.Helper()
	path := fmt.Sprintf("/api/v1/projects/%s/plan/nodes/%s/actions/%s", w.proj.ID, node(t, plan, key)["id"], move)
	if body == nil {
		return c.do(t, "POST", path, nil, "If-Match", plan.Header.Get("ETag"))
	}
	return c.do(t, "POST", path, body, "If-Match", plan.Header.Get("ETag"))
}

func TestPlanLoop(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	b := w.b
	b.setNow(cst("2026-09-25 10:00"))

	tpl := w.admin.do(t, "POST", "/api/v1/plan-templates", w.template()).want(t, 201)
	tplID := tpl.body["id"].(string)
	if tpl.Header.Get("ETag") != `"1"` {
		t.Fatalf("template ETag %q", tpl.Header.Get("ETag"))
	}
	w.steward.do(t, "POST", "/api/v1/plan-templates", w.template()).wantProblem(t, 403, "forbidden")
	if got := w.steward.do(t, "GET", "/api/v1/plan-templates?project_kind=new", nil).want(t, 200).items(); len(got) != 1 || got[0]["id"] != tplID {
		t.Fatalf("a steward picking a template sees %v", got)
	}

	path := "/api/v1/projects/" + w.proj.ID + "/plan"
	w.outsider.do(t, "POST", path, map[string]any{"template_id": tplID, "start": "2026-09-28"}).wantProblem(t, 404, "not_found")
	w.leader.do(t, "POST", path, map[string]any{"template_id": tplID, "start": "2026-09-28"}).wantProblem(t, 403, "forbidden")
	w.steward.do(t, "POST", path, map[string]any{"template_id": "0192a0c4-0000-7000-8000-000000000000", "start": "2026-09-28"}).wantField(t, "template_id")
	plan := w.steward.do(t, "POST", path, map[string]any{"template_id": tplID, "start": "2026-09-28"}, "Idempotency-Key", "plan-1").want(t, 201)
	w.dispatcher.do(t, "POST", path, map[string]any{"template_id": tplID, "start": "2026-09-28"}).wantProblem(t, 409, "conflict")
	// The steward's retry with the same key answers the plan it made.
	if r := w.steward.do(t, "POST", path, map[string]any{"template_id": tplID, "start": "2026-09-28"}, "Idempotency-Key", "plan-1").want(t, 201); r.body["id"] != plan.body["id"] || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a retried creation answered %s", r.raw)
	}

	// The baseline of the worked example, National Day included.
	var got []string
	for _, k := range []string{"A", "B", "C", "D"} {
		n := node(t, plan, k)
		got = append(got, fmt.Sprintf("%s %s→%s %s", k, n["planned_start"], n["planned_finish"], n["status"]))
	}
	if strings.Join(got, "; ") != "A 2026-09-28→2026-10-10 ready; B 2026-10-10→2026-10-14 waiting; C 2026-10-10→2026-10-15 waiting; D 2026-10-15→2026-10-19 waiting" {
		t.Fatalf("baseline: %v", got)
	}
	if plan.body["baseline_finish"] != "2026-10-19" || fmt.Sprint(plan.body["critical_path"]) != "[A C D]" || plan.body["light"] != "green" {
		t.Fatalf("plan: %s", plan.raw)
	}
	if a := node(t, plan, "A"); a["due_on"] != "2026-10-10" || a["ready_on"] != "2026-09-28" {
		t.Fatalf("A's clock: %v", a)
	}

	// Everyone who may read it reads it; outsiders get 404.
	for _, c := range []*client{w.dispatcher, w.steward, w.leader, w.officerHBJ, w.portal} {
		c.do(t, "GET", path, nil).want(t, 200)
	}
	w.outsider.do(t, "GET", path, nil).wantProblem(t, 404, "not_found")
	b.as(t, domain.RoleOfficer, b.department(t, "区水务集团", domain.DepartmentUtility).ID).do(t, "GET", path, nil).wantProblem(t, 404, "not_found")

	// Moves need the plan's If-Match: none → 428, stale → 412.
	aID := node(t, plan, "A")["id"].(string)
	startA := "/api/v1/projects/" + w.proj.ID + "/plan/nodes/" + aID + "/actions/start"
	w.officerFGJ.do(t, "POST", startA, nil).wantProblem(t, 428, "precondition_required")
	w.officerFGJ.do(t, "POST", startA, nil, "If-Match", `"7"`).wantProblem(t, 412, "version_mismatch")
	// Another department's officer may not start it; the steward may not start either.
	w.move(t, w.officerHBJ, plan, "A", "start", nil).wantProblem(t, 403, "forbidden")
	w.move(t, w.steward, plan, "A", "start", nil).wantProblem(t, 403, "forbidden")
	b.setNow(cst("2026-09-29 09:00"))
	plan = w.move(t, w.officerFGJ, plan, "A", "start", nil).want(t, 200)
	if n := node(t, plan, "A"); n["status"] != "in_progress" || n["started_on"] != "2026-09-29" || plan.Header.Get("ETag") != `"2"` {
		t.Fatalf("started: %v, ETag %s", n, plan.Header.Get("ETag"))
	}

	// A finishes late (Tuesday 13 October, due Saturday 10): B and C become ready that day.
	b.setNow(cst("2026-10-13 16:00"))
	w.move(t, w.officerFGJ, plan, "A", "finish", map[string]any{"date": "2026-10-14"}).wantField(t, "date")
	plan = w.move(t, w.officerFGJ, plan, "A", "finish", map[string]any{"date": "2026-10-13", "note": "发改备〔2026〕88号"}).want(t, 200)
	if a, bn := node(t, plan, "A"), node(t, plan, "B"); a["status"] != "done" || a["finished_on"] != "2026-10-13" || bn["status"] != "ready" ||
		bn["ready_on"] != "2026-10-13" || bn["due_on"] != "2026-10-16" {
		t.Fatalf("after A: %v / %v", a, bn)
	}
	// The forecast moves: C 10-13 + 4 = 10-19, D 10-19 + 2 = 10-21: two working days late, yellow.
	if plan.body["forecast_finish"] != "2026-10-21" || plan.body["light"] != "yellow" || plan.body["late_days"] != 2.0 {
		t.Fatalf("forecast after A's late finish: %s", plan.raw)
	}

	// 卡点: the environment bureau's officer blocks B, raising a ticket to the planning bureau.
	w.move(t, w.officerHBJ, plan, "B", "block", map[string]any{"reason": " "}).wantField(t, "reason")
	plan = w.move(t, w.officerHBJ, plan, "B", "block", map[string]any{"reason": "规划选址意见未出具，环评无法受理", "department_id": w.zjj.ID}).want(t, 200)
	bn := node(t, plan, "B")
	ticketID, _ := bn["ticket_id"].(string)
	if bn["status"] != "blocked" || ticketID == "" {
		t.Fatalf("blocked: %v", bn)
	}
	tk := w.officerZJJ.do(t, "GET", "/api/v1/tickets/"+ticketID, nil).want(t, 200)
	if tk.body["status"] != "assigned" || tk.body["department_id"] != w.zjj.ID || tk.body["plan_node_id"] != bn["id"] || tk.body["project_id"] != w.proj.ID {
		t.Fatalf("the blocker ticket: %s", tk.raw)
	}
	plan = w.move(t, w.steward, plan, "B", "unblock", map[string]any{"note": "住建局已出具选址意见"}).want(t, 200)
	if n := node(t, plan, "B"); n["status"] != "ready" || n["ticket_id"] != ticketID {
		t.Fatalf("unblocked: %v", n)
	}

	// The enterprise reads the plan without internal notes.
	pub := w.portal.do(t, "GET", path, nil).want(t, 200)
	for _, k := range []string{"A", "B"} {
		if n := node(t, pub, k); n["note"] != "" || n["reason"] != "" || n["ticket_id"] != nil || len(n["actions"].([]any)) != 0 {
			t.Fatalf("the enterprise sees internal notes of %s: %v", k, n)
		}
	}
	if strings.Contains(string(pub.raw), "发改备") || strings.Contains(string(pub.raw), "规划选址") {
		t.Fatalf("the enterprise's plan leaks notes: %s", pub.raw)
	}
	evs := w.portal.do(t, "GET", path+"/events", nil).want(t, 200)
	if strings.Contains(string(evs.raw), "发改备") || strings.Contains(string(evs.raw), "规划选址") {
		t.Fatalf("the enterprise's plan timeline leaks notes: %s", evs.raw)
	}
	if staff := w.steward.do(t, "GET", path+"/events", nil).want(t, 200); !strings.Contains(string(staff.raw), "发改备") {
		t.Fatalf("the steward's plan timeline lacks the finish note: %s", staff.raw)
	}

	// Waiving is the dispatcher's alone, with a reason.
	w.move(t, w.officerFGJ, plan, "C", "waive", map[string]any{"reason": "告知承诺制"}).wantProblem(t, 403, "forbidden")
	plan = w.move(t, w.dispatcher, plan, "C", "waive", map[string]any{"reason": "实行告知承诺制，免于节能审查"}).want(t, 200)
	if n := node(t, plan, "C"); n["status"] != "waived" {
		t.Fatalf("waived: %v", n)
	}
	w.move(t, w.dispatcher, plan, "C", "start", nil).wantProblem(t, 409, "invalid_transition")

	// The officers' inboxes: each department's open nodes, with project and enterprise names.
	inbox := w.officerHBJ.do(t, "GET", "/api/v1/plan-nodes", nil).want(t, 200).items()
	if len(inbox) != 1 || inbox[0]["key"] != "B" || inbox[0]["project_name"] != w.proj.Name || inbox[0]["enterprise_name"] != w.ent.Name {
		t.Fatalf("the environment bureau's inbox: %v", inbox)
	}
	w.officerHBJ.do(t, "GET", "/api/v1/plan-nodes?department_id="+w.fgj.ID, nil).wantProblem(t, 403, "forbidden")
	if all := w.dispatcher.do(t, "GET", "/api/v1/plan-nodes?status=done", nil).want(t, 200).items(); len(all) != 1 || all[0]["key"] != "A" {
		t.Fatalf("the dispatcher's done nodes: %v", all)
	}
}

func TestPlanTemplateValidation(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	bad := func(mutate func(nodes []map[string]any)) map[string]any {
		tpl := w.template()
		mutate(tpl["nodes"].([]map[string]any))
		return tpl
	}
	for _, tc := range []struct {
		name, field string
		body        map[string]any
	}{
		{"DuplicateKey", "nodes[2].key", bad(func(n []map[string]any) { n[2]["key"] = "B" })},
		{"UnknownAfter", "nodes[3].after", bad(func(n []map[string]any) { n[3]["after"] = []string{"B", "X"} })},
		{"Cycle", "nodes[0].after", bad(func(n []map[string]any) { n[0]["after"] = []string{"D"} })},
		{"NoSuchDepartment", "nodes[1].department_id", bad(func(n []map[string]any) { n[1]["department_id"] = "0192a0c4-0000-7000-8000-000000000000" })},
		{"NoNodes", "nodes", map[string]any{"name": "空模板", "project_kind": "new", "nodes": []any{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := w.admin.do(t, "POST", "/api/v1/plan-templates", tc.body).wantField(t, tc.field)
			if tc.name == "Cycle" && !strings.Contains(r.fieldErrors()[tc.field], "→") {
				t.Errorf("the cycle is not spelled out: %v", r.fieldErrors())
			}
		})
	}

	tpl := w.admin.do(t, "POST", "/api/v1/plan-templates", w.template()).want(t, 201)
	id := tpl.body["id"].(string)
	w.admin.do(t, "PATCH", "/api/v1/plan-templates/"+id, map[string]any{"name": "改名"}).wantProblem(t, 428, "precondition_required")
	w.admin.do(t, "PATCH", "/api/v1/plan-templates/"+id, map[string]any{"name": "改名"}, "If-Match", `"9"`).wantProblem(t, 412, "version_mismatch")
	w.admin.do(t, "PATCH", "/api/v1/plan-templates/"+id, map[string]any{"nodes": bad(func(n []map[string]any) { n[1]["after"] = []string{"D"} })["nodes"]},
		"If-Match", `"1"`).wantField(t, "nodes[1].after")
	r := w.admin.do(t, "PATCH", "/api/v1/plan-templates/"+id, map[string]any{"name": "工业类新建项目（简化）"}, "If-Match", `"1"`).want(t, 200)
	if r.body["name"] != "工业类新建项目（简化）" || r.Header.Get("ETag") != `"2"` || len(r.body["nodes"].([]any)) != 4 {
		t.Fatalf("patched: %s", r.raw)
	}
	if got := w.admin.do(t, "GET", "/api/v1/plan-templates/"+id, nil).want(t, 200); got.body["name"] != "工业类新建项目（简化）" {
		t.Fatalf("read back: %s", got.raw)
	}
}

// matrixPlans are the access matrix's plan objects: a template, and a plan of the world's
// unassigned project whose nodes are all another department's than the matrix officer's, so
// only dispatchers may reach it. Made on first use (the matrix's rules are declared apart).
type matrixPlans struct {
	tpl, plan string
	nodes     map[string]string // node id by key: one ready node per move
}

var matrixPlanWorlds sync.Map // *world → *matrixPlans

func (w *world) plans() *matrixPlans {
	if got, ok := matrixPlanWorlds.Load(w); ok {
		return got.(*matrixPlans)
	}
	other := &domain.Department{Name: "区发展和改革局", Kind: domain.DepartmentGovernment}
	if err := postgres.NewDepartmentService(w.b.db).CreateDepartment(system, other); err != nil {
		panic(err)
	}
	svc := postgres.NewPlanService(w.b.db, w.b.tickets)
	tpl := &domain.PlanTemplate{Name: "矩阵模板", ProjectKind: domain.ProjectNew}
	for _, k := range []string{"start", "finish", "block", "unblock", "waive"} {
		tpl.Nodes = append(tpl.Nodes, domain.PlanTemplateNode{Key: k, Name: k, DepartmentID: other.ID, Days: 5})
	}
	if err := svc.CreatePlanTemplate(system, tpl); err != nil {
		panic(err)
	}
	p, err := svc.CreatePlan(system, w.proj.ID, tpl.ID, time.Now())
	if err != nil {
		panic(err)
	}
	m := &matrixPlans{tpl: tpl.ID, plan: p.ID, nodes: map[string]string{}}
	for _, n := range p.Nodes {
		m.nodes[n.Key] = n.ID
	}
	matrixPlanWorlds.Store(w, m)
	return m
}

// planMoveRule is a node move only dispatchers may make on the matrix plan.
func planMoveRule(move string, body map[string]any) accessRule {
	return accessRule{allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
		m := w.plans()
		r := request{method: "POST", path: "/api/v1/projects/" + w.proj.ID + "/plan/nodes/" + m.nodes[move] + "/actions/" + move,
			headers: []string{"If-Match", w.etag("plans", m.plan)}}
		if body != nil {
			r.body = body
		}
		return r
	}}
}

func init() {
	readers := []string{"admin", "dispatcher", "leader", "steward", "officer"}
	rules := map[string]accessRule{
		"list-plan-templates": {allowed: readers, req: func(w *world, role string) request {
			w.plans()
			return request{method: "GET", path: "/api/v1/plan-templates"}
		}},
		"get-plan-template": {allowed: readers, req: func(w *world, role string) request {
			return request{method: "GET", path: "/api/v1/plan-templates/" + w.plans().tpl}
		}},
		"create-plan-template": {allowed: []string{"admin"}, req: func(w *world, role string) request {
			return request{method: "POST", path: "/api/v1/plan-templates", body: map[string]any{"name": "技改项目审批计划", "project_kind": "renovation",
				"nodes": []map[string]any{{"key": "a", "name": "技改备案", "department_id": w.dept.ID, "days": 3, "after": []string{}}}}}
		}},
		"update-plan-template": {allowed: []string{"admin"}, req: func(w *world, role string) request {
			m := w.plans()
			return request{method: "PATCH", path: "/api/v1/plan-templates/" + m.tpl, body: map[string]any{"name": "矩阵模板（" + role + "）"},
				headers: []string{"If-Match", w.etag("plan_templates", m.tpl)}}
		}},
		// The project has its plan: the dispatcher's attempt is a 409, everyone else may not reach it.
		"create-project-plan": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
			return request{method: "POST", path: "/api/v1/projects/" + w.proj.ID + "/plan",
				body: map[string]any{"template_id": w.plans().tpl, "start": time.Now().Format(time.DateOnly)}}
		}},
		"get-project-plan": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
			w.plans()
			return request{method: "GET", path: "/api/v1/projects/" + w.proj.ID + "/plan"}
		}},
		"list-project-plan-events": {allowed: []string{"dispatcher"}, req: func(w *world, role string) request {
			w.plans()
			return request{method: "GET", path: "/api/v1/projects/" + w.proj.ID + "/plan/events"}
		}},
		"list-plan-nodes": {allowed: []string{"dispatcher", "leader", "steward", "officer"}, req: func(w *world, role string) request {
			w.plans()
			return request{method: "GET", path: "/api/v1/plan-nodes"}
		}, leak: func(w *world, role string, r *response) string {
			for _, it := range r.items() {
				if role != "dispatcher" && it["plan_id"] == w.plans().plan {
					return "nodes of a plan outside the caller's scope"
				}
			}
			return ""
		}},
		"start-plan-node":   planMoveRule("start", nil),
		"finish-plan-node":  planMoveRule("finish", map[string]any{"date": time.Now().In(domain.Shanghai).Format(time.DateOnly)}),
		"block-plan-node":   planMoveRule("block", map[string]any{"reason": "用地指标未落实"}),
		"unblock-plan-node": planMoveRule("unblock", map[string]any{"note": "已协调"}),
		"waive-plan-node":   planMoveRule("waive", map[string]any{"reason": "告知承诺制"}),
	}
	for op, rule := range rules {
		accessMatrix[op] = rule
	}
}

func TestPlanNodePunctualityInStatistics(t *testing.T) {
	t.Parallel()
	w := newPlanWorld(t)
	b := w.b
	b.setNow(cst("2026-09-28 09:00"))
	tplID := w.admin.do(t, "POST", "/api/v1/plan-templates", w.template()).want(t, 201).body["id"].(string)
	plan := w.steward.do(t, "POST", "/api/v1/projects/"+w.proj.ID+"/plan", map[string]any{"template_id": tplID, "start": "2026-09-28"}).want(t, 201)
	// A (development bureau, due Saturday 10 October) is done on Friday 9: on time. B and C are
	// ready that day: B (environment, due Tuesday 13) is waived, C (development, due Wednesday
	// 14) is still open on the 20th: overdue.
	b.setNow(cst("2026-10-09 15:00"))
	plan = w.move(t, w.officerFGJ, plan, "A", "finish", map[string]any{"date": "2026-10-09"}).want(t, 200)
	b.setNow(cst("2026-10-12 10:00"))
	plan = w.move(t, w.dispatcher, plan, "B", "waive", map[string]any{"reason": "环评豁免名录内项目"}).want(t, 200)
	if c := node(t, plan, "C"); c["due_on"] != "2026-10-14" {
		t.Fatalf("C due %v", c["due_on"])
	}
	b.setNow(cst("2026-10-20 10:00"))

	rows := map[string]map[string]any{}
	for _, it := range w.dispatcher.do(t, "GET", "/api/v1/stats/departments?from=2026-10-01&to=2026-11-01", nil).want(t, 200).items() {
		rows[it["department_id"].(string)] = it
	}
	fgj, _ := rows[w.fgj.ID]["nodes"].(map[string]any)
	if fmt.Sprint(fgj) != "map[done:1 due:2 on_time:1 on_time_rate:0.5 overdue:1 waived:0]" || rows[w.fgj.ID]["node_on_time_rate"] != 0.5 {
		t.Fatalf("the development bureau's nodes: %v", rows[w.fgj.ID])
	}
	hbj, _ := rows[w.hbj.ID]["nodes"].(map[string]any)
	if fmt.Sprint(hbj) != "map[done:0 due:1 on_time:0 on_time_rate:<nil> overdue:0 waived:1]" || rows[w.hbj.ID]["node_on_time_rate"] != nil {
		t.Fatalf("the environment bureau's nodes: %v", rows[w.hbj.ID])
	}
	// An officer sees their own department's row; a period without due nodes counts none.
	own := w.officerFGJ.do(t, "GET", "/api/v1/stats/departments?from=2026-10-01&to=2026-11-01", nil).want(t, 200).items()
	if len(own) != 1 || own[0]["department_id"] != w.fgj.ID || own[0]["node_on_time_rate"] != 0.5 {
		t.Fatalf("the officer's statistics: %v", own)
	}
	for _, it := range w.dispatcher.do(t, "GET", "/api/v1/stats/departments?from=2026-09-01&to=2026-10-01", nil).want(t, 200).items() {
		if n := it["nodes"].(map[string]any); n["due"] != 0.0 {
			t.Fatalf("September counts nodes due in October: %v", it)
		}
	}
	// The monthly report's 部门 sheet ends with the node punctuality.
	r := w.dispatcher.do(t, "GET", "/api/v1/reports/monthly?month=2026-10", nil).want(t, 200)
	f, err := excelize.OpenReader(bytes.NewReader(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, err := f.GetRows("部门")
	if err != nil {
		t.Fatal(err)
	}
	if head := sheet[0]; head[len(head)-1] != "节点按时率" {
		t.Fatalf("部门 headers %v", head)
	}
	found := false
	for _, row := range sheet[1:] {
		if row[0] == w.fgj.Name {
			found = true
			if row[len(row)-1] != "50.00%" || row[len(row)-6] != "2" {
				t.Errorf("部门 %s: %v, want 2 nodes due and 50.00%% on time", w.fgj.Name, row)
			}
		}
	}
	if !found {
		t.Errorf("部门 has no row for %s: %v", w.fgj.Name, sheet)
	}
}
