package api_test

import (
	"encoding/json"
	"slices"
	"testing"

	"steward/domain"
)

// category returns the id of the category named name.
func (w *world) category(name string) string {
	var id string
	if err := w.b.db.Bun.NewSelect().Table("categories").Column("id").Where("name = ?", name).Scan(system, &id); err != nil {
		panic(err)
	}
	return id
}

func TestCategoryAPI(t *testing.T) {
	t.Parallel()

	t.Run("DefaultsComeInDesignOrderWithTheirLimits", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := b.as(t, domain.RoleEnterprise, b.enterprise(t, "门户企业有限公司").ID).do(t, "GET", "/api/v1/categories", nil).want(t, 200)
		var got []string
		for _, it := range r.items() {
			got = append(got, it["name"].(string)+":"+itoa(int64(it["sign_days"].(float64)))+"/"+itoa(int64(it["resolve_days"].(float64))))
		}
		want := []string{"政策咨询:1/3", "审批许可:1/10", "用地:1/15", "用电:1/15", "用水:1/15", "用气:1/15", "基础设施:1/20", "其他:1/5"}
		if !slices.Equal(got, want) {
			t.Fatalf("default categories %v, want %v", got, want)
		}
	})

	t.Run("AdminCreatesAndChangesWithValidationAndConcurrency", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleAdmin)
		power := b.department(t, "供电公司", domain.DepartmentUtility)

		r := c.do(t, "POST", "/api/v1/categories", map[string]any{
			"name": " 消防验收 ", "description": "消防设计审查与验收", "default_department_id": power.ID, "resolve_days": 12,
		}).want(t, 201)
		if r.body["name"] != "消防验收" || r.body["sign_days"] != 1.0 || r.body["active"] != true ||
			r.body["default_department_id"] != power.ID || r.Header.Get("ETag") != `"1"` {
			t.Fatalf("created %s (ETag %s): want the name trimmed, sign_days 1 and active by default", r.raw, r.Header.Get("ETag"))
		}
		id := r.body["id"].(string)

		c.do(t, "POST", "/api/v1/categories", map[string]any{"name": "消防验收", "resolve_days": 3}).wantProblem(t, 409, "conflict")
		bad := c.do(t, "POST", "/api/v1/categories", map[string]any{"name": "", "sign_days": 31, "resolve_days": 0}).
			wantProblem(t, 422, "validation_failed").fieldErrors()
		for _, f := range []string{"name", "sign_days", "resolve_days"} {
			if bad[f] == "" {
				t.Errorf("no error on field %s: %v", f, bad)
			}
		}
		unknown := c.do(t, "POST", "/api/v1/categories", map[string]any{"name": "环评", "resolve_days": 10,
			"default_department_id": "0192a0c4-0000-7000-8000-000000000000"}).wantProblem(t, 422, "validation_failed").fieldErrors()
		if unknown["default_department_id"] == "" {
			t.Errorf("an unknown department is not named: %v", unknown)
		}

		path := "/api/v1/categories/" + id
		change := map[string]any{"resolve_days": 8, "default_department_id": ""}
		c.do(t, "PATCH", path, change).wantProblem(t, 428, "precondition_required")
		r = c.do(t, "PATCH", path, change, "If-Match", `"1"`).want(t, 200)
		if r.body["resolve_days"] != 8.0 || r.body["default_department_id"] != nil || r.body["version"] != 2.0 || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("after PATCH: %s", r.raw)
		}
		c.do(t, "PATCH", path, map[string]any{"resolve_days": 9}, "If-Match", `"1"`).wantProblem(t, 412, "version_mismatch")
		c.do(t, "PATCH", path, map[string]any{"name": "用电"}, "If-Match", `"2"`).wantProblem(t, 409, "conflict")
		if f := c.do(t, "PATCH", path, map[string]any{"resolve_days": 121}, "If-Match", `"2"`).
			wantProblem(t, 422, "validation_failed").fieldErrors(); f["resolve_days"] == "" {
			t.Errorf("resolve_days 121: no error on the field: %v", f)
		}
		if got := c.do(t, "GET", path, nil).want(t, 200); got.body["resolve_days"] != 8.0 || got.Header.Get("ETag") != `"2"` {
			t.Fatalf("refused changes were written: %s", got.raw)
		}

		// Retiring a category takes it out of the active list, for the portal's submit form.
		c.do(t, "PATCH", path, map[string]any{"active": false}, "If-Match", `"2"`).want(t, 200)
		names := func(query string) []string {
			var out []string
			for _, it := range c.do(t, "GET", "/api/v1/categories"+query, nil).want(t, 200).items() {
				out = append(out, it["name"].(string))
			}
			return out
		}
		if active := names("?active=true"); len(active) != 8 || slices.Contains(active, "消防验收") {
			t.Fatalf("active categories %v: want the 8 defaults", active)
		}
		if retired := names("?active=false"); !slices.Equal(retired, []string{"消防验收"}) {
			t.Fatalf("retired categories %v", retired)
		}
		if all := names("?limit=3"); len(all) != 3 {
			t.Fatalf("limit=3 gave %v", all)
		}

		// Every change is in the audit log with the category before and after.
		audit := b.as(t, domain.RoleAuditor).do(t, "GET", "/api/v1/audit?entity=category&entity_id="+id, nil).want(t, 200).items()
		if len(audit) != 3 || audit[0]["action"] != "update" || audit[2]["action"] != "create" {
			t.Fatalf("audit records %v: want create and two updates", audit)
		}
		raw, _ := json.Marshal(audit[0]["before"])
		var before struct {
			Active bool `json:"active"`
		}
		if err := json.Unmarshal(raw, &before); err != nil || !before.Active {
			t.Fatalf("the last audit record does not show the category active before: %s", raw)
		}
	})

	t.Run("OnlyAdminsChangeAndAuditorsDoNotRead", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		d := b.as(t, domain.RoleDispatcher)
		d.do(t, "GET", "/api/v1/categories", nil).want(t, 200)
		d.do(t, "POST", "/api/v1/categories", map[string]any{"name": "调度新增", "resolve_days": 5}).wantProblem(t, 403, "forbidden")
		b.as(t, domain.RoleAuditor).do(t, "GET", "/api/v1/categories", nil).wantProblem(t, 403, "forbidden")
		b.as(t, domain.RoleAdmin).do(t, "GET", "/api/v1/categories/0192a0c4-0000-7000-8000-000000000000", nil).wantProblem(t, 404, "not_found")
	})
}
