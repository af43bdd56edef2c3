package api_test

import (
	"testing"

	"steward/domain"
)

// TestTicketsWithOpinionOwed is the officer's "opinions we owe" (GET /tickets?opinion=owed), apart
// from the department's inbox (mine=true: the tickets it leads): an
// officer finds the open tickets on which their own department still owes its opinion — not
// those it gave, nor those another department owes, nor the lead's own tickets — each with the
// owed opinions' deadline and light; the dispatcher finds every ticket with an opinion owed; the
// enterprise finds nothing by it and never sees who owes what.
func TestTicketsWithOpinionOwed(t *testing.T) {
	t.Parallel()
	w := newTicketWorld(t)
	b := w.b
	deptC := b.department(t, "区生态环境局", domain.DepartmentGovernment)
	officerC := b.as(t, domain.RoleOfficer, deptC.ID)
	b.setNow(cst("2026-10-20 09:00"))
	etag := func(r *response) string { return r.Header.Get("ETag") }
	routed := func(co ...string) string {
		r := w.submit(t, w.portal, "").want(t, 201)
		id := r.body["id"].(string)
		r = act(t, w.dispatcher, id, "accept", nil, etag(r)).want(t, 200)
		act(t, w.dispatcher, id, "assign", map[string]any{"department_id": w.deptB.ID, "co_department_ids": co}, etag(r)).want(t, 200)
		return id
	}
	both := routed(w.deptA.ID, deptC.ID) // A and C owe
	onlyC := routed(deptC.ID)            // C owes
	given := routed(w.deptA.ID)          // A gives its opinion below
	none := routed()                     // nobody co-handles
	w.officerA.do(t, "POST", "/api/v1/tickets/"+given+"/opinions", map[string]any{"body": "同意。"}).want(t, 201)

	ids := func(c *client, query string) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, it := range c.do(t, "GET", "/api/v1/tickets"+query, nil).want(t, 200).items() {
			out[it["id"].(string)] = it
		}
		return out
	}
	same := func(who string, got map[string]map[string]any, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d tickets; want %d (%v)", who, len(got), len(want), want)
		}
		for _, id := range want {
			if got[id] == nil {
				t.Fatalf("%s: lacks ticket %s", who, id)
			}
		}
	}

	a := ids(w.officerA, "?opinion=owed")
	same("land's officer", a, both)
	owed, _ := a[both]["opinions_owed"].([]any)
	if len(owed) != 2 {
		t.Fatalf("opinions_owed %v; want land's and env's", a[both]["opinions_owed"])
	}
	first := owed[0].(map[string]any)
	if first["department_id"] != w.deptA.ID || first["light"] != "green" || first["department_name"] != "区自然资源和规划局" {
		t.Fatalf("the first owed opinion %v; want land's, green", first)
	}
	if due := dueOf(t, &response{body: first}, "due_at"); !due.Equal(cst("2026-11-02 18:00")) {
		t.Fatalf("owed opinion due %s; want 2 November 18:00", due.In(domain.Shanghai))
	}
	same("env's officer", ids(officerC, "?opinion=owed"), both, onlyC)
	same("the lead's officer", ids(w.officerB, "?opinion=owed"))
	// The inbox (mine) is what the department signs for and works, not what it co-handles.
	same("land's inbox", ids(w.officerA, "?mine=true"))
	same("power's inbox", ids(w.officerB, "?mine=true"), both, onlyC, given, none)
	same("the dispatcher", ids(w.dispatcher, "?opinion=owed"), both, onlyC)
	if all := ids(w.officerB, ""); all[none] == nil || all[none]["opinions_owed"] != nil || all[given]["opinions_owed"] != nil {
		t.Fatalf("a ticket nobody owes an opinion on lists opinions_owed: %v / %v", all[none], all[given])
	}

	// The day before the deadline the light turns yellow; after it, red.
	b.setNow(cst("2026-11-02 09:00"))
	if l := ids(officerC, "?opinion=owed")[onlyC]["opinions_owed"].([]any)[0].(map[string]any)["light"]; l != "yellow" {
		t.Fatalf("light on the due day %v; want yellow", l)
	}
	b.setNow(cst("2026-11-03 09:00"))
	if l := ids(officerC, "?opinion=owed")[onlyC]["opinions_owed"].([]any)[0].(map[string]any)["light"]; l != "red" {
		t.Fatalf("light after the deadline %v; want red", l)
	}
	ops := officerC.do(t, "GET", "/api/v1/tickets/"+onlyC+"/opinions", nil).want(t, 200).items()
	if ops[0]["light"] != "red" {
		t.Fatalf("the opinion list's light %v; want red", ops[0]["light"])
	}

	// Waived, it is owed no more.
	r := w.dispatcher.do(t, "GET", "/api/v1/tickets/"+onlyC, nil).want(t, 200)
	act(t, w.dispatcher, onlyC, "waive-opinion", map[string]any{"department_id": deptC.ID, "reason": "不涉及环评"}, etag(r)).want(t, 200)
	same("env's officer after the waiver", ids(officerC, "?opinion=owed"), both)
	if ops := officerC.do(t, "GET", "/api/v1/tickets/"+onlyC+"/opinions", nil).want(t, 200).items(); ops[0]["light"] != "none" {
		t.Fatalf("a waived opinion's light %v; want none", ops[0]["light"])
	}

	// The enterprise can neither find its tickets by what is owed nor see who owes.
	same("the enterprise", ids(w.portal, "?opinion=owed"))
	for _, it := range w.portal.do(t, "GET", "/api/v1/tickets", nil).want(t, 200).items() {
		if it["opinions_owed"] != nil {
			t.Fatalf("the enterprise sees opinions_owed: %v", it)
		}
	}
	w.officerA.do(t, "GET", "/api/v1/tickets?opinion=given", nil).wantProblem(t, 422, "validation_failed")
}
