package api_test

import (
	"fmt"
	"strings"
	"testing"

	"steward/domain"
)

// TestAuditRecordsMaskPhones: an auditor reads who changed what with the phone numbers in the
// records masked, as everywhere else; revealing one record shows them and is itself audited.
func TestAuditRecordsMaskPhones(t *testing.T) {
	t.Parallel()
	b := setup(t)
	e := b.enterprise(t, "审计掩码有限公司")   // contact 王经理, 13812345678
	u := b.user(t, domain.RoleSteward) // phone 13900001111
	auditor := b.as(t, domain.RoleAuditor)

	ents := auditor.do(t, "GET", "/api/v1/audit?entity=enterprise&entity_id="+e.ID, nil).want(t, 200)
	users := auditor.do(t, "GET", "/api/v1/audit?entity=user&entity_id="+u.ID, nil).want(t, 200)
	all := auditor.do(t, "GET", "/api/v1/audit?limit=100", nil).want(t, 200)
	for _, r := range []*response{ents, users, all} {
		if strings.Contains(string(r.raw), "13812345678") || strings.Contains(string(r.raw), "13900001111") {
			t.Fatalf("the auditor reads a full phone number: %s", r.raw)
		}
	}
	if !strings.Contains(string(ents.raw), "138****5678") || !strings.Contains(string(users.raw), "139****1111") {
		t.Fatalf("the masked numbers are missing: %s\n%s", ents.raw, users.raw)
	}
	if !strings.Contains(string(ents.raw), "王经理") {
		t.Fatalf("masking hid more than the number: %s", ents.raw)
	}

	// The reveal shows the record in full, to the auditor only, and leaves its own record.
	id := fmt.Sprint(int64(ents.items()[0]["id"].(float64)))
	b.as(t, domain.RoleAdmin).do(t, "POST", "/api/v1/audit/"+id+"/reveal", nil).wantProblem(t, 403, "forbidden")
	full := auditor.do(t, "POST", "/api/v1/audit/"+id+"/reveal", nil).want(t, 200)
	if !strings.Contains(string(full.raw), "13812345678") || full.body["hash"] != ents.items()[0]["hash"] {
		t.Fatalf("revealed: %s", full.raw)
	}
	auditor.do(t, "POST", "/api/v1/audit/999999/reveal", nil).wantProblem(t, 404, "not_found")
	reveals := auditor.do(t, "GET", "/api/v1/audit?action=reveal&entity=audit&entity_id="+id, nil).want(t, 200).items()
	if len(reveals) != 1 || reveals[0]["actor_role"] != "auditor" {
		t.Fatalf("the reveal is not audited: %v", reveals)
	}
}
