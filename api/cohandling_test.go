package api_test

import (
	"testing"

	"steward/domain"
)

// TestCoHandlingLoop is 主办/协办 end to end: the dispatcher routes a ticket to a lead with two
// co-handling departments; their officers see it; the lead cannot resolve while an opinion is
// owed; one department gives its opinion, the dispatcher waives the other's with a reason; the
// lead resolves; once closed, the co-handlers no longer see it. The enterprise sees none of it.
func TestCoHandlingLoop(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	deptC := b.department(t, "区生态环境局", domain.DepartmentGovernment)
	officerC := b.as(t, domain.RoleOfficer, deptC.ID)
	b.setNow(cst("2026-10-20 09:00"))
	etag := func(r *response) string { return r.Header.Get("ETag") }

	r := w.submit(t, w.portal, "").want(t, 201)
	id := r.body["id"].(string)
	r = act(t, w.dispatcher, id, "accept", nil, etag(r)).want(t, 200)
	// The lead (供电公司, deptB) cannot co-handle its own ticket.
	act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID, "co_department_ids": []string{w.deptA.ID, w.deptB.ID}},
		etag(r)).wantField(t, "co_department_ids")
	act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID, "co_department_ids": []string{"0192a0c4-0000-7000-8000-000000000000"}},
		etag(r)).wantField(t, "co_department_ids[0]")
	r = act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID, "co_department_ids": []string{w.deptA.ID, deptC.ID}},
		etag(r)).want(t, 200)
	if co, _ := r.body["co_department_ids"].([]any); len(co) != 2 || co[0] != w.deptA.ID || co[1] != deptC.ID {
		t.Fatalf("assigned: co_department_ids %v", r.body["co_department_ids"])
	}

	// Another ticket co-handled by C only: A's officer may not reach it.
	other := w.submit(t, w.portal, "").want(t, 201)
	other = act(t, w.dispatcher, other.body["id"].(string), "accept", nil, etag(other)).want(t, 200)
	other = act(t, w.dispatcher, other.body["id"].(string), "assign", map[string]any{"department_id": w.deptB.ID,
		"co_department_ids": []string{deptC.ID}}, etag(other)).want(t, 200)
	otherID := other.body["id"].(string)
	for _, path := range []string{"", "/events", "/opinions", "/attachments"} {
		w.officerA.do(t, "GET", "/api/v1/tickets/"+otherID+path, nil).wantProblem(t, 404, "not_found")
	}
	w.officerA.do(t, "POST", "/api/v1/tickets/"+otherID+"/opinions", map[string]any{"body": "越权意见"}).wantProblem(t, 404, "not_found")
	w.officerA.do(t, "POST", "/api/v1/tickets/"+otherID+"/comments", map[string]any{"body": "越权评论", "internal": true}).wantProblem(t, 404, "not_found")

	// The co-handlers see the ticket, its internal events and files, and find it in their list.
	for _, c := range []*client{w.officerA, officerC} {
		c.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200)
		c.do(t, "GET", "/api/v1/tickets/"+id+"/attachments", nil).want(t, 200)
		found := false
		for _, it := range c.do(t, "GET", "/api/v1/tickets", nil).want(t, 200).items() {
			found = found || it["id"] == id
		}
		if !found {
			t.Fatal("a co-handling officer's ticket list lacks the ticket it co-handles")
		}
	}
	// Opinions are due at assignment + 1 (sign) + 8 (half of 15, rounded up) working days.
	ops := w.officerB.do(t, "GET", "/api/v1/tickets/"+id+"/opinions", nil).want(t, 200).items()
	if len(ops) != 2 || ops[0]["status"] != "owed" || ops[0]["department_name"] != "区自然资源和规划局" {
		t.Fatalf("opinions: %v", ops)
	}
	if due := dueOf(t, &response{body: ops[1]}, "due_at"); !due.Equal(cst("2026-11-02 18:00")) {
		t.Fatalf("opinion due %s; want 2 November 18:00", due.In(domain.Shanghai))
	}
	if n := notices(t, officerC, id); !has(n, "ticket_assigned") {
		t.Fatalf("the co-handling department's officer was not told: %v", n)
	}

	r = act(t, w.officerB, id, "sign", nil, etag(w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id, nil))).want(t, 200)
	act(t, w.officerA, id, "resolve", map[string]any{"resolution": "协办越权办结"}, etag(r)).wantProblem(t, 403, "forbidden")
	act(t, w.officerB, id, "resolve", map[string]any{"resolution": "已送电。"}, etag(r)).wantProblem(t, 409, "opinions_pending")

	w.officerB.do(t, "POST", "/api/v1/tickets/"+id+"/opinions", map[string]any{"body": "主办自己的意见"}).wantProblem(t, 403, "forbidden")
	o := w.officerA.do(t, "POST", "/api/v1/tickets/"+id+"/opinions", map[string]any{"body": "用地符合规划，同意接入。"}).want(t, 201)
	if o.body["status"] != "given" || o.body["department_id"] != w.deptA.ID {
		t.Fatalf("opinion given: %s", o.raw)
	}
	w.officerA.do(t, "POST", "/api/v1/tickets/"+id+"/opinions", map[string]any{"body": "再次出具"}).wantProblem(t, 409, "invalid_transition")
	if n := notices(t, w.officerB, id); !has(n, "ticket_opinion") {
		t.Fatalf("the lead's handler was not told of the opinion: %v", n)
	}
	r = w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200)
	act(t, w.officerB, id, "resolve", map[string]any{"resolution": "已送电。"}, etag(r)).wantProblem(t, 409, "opinions_pending")
	act(t, officerC, id, "waive-opinion", map[string]any{"department_id": deptC.ID, "reason": "自我豁免"}, etag(r)).wantProblem(t, 403, "forbidden")
	act(t, w.dispatcher, id, "waive-opinion", map[string]any{"department_id": deptC.ID, "reason": " "}, etag(r)).wantField(t, "reason")
	act(t, w.dispatcher, id, "waive-opinion", map[string]any{"department_id": w.deptA.ID, "reason": "已出具"}, etag(r)).wantProblem(t, 409, "invalid_transition")
	r = act(t, w.dispatcher, id, "waive-opinion", map[string]any{"department_id": deptC.ID, "reason": "不涉及环评审批"}, etag(r)).want(t, 200)
	r = act(t, w.officerB, id, "resolve", map[string]any{"resolution": "已于10月28日完成送电。"}, etag(r)).want(t, 200)

	ops = w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id+"/opinions", nil).want(t, 200).items()
	if ops[0]["status"] != "given" || ops[0]["body"] != "用地符合规划，同意接入。" || ops[1]["status"] != "waived" || ops[1]["body"] != "不涉及环评审批" {
		t.Fatalf("opinions after the loop: %v", ops)
	}

	// The enterprise sees neither the opinions nor their events, nor who co-handles.
	w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/opinions", nil).wantProblem(t, 403, "forbidden")
	pv := w.portal.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200)
	if co, _ := pv.body["co_department_ids"].([]any); len(co) != 0 || pv.body["opinions"] != nil {
		t.Fatalf("the enterprise's view of the ticket shows co-handling: %s", pv.raw)
	}
	for _, e := range w.portal.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
		if e["action"] == "opinion" || e["action"] == "waive-opinion" {
			t.Fatalf("the enterprise sees the internal event %v", e)
		}
	}
	var internal []string
	for _, e := range w.officerA.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).want(t, 200).items() {
		if e["public"] == false {
			internal = append(internal, e["action"].(string))
		}
	}
	if join := func(s []string) string {
		out := ""
		for _, x := range s {
			out += x + " "
		}
		return out
	}(internal); join != "opinion waive-opinion " {
		t.Fatalf("a co-handler's internal events: %q; want the opinion and the waiver", join)
	}
	audit := map[string]bool{}
	for _, it := range w.auditor.do(t, "GET", "/api/v1/audit?entity=ticket&entity_id="+id, nil).want(t, 200).items() {
		audit[it["action"].(string)] = true
	}
	if !audit["ticket.opinion"] || !audit["ticket.waive-opinion"] {
		t.Fatalf("audit actions %v lack the opinion or the waiver", audit)
	}

	// The statistics: land gave its opinion in time; env's was waived here and is overdue on
	// the other ticket once 2 November has passed.
	b.setNow(cst("2026-11-03 09:00"))
	opinionsOf := func(c *client) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, it := range c.do(t, "GET", "/api/v1/stats/departments?from=2026-11-01&to=2026-11-30", nil).want(t, 200).items() {
			out[it["department_id"].(string)] = it["opinions"].(map[string]any)
		}
		return out
	}
	st := opinionsOf(w.dispatcher)
	if a := st[w.deptA.ID]; a["due"] != 1.0 || a["given"] != 1.0 || a["on_time"] != 1.0 || a["on_time_rate"] != 1.0 {
		t.Fatalf("land's opinion punctuality %v; want 1 due, given on time", a)
	}
	if c := st[deptC.ID]; c["due"] != 2.0 || c["waived"] != 1.0 || c["overdue"] != 1.0 || c["on_time_rate"] != 0.0 {
		t.Fatalf("env's opinion punctuality %v; want 2 due, 1 waived, 1 overdue, rate 0", c)
	}
	if own := opinionsOf(officerC); len(own) != 1 || own[deptC.ID]["overdue"] != 1.0 {
		t.Fatalf("env's officer sees %v; want its own row", own)
	}

	// Closed: the co-handlers lose it; the lead keeps it.
	act(t, w.portal, id, "rate", map[string]any{"solved": 5, "attitude": 5}, etag(r)).want(t, 200)
	w.officerA.do(t, "GET", "/api/v1/tickets/"+id, nil).wantProblem(t, 404, "not_found")
	officerC.do(t, "GET", "/api/v1/tickets/"+id+"/events", nil).wantProblem(t, 404, "not_found")
	w.officerB.do(t, "GET", "/api/v1/tickets/"+id, nil).want(t, 200)
}

// wantField checks a 422 naming field.
func (r *response) wantField(t *testing.T, field string) *response {
	t.Helper()
	r.wantProblem(t, 422, "validation_failed")
	if _, ok := r.fieldErrors()[field]; !ok {
		t.Fatalf("422 without a field error on %s: %s", field, r.raw)
	}
	return r
}

func has(m map[string]bool, k string) bool { _, ok := m[k]; return ok }
