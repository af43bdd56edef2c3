package api_test

import (
	"fmt"
	"strings"
	"testing"

	"steward/domain"
	"steward/domain/postgres"
)

// person creates a user of role with its own display name and phone, so a test can look for the
// name in what others are shown.
func (b *testBundle) person(t *testing.T, role domain.Role, name, phone, deptOrEnterprise string) *domain.User {
	t.Helper()
	u := &domain.User{Username: fmt.Sprintf("%s%d", role, b.n.Add(1)), DisplayName: name, Role: role, Phone: phone}
	if role == domain.RoleEnterprise {
		u.EnterpriseID = deptOrEnterprise
	} else {
		u.DepartmentID = deptOrEnterprise
	}
	if err := postgres.NewUserService(b.db).CreateUser(system, u, password, false); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestMyEnterprise(t *testing.T) {
	t.Parallel()
	b := setup(t)
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	ent := b.enterprise(t, "苏州门户测试精密有限公司")
	leader := b.person(t, domain.RoleLeader, "周副区长", "13700007777", gov.ID)
	steward := b.person(t, domain.RoleSteward, "陈管家", "13600006666", b.bureau.ID)
	portal := b.as(t, domain.RoleEnterprise, ent.ID)

	t.Run("NobodyAssignedYet", func(t *testing.T) {
		r := portal.do(t, "GET", "/api/v1/me/enterprise", nil).want(t, 200)
		if r.body["steward"] != nil || r.body["leader"] != nil {
			t.Fatalf("an enterprise nobody serves yet shows a steward or leader: %s", r.raw)
		}
		if e, _ := r.body["enterprise"].(map[string]any); e["id"] != ent.ID || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("my enterprise: %s (ETag %s)", r.raw, r.Header.Get("ETag"))
		}
	})

	b.assign(t, domain.SubjectEnterprise, ent.ID, leader.ID, steward.ID)
	t.Run("TheStewardWithPhoneAndTheLeaderByName", func(t *testing.T) {
		r := portal.do(t, "GET", "/api/v1/me/enterprise", nil).want(t, 200)
		s, _ := r.body["steward"].(map[string]any)
		l, _ := r.body["leader"].(map[string]any)
		if s["display_name"] != "陈管家" || s["phone"] != "13600006666" {
			t.Fatalf("steward %v; want 陈管家 with the full phone", s)
		}
		if l["display_name"] != "周副区长" || len(l) != 1 {
			t.Fatalf("leader %v; want the name and nothing else", l)
		}
		e, _ := r.body["enterprise"].(map[string]any)
		contacts, _ := e["contacts"].([]any)
		if c, _ := contacts[0].(map[string]any); c["phone"] != "13812345678" {
			t.Fatalf("the enterprise sees its own contacts masked: %v", contacts)
		}
	})

	t.Run("ANewStewardTakesOver", func(t *testing.T) {
		next := b.person(t, domain.RoleSteward, "林管家", "13500005555", b.bureau.ID)
		b.assign(t, domain.SubjectEnterprise, ent.ID, leader.ID, next.ID)
		s, _ := portal.do(t, "GET", "/api/v1/me/enterprise", nil).want(t, 200).body["steward"].(map[string]any)
		if s["display_name"] != "林管家" || s["phone"] != "13500005555" {
			t.Fatalf("after the handover the portal shows %v; want 林管家", s)
		}
	})

	t.Run("StaffHaveNoEnterpriseOfTheirOwn", func(t *testing.T) {
		for _, role := range []domain.Role{domain.RoleDispatcher, domain.RoleSteward, domain.RoleAdmin} {
			b.as(t, role).do(t, "GET", "/api/v1/me/enterprise", nil).wantProblem(t, 403, "forbidden")
		}
		b.anonymous().do(t, "GET", "/api/v1/me/enterprise", nil).wantProblem(t, 401, "unauthenticated")
	})
}

func TestAnEnterpriseEditsOnlyItsContacts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ent := b.enterprise(t, "苏州门户联系人有限公司")
	other := b.enterprise(t, "苏州别家企业有限公司")
	user := b.person(t, domain.RoleEnterprise, "王经理（门户）", "13812345678", ent.ID)
	portal := b.login(t, user.Username)
	path := "/api/v1/enterprises/" + ent.ID
	contacts := []map[string]any{{"name": "王经理", "title": "总经理", "phone": "13812345678"},
		{"name": "李会计", "title": "财务", "phone": "0512-66668888", "email": "li@example.com"}}

	etag := portal.do(t, "GET", "/api/v1/me/enterprise", nil).want(t, 200).Header.Get("ETag")
	t.Run("WithoutIfMatchIs428", func(t *testing.T) {
		portal.do(t, "PATCH", path, map[string]any{"contacts": contacts}).wantProblem(t, 428, "precondition_required")
	})
	t.Run("OtherFieldsAreTheBureaus", func(t *testing.T) {
		for _, body := range []map[string]any{{"name": "改名有限公司"}, {"contacts": contacts, "street": "别的街道"},
			{"key_level": "provincial"}, {"tags": []string{"独角兽"}}} {
			portal.do(t, "PATCH", path, body, "If-Match", etag).wantProblem(t, 403, "forbidden")
		}
		if r := portal.do(t, "GET", path, nil).want(t, 200); r.body["name"] != ent.Name || r.Header.Get("ETag") != etag {
			t.Fatalf("a refused change wrote something: %s", r.raw)
		}
	})
	t.Run("ABadPhoneIsNamed", func(t *testing.T) {
		r := portal.do(t, "PATCH", path, map[string]any{"contacts": []map[string]any{{"name": "王经理", "phone": "call me"}}},
			"If-Match", etag).wantProblem(t, 422, "validation_failed")
		if len(r.fieldErrors()) == 0 {
			t.Fatalf("no field named: %s", r.raw)
		}
	})
	t.Run("AnotherEnterpriseIs404", func(t *testing.T) {
		portal.do(t, "PATCH", "/api/v1/enterprises/"+other.ID, map[string]any{"contacts": contacts}, "If-Match", `"1"`).
			wantProblem(t, 404, "not_found")
	})

	var fresh string
	t.Run("ContactsChangeAndAreAudited", func(t *testing.T) {
		r := portal.do(t, "PATCH", path, map[string]any{"contacts": contacts}, "If-Match", etag).want(t, 200)
		fresh = r.Header.Get("ETag")
		got, _ := r.body["contacts"].([]any)
		if len(got) != 2 || fresh == etag || r.body["name"] != ent.Name {
			t.Fatalf("after the change: %s", r.raw)
		}
		if c, _ := got[1].(map[string]any); c["phone"] != "0512-66668888" || c["email"] != "li@example.com" {
			t.Fatalf("the second contact: %v", c)
		}
		var found bool
		for _, it := range b.as(t, domain.RoleAuditor).do(t, "GET", "/api/v1/audit?entity=enterprise&entity_id="+ent.ID, nil).want(t, 200).items() {
			found = found || (it["action"] == "update" && it["actor_id"] == user.ID)
		}
		if !found {
			t.Fatal("no audit record of the enterprise user's change")
		}
	})
	t.Run("AStaleVersionIs412AndWritesNothing", func(t *testing.T) {
		portal.do(t, "PATCH", path, map[string]any{"contacts": contacts[:1]}, "If-Match", etag).wantProblem(t, 412, "version_mismatch")
		if r := portal.do(t, "GET", path, nil).want(t, 200); r.Header.Get("ETag") != fresh || len(r.body["contacts"].([]any)) != 2 {
			t.Fatalf("a stale change wrote something: %s", r.raw)
		}
	})
	t.Run("TheDispatcherStillChangesAnyField", func(t *testing.T) {
		b.as(t, domain.RoleDispatcher).do(t, "PATCH", path, map[string]any{"street": "金鸡湖街道"}, "If-Match", fresh).want(t, 200)
	})
}

// TestThePortalSeesNothingInternal walks a ticket through everything the authorities say among
// themselves — internal comments, a return and its basis, an extension asked for and denied, a
// leader's instruction and its answer, a co-handling opinion and a waiver, an internal file —
// and reads every answer the portal reads: none holds any of it, nor an official's name.
func TestThePortalSeesNothingInternal(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	officer := b.person(t, domain.RoleOfficer, "赵科员内部", "13300003333", w.deptB.ID)
	officerB := b.login(t, officer.Username)
	coDept := b.department(t, "区生态环境局", domain.DepartmentGovernment)
	coOfficer := b.login(t, b.person(t, domain.RoleOfficer, "钱协办内部", "13300004444", coDept.ID).Username)
	etag := func(r *response) string { return r.Header.Get("ETag") }
	secret := func(s string) string { return "内部机密" + s }

	r := w.submit(t, w.portal, "").want(t, 201)
	id := r.body["id"].(string)
	r = act(t, w.dispatcher, id, "accept", nil, etag(r)).want(t, 200)
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptA.ID}, etag(r)).want(t, 200)
	r = act(t, w.officerA, id, "return", map[string]any{"reason": secret("退回理由")}, etag(r)).want(t, 200)
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID, "co_department_ids": []string{coDept.ID, w.deptA.ID}}, etag(r)).want(t, 200)
	r = act(t, officerB, id, "sign", nil, etag(r)).want(t, 200)
	coOfficer.do(t, "POST", "/api/v1/tickets/"+id+"/opinions", map[string]any{"body": secret("协办意见")}).want(t, 201)
	r = act(t, w.dispatcher, id, "waive-opinion", map[string]any{"department_id": w.deptA.ID, "reason": secret("免除理由")},
		w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200).Header.Get("ETag")).want(t, 200)
	r = act(t, officerB, id, "request-extension", map[string]any{"days": 3, "reason": secret("延期理由")}, etag(r)).want(t, 200)
	r = act(t, w.dispatcher, id, "deny-extension", map[string]any{"reason": secret("驳回延期")}, etag(r)).want(t, 200)
	officerB.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": secret("内部评论"), "internal": true}).want(t, 201)
	officerB.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "已安排现场踏勘，请企业配合。"}).want(t, 201)
	ins := w.leader.do(t, "POST", "/api/v1/tickets/"+id+"/instructions", map[string]any{"body": secret("领导批示")}).want(t, 201)
	officerB.do(t, "POST", "/api/v1/tickets/"+id+"/instructions/"+ins.body["id"].(string)+"/answer", map[string]any{"answer": secret("批示答复")}).want(t, 200)
	internal := true
	officerB.do(t, "POST", "/api/v1/tickets/"+id+"/attachments", attachmentUpload(secret("内部附件")+".pdf", "application/pdf", pdfBytes, &internal)).want(t, 201)
	officerB.do(t, "POST", "/api/v1/tickets/"+id+"/attachments", attachmentUpload("踏勘记录.pdf", "application/pdf", pdfBytes, nil)).want(t, 201)
	r = act(t, officerB, id, "resolve", map[string]any{"resolution": "已完成增容方案并送电。"},
		officerB.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200).Header.Get("ETag")).want(t, 200)

	officials := []string{"赵科员内部", "钱协办内部", "测试 officer", "测试 dispatcher", "测试 leader", "测试 steward"}
	check := func(t *testing.T, what string, r *response) {
		t.Helper()
		body := string(r.raw)
		if strings.Contains(body, "内部机密") {
			t.Errorf("%s shows the enterprise something internal: %s", what, body)
		}
		for _, n := range officials {
			if strings.Contains(body, n) {
				t.Errorf("%s names the official %s to the enterprise: %s", what, n, body)
			}
		}
	}
	read := func(path string) *response { return w.portal.do(t, "GET", "/api/v1"+path, nil).want(t, 200) }
	t.Run("TheTicketItsListTimelineAndFiles", func(t *testing.T) {
		tk := read("/tickets/" + id)
		check(t, "the ticket", tk)
		if tk.body["extension"] != nil || len(tk.body["co_department_ids"].([]any)) != 0 || tk.body["handler_name"] != nil {
			t.Errorf("the ticket shows internal fields: %s", tk.raw)
		}
		check(t, "the ticket list", read("/tickets"))
		check(t, "the open-ticket list", read("/tickets?mine=true"))
		evs := read("/tickets/" + id + "/events")
		check(t, "the timeline", evs)
		public := map[string]bool{}
		for _, e := range evs.items() {
			public[e["action"].(string)] = true
			if e["public"] != true {
				t.Errorf("an internal event in the portal's timeline: %v", e)
			}
		}
		for _, a := range []string{"submit", "accept", "assign", "sign", "comment", "attach", "resolve"} {
			if !public[a] {
				t.Errorf("the portal's timeline lacks the public %s event: %v", a, public)
			}
		}
		files := read("/tickets/" + id + "/attachments")
		check(t, "the files", files)
		if n := len(files.items()); n != 1 {
			t.Errorf("the portal lists %d files; want the public one only", n)
		}
	})
	t.Run("InstructionsAndOpinionsAreClosed", func(t *testing.T) {
		w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/instructions", nil).wantProblem(t, 403, "forbidden")
		w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/opinions", nil).wantProblem(t, 403, "forbidden")
	})
	t.Run("TheAnswersOfMovesAndNotifications", func(t *testing.T) {
		// The steward and leader are named there by design; nothing internal is.
		if me := read("/me/enterprise"); strings.Contains(string(me.raw), "内部机密") || strings.Contains(string(me.raw), "赵科员内部") {
			t.Errorf("my enterprise shows something internal: %s", me.raw)
		}
		notes := read("/notifications")
		check(t, "my notifications", notes)
		heard := map[string]bool{}
		for _, n := range notes.items() {
			heard[strings.SplitN(n["title"].(string), "：", 2)[0]] = n["link"] == "/portal/tickets/"+id
		}
		if !heard["您的诉求已受理"] || !heard["您的诉求已办结，请评价"] || len(heard) != 2 {
			t.Errorf("the enterprise heard %v; want accepted and resolved, linked to the portal", heard)
		}
		// The rating (unsatisfied → 重办) answers the ticket as the enterprise sees it.
		rr := act(t, w.portal, id, "rate", map[string]any{"solved": 2, "attitude": 4, "tags": []string{"办理拖延"}, "comment": "还没送电"}, etag(read("/tickets/"+id))).want(t, 200)
		check(t, "the rating's answer", rr)
		if rr.body["status"] != "in_progress" || rr.body["reopen_count"] != float64(1) || rr.body["due_resolve_at"] == nil {
			t.Errorf("after an unsatisfied rating: %s", rr.raw)
		}
		c := w.portal.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "补充：现场电表编号 A-17。"}).want(t, 201)
		check(t, "the enterprise's own comment", c)
	})
	t.Run("TheEnterpriseCannotCommentInternally", func(t *testing.T) {
		w.portal.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "企业想发内部评论", "internal": true}).wantField(t, "internal")
	})
}
