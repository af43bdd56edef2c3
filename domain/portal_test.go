package domain

import "testing"

func TestMayPatchEnterprise(t *testing.T) {
	t.Parallel()
	name, street := "新名称有限公司", "金鸡湖街道"
	contacts := []Contact{{Name: "王经理", Phone: "13812345678"}}
	ent := &Actor{UserID: "u1", Role: RoleEnterprise, EnterpriseID: "e1"}
	for _, tc := range []struct {
		name  string
		actor *Actor
		patch EnterprisePatch
		ok    bool
	}{
		{"EnterpriseChangesItsContacts", ent, EnterprisePatch{Contacts: &contacts}, true},
		{"EnterpriseMayNotRename", ent, EnterprisePatch{Name: &name}, false},
		{"EnterpriseMayNotSlipAFieldInWithContacts", ent, EnterprisePatch{Contacts: &contacts, Street: &street}, false},
		{"AnEmptyPatchIsNoContactsChange", ent, EnterprisePatch{}, false},
		{"EnterpriseThatMustChangeItsPassword", &Actor{UserID: "u1", Role: RoleEnterprise, EnterpriseID: "e1", MustChangePassword: true},
			EnterprisePatch{Contacts: &contacts}, false},
		{"DispatcherChangesAnyField", &Actor{UserID: "d", Role: RoleDispatcher}, EnterprisePatch{Name: &name, Contacts: &contacts}, true},
		{"OfficerChangesNothing", &Actor{UserID: "o", Role: RoleOfficer}, EnterprisePatch{Contacts: &contacts}, false},
		{"IntegrationChangesNothing", &Actor{UserID: "i", Role: RoleIntegration}, EnterprisePatch{Contacts: &contacts}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := MayPatchEnterprise(tc.actor, tc.patch)
			if (err == nil) != tc.ok {
				t.Fatalf("MayPatchEnterprise = %v, want allowed %v", err, tc.ok)
			}
			if err != nil && ErrorCode(err) != EFORBIDDEN {
				t.Fatalf("refusal code %s, want EFORBIDDEN", ErrorCode(err))
			}
		})
	}
}
