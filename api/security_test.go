package api_test

import (
	"testing"

	"steward/domain"
)

func TestIntegrationLooksEnterprisesUpByCreditCodeOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "信用代码查询有限公司")
	b.enterprise(t, "另一家有限公司")
	integ := b.as(t, domain.RoleIntegration)

	found := integ.do(t, "GET", "/api/v1/enterprises?credit_code="+e.CreditCode, nil).want(t, 200).items()
	if len(found) != 1 || found[0]["id"] != e.ID || found[0]["name"] != e.Name || len(found[0]) != 2 {
		t.Fatalf("lookup by credit code: %v, want only the id and name of %s", found, e.Name)
	}
	if got := integ.do(t, "GET", "/api/v1/enterprises?credit_code=91320500MA1NOSUCH0", nil).want(t, 200).items(); len(got) != 0 {
		t.Fatalf("lookup of an unknown code: %v", got)
	}

	integ.do(t, "GET", "/api/v1/enterprises", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/enterprises?q=有限公司", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/exports/enterprises?format=csv", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/exports/enterprises?format=xlsx", nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/enterprises/"+e.ID, nil).wantProblem(t, 403, "forbidden")
	integ.do(t, "GET", "/api/v1/enterprises/"+e.ID+"/timeline", nil).wantProblem(t, 403, "forbidden")

	// The enterprise found is the one its tickets name.
	r := integ.do(t, "POST", "/api/v1/tickets", map[string]any{"enterprise_id": e.ID, "category_id": "01900000-0000-7000-8000-000000000008",
		"title": "热线转来的诉求", "description": "12345 热线转来的企业诉求，通过信用代码找到企业。"}).want(t, 201)
	if r.body["enterprise_id"] != e.ID {
		t.Fatalf("ticket: %s", r.raw)
	}

	// Staff find by exact code too, with the whole record.
	d := b.as(t, domain.RoleDispatcher).do(t, "GET", "/api/v1/enterprises?credit_code="+e.CreditCode, nil).want(t, 200).items()
	if len(d) != 1 || d[0]["credit_code"] != e.CreditCode || d[0]["contacts"] == nil {
		t.Fatalf("dispatcher lookup: %v", d)
	}
}

func TestScopesFailClosed(t *testing.T) {
	t.Parallel()
	// A role the scope functions do not name sees nothing, whatever the permission table says.
	unknown := &domain.Actor{UserID: "01900000-0000-7000-8000-00000000ffff", Role: domain.Role("contractor")}
	for name, scope := range map[string]func(*domain.Actor) domain.Scope{
		"EnterpriseScope": domain.EnterpriseScope, "ProjectScope": domain.ProjectScope,
		"AssignmentScope": domain.AssignmentScope, "StatsScope": domain.StatsScope,
	} {
		if s := scope(unknown); !s.None() {
			t.Errorf("%s of an unnamed role: %+v, want nothing", name, s)
		}
		for _, role := range domain.Roles {
			a := &domain.Actor{UserID: unknown.UserID, Role: role, DepartmentID: "d", EnterpriseID: "e"}
			if s := scope(a); s.All && role != domain.RoleDispatcher {
				t.Errorf("%s gives %s everything", name, role)
			}
		}
	}
}
