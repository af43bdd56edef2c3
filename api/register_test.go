package api_test

import (
	"fmt"
	"testing"
	"time"

	"steward/domain"
)

func ids(r *response) map[string]bool {
	out := map[string]bool{}
	for _, it := range r.items() {
		out[it["id"].(string)] = true
	}
	return out
}

func TestPortfolios(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	l1, l2 := b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleLeader, gov.ID)
	s1, s2 := b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
	ea, eb, ec := b.enterprise(t, "甲企业有限公司"), b.enterprise(t, "乙企业有限公司"), b.enterprise(t, "丙企业有限公司")
	pc := b.project(t, ec.ID, "丙企业扩建项目")
	dispatcher := b.as(t, domain.RoleDispatcher)
	dispatcher.do(t, "POST", "/api/v1/assignments", map[string]any{"subject_type": "enterprise", "subject_id": ea.ID, "leader_id": l1.ID, "steward_id": s1.ID}).want(t, 201)
	dispatcher.do(t, "POST", "/api/v1/assignments", map[string]any{"subject_type": "project", "subject_id": pc.ID, "leader_id": l2.ID, "steward_id": s2.ID}).want(t, 201)

	for _, tc := range []struct {
		name        string
		user        *domain.User
		enterprises []string
		projects    []string
	}{
		{"StewardSeesTheEnterpriseAssignedToThem", s1, []string{ea.ID}, nil},
		{"LeaderSeesTheEnterpriseTheyAnswerFor", l1, []string{ea.ID}, nil},
		{"StewardOfAProjectSeesItAndItsEnterprise", s2, []string{ec.ID}, []string{pc.ID}},
		{"LeaderOfAProjectSeesItAndItsEnterprise", l2, []string{ec.ID}, []string{pc.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := b.login(t, tc.user.Username)
			got := ids(c.do(t, "GET", "/api/v1/enterprises", nil).want(t, 200))
			if len(got) != len(tc.enterprises) {
				t.Fatalf("enterprises %v, want %v", got, tc.enterprises)
			}
			for _, id := range tc.enterprises {
				if !got[id] {
					t.Fatalf("enterprises %v lack %s", got, id)
				}
			}
			got = ids(c.do(t, "GET", "/api/v1/projects", nil).want(t, 200))
			if len(got) != len(tc.projects) {
				t.Fatalf("projects %v, want %v", got, tc.projects)
			}
			c.do(t, "GET", "/api/v1/enterprises/"+eb.ID, nil).wantProblem(t, 404, "not_found")
		})
	}
	t.Run("DispatcherSeesAllAndFiltersByPortfolio", func(t *testing.T) {
		if n := len(dispatcher.do(t, "GET", "/api/v1/enterprises", nil).want(t, 200).items()); n != 3 {
			t.Fatalf("dispatcher sees %d enterprises, want 3", n)
		}
		got := ids(dispatcher.do(t, "GET", "/api/v1/enterprises?steward_id="+s1.ID, nil).want(t, 200))
		if len(got) != 1 || !got[ea.ID] {
			t.Fatalf("steward_id filter: %v", got)
		}
		got = ids(dispatcher.do(t, "GET", "/api/v1/projects?leader_id="+l2.ID, nil).want(t, 200))
		if len(got) != 1 || !got[pc.ID] {
			t.Fatalf("leader_id filter on projects: %v", got)
		}
	})
}

func TestAssignmentHistory(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	l1 := b.user(t, domain.RoleLeader, gov.ID)
	s1, s3 := b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
	e := b.enterprise(t, "历史企业有限公司")
	d := b.as(t, domain.RoleDispatcher)
	first := map[string]any{"subject_type": "enterprise", "subject_id": e.ID, "leader_id": l1.ID, "steward_id": s1.ID, "from": "2026-01-05", "reason": "年度包保"}
	d.do(t, "POST", "/api/v1/assignments", first).want(t, 201)

	bad := d.do(t, "POST", "/api/v1/assignments", map[string]any{"subject_type": "enterprise", "subject_id": e.ID, "leader_id": s1.ID, "steward_id": l1.ID}).wantProblem(t, 422, "validation_failed")
	if fe := bad.fieldErrors(); fe["leader_id"] == "" || fe["steward_id"] == "" {
		t.Fatalf("swapped roles: %v", fe)
	}
	d.do(t, "POST", "/api/v1/assignments", first).wantProblem(t, 422, "validation_failed") // already them
	early := map[string]any{"subject_type": "enterprise", "subject_id": e.ID, "leader_id": l1.ID, "steward_id": s3.ID, "from": "2025-12-01"}
	if fe := d.do(t, "POST", "/api/v1/assignments", early).wantProblem(t, 422, "validation_failed").fieldErrors(); fe["from"] == "" {
		t.Fatalf("a handover before the current assignment began: %v", fe)
	}
	future := map[string]any{"subject_type": "enterprise", "subject_id": e.ID, "leader_id": l1.ID, "steward_id": s3.ID, "from": time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
	d.do(t, "POST", "/api/v1/assignments", future).wantProblem(t, 422, "validation_failed")

	d.do(t, "POST", "/api/v1/assignments", map[string]any{"subject_type": "enterprise", "subject_id": e.ID, "leader_id": l1.ID, "steward_id": s3.ID, "from": "2026-06-01", "reason": "管家轮岗"}).want(t, 201)

	on := func(day string) string {
		items := d.do(t, "GET", "/api/v1/assignments?subject_type=enterprise&subject_id="+e.ID+"&on="+day, nil).want(t, 200).items()
		if len(items) != 1 {
			t.Fatalf("on %s: %d assignments, want 1", day, len(items))
		}
		return items[0]["steward_id"].(string)
	}
	if on("2026-03-01") != s1.ID || on("2026-05-31") != s1.ID || on("2026-06-01") != s3.ID || on("2026-07-01") != s3.ID {
		t.Fatal("who was responsible on a day is wrong")
	}
	if n := len(d.do(t, "GET", "/api/v1/assignments?subject_id="+e.ID+"&on=2025-12-31", nil).want(t, 200).items()); n != 0 {
		t.Fatalf("%d assignments before the first began", n)
	}
	all := d.do(t, "GET", "/api/v1/assignments?subject_id="+e.ID, nil).want(t, 200).items()
	if len(all) != 2 || all[0]["active"] != true || all[1]["to"] != "2026-06-01" || all[1]["steward_name"] == "" {
		t.Fatalf("history: %v", all)
	}
	// The handed-over steward no longer sees the enterprise; the new one does; both see their history.
	old := b.login(t, s1.Username)
	old.do(t, "GET", "/api/v1/enterprises/"+e.ID, nil).wantProblem(t, 404, "not_found")
	if n := len(old.do(t, "GET", "/api/v1/assignments", nil).want(t, 200).items()); n != 1 {
		t.Fatalf("the former steward sees %d of their assignments, want 1", n)
	}
	b.login(t, s3.Username).do(t, "GET", "/api/v1/enterprises/"+e.ID, nil).want(t, 200)

	tl := d.do(t, "GET", "/api/v1/enterprises/"+e.ID+"/timeline", nil).want(t, 200).items()
	var kinds []string
	for _, it := range tl {
		kinds = append(kinds, it["kind"].(string))
	}
	if fmt.Sprint(kinds) != "[assignment_start assignment_start assignment_end]" && fmt.Sprint(kinds) != "[assignment_end assignment_start assignment_start]" {
		t.Fatalf("timeline kinds %v", kinds)
	}
}

func TestProjectStages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "阶段企业有限公司")
	d := b.as(t, domain.RoleDispatcher)
	today := time.Now().In(domain.Shanghai).Format(time.DateOnly)
	p := d.do(t, "POST", "/api/v1/projects", map[string]any{"enterprise_id": e.ID, "name": "智能制造产业园二期", "kind": "new", "industry": "C",
		"planned_investment": 50000, "planned_start": "2026-02-01", "planned_completion": "2027-12-31", "key_level": "provincial",
		"stage_since": "2026-01-10"}).want(t, 201)
	id := p.body["id"].(string)
	path := "/api/v1/projects/" + id + "/stage"
	move := func(etag string, body map[string]any) *response { return d.do(t, "POST", path, body, "If-Match", etag) }

	r := move(`"1"`, map[string]any{"stage": "permitting", "date": "2026-03-02", "note": "签约并启动审批"}).want(t, 200)
	if r.body["stage"] != "permitting" || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("forward: %s", r.raw)
	}
	move(`"1"`, map[string]any{"stage": "under_construction", "date": today}).wantProblem(t, 412, "version_mismatch")
	if fe := move(`"2"`, map[string]any{"stage": "signed", "date": today}).wantProblem(t, 422, "validation_failed").fieldErrors(); fe["reason"] == "" {
		t.Fatalf("back without a reason: %v", fe)
	}
	move(`"2"`, map[string]any{"stage": "under_construction", "date": "2099-01-01"}).wantProblem(t, 422, "validation_failed")
	move(`"2"`, map[string]any{"stage": "signed", "date": today, "reason": "规划调整需重新签约"}).want(t, 200)
	move(`"3"`, map[string]any{"stage": "suspended", "date": today}).wantProblem(t, 422, "validation_failed")
	move(`"3"`, map[string]any{"stage": "cancelled", "date": today, "reason": "企业战略调整"}).want(t, 200)
	move(`"4"`, map[string]any{"stage": "negotiating", "date": today, "reason": "重启"}).wantProblem(t, 409, "invalid_transition")

	stages := d.do(t, "GET", "/api/v1/projects/"+id+"/stages", nil).want(t, 200).items()
	var seq []string
	for _, s := range stages {
		seq = append(seq, s["to"].(string))
	}
	if fmt.Sprint(seq) != "[negotiating permitting signed cancelled]" || stages[2]["reason"] != "规划调整需重新签约" {
		t.Fatalf("stage history %v", stages)
	}
	tl := d.do(t, "GET", "/api/v1/enterprises/"+e.ID+"/timeline", nil).want(t, 200).items()
	if len(tl) != 4 || tl[0]["kind"] != "stage_move" || tl[0]["to_stage"] != "cancelled" {
		t.Fatalf("timeline %v", tl)
	}
}

func TestProjectInvestmentAndLight(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "投资企业有限公司")
	d := b.as(t, domain.RoleDispatcher)
	// A project a year into a two-year plan is expected at about half its investment.
	start := time.Now().AddDate(-1, 0, 0)
	p := d.do(t, "POST", "/api/v1/projects", map[string]any{"enterprise_id": e.ID, "name": "研发中心建设项目", "kind": "new", "industry": "M",
		"planned_investment": 10000, "planned_start": start.Format(time.DateOnly), "planned_completion": start.AddDate(2, 0, 0).Format(time.DateOnly),
		"key_level": "district", "stage": "under_construction"}).want(t, 201)
	id := p.body["id"].(string)
	if light := p.body["progress"].(map[string]any)["light"]; light != "red" {
		t.Fatalf("nothing invested halfway: light %v, want red", light)
	}
	month := func(back int) string { return time.Now().In(domain.Shanghai).AddDate(0, -back, 0).Format("2006-01") }
	d.do(t, "PUT", "/api/v1/projects/"+id+"/investments/"+month(2), map[string]any{"amount": 2000}).want(t, 200)
	r := d.do(t, "PUT", "/api/v1/projects/"+id+"/investments/"+month(1), map[string]any{"amount": 2000}).want(t, 200)
	if r.body["completed_investment"] != float64(4000) || r.body["progress"].(map[string]any)["light"] != "yellow" {
		t.Fatalf("40%% done at 50%% of the time: %s", r.raw)
	}
	// A correction replaces the month's figure rather than adding to it.
	r = d.do(t, "PUT", "/api/v1/projects/"+id+"/investments/"+month(1), map[string]any{"amount": 3500}).want(t, 200)
	if r.body["completed_investment"] != float64(5500) || r.body["progress"].(map[string]any)["light"] != "green" {
		t.Fatalf("after a correction: %s", r.raw)
	}
	d.do(t, "PUT", "/api/v1/projects/"+id+"/investments/"+time.Now().AddDate(0, 2, 0).Format("2006-01"), map[string]any{"amount": 1}).wantProblem(t, 422, "validation_failed")
	if n := len(d.do(t, "GET", "/api/v1/projects/"+id+"/investments", nil).want(t, 200).items()); n != 2 {
		t.Fatalf("%d monthly reports, want 2", n)
	}
	if got := ids(d.do(t, "GET", "/api/v1/projects?light=green", nil).want(t, 200)); !got[id] {
		t.Fatal("the light filter does not find the project")
	}
}

func TestChineseSearch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	power := b.enterprise(t, "中国电力建设苏州有限公司")
	chips := b.enterprise(t, "苏州电子科技有限公司")
	ali := b.enterprise(t, "阿里云计算苏州有限公司")
	d := b.as(t, domain.RoleDispatcher)
	find := func(q string) map[string]bool {
		return ids(d.do(t, "GET", "/api/v1/enterprises?q="+q, nil).want(t, 200))
	}
	for q, want := range map[string]*domain.Enterprise{
		"zgdl": power, "ZGDL": power, "zhongguodianli": power, "dianzi": chips, "dzkj": chips,
		"电力建设": power, power.CreditCode[:17]: power, "aliyun": ali,
	} {
		if got := find(q); len(got) != 1 || !got[want.ID] {
			t.Errorf("q=%s found %v, want only %s", q, got, want.Name)
		}
	}
	if got := find("suzhou"); len(got) != 3 {
		t.Errorf("q=suzhou found %d, want 3", len(got))
	}
	var names []string
	for _, it := range d.do(t, "GET", "/api/v1/enterprises?sort=name&limit=2", nil).want(t, 200).items() {
		names = append(names, it["name"].(string))
	}
	next := d.do(t, "GET", "/api/v1/enterprises?sort=name&limit=2", nil).want(t, 200).body["next_cursor"].(string)
	for _, it := range d.do(t, "GET", "/api/v1/enterprises?sort=name&limit=2&cursor="+next, nil).want(t, 200).items() {
		names = append(names, it["name"].(string))
	}
	if fmt.Sprint(names) != "[阿里云计算苏州有限公司 中国电力建设苏州有限公司 苏州电子科技有限公司]" &&
		fmt.Sprint(names) != "[阿里云计算苏州有限公司 苏州电子科技有限公司 中国电力建设苏州有限公司]" {
		t.Fatalf("pinyin order %v", names)
	}
	if names[1] != "苏州电子科技有限公司" {
		t.Fatalf("pinyin order %v: su… comes before zhong…", names)
	}
}

func TestArchive(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "迁出企业有限公司")
	d := b.as(t, domain.RoleDispatcher)
	path := "/api/v1/enterprises/" + e.ID
	if fe := d.do(t, "POST", path+"/archive", nil).wantProblem(t, 422, "validation_failed").fieldErrors(); fe["reason"] == "" {
		t.Fatalf("archive without reason: %v", fe)
	}
	d.do(t, "POST", path+"/archive", map[string]any{"reason": "企业迁出本区"}, "If-Match", `"7"`).wantProblem(t, 412, "version_mismatch")
	r := d.do(t, "POST", path+"/archive", map[string]any{"reason": "企业迁出本区"}).want(t, 200)
	if r.body["status"] != "archived" {
		t.Fatalf("archive: %s", r.raw)
	}
	if ids(d.do(t, "GET", "/api/v1/enterprises", nil).want(t, 200))[e.ID] {
		t.Fatal("an archived enterprise is in the working list")
	}
	if !ids(d.do(t, "GET", "/api/v1/enterprises?status=archived", nil).want(t, 200))[e.ID] {
		t.Fatal("an archived enterprise cannot be found")
	}
	d.do(t, "GET", path, nil).want(t, 200) // its file stays readable
	d.do(t, "POST", path+"/archive", map[string]any{"reason": "again"}).wantProblem(t, 409, "invalid_transition")
	d.do(t, "POST", path+"/restore", nil).want(t, 200)
}
