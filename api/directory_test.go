package api_test

import (
	"testing"

	"steward/domain"
)

func TestDirectoryNamesActiveStaffForPickers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	housing := b.department(t, "区住房和城乡建设局", domain.DepartmentGovernment)
	officer := b.user(t, domain.RoleOfficer, housing.ID)
	gone := b.user(t, domain.RoleOfficer, housing.ID)
	ent := b.enterprise(t, "目录测试企业有限公司")
	entUser := b.user(t, domain.RoleEnterprise, ent.ID)
	admin := b.as(t, domain.RoleAdmin)
	etag := admin.do(t, "GET", "/api/v1/users/"+gone.ID, nil).want(t, 200).Header.Get("ETag")
	admin.do(t, "PATCH", "/api/v1/users/"+gone.ID, map[string]any{"status": "disabled"}, "If-Match", etag).want(t, 200)

	steward := b.as(t, domain.RoleSteward)
	items := steward.do(t, "GET", "/api/v1/directory?department_id="+housing.ID, nil).want(t, 200).items()
	if len(items) != 1 || items[0]["id"] != officer.ID || items[0]["department_name"] != "区住房和城乡建设局" ||
		items[0]["role"] != "officer" || items[0]["display_name"] != officer.DisplayName {
		t.Fatalf("the department's directory should list its one active officer with the department's name, got %v", items)
	}
	for k := range items[0] {
		if k == "phone" || k == "email" || k == "username" {
			t.Errorf("the directory shows %s", k)
		}
	}

	all := steward.do(t, "GET", "/api/v1/directory?limit=200", nil).want(t, 200).items()
	for _, it := range all {
		if it["id"] == entUser.ID || it["id"] == gone.ID {
			t.Errorf("the directory lists %v (an enterprise user or a disabled account)", it)
		}
	}
	if got := steward.do(t, "GET", "/api/v1/directory?role=officer&q=测试", nil).want(t, 200).items(); len(got) == 0 {
		t.Error("a name fragment and a role should find the officer")
	}

	page := steward.do(t, "GET", "/api/v1/directory?limit=1", nil).want(t, 200)
	next, _ := page.body["next_cursor"].(string)
	if next == "" {
		t.Fatal("a page of one should have a next cursor")
	}
	second := steward.do(t, "GET", "/api/v1/directory?limit=1&cursor="+next, nil).want(t, 200).items()
	if len(second) != 1 || second[0]["id"] == page.items()[0]["id"] {
		t.Errorf("the second page repeats the first: %v", second)
	}

	b.as(t, domain.RoleEnterprise, ent.ID).do(t, "GET", "/api/v1/directory", nil).wantProblem(t, 403, "forbidden")
}
