package api_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"steward/domain"
	"steward/domain/postgres"
)

type visitWorld struct {
	b                           *testBundle
	ent, other                  *domain.Enterprise
	steward, other2, dispatcher *client
	stewardID                   string
}

func newVisitWorld(t *testing.T) *visitWorld {
	b := setup(t)
	w := &visitWorld{b: b}
	gov := b.department(t, "区人民政府", domain.DepartmentGovernment)
	leader := b.user(t, domain.RoleLeader, gov.ID)
	s1, s2 := b.user(t, domain.RoleSteward), b.user(t, domain.RoleSteward)
	w.stewardID = s1.ID
	w.ent, w.other = b.enterprise(t, "走访企业有限公司"), b.enterprise(t, "别人包保的企业有限公司")
	b.setNow(cst("2026-09-01 09:00"))
	b.assign(t, domain.SubjectEnterprise, w.ent.ID, leader.ID, s1.ID)
	b.assign(t, domain.SubjectEnterprise, w.other.ID, leader.ID, s2.ID)
	w.steward, w.other2 = b.scripted(t, s1.Username), b.scripted(t, s2.Username)
	w.dispatcher = b.scripted(t, b.user(t, domain.RoleDispatcher).Username)
	return w
}

func (w *visitWorld) visit(extra map[string]any) map[string]any {
	v := map[string]any{"enterprise_id": w.ent.ID, "visited_at": time.Now().Add(time.Duration(w.b.offset.Load())).Add(-time.Hour).Format(time.RFC3339),
		"kind": "onsite", "summary": "走访了解企业二期项目建设进度和用电需求", "attendees": []string{"王经理", "李娜"}}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

func TestVisitsDue(t *testing.T) {
	t.Parallel()
	w := newVisitWorld(t)
	due := func(at string) map[string]any {
		w.b.setNow(cst(at))
		for _, it := range w.steward.do(t, "GET", "/api/v1/visits/due", nil).want(t, 200).items() {
			if it["subject_id"] == w.ent.ID {
				return it
			}
		}
		return nil
	}
	// A district-level enterprise is visited every 30 days: assigned 1 September, due from
	// 28 September, overdue after 1 October.
	if d := due("2026-09-27 09:00"); d != nil {
		t.Fatalf("due on 27 September: %v", d)
	}
	if d := due("2026-09-28 09:00"); d == nil || d["state"] != "due" || d["due_on"] != "2026-10-01" || d["last_visit_at"] != nil {
		t.Fatalf("on 28 September: %v", d)
	}
	if d := due("2026-10-01 20:00"); d == nil || d["state"] != "due" {
		t.Fatalf("on 1 October: %v", d)
	}
	if d := due("2026-10-02 08:00"); d == nil || d["state"] != "overdue" {
		t.Fatalf("on 2 October: %v", d)
	}
	w.steward.do(t, "POST", "/api/v1/visits", w.visit(nil)).want(t, 201)
	if d := due("2026-10-02 12:00"); d != nil {
		t.Fatalf("still due after a visit: %v", d)
	}
	// Nobody sees another steward's list but the bureau.
	w.other2.do(t, "GET", "/api/v1/visits/due?steward_id="+w.stewardID, nil).wantProblem(t, 403, "forbidden")
	all := w.dispatcher.do(t, "GET", "/api/v1/visits/due", nil).want(t, 200).items()
	if len(all) != 1 || all[0]["subject_id"] != w.other.ID || all[0]["state"] != "overdue" {
		t.Fatalf("the dispatcher's list: %v", all)
	}
}

func TestVisitSubmission(t *testing.T) {
	t.Parallel()
	w := newVisitWorld(t)
	w.b.setNow(cst("2026-10-12 15:00"))

	t.Run("AnOfflineRetryLandsOnce", func(t *testing.T) {
		body := w.visit(map[string]any{"summary": "电话回访企业融资需求落实情况", "kind": "phone"})
		first := w.steward.do(t, "POST", "/api/v1/visits", body, "Idempotency-Key", "phone-queue-1").want(t, 201)
		again := w.steward.do(t, "POST", "/api/v1/visits", body, "Idempotency-Key", "phone-queue-1").want(t, 201)
		if again.body["id"] != first.body["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %s", again.raw)
		}
		var wg sync.WaitGroup
		got := make([]string, 6)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := w.steward.do(t, "POST", "/api/v1/visits", body, "Idempotency-Key", "phone-queue-2"); r.StatusCode == http.StatusCreated {
					got[i] = r.body["id"].(string)
				}
			}()
		}
		wg.Wait()
		for _, id := range got {
			if id == "" || id != got[0] {
				t.Fatalf("concurrent retries gave %v", got)
			}
		}
	})

	t.Run("FindingsRaiseTicketsAllOrNothing", func(t *testing.T) {
		good := map[string]any{"category_id": "01900000-0000-7000-8000-000000000004", "title": "新增用电增容需求",
			"description": "走访中企业反映二期厂房需增容2000千伏安。"}
		bad := map[string]any{"category_id": "01900000-0000-7000-8000-000000000099", "title": "短", "description": "太短"}
		r := w.steward.do(t, "POST", "/api/v1/visits", w.visit(map[string]any{"findings": "用电增容；施工许可", "tickets": []any{good, bad}})).
			wantProblem(t, 422, "validation_failed")
		if fe := r.fieldErrors(); fe["tickets[1].title"] == "" || fe["tickets[1].description"] == "" {
			t.Fatalf("errors %v", fe)
		}
		r = w.steward.do(t, "POST", "/api/v1/visits", w.visit(map[string]any{"summary": "仅一条无效的走访记录", "tickets": []any{good,
			map[string]any{"category_id": "01900000-0000-7000-8000-000000000099", "title": "不存在的类别", "description": "类别不存在时整个走访都不应保存。"}}})).
			wantProblem(t, 422, "validation_failed")
		if r.fieldErrors()["tickets[1].category_id"] == "" {
			t.Fatalf("errors %v", r.fieldErrors())
		}
		if n := len(w.steward.do(t, "GET", "/api/v1/visits?enterprise_id="+w.ent.ID+"&from=2026-10-12&to=2026-10-13T00:00:00%2B08:00", nil).want(t, 200).items()); n != 2 {
			t.Fatalf("%d visits after refused submissions, want the 2 earlier ones", n)
		}
		second := map[string]any{"category_id": "01900000-0000-7000-8000-000000000002", "title": "二期厂房施工许可办理",
			"description": "企业二期厂房施工许可材料已提交两周，请协调住建局加快办理。", "priority": "urgent"}
		v := w.steward.do(t, "POST", "/api/v1/visits", w.visit(map[string]any{"findings": "用电增容；施工许可", "tickets": []any{good, second}})).want(t, 201)
		ticketIDs := v.body["ticket_ids"].([]any)
		if len(ticketIDs) != 2 {
			t.Fatalf("visit tickets %v", v.body["ticket_ids"])
		}
		for _, id := range ticketIDs {
			tk := w.dispatcher.do(t, "GET", "/api/v1/tickets/"+id.(string), nil).want(t, 200)
			if tk.body["source"] != "visit" || tk.body["visit_id"] != v.body["id"] || tk.body["enterprise_id"] != w.ent.ID {
				t.Fatalf("ticket from a visit: %s", tk.raw)
			}
		}
		kinds := map[string]int{}
		for _, e := range w.dispatcher.do(t, "GET", "/api/v1/enterprises/"+w.ent.ID+"/timeline", nil).want(t, 200).items() {
			kinds[e["kind"].(string)]++
		}
		if kinds["visit"] != 3 || kinds["ticket"] != 2 {
			t.Fatalf("timeline kinds %v", kinds)
		}
	})

	t.Run("OnlyTheAuthorCorrectsWithin24Hours", func(t *testing.T) {
		v := w.steward.do(t, "POST", "/api/v1/visits", w.visit(map[string]any{"summary": "座谈了解企业人才需求"})).want(t, 201)
		path := "/api/v1/visits/" + v.body["id"].(string)
		w.other2.do(t, "PATCH", path, map[string]any{"summary": "别人改的内容"}, "If-Match", `"1"`).wantProblem(t, 404, "not_found")
		w.b.advance(23 * time.Hour)
		r := w.steward.do(t, "PATCH", path, map[string]any{"summary": "座谈了解企业人才公寓需求", "kind": "meeting"}, "If-Match", `"1"`).want(t, 200)
		if r.body["summary"] != "座谈了解企业人才公寓需求" || r.body["kind"] != "meeting" {
			t.Fatalf("corrected: %s", r.raw)
		}
		w.b.advance(2 * time.Hour)
		w.steward.do(t, "PATCH", path, map[string]any{"summary": "超过24小时的修改"}, "If-Match", `"2"`).wantProblem(t, 409, "invalid_transition")
		if got := w.steward.do(t, "GET", path, nil).want(t, 200); got.body["summary"] != "座谈了解企业人才公寓需求" {
			t.Fatalf("a refused correction changed the visit: %s", got.raw)
		}
		w.b.advance(-25 * time.Hour)
	})

	t.Run("StewardsDoNotSeeOthersVisitsToEnterprisesNotTheirs", func(t *testing.T) {
		mine := w.other2.do(t, "POST", "/api/v1/visits", map[string]any{"enterprise_id": w.other.ID,
			"visited_at": cst("2026-10-12 10:00").Format(time.RFC3339), "kind": "online", "summary": "线上会议了解企业经营情况"}).want(t, 201)
		w.steward.do(t, "GET", "/api/v1/visits/"+mine.body["id"].(string), nil).wantProblem(t, 404, "not_found")
		for _, v := range w.steward.do(t, "GET", "/api/v1/visits", nil).want(t, 200).items() {
			if v["enterprise_id"] == w.other.ID {
				t.Fatal("a steward sees another steward's visit to an enterprise not theirs")
			}
		}
		w.steward.do(t, "POST", "/api/v1/visits", map[string]any{"enterprise_id": w.other.ID,
			"visited_at": cst("2026-10-12 10:00").Format(time.RFC3339), "kind": "onsite", "summary": "走访不在自己名下的企业"}).wantProblem(t, 422, "validation_failed")
		if n := len(w.dispatcher.do(t, "GET", "/api/v1/visits?enterprise_id="+w.other.ID, nil).want(t, 200).items()); n != 1 {
			t.Fatalf("the dispatcher sees %d visits to the other enterprise, want 1", n)
		}
	})
}

// visitBy records, as the steward, a visit to enterprise.
func (b *testBundle) visitBy(t *testing.T, steward *domain.User, enterprise string) *domain.Visit {
	t.Helper()
	tickets := b.tickets
	v := &domain.Visit{EnterpriseID: enterprise, VisitedAt: time.Now().Add(-time.Hour), Kind: domain.VisitOnsite, Summary: "矩阵测试的走访"}
	a := &domain.Actor{UserID: steward.ID, Username: steward.Username, Role: steward.Role, DepartmentID: steward.DepartmentID}
	if _, err := postgres.NewVisitService(b.db, tickets).CreateVisit(domain.WithActor(system, a), v, nil, "", ""); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLastVisitIsTheNewestVisit: the last visit the due list reads from the enterprise's and
// the project's own row (migration 0024) is always max(visited_at) of their visits — after a
// visit, a back-dated one, one about the project, a correction, a deletion, a reassignment and
// many at once — and the due list shows it.
func TestLastVisitIsTheNewestVisit(t *testing.T) {
	t.Parallel()
	w := newVisitWorld(t)
	b := w.b
	proj := b.project(t, w.ent.ID, "走访企业二期厂房项目")
	leader := b.user(t, domain.RoleLeader, b.department(t, "区发改委", domain.DepartmentGovernment).ID)
	b.assign(t, domain.SubjectProject, proj.ID, leader.ID, w.stewardID)
	b.setNow(cst("2026-10-12 15:00"))
	ctx := context.Background()
	exact := func(t *testing.T, step string) {
		t.Helper()
		var wrong int
		if err := b.db.SQL.QueryRowContext(ctx, `SELECT
			(SELECT count(*) FROM enterprises e WHERE e.last_visit_at IS DISTINCT FROM
				(SELECT max(v.visited_at) FROM visits v WHERE v.enterprise_id = e.id)) +
			(SELECT count(*) FROM projects p WHERE p.last_visit_at IS DISTINCT FROM
				(SELECT max(v.visited_at) FROM visits v WHERE v.project_id = p.id))`).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Fatalf("%s: %d enterprises and projects hold a last visit that is not their newest visit's", step, wrong)
		}
	}
	lastOf := func(t *testing.T, subject string) any {
		t.Helper()
		var at *time.Time
		if err := b.db.SQL.QueryRowContext(ctx, `SELECT max(visited_at) FROM visits WHERE enterprise_id = $1 OR project_id = $1`, subject).Scan(&at); err != nil {
			t.Fatal(err)
		}
		if at == nil {
			return nil
		}
		return at.UTC().Format(time.RFC3339Nano)
	}
	// The due list with a cadence under which every assignment is due.
	visits := postgres.NewVisitService(b.db, b.tickets)
	visits.Cadence.DueAhead = 100000
	dueShows := func(t *testing.T, step string) {
		t.Helper()
		due, err := visits.DueVisits(system, "")
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, d := range due {
			if d.SubjectID != w.ent.ID && d.SubjectID != proj.ID {
				continue
			}
			seen++
			var got any
			if d.LastVisitAt != nil {
				got = d.LastVisitAt.UTC().Format(time.RFC3339Nano)
			}
			if want := lastOf(t, d.SubjectID); got != want {
				t.Fatalf("%s: the due list says %v was last visited at %v, the visits say %v", step, d.SubjectID, got, want)
			}
		}
		if seen != 2 {
			t.Fatalf("%s: the due list holds %d of the enterprise and its project, want both", step, seen)
		}
	}
	at := func(s string) string { return cst(s).Format(time.RFC3339) }
	post := func(t *testing.T, extra map[string]any) string {
		t.Helper()
		return w.steward.do(t, "POST", "/api/v1/visits", w.visit(extra)).want(t, 201).body["id"].(string)
	}

	exact(t, "before any visit")
	dueShows(t, "before any visit")
	newest := post(t, map[string]any{"visited_at": at("2026-10-12 10:00")})
	exact(t, "after a visit")
	post(t, map[string]any{"visited_at": at("2026-10-01 10:00")})
	exact(t, "after a back-dated visit")
	aboutProject := post(t, map[string]any{"visited_at": at("2026-10-11 09:00"), "project_id": proj.ID})
	exact(t, "after a visit about the project")
	dueShows(t, "after three visits")

	w.steward.do(t, "PATCH", "/api/v1/visits/"+newest, map[string]any{"visited_at": at("2026-09-30 10:00")}, "If-Match", `"1"`).want(t, 200)
	exact(t, "after a correction moved the newest visit back")
	w.steward.do(t, "PATCH", "/api/v1/visits/"+aboutProject, map[string]any{"visited_at": at("2026-10-12 14:00")}, "If-Match", `"1"`).want(t, 200)
	exact(t, "after a correction moved a visit forward")
	dueShows(t, "after corrections")

	// No service deletes a visit; the column follows a deletion all the same.
	if _, err := b.db.SQL.ExecContext(ctx, `DELETE FROM visits WHERE id = $1`, aboutProject); err != nil {
		t.Fatal(err)
	}
	exact(t, "after a deletion")
	if _, err := b.db.SQL.ExecContext(ctx, `DELETE FROM visits WHERE project_id IS NULL AND enterprise_id = $1 AND visited_at > $2`, w.ent.ID, cst("2026-09-30 12:00")); err != nil {
		t.Fatal(err)
	}
	exact(t, "after deleting every visit but the oldest")
	dueShows(t, "after deletions")

	// A new steward takes the enterprise over: its last visit is still the enterprise's.
	s3 := b.user(t, domain.RoleSteward)
	b.assign(t, domain.SubjectEnterprise, w.ent.ID, leader.ID, s3.ID)
	exact(t, "after a reassignment")
	dueShows(t, "after a reassignment")

	// Visits recorded, corrected and deleted at once by many transactions.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				when := cst("2026-10-12 12:00").Add(-time.Duration(i*5+j) * time.Hour)
				var id string
				if err := b.db.SQL.QueryRowContext(ctx, `INSERT INTO visits (id, steward_id, enterprise_id, project_id, visited_at, kind, summary, created_at, updated_at)
					VALUES (gen_random_uuid(), $1, $2, CASE WHEN $4 THEN $3::uuid END, $5, 'phone', '并发走访', now(), now()) RETURNING id`,
					w.stewardID, w.ent.ID, proj.ID, j%2 == 0, when).Scan(&id); err != nil {
					t.Error(err)
					return
				}
				var err error
				switch j % 3 {
				case 0:
					_, err = b.db.SQL.ExecContext(ctx, `DELETE FROM visits WHERE id = $1`, id)
				case 1:
					_, err = b.db.SQL.ExecContext(ctx, `UPDATE visits SET visited_at = visited_at - interval '3 days' WHERE id = $1`, id)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	exact(t, "after concurrent visits")
	dueShows(t, "after concurrent visits")
}
