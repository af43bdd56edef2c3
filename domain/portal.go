package domain

import "context"

// MyEnterprise is what the portal shows an enterprise user about their own enterprise: its
// record and who serves it now (包保) — the steward with a phone to call, the leader by name.
// Steward and Leader are nil while nobody is assigned.
type MyEnterprise struct {
	Enterprise *Enterprise
	Steward    *Contactee
	Leader     *Contactee
}

// Contactee is someone the enterprise deals with, as much of them as it may know: the steward's
// name and phone, the leader's name only (Phone empty).
type Contactee struct {
	DisplayName string
	Phone       string
}

// MyEnterpriseReader answers an enterprise user's own enterprise (GET /me/enterprise).
type MyEnterpriseReader interface {
	// MyEnterprise returns the actor's own enterprise with its current steward and leader.
	// Returns EFORBIDDEN for anyone but an enterprise user.
	MyEnterprise(ctx context.Context) (*MyEnterprise, error)
}

// OnlyContacts reports whether p changes the contacts and nothing else.
func (p EnterprisePatch) OnlyContacts() bool {
	return p.Contacts != nil && p.Name == nil && p.CreditCode == nil && p.LegalRepresentative == nil &&
		p.Industry == nil && p.Scale == nil && p.KeyLevel == nil && p.Address == nil && p.Street == nil && p.Tags == nil
}

// MayPatchEnterprise says whether a may apply p to an enterprise they can see: those who may
// update enterprises change any field; an enterprise user keeps their own contacts (联系人) up
// to date and nothing else — name, credit code, key level and the rest are the bureau's record.
// The row scope (their own enterprise only) is storage's.
func MayPatchEnterprise(a *Actor, p EnterprisePatch) error {
	if Can(a, ActUpdate, ResEnterprise) {
		return nil
	}
	if a.Role == RoleEnterprise && a.LoggedIn() && !a.MustChangePassword {
		if p.OnlyContacts() {
			return nil
		}
		return Errorf(EFORBIDDEN, "enterprise users may change only their contacts; the other fields are kept by the bureau")
	}
	return Forbidden(a, "change enterprises")
}
