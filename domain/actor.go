package domain

import "context"

// Actor is who is acting: a logged-in user, an anonymous caller (no UserID), or the system itself
// (the command line, seeds, background jobs). The API puts one in every request's context, with
// the request's id and address for the audit record.
type Actor struct {
	UserID       string
	Username     string
	DisplayName  string
	Role         Role
	DepartmentID string
	EnterpriseID string
	// MustChangePassword limits the actor to changing their password.
	MustChangePassword bool
	// SessionToken is the session the actor came with, if any (kept when the password changes).
	SessionToken string

	RequestID string
	IP        string

	system bool
}

// System is the actor of work nobody logged in for: the command line, seeds, jobs. It may do
// everything; only code that runs outside a request uses it.
var System = &Actor{Username: "system", system: true}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx; without one it is an anonymous caller who may do nothing
// (never the system: forgetting the actor must not grant anything).
func ActorFrom(ctx context.Context) *Actor {
	if a, ok := ctx.Value(actorKey{}).(*Actor); ok && a != nil {
		return a
	}
	return &Actor{}
}

// IsSystem reports whether the actor is the system rather than a user.
func (a *Actor) IsSystem() bool { return a.system }

// LoggedIn reports whether the actor is a user.
func (a *Actor) LoggedIn() bool { return a.UserID != "" }

type passiveKey struct{}

// Passive marks ctx as a request the user did not make themselves (a live event stream
// reconnecting): it must not count as activity that keeps an idle session alive.
func Passive(ctx context.Context) context.Context { return context.WithValue(ctx, passiveKey{}, true) }

// IsPassive reports whether ctx was marked Passive.
func IsPassive(ctx context.Context) bool { v, _ := ctx.Value(passiveKey{}).(bool); return v }
