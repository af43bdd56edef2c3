package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"steward/domain"
	"steward/domain/postgres"
)

// setNow moves the server's clock to t.
func (b *testBundle) setNow(t time.Time) { b.offset.Store(int64(time.Until(t))) }

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// ticketWorld is an enterprise with its portal user, its leader and steward, a dispatcher and
// two handling departments with an officer each.
type ticketWorld struct {
	b                           *testBundle
	ent                         *domain.Enterprise
	portal, dispatcher, steward *client
	leader, officerA, officerB  *client
	auditor                     *client
	deptA, deptB                *domain.Department
	power                       string // the 用电 category: sign 1, resolve 15 working days
}

func newTicketWorld(t *testing.T) *ticketWorld {
	b := setup(t)
	w := &ticketWorld{b: b, power: "01900000-0000-7000-8000-000000000004"}
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	w.deptA = b.department(t, "区自然资源和规划局", domain.DepartmentGovernment)
	w.deptB = b.department(t, "国网区供电公司", domain.DepartmentUtility)
	w.ent = b.enterprise(t, "苏州示范智能装备有限公司")
	leader, steward := b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleSteward)
	b.assign(t, domain.SubjectEnterprise, w.ent.ID, leader.ID, steward.ID)
	w.portal = b.as(t, domain.RoleEnterprise, w.ent.ID)
	w.dispatcher = b.as(t, domain.RoleDispatcher)
	w.steward = b.login(t, steward.Username)
	w.leader = b.login(t, leader.Username)
	w.officerA = b.as(t, domain.RoleOfficer, w.deptA.ID)
	w.officerB = b.as(t, domain.RoleOfficer, w.deptB.ID)
	w.auditor = b.as(t, domain.RoleAuditor)
	return w
}

func (w *ticketWorld) submit(t *testing.T, c *client, key string) *response {
	t.Helper()
	body := map[string]any{"category_id": w.power, "title": "新增2000千伏安用电增容申请",
		"description": "二期厂房即将投产，现有变压器容量不足，申请增容2000千伏安，请协调供电公司尽快踏勘。"}
	if c != w.portal {
		body["enterprise_id"] = w.ent.ID
	}
	var headers []string
	if key != "" {
		headers = []string{"Idempotency-Key", key}
	}
	return c.do(t, "POST", "/api/v1/tickets", body, headers...)
}

// act makes a move with the ticket's current ETag and returns the answer.
func act(t *testing.T, c *client, id, action string, body map[string]any, etag string) *response {
	t.Helper()
	if body == nil {
		return c.do(t, "POST", "/api/v1/tickets/"+id+"/actions/"+action, nil, "If-Match", etag)
	}
	return c.do(t, "POST", "/api/v1/tickets/"+id+"/actions/"+action, body, "If-Match", etag)
}

func dueOf(t *testing.T, r *response, field string) time.Time {
	t.Helper()
	s, _ := r.body[field].(string)
	d, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("%s = %v: %v", field, r.body[field], err)
	}
	return d
}

func TestTicketFullLoop(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	b.setNow(cst("2026-09-28 10:00")) // the Monday before National Day

	r := w.submit(t, w.portal, "offline-1").want(t, 201)
	id := r.body["id"].(string)
	if r.body["number"] != "SQ-2026-000001" || r.body["status"] != "submitted" || r.body["source"] != "portal" || r.body["light"] != "none" {
		t.Fatalf("submitted: %s", r.raw)
	}
	etag := func(r *response) string { return r.Header.Get("ETag") }

	// 受理: 15 working days from Monday 28 September run past the National Day holiday
	// (1–7 October) and count the make-up Saturday 10 October: due 23 October 18:00.
	act(t, w.portal, id, "accept", nil, etag(r)).wantProblem(t, 403, "forbidden")
	r = act(t, w.dispatcher, id, "accept", nil, etag(r)).want(t, 200)
	if due := dueOf(t, r, "due_resolve_at"); !due.Equal(cst("2026-10-23 18:00")) || r.body["light"] != "green" {
		t.Fatalf("accepted: due %s light %v", due.In(domain.Shanghai), r.body["light"])
	}
	act(t, w.dispatcher, id, "accept", nil, etag(r)).wantProblem(t, 409, "invalid_transition")

	// 分派 to the wrong department, which returns it with its basis.
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptA.ID}, etag(r)).want(t, 200)
	if due := dueOf(t, r, "due_sign_at"); !due.Equal(cst("2026-09-29 18:00")) || r.body["department_name"] != "区自然资源和规划局" {
		t.Fatalf("assigned: sign due %s, %s", due.In(domain.Shanghai), r.raw)
	}
	w.officerB.do(t, "GET", "/api/v1/tickets/"+id, nil).wantProblem(t, 404, "not_found")
	act(t, w.officerA, id, "return", map[string]any{}, etag(r)).wantProblem(t, 422, "validation_failed")
	r = act(t, w.officerA, id, "return", map[string]any{"reason": "用电增容属供电公司职责，非本局受理范围"}, etag(r)).want(t, 200)
	if r.body["status"] != "returned" || r.body["department_id"] != nil {
		t.Fatalf("returned: %s", r.raw)
	}
	w.officerA.do(t, "GET", "/api/v1/tickets/"+id, nil).wantProblem(t, 404, "not_found")

	// 分派 again, 签收, 延期.
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID}, etag(r)).want(t, 200)
	act(t, w.officerA, id, "sign", nil, etag(r)).wantProblem(t, 404, "not_found")
	r = act(t, w.officerB, id, "sign", nil, etag(r)).want(t, 200)
	if r.body["status"] != "in_progress" || r.body["due_sign_at"] != nil {
		t.Fatalf("signed: %s", r.raw)
	}
	r = act(t, w.officerB, id, "request-extension", map[string]any{"days": 3, "reason": "需现场踏勘并制定接入方案"}, etag(r)).want(t, 200)
	if portalView := w.portal.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200); portalView.body["extension"] != nil {
		t.Fatalf("the enterprise sees the internal extension request: %s", portalView.raw)
	}
	act(t, w.officerB, id, "approve-extension", nil, etag(r)).wantProblem(t, 403, "forbidden")
	r = act(t, w.dispatcher, id, "approve-extension", nil, etag(r)).want(t, 200)
	if due := dueOf(t, r, "due_resolve_at"); !due.Equal(cst("2026-10-28 18:00")) || r.body["extension"] != nil {
		t.Fatalf("extended by 3 working days: due %s, %s", due.In(domain.Shanghai), r.raw)
	}

	// 办结, rated unsatisfied → 重办 on a new clock from 12 October.
	r = act(t, w.officerB, id, "resolve", map[string]any{"resolution": "已完成现场踏勘，增容方案已批复，预计10月底送电。"}, etag(r)).want(t, 200)
	b.setNow(cst("2026-10-12 10:00"))
	act(t, w.dispatcher, id, "rate", map[string]any{"solved": 5, "attitude": 5}, etag(r)).wantProblem(t, 403, "forbidden")
	act(t, w.portal, id, "rate", map[string]any{"solved": 9, "attitude": 0}, etag(r)).wantProblem(t, 422, "validation_failed")
	r = act(t, w.portal, id, "rate", map[string]any{"solved": 2, "attitude": 4, "tags": []string{"办理拖延"}, "comment": "送电时间仍不确定"}, etag(r)).want(t, 200)
	if r.body["status"] != "in_progress" || r.body["reopen_count"] != float64(1) || !dueOf(t, r, "due_resolve_at").Equal(cst("2026-11-02 18:00")) {
		t.Fatalf("rework: %s", r.raw)
	}
	r = act(t, w.officerB, id, "resolve", map[string]any{"resolution": "已于10月20日完成送电。"}, etag(r)).want(t, 200)
	r = act(t, w.portal, id, "rate", map[string]any{"solved": 5, "attitude": 5, "tags": []string{"办事高效", "主动服务"}}, etag(r)).want(t, 200)
	if r.body["status"] != "closed" || r.body["rating"].(map[string]any)["solved"] != float64(5) {
		t.Fatalf("closed: %s", r.raw)
	}

	var actions []string
	for _, e := range w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
		actions = append(actions, e["action"].(string))
	}
	want := "[submit accept assign return assign sign request-extension approve-extension resolve rework resolve rate]"
	if fmt.Sprint(actions) != want {
		t.Fatalf("timeline %v\nwant     %s", actions, want)
	}
	actions = nil
	for _, e := range w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
		actions = append(actions, e["action"].(string))
	}
	if fmt.Sprint(actions) != "[submit accept assign assign sign approve-extension resolve rework resolve rate]" {
		t.Fatalf("the enterprise's timeline %v shows internal events or lacks public ones", actions)
	}
	audit := w.auditor.do(t, "GET", "/api/v1/audit?entity=ticket&entity_id="+id, nil).want(t, 200).items()
	if len(audit) != 12 {
		t.Fatalf("%d audit records for the ticket, want 12 (create and 11 moves)", len(audit))
	}
	if audit[0]["action"] != "ticket.rate" || audit[len(audit)-1]["action"] != "create" {
		t.Fatalf("audit order: newest %v, oldest %v", audit[0]["action"], audit[len(audit)-1]["action"])
	}
}

func TestTicketLightsAndInboxes(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	b.setNow(cst("2026-10-20 09:00"))
	id := w.submit(t, w.steward, "").want(t, 201).body["id"].(string)
	r := act(t, w.steward, id, "accept", nil, `"1"`).want(t, 200) // the enterprise's own steward may accept
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID}, r.Header.Get("ETag")).want(t, 200)

	light := func(at string) any {
		b.setNow(cst(at))
		return w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200).body["light"]
	}
	// Sign-for is due 21 October 18:00; it turns yellow a working day before.
	if l := light("2026-10-20 12:00"); l != "green" {
		t.Fatalf("at 20 Oct 12:00 light %v, want green", l)
	}
	if l := light("2026-10-20 18:00"); l != "yellow" {
		t.Fatalf("at 20 Oct 18:00 light %v, want yellow", l)
	}
	if l := light("2026-10-21 18:01"); l != "red" {
		t.Fatalf("at 21 Oct 18:01 light %v, want red", l)
	}
	red := ids(w.dispatcher.do(t, "GET", "/api/v1/tickets?light=red", nil).want(t, 200))
	if !red[id] {
		t.Fatal("the light filter misses the overdue ticket")
	}
	if !ids(w.officerB.do(t, "GET", "/api/v1/tickets?mine=true", nil).want(t, 200))[id] {
		t.Fatal("the officer's inbox misses the ticket routed to their department")
	}
	if len(w.officerA.do(t, "GET", "/api/v1/tickets", nil).want(t, 200).items()) != 0 {
		t.Fatal("another department sees the ticket")
	}
	if !ids(w.leader.do(t, "GET", "/api/v1/tickets?mine=true", nil).want(t, 200))[id] {
		t.Fatal("the leader does not see their enterprise's ticket")
	}
	// The leader instructs; the department answers; the enterprise sees neither.
	ins := w.leader.do(t, "POST", "/api/v1/tickets/"+id+"/instructions", map[string]any{"body": "请供电公司本周内完成踏勘并反馈。"}).want(t, 201)
	w.steward.do(t, "POST", "/api/v1/tickets/"+id+"/instructions", map[string]any{"body": "越权批示"}).wantProblem(t, 403, "forbidden")
	w.officerB.do(t, "POST", "/api/v1/tickets/"+id+"/instructions/"+ins.body["id"].(string)+"/answer", map[string]any{"answer": "已安排周四踏勘。"}).want(t, 200)
	list := w.leader.do(t, "GET", "/api/v1/tickets/"+id+"/instructions", nil).want(t, 200).items()
	if len(list) != 1 || list[0]["answer"] != "已安排周四踏勘。" {
		t.Fatalf("instructions: %v", list)
	}
	w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/instructions", nil).wantProblem(t, 403, "forbidden")
	w.officerB.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "内部：需协调规划局", "internal": true}).want(t, 201)
	w.officerB.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "我们已收到您的诉求，正在处理。"}).want(t, 201)
	w.portal.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "想看内部评论", "internal": true}).wantProblem(t, 422, "validation_failed")
	for _, e := range w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
		if e["public"] != true || e["action"] == "instruct" || e["action"] == "answer" {
			t.Fatalf("the enterprise sees an internal event: %v", e)
		}
	}
}

func TestTicketConcurrencyAndIdempotency(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)

	t.Run("OneOfConcurrentMovesWinsTheRestGet412", func(t *testing.T) {
		id := w.submit(t, w.dispatcher, "").want(t, 201).body["id"].(string)
		var wg sync.WaitGroup
		statuses := make([]int, 8)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = act(t, w.dispatcher, id, "accept", nil, `"1"`).StatusCode
			}()
		}
		wg.Wait()
		won := 0
		for _, s := range statuses {
			switch s {
			case http.StatusOK:
				won++
			case http.StatusPreconditionFailed:
			default:
				t.Fatalf("statuses %v", statuses)
			}
		}
		if won != 1 {
			t.Fatalf("%d moves won, want exactly 1: %v", won, statuses)
		}
	})

	t.Run("TheSameKeyCreatesOneTicketAlsoConcurrently", func(t *testing.T) {
		first := w.submit(t, w.portal, "key-A").want(t, 201)
		again := w.submit(t, w.portal, "key-A").want(t, 201)
		if again.body["id"] != first.body["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %s", again.raw)
		}
		other := map[string]any{"category_id": w.power, "title": "另一个诉求标题", "description": "同一个幂等键却是不同的请求内容，应当被拒绝。"}
		w.portal.do(t, "POST", "/api/v1/tickets", other, "Idempotency-Key", "key-A").wantProblem(t, 422, "validation_failed")

		var wg sync.WaitGroup
		got := make([]string, 8)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := w.submit(t, w.portal, "key-B")
				if r.StatusCode == http.StatusCreated {
					got[i] = r.body["id"].(string)
				}
			}()
		}
		wg.Wait()
		for _, id := range got {
			if id == "" || id != got[0] {
				t.Fatalf("concurrent submissions with one key gave %v", got)
			}
		}
		var n int
		if err := w.b.db.SQL.QueryRowContext(system, `SELECT count(*) FROM tickets WHERE idempotency_key = 'key-B'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d tickets stored for key-B, want 1 (%v)", n, err)
		}
	})

	t.Run("EnterpriseUsersCannotChooseWhatIsNotTheirs", func(t *testing.T) {
		other := w.b.enterprise(t, "别人的企业有限公司")
		r := w.portal.do(t, "POST", "/api/v1/tickets", map[string]any{"enterprise_id": other.ID, "category_id": w.power,
			"title": "试图替别的企业提诉求", "description": "企业用户只能为本企业提交诉求，这个企业编号应被忽略。"}).want(t, 201)
		if r.body["enterprise_id"] != w.ent.ID {
			t.Fatalf("an enterprise user filed for another enterprise: %s", r.raw)
		}
		w.portal.do(t, "POST", "/api/v1/tickets", map[string]any{"category_id": w.power, "source": "hotline",
			"title": "自称来自热线的诉求", "description": "企业用户不能自己设定诉求来源，这应当被拒绝。"}).wantProblem(t, 422, "validation_failed")
		w.portal.do(t, "POST", "/api/v1/tickets", map[string]any{"category_id": w.power, "status": "closed",
			"title": "试图设置状态的诉求", "description": "请求体中的状态字段不是诉求的一部分，应当被拒绝。"}).wantProblem(t, 422, "validation_failed")
	})
}

// matrixTickets makes, as the system, a ticket of enterprise routed to a department of its own
// and a ticket still waiting to be accepted.
func (b *testBundle) matrixTickets(t *testing.T, enterprise string) (routed, submitted *domain.Ticket) {
	t.Helper()
	svc := b.tickets
	dept := b.department(t, "矩阵专用承办部门", domain.DepartmentGovernment)
	mk := func() *domain.Ticket {
		tk := &domain.Ticket{EnterpriseID: enterprise, CategoryID: "01900000-0000-7000-8000-000000000008",
			Title: "矩阵测试用诉求", Description: "这是访问矩阵测试使用的诉求。"}
		if _, err := svc.CreateTicket(system, tk, "", ""); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	routed, submitted = mk(), mk()
	var err error
	if routed, err = svc.Act(system, routed.ID, 1, domain.TicketAction{Name: "accept"}); err != nil {
		t.Fatal(err)
	}
	if routed, err = svc.Act(system, routed.ID, 2, domain.TicketAction{Name: "assign", Department: dept.ID}); err != nil {
		t.Fatal(err)
	}
	return routed, submitted
}

func TestTicketsFollowTheResponsibility(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	id := w.submit(t, w.portal, "").want(t, 201).body["id"].(string)

	// The enterprise gets a new steward: the open ticket goes with the responsibility.
	gov := b.department(t, "区政府办", domain.DepartmentGovernment)
	newLeader, newSteward := b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleSteward)
	w.dispatcher.do(t, "POST", "/api/v1/assignments", map[string]any{"subject_type": "enterprise", "subject_id": w.ent.ID,
		"leader_id": newLeader.ID, "steward_id": newSteward.ID, "reason": "轮岗"}).want(t, 201)
	w.steward.do(t, "GET", "/api/v1/tickets/"+id, nil).wantProblem(t, 404, "not_found")
	act(t, w.steward, id, "accept", nil, `"1"`).wantProblem(t, 404, "not_found")
	ns := b.login(t, newSteward.Username)
	if !ids(ns.do(t, "GET", "/api/v1/tickets?mine=true", nil).want(t, 200))[id] {
		t.Fatal("the new steward's open tickets lack the enterprise's ticket")
	}
	act(t, ns, id, "accept", nil, `"1"`).want(t, 200)
	b.login(t, newLeader.Username).do(t, "POST", "/api/v1/tickets/"+id+"/instructions", map[string]any{"body": "请尽快办理。"}).want(t, 201)
}

func TestOutsidersSeeTheBodyNotTheOfficial(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	r := w.submit(t, w.portal, "").want(t, 201)
	id := r.body["id"].(string)
	r = act(t, w.dispatcher, id, "accept", nil, `"1"`).want(t, 200)
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID}, r.Header.Get("ETag")).want(t, 200)
	act(t, w.officerB, id, "sign", nil, r.Header.Get("ETag")).want(t, 200)
	w.steward.do(t, "POST", "/api/v1/visits", map[string]any{"enterprise_id": w.ent.ID, "visited_at": time.Now().Add(-time.Hour).Format(time.RFC3339),
		"kind": "onsite", "summary": "内部：企业资金链紧张，需重点关注"}).want(t, 201)

	names := map[string]bool{}
	for _, e := range w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
		names[e["actor_name"].(string)] = true
	}
	for n := range names {
		if n != "区营商局" && n != "承办部门" && !strings.Contains(n, "enterprise") && !strings.Contains(n, "测试 enterprise") {
			t.Fatalf("the enterprise sees an official's name in the timeline: %v", names)
		}
	}
	kinds := map[string]int{}
	for _, e := range w.portal.do(t, "GET", "/api/v1/enterprises/"+w.ent.ID+"/timeline", nil).want(t, 200).items() {
		kinds[e["kind"].(string)]++
	}
	if kinds["visit"] != 0 || kinds["assignment_start"] != 0 || kinds["ticket"] != 1 {
		t.Fatalf("the enterprise's own file shows %v; want its ticket only, no visit notes or assignments", kinds)
	}
	kinds = map[string]int{}
	for _, e := range w.officerB.do(t, "GET", "/api/v1/enterprises/"+w.ent.ID+"/timeline", nil).want(t, 200).items() {
		kinds[e["kind"].(string)]++
	}
	if len(kinds) != 1 || kinds["ticket"] != 1 {
		t.Fatalf("the department sees %v of the enterprise's file; want its ticket only", kinds)
	}
}

func TestAnOldIdempotencyKeyIsNotReused(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	first := w.submit(t, w.portal, "key-old").want(t, 201)
	w.portal = w.b.scripted(t, w.portal.do(t, "GET", "/api/v1/me", nil).want(t, 200).body["username"].(string))
	w.b.advance(25 * time.Hour)
	r := w.submit(t, w.portal, "key-old").wantProblem(t, 422, "validation_failed")
	if r.fieldErrors()["Idempotency-Key"] == "" || first.body["id"] == nil {
		t.Fatalf("reusing a day-old key: %s", r.raw)
	}
}

func TestUrgencyFromThePortalIsARequest(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	w.b.setNow(cst("2026-10-20 09:00"))
	submit := func(c *client) *response {
		body := map[string]any{"category_id": w.power, "priority": "urgent", "title": "厂区停电急需抢修",
			"description": "今晨起厂区10千伏线路故障停电，生产线全部停工，请尽快协调抢修。"}
		if c != w.portal {
			body["enterprise_id"] = w.ent.ID
		}
		return c.do(t, "POST", "/api/v1/tickets", body).want(t, 201)
	}

	t.Run("TheEnterpriseAsksAndTheClockDoesNotHalve", func(t *testing.T) {
		r := submit(w.portal)
		if r.body["priority"] != "normal" || r.body["urgency_requested"] != true || r.body["resolve_days"] != float64(15) {
			t.Fatalf("an enterprise's urgent submission: %s", r.raw)
		}
		r = act(t, w.dispatcher, r.body["id"].(string), "accept", nil, r.Header.Get("ETag")).want(t, 200)
		if r.body["priority"] != "normal" || r.body["resolve_days"] != float64(15) || !dueOf(t, r, "due_resolve_at").Equal(cst("2026-11-10 18:00")) {
			t.Fatalf("accepted without confirming urgency: %s", r.raw)
		}
	})
	t.Run("TheDispatcherConfirmsAtAcceptAndTheClockHalves", func(t *testing.T) {
		r := submit(w.portal)
		r = act(t, w.dispatcher, r.body["id"].(string), "accept", map[string]any{"urgent": true}, r.Header.Get("ETag")).want(t, 200)
		if r.body["priority"] != "urgent" || r.body["resolve_days"] != float64(8) || !dueOf(t, r, "due_resolve_at").Equal(cst("2026-10-30 18:00")) {
			t.Fatalf("accepted as urgent: %s", r.raw)
		}
	})
	t.Run("StaffSetUrgencyDirectly", func(t *testing.T) {
		r := submit(w.dispatcher)
		if r.body["priority"] != "urgent" || r.body["urgency_requested"] != false || r.body["resolve_days"] != float64(8) {
			t.Fatalf("a dispatcher's urgent submission: %s", r.raw)
		}
	})
	t.Run("AnUnknownActionIs404", func(t *testing.T) {
		r := submit(w.dispatcher)
		act(t, w.dispatcher, r.body["id"].(string), "escalate", nil, r.Header.Get("ETag")).wantProblem(t, 404, "not_found")
	})
}

func TestAccessFollowsTheCurrentAssignmentForClosedTickets(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	r := w.submit(t, w.portal, "").want(t, 201)
	id := r.body["id"].(string)
	w.steward.do(t, "POST", "/api/v1/tickets/"+id+"/comments", map[string]any{"body": "内部：企业资金紧张", "internal": true}).want(t, 201)
	file := b.systemAttachment(t, id)
	act(t, w.dispatcher, id, "reject", map[string]any{"reason": "不属于营商诉求范围"}, r.Header.Get("ETag")).want(t, 200)
	// Before the reassignment the steward and the leader still follow the closed ticket.
	w.steward.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200)
	w.leader.do(t, "GET", "/api/v1/attachments/"+file, nil).want(t, 200)

	gov := b.department(t, "区政府办", domain.DepartmentGovernment)
	newLeader, newSteward := b.user(t, domain.RoleLeader, gov.ID), b.user(t, domain.RoleSteward)
	w.dispatcher.do(t, "POST", "/api/v1/assignments", map[string]any{"subject_type": "enterprise", "subject_id": w.ent.ID,
		"leader_id": newLeader.ID, "steward_id": newSteward.ID, "reason": "轮岗"}).want(t, 201)

	for name, former := range map[string]*client{"FormerSteward": w.steward, "FormerLeader": w.leader} {
		t.Run(name+"LosesTheClosedTicket", func(t *testing.T) {
			former.do(t, "GET", "/api/v1/tickets/"+id, nil).wantProblem(t, 404, "not_found")
			former.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).wantProblem(t, 404, "not_found")
			former.do(t, "GET", "/api/v1/tickets/"+id+"/attachments", nil).wantProblem(t, 404, "not_found")
			former.do(t, "GET", "/api/v1/attachments/"+file, nil).wantProblem(t, 404, "not_found")
			if ids(former.do(t, "GET", "/api/v1/tickets", nil).want(t, 200))[id] {
				t.Fatal("the ticket list still shows the reassigned enterprise's ticket")
			}
		})
	}
	t.Run("NewStewardSeesItsHistory", func(t *testing.T) {
		ns := b.login(t, newSteward.Username)
		ns.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200)
		if n := len(ns.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items()); n != 4 {
			t.Fatalf("the new steward sees %d events, want 4 (submit, comment, attach, reject)", n)
		}
	})
}

// dropInTransaction is a query hook that, once, just before a query matching what runs, ends
// the database session of the transaction it belongs to: the database goes away mid-request.
type dropInTransaction struct {
	db   *postgres.DB
	what string
	done atomic.Bool
}

func (h *dropInTransaction) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.Contains(e.Query, h.what) && h.done.CompareAndSwap(false, true) {
		_, _ = h.db.Pool.Exec(context.Background(), `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
			WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`)
	}
	return ctx
}

func (h *dropInTransaction) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestCreateTicketWithTheDatabaseGoneIs503(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	p := w.b.project(t, w.ent.ID, "二期厂房项目")
	hook := &dropInTransaction{db: w.b.db, what: `FROM "projects"`}
	w.b.db.Bun.AddQueryHook(hook)
	r := w.dispatcher.do(t, "POST", "/api/v1/tickets", map[string]any{"enterprise_id": w.ent.ID, "project_id": p.ID, "category_id": w.power,
		"title": "二期厂房用电增容", "description": "二期厂房即将投产，现有变压器容量不足，申请增容。"})
	if !hook.done.Load() {
		t.Fatal("the check of the project never ran")
	}
	// Not 422 "no such project": the project exists; the database was not there to say so.
	r.wantProblem(t, 503, "unavailable")
	w.dispatcher.do(t, "POST", "/api/v1/tickets", map[string]any{"enterprise_id": w.ent.ID, "project_id": p.ID, "category_id": w.power,
		"title": "二期厂房用电增容", "description": "二期厂房即将投产，现有变压器容量不足，申请增容。"}).want(t, 201)
}

// notices are the kinds of c's notifications about ticket id, with whether each is urgent.
func notices(t *testing.T, c *client, id string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, n := range c.do(t, "GET", "/api/v1/notifications", nil).want(t, 200).items() {
		if n["link"] == "/tickets/"+id {
			out[n["kind"].(string)] = n["urgent"].(bool)
		}
	}
	return out
}

func TestTicketMovesNotifyTheirPeople(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	w.b.setNow(cst("2026-10-20 09:00"))
	urgent := func(confirm bool) string {
		r := w.portal.do(t, "POST", "/api/v1/tickets", map[string]any{"category_id": w.power, "priority": "urgent", "title": "厂区停电急需抢修",
			"description": "今晨起厂区10千伏线路故障停电，生产线全部停工，请尽快协调抢修。"}).want(t, 201)
		id := r.body["id"].(string)
		var body map[string]any
		if confirm {
			body = map[string]any{"urgent": true}
		}
		r = act(t, w.dispatcher, id, "accept", body, r.Header.Get("ETag")).want(t, 200)
		act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID}, r.Header.Get("ETag")).want(t, 200)
		return id
	}

	asked := urgent(false)
	if got := notices(t, w.officerB, asked); len(got) != 1 || got["ticket_assigned"] {
		t.Fatalf("the department's notices of an unconfirmed urgency request: %v; want ticket_assigned, not urgent (quiet hours apply)", got)
	}
	if got := notices(t, w.officerA, asked); len(got) != 0 {
		t.Fatalf("another department was told: %v", got)
	}
	confirmed := urgent(true)
	if got := notices(t, w.officerB, confirmed); !got["ticket_assigned"] {
		t.Fatalf("the department's notices of a confirmed urgent ticket: %v; want ticket_assigned, urgent", got)
	}

	r := w.officerB.do(t, "GET", "/api/v1/tickets/"+asked, nil).want(t, 200)
	act(t, w.officerB, asked, "sign", nil, r.Header.Get("ETag")).want(t, 200)
	w.leader.do(t, "POST", "/api/v1/tickets/"+asked+"/instructions", map[string]any{"body": "请供电公司今日内恢复供电。"}).want(t, 201)
	if got := notices(t, w.officerB, asked); !got["ticket_instruction"] {
		t.Fatalf("the handler's notices after an instruction: %v; want ticket_instruction, urgent", got)
	}
	if got := notices(t, w.portal, asked); len(got) != 0 {
		t.Fatalf("the enterprise hears of internal moves: %v", got)
	}
}
