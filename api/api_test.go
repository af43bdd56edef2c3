package api_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"steward/api"
	"steward/domain"
)

func enterpriseJSON(code string) map[string]any {
	return map[string]any{
		"name": "苏州示例精密制造有限公司", "credit_code": code, "legal_representative": "张伟",
		"industry": "C", "scale": "medium", "key_level": "municipal", "street": "金鸡湖街道",
		"tags": []string{"专精特新"}, "contacts": []map[string]string{{"name": "王经理", "phone": "13812341234"}},
	}
}

const validCode = "91350100M000100Y43"

func TestEnterpriseAPI(t *testing.T) {
	t.Parallel()

	t.Run("CreateGetAndList", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleDispatcher)
		created := c.do(t, "POST", "/api/v1/enterprises", enterpriseJSON(strings.ToLower(validCode))).want(t, 201)
		if created.Header.Get("ETag") != `"1"` || created.body["credit_code"] != validCode || created.body["status"] != "active" {
			t.Fatalf("created: ETag %q body %s", created.Header.Get("ETag"), created.raw)
		}
		id := created.body["id"].(string)
		got := c.do(t, "GET", "/api/v1/enterprises/"+id, nil).want(t, 200)
		if got.Header.Get("ETag") != `"1"` || got.body["name"] != "苏州示例精密制造有限公司" {
			t.Fatalf("get: ETag %q body %s", got.Header.Get("ETag"), got.raw)
		}
		list := c.do(t, "GET", "/api/v1/enterprises?q=精密&with_total=true", nil).want(t, 200)
		if list.body["total"] != float64(1) || list.body["next_cursor"] != nil {
			t.Fatalf("list: %s", list.raw)
		}
	})

	t.Run("BadCreditCodeIs422OnTheField", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleDispatcher)
		for _, code := range []string{"91350100M000100Y44", "123", "9135010OM000100Y43"} {
			r := c.do(t, "POST", "/api/v1/enterprises", enterpriseJSON(code)).wantProblem(t, 422, "validation_failed")
			if r.fieldErrors()["credit_code"] == "" {
				t.Fatalf("credit code %s: no error on field credit_code: %s", code, r.raw)
			}
		}
		bad := enterpriseJSON(validCode)
		bad["industry"], bad["contacts"] = "Z", []map[string]string{{"name": "李", "phone": "call me"}}
		r := c.do(t, "POST", "/api/v1/enterprises", bad).wantProblem(t, 422, "validation_failed")
		if fe := r.fieldErrors(); fe["industry"] == "" || fe["contacts[0].phone"] == "" {
			t.Fatalf("want errors on industry and contacts[0].phone, got %v", fe)
		}
		unknown := enterpriseJSON(validCode)
		unknown["status"] = "archived" // not settable through a create
		c.do(t, "POST", "/api/v1/enterprises", unknown).wantProblem(t, 422, "validation_failed")
		list := c.do(t, "GET", "/api/v1/enterprises?with_total=true", nil).want(t, 200)
		if list.body["total"] != float64(0) {
			t.Fatalf("rejected requests stored something: %s", list.raw)
		}
	})

	t.Run("DuplicateCreditCodeIs409", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleDispatcher)
		c.do(t, "POST", "/api/v1/enterprises", enterpriseJSON(validCode)).want(t, 201)
		other := enterpriseJSON(validCode)
		other["name"] = "另一家有限公司"
		r := c.do(t, "POST", "/api/v1/enterprises", other).wantProblem(t, 409, "conflict")
		if !strings.Contains(r.body["detail"].(string), "credit code") {
			t.Fatalf("detail does not say what clashed: %s", r.raw)
		}
	})

	t.Run("PatchNeedsCurrentIfMatch", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleDispatcher)
		id := c.do(t, "POST", "/api/v1/enterprises", enterpriseJSON(validCode)).want(t, 201).body["id"].(string)
		path := "/api/v1/enterprises/" + id

		c.do(t, "PATCH", path, map[string]any{"street": "斜塘街道"}).wantProblem(t, 428, "precondition_required")
		r := c.do(t, "PATCH", path, map[string]any{"street": "斜塘街道"}, "If-Match", `"1"`).want(t, 200)
		if r.Header.Get("ETag") != `"2"` || r.body["street"] != "斜塘街道" || r.body["name"] != "苏州示例精密制造有限公司" {
			t.Fatalf("patch: ETag %q body %s", r.Header.Get("ETag"), r.raw)
		}
		// A second editor still holding version 1 is refused and overwrites nothing.
		c.do(t, "PATCH", path, map[string]any{"street": "娄葑街道"}, "If-Match", `"1"`).wantProblem(t, 412, "version_mismatch")
		c.do(t, "PATCH", path, map[string]any{"credit_code": "bad"}, "If-Match", `"2"`).wantProblem(t, 422, "validation_failed")
		got := c.do(t, "GET", path, nil).want(t, 200)
		if got.body["street"] != "斜塘街道" || got.Header.Get("ETag") != `"2"` {
			t.Fatalf("after refused patches: ETag %q body %s", got.Header.Get("ETag"), got.raw)
		}
	})

	t.Run("UnknownIDIs404", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := b.as(t, domain.RoleDispatcher)
		c.do(t, "GET", "/api/v1/enterprises/0192a0c4-0000-7000-8000-000000000000", nil).wantProblem(t, 404, "not_found")
		c.do(t, "GET", "/api/v1/enterprises/not-an-id", nil).wantProblem(t, 404, "not_found")
		c.do(t, "PATCH", "/api/v1/enterprises/not-an-id", map[string]any{"street": "x"}, "If-Match", `"1"`).wantProblem(t, 404, "not_found")
		c.do(t, "GET", "/api/v1/no-such-thing", nil).wantProblem(t, 404, "not_found")
	})
}

func TestDepartmentAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.as(t, domain.RoleAdmin)
	for _, name := range []string{"自然资源局", "住建局", "发改局", "供电公司", "水务集团"} {
		kind := "government"
		if name == "供电公司" || name == "水务集团" {
			kind = "utility"
		}
		c.do(t, "POST", "/api/v1/departments", map[string]any{"name": name, "kind": kind}).want(t, 201)
	}
	c.do(t, "POST", "/api/v1/departments", map[string]any{"name": "住建局", "kind": "government"}).wantProblem(t, 409, "conflict")
	c.do(t, "POST", "/api/v1/departments", map[string]any{"name": "  ", "kind": "nope"}).wantProblem(t, 422, "validation_failed")

	var names []string
	cursor := ""
	for {
		r := c.do(t, "GET", "/api/v1/departments?limit=2&cursor="+cursor, nil).want(t, 200)
		for _, it := range r.body["items"].([]any) {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		next, _ := r.body["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(names) != 6 { // and the bureau every test has
		t.Fatalf("paged through %v, want 6 departments once each", names)
	}
	utilities := c.do(t, "GET", "/api/v1/departments?kind=utility", nil).want(t, 200)
	if n := len(utilities.body["items"].([]any)); n != 2 {
		t.Fatalf("kind=utility: %d items, want 2", n)
	}
	c.do(t, "GET", "/api/v1/departments?limit=500", nil).wantProblem(t, 422, "validation_failed")
	c.do(t, "GET", "/api/v1/departments?cursor=bogus", nil).wantProblem(t, 422, "validation_failed")
}

// failingEnterprises fails every call with an error carrying internal details.
type failingEnterprises struct{ domain.EnterpriseService }

func (failingEnterprises) Enterprise(context.Context, string) (*domain.Enterprise, error) {
	return nil, errors.New("pq: password authentication failed for user secret_admin at 10.0.0.5")
}

func TestInternalErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.as(t, domain.RoleDispatcher)
	srv := httptest.NewServer(api.New(api.Config{Auth: b.auth, Enterprises: failingEnterprises{}}))
	defer srv.Close()
	b.srv = srv // the same database and session, a server whose enterprise store fails
	r := c.do(t, "GET", "/api/v1/enterprises/0192a0c4-0000-7000-8000-000000000000", nil).wantProblem(t, 500, "internal")
	if bytes.Contains(r.raw, []byte("secret_admin")) || bytes.Contains(r.raw, []byte("10.0.0.5")) {
		t.Fatalf("internal details leaked: %s", r.raw)
	}
	if r.body["request_id"] != r.Header.Get("X-Request-Id") {
		t.Fatalf("problem does not carry the request id for support: %s", r.raw)
	}
}

func TestOperations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.as(t, domain.RoleDispatcher)
	c.do(t, "GET", "/healthz", nil).want(t, 200)
	c.do(t, "GET", "/readyz", nil).want(t, 200)
	r := c.do(t, "GET", "/api/v1/enterprises", nil, "X-Request-Id", "trace-abc-123").want(t, 200)
	if r.Header.Get("X-Request-Id") != "trace-abc-123" {
		t.Fatalf("a sane incoming request id is not kept: %q", r.Header.Get("X-Request-Id"))
	}
	metrics := c.do(t, "GET", "/metrics", nil).want(t, 200)
	if !bytes.Contains(metrics.raw, []byte(`steward_http_requests_total{operation="list-enterprises",status="200"} 1`)) {
		t.Fatalf("metrics do not count the request by operation and status:\n%s", metrics.raw)
	}
	doc := c.do(t, "GET", "/openapi.json", nil).want(t, 200)
	if doc.body["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", doc.body["openapi"])
	}
	paths := doc.body["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/enterprises", "/api/v1/enterprises/{id}", "/api/v1/departments", "/api/v1/departments/{id}"} {
		if paths[p] == nil {
			t.Errorf("OpenAPI document lacks %s", p)
		}
	}
	web := c.do(t, "GET", "/some/client/route", nil).want(t, 200)
	if !bytes.Contains(web.raw, []byte("make run")) {
		t.Fatalf("without a built web app the page should say how to build it: %s", web.raw)
	}

	// Losing the database gives a fast 503 from /readyz, not a hang or a 500.
	b.db.Close()
	c.do(t, "GET", "/readyz", nil).wantProblem(t, 503, "unavailable")
}
