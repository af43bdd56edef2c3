package domain

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user does in Steward; a user has exactly one (DESIGN.md §1).
type Role string

// Roles.
const (
	RoleAdmin       Role = "admin"       // system administrator: users, departments, configuration; no audit log (三权分立)
	RoleDispatcher  Role = "dispatcher"  // 营商局 staff: accept, route and supervise tickets
	RoleLeader      Role = "leader"      // 包保县级领导: answers for enterprises and projects, instructs
	RoleSteward     Role = "steward"     // 项目管家: serves enterprises and projects day to day
	RoleOfficer     Role = "officer"     // 承办部门 staff: works tickets routed to their department
	RoleAuditor     Role = "auditor"     // 审计员: reads the audit log, nothing else
	RoleEnterprise  Role = "enterprise"  // an enterprise's contact person, through the portal
	RoleIntegration Role = "integration" // another system (12345 hotline, 一网通办) with a token
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleSteward, RoleOfficer, RoleAuditor, RoleEnterprise, RoleIntegration}

// UserStatus is whether a user may log in.
type UserStatus string

// User statuses.
const (
	UserActive   UserStatus = "active"
	UserLocked   UserStatus = "locked" // too many failed logins; unlocks by itself after LockoutPeriod
	UserDisabled UserStatus = "disabled"
)

// Login protection (DESIGN.md §7).
const (
	MaxFailedLogins = 5
	LockoutPeriod   = 30 * time.Minute
	SessionIdle     = 30 * time.Minute
	SessionLifetime = 12 * time.Hour
	// An API token lives DefaultTokenDays unless its maker asks for another number of days, at
	// most MaxTokenDays.
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// User is a person or system that logs in.
type User struct {
	ID           string
	Username     string
	DisplayName  string
	Role         Role
	DepartmentID string // leaders, stewards, officers, dispatchers
	EnterpriseID string // enterprise users only
	Phone        string
	Email        string
	Status       UserStatus
	// MustChangePassword is set when an admin set the password; the user must choose their own
	// before doing anything else.
	MustChangePassword bool
	FailedLogins       int
	LockedUntil        *time.Time
	PasswordChangedAt  time.Time
	LastLoginAt        *time.Time
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// UserPatch carries the fields an admin changes; nil means unchanged.
type UserPatch struct {
	DisplayName  *string
	Role         *Role
	DepartmentID *string
	EnterpriseID *string
	Phone        *string
	Email        *string
	// Status may be set to active or disabled; disabling ends every session of the user.
	Status *UserStatus
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// Validate normalizes the user's fields and reports every invalid one, including the rules of
// membership: enterprise users belong to an enterprise and nothing else; leaders, stewards,
// officers and dispatchers belong to a department.
func (u *User) Validate() error {
	var v Validation
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	v.Check(usernamePattern.MatchString(u.Username), "username", "must be 2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	n := utf8.RuneCountInString(u.DisplayName)
	v.Check(n >= 1 && n <= 50, "display_name", "must be 1 to 50 characters")
	v.Check(oneOf(u.Role, Roles), "role", "must be one of admin, dispatcher, leader, steward, officer, auditor, enterprise, integration")
	switch u.Role {
	case RoleEnterprise:
		v.Check(u.EnterpriseID != "", "enterprise_id", "an enterprise user must belong to an enterprise")
		v.Check(u.DepartmentID == "", "department_id", "an enterprise user belongs to no department")
	case RoleLeader, RoleSteward, RoleOfficer, RoleDispatcher:
		v.Check(u.DepartmentID != "", "department_id", "a %s must belong to a department", u.Role)
		v.Check(u.EnterpriseID == "", "enterprise_id", "only enterprise users belong to an enterprise")
	default:
		v.Check(u.EnterpriseID == "", "enterprise_id", "only enterprise users belong to an enterprise")
	}
	u.Phone, u.Email = strings.TrimSpace(u.Phone), strings.TrimSpace(u.Email)
	v.Check(u.Phone == "" || ValidPhone(u.Phone), "phone", "must be a phone number (digits, optionally +, - and spaces)")
	if u.Email != "" {
		a, err := mail.ParseAddress(u.Email)
		v.Check(err == nil && a.Address == u.Email, "email", "must be an email address")
	}
	if u.Status == "" {
		u.Status = UserActive
	}
	v.Check(oneOf(u.Status, []UserStatus{UserActive, UserLocked, UserDisabled}), "status", "must be active, locked or disabled")
	return v.Err()
}

// Apply changes u by p and validates the result.
func (u *User) Apply(p UserPatch) error {
	set(&u.DisplayName, p.DisplayName)
	set(&u.Role, p.Role)
	set(&u.DepartmentID, p.DepartmentID)
	set(&u.EnterpriseID, p.EnterpriseID)
	set(&u.Phone, p.Phone)
	set(&u.Email, p.Email)
	if p.Status != nil {
		if *p.Status == UserLocked {
			return &Error{Code: EINVALID, Message: "an account is locked only by failed logins",
				Fields: []FieldError{{Field: "status", Message: "must be active or disabled"}}}
		}
		u.Status = *p.Status
		if u.Status == UserActive {
			u.FailedLogins, u.LockedUntil = 0, nil
		}
	}
	return u.Validate()
}

// UserFilter narrows a user list.
type UserFilter struct {
	Role         Role
	DepartmentID string
	EnterpriseID string
	Status       UserStatus
	// Q matches a fragment of the username or display name.
	Q string
}

// DirectoryFilter narrows the staff directory.
type DirectoryFilter struct {
	Role         Role
	DepartmentID string
	// Q matches a fragment of the display name.
	Q string
}

// DirectoryEntry is what any staff member may know of another for picking them: name, role and
// department; no phone, no e-mail, no username.
type DirectoryEntry struct {
	ID             string
	DisplayName    string
	Role           Role
	DepartmentID   string
	DepartmentName string
}

// StaffRoles are the roles of the bureau's and the departments' own people (not enterprise users
// nor integrations).
var StaffRoles = []Role{RoleAdmin, RoleDispatcher, RoleLeader, RoleSteward, RoleOfficer, RoleAuditor}

// Token is an API token for scripts and integrations (Authorization: Bearer). It is made from a
// login session only, expires, and is revoked with the user's sessions when their password
// changes or is reset and when they are disabled.
type Token struct {
	ID         string
	UserID     string
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// UserService stores users and their credentials. Every change is audited.
type UserService interface {
	// CreateUser validates u and password (CheckPassword), stores them and fills in u's ID.
	// An admin-set password must be changed at first login unless mustChange is false (the
	// command line and the demo seed). Returns EINVALID, ECONFLICT when the username is taken,
	// EFORBIDDEN for a non-admin.
	CreateUser(ctx context.Context, u *User, password string, mustChange bool) error
	// User returns one user. Returns ENOTFOUND, or EFORBIDDEN for a non-admin.
	User(ctx context.Context, id string) (*User, error)
	// Users lists users by username.
	Users(ctx context.Context, f UserFilter, p Page) (*List[User], error)
	// Directory lists the staff who are not disabled by name, for pickers; any staff role may
	// read it. Returns EFORBIDDEN for enterprise users and integrations.
	Directory(ctx context.Context, f DirectoryFilter, p Page) (*List[DirectoryEntry], error)
	// UpdateUser applies p if version is current; disabling ends the user's sessions.
	UpdateUser(ctx context.Context, id string, version int, p UserPatch) (*User, error)
	// UnlockUser clears a lockout.
	UnlockUser(ctx context.Context, id string) (*User, error)
	// ResetPassword sets a new password the user must change at next login and ends their
	// sessions.
	ResetPassword(ctx context.Context, id, password string) (*User, error)
	// RevealUser returns the user unmasked and audits the reveal.
	RevealUser(ctx context.Context, id string) (*User, error)
}

// AuthService logs users in and out and resolves sessions and tokens to actors.
type AuthService interface {
	// Login checks the password and opens a session. Returns EUNAUTHORIZED for a wrong username
	// or password (the same for both), ELOCKED while the account is locked, ETOOMANY when the
	// address failed too often. Every attempt is audited.
	Login(ctx context.Context, username, password, userAgent string) (*User, string, error)
	// Logout ends the session of token.
	Logout(ctx context.Context, token string) error
	// Session resolves a session token, ending it when idle or too old. Returns EUNAUTHORIZED.
	Session(ctx context.Context, token string) (*Actor, error)
	// Bearer resolves an API token that is neither revoked nor expired. Returns EUNAUTHORIZED.
	Bearer(ctx context.Context, token string) (*Actor, error)
	// Me returns the actor's own user record.
	Me(ctx context.Context) (*User, error)
	// ChangePassword checks the old password and sets the new one; the actor's other sessions end.
	ChangePassword(ctx context.Context, oldPassword, newPassword string) error
	// CreateToken makes an API token for the actor, valid for days (0: DefaultTokenDays); the
	// secret is returned only now. Returns EFORBIDDEN unless the actor came with a login session
	// (a token never makes another), EINVALID on name or expires_in_days.
	CreateToken(ctx context.Context, name string, days int) (*Token, string, error)
	// Tokens lists the actor's tokens.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken revokes one of the actor's tokens. Returns ENOTFOUND for another's token.
	RevokeToken(ctx context.Context, id string) error
}

// AuditRecord is one entry of the audit log.
type AuditRecord struct {
	ID        int64
	At        time.Time
	ActorID   string
	ActorName string
	ActorRole string
	// Action is what happened: create, update, login, login_failed, reveal …
	Action   string
	Entity   string
	EntityID string
	// Before and After are the entity as JSON before and after the change (nil when none);
	// phone numbers in them are masked unless the record is revealed.
	Before, After []byte
	RequestID     string
	IP            string
	Hash          string
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Entity   string
	EntityID string
	ActorID  string
	Action   string
	From, To time.Time
}

// AuditVerification is the result of checking the hash chain.
type AuditVerification struct {
	OK      bool
	Checked int64
	// FirstBadID is the first record whose hash does not follow from its content and its
	// predecessor (edited, inserted or after a deleted record); 0 when the chain is intact.
	FirstBadID int64
}

// AuditService reads the audit log; writing happens inside every change's own transaction.
type AuditService interface {
	// Audit lists records, newest first. Returns EFORBIDDEN for anyone but an auditor.
	Audit(ctx context.Context, f AuditFilter, p Page) (*List[AuditRecord], error)
	// VerifyAudit recomputes the hash chain. Returns EFORBIDDEN for anyone but an auditor.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
	// RevealAudit returns one record with its phone numbers unmasked (Audit masks them) and
	// audits the reveal. EFORBIDDEN for anyone but an auditor, ENOTFOUND when there is none.
	RevealAudit(ctx context.Context, id int64) (*AuditRecord, error)
}
