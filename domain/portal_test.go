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

func TestProgressNotice(t *testing.T) {
	t.Parallel()
	base := Ticket{ID: "t1", Number: "SQ-2026-000001", Title: "用电增容", EnterpriseID: "e1", HandlerName: "赵科员"}
	with := func(s TicketStatus, reopen int) *Ticket { c := base; c.Status, c.ReopenCount = s, reopen; return &c }
	for _, tc := range []struct {
		name       string
		prev, next *Ticket
		title      string
	}{
		{"Accepted", with(TicketSubmitted, 0), with(TicketAccepted, 0), "您的诉求已受理：SQ-2026-000001"},
		{"Rejected", with(TicketSubmitted, 0), with(TicketRejected, 0), "您的诉求未予受理：SQ-2026-000001"},
		{"Resolved", with(TicketInProgress, 0), with(TicketResolved, 0), "您的诉求已办结，请评价：SQ-2026-000001"},
		{"Rework", with(TicketResolved, 0), with(TicketInProgress, 1), "您的诉求已交回重办：SQ-2026-000001"},
		{"AssignIsInternal", with(TicketAccepted, 0), with(TicketAssigned, 0), ""},
		{"ReturnIsInternal", with(TicketAssigned, 0), with(TicketReturned, 0), ""},
		{"SignIsQuiet", with(TicketAssigned, 0), with(TicketInProgress, 0), ""},
		{"NoMove", with(TicketInProgress, 0), with(TicketInProgress, 0), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.next.ProgressNotice(tc.prev)
			if tc.title == "" {
				if n != nil {
					t.Fatalf("the enterprise hears %q of a move it does not see", n.Title)
				}
				return
			}
			if n == nil || n.Title != tc.title || n.Link != "/portal/tickets/t1" || len(n.To) != 1 || n.To[0] != (Audience{AudienceEnterprise, "e1"}) {
				t.Fatalf("notice %+v, want %q to the enterprise", n, tc.title)
			}
			if !n.Kind.Personal() {
				t.Fatal("an enterprise's notice would go to a webhook's group chat")
			}
		})
	}
}
