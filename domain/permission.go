package domain

import "strings"

// Resource is a kind of thing an actor acts on.
type Resource string

// Resources.
const (
	ResDepartment Resource = "department"
	ResEnterprise Resource = "enterprise"
	ResUser       Resource = "user"
	ResAudit      Resource = "audit"
	ResAssignment Resource = "assignment"
	ResProject    Resource = "project"
	// ResCategory is a request category (诉求类别) with its time limits.
	ResCategory Resource = "category"
	// ResCalendar is the working-day calendar and its overrides.
	ResCalendar Resource = "calendar"
	// ResImport is a file imported into the register; reading it means its progress and problems.
	ResImport Resource = "import"
	// ResTicket is an enterprise's request or problem (诉求).
	ResTicket Resource = "ticket"
	// ResAttachment is a file attached to a ticket, or a photo of a visit. Its own resource
	// because more roles may attach than may create tickets (leaders, officers); which files a
	// role reaches is the scope of what they are attached to.
	ResAttachment Resource = "attachment"
	// ResVisit is a steward's visit (走访).
	ResVisit Resource = "visit"
	// ResWebhook is an outgoing webhook of notifications; removing one is ActArchive.
	ResWebhook Resource = "webhook"
	// ResJobQueue is the background job queue as River UI shows it: reading jobs and queues,
	// and cancelling, retrying or pausing them (ActUpdate).
	ResJobQueue Resource = "job_queue"
	// ResStats is the supervision statistics (监督统计): on-time rate, working days to resolve,
	// satisfaction, visit coverage. Which tickets and visits they count is StatsScope.
	ResStats Resource = "stats"
	// ResDirectory is the staff directory: names, roles and departments, for pickers.
	ResDirectory Resource = "directory"
	// ResPlanTemplate is a template of approval-plan nodes (admin-editable; staff read it to
	// pick one for a plan).
	ResPlanTemplate Resource = "plan_template"
	// ResPlan is a project's approval plan (审批节点计划); updating it is moving its nodes. Which
	// plans and which moves is domain/plan.go.
	ResPlan Resource = "plan"
)

// Action is what an actor does to a resource.
type Action string

// Actions.
const (
	ActRead   Action = "read"
	ActCreate Action = "create"
	ActUpdate Action = "update"
	// ActReveal shows masked fields (phone numbers) in full; every reveal is audited.
	ActReveal Action = "reveal"
	// ActArchive archives or restores.
	ActArchive Action = "archive"
	// ActLookUp finds one row by its exact natural key and learns its id and name, nothing else:
	// an integration finds the enterprise of a credit code to submit a ticket for it.
	ActLookUp Action = "look_up"
)

// grants is the permission table of DESIGN.md §5 by role: which actions on which resources a
// role may take at all. Which rows it may take them on is the scope (EnterpriseScope …).
var grants = map[Role]map[Resource][]Action{
	RoleAdmin: {
		ResDirectory:    {ActRead},
		ResDepartment:   {ActRead, ActCreate, ActUpdate},
		ResUser:         {ActRead, ActCreate, ActUpdate, ActReveal},
		ResCategory:     {ActRead, ActCreate, ActUpdate},
		ResCalendar:     {ActRead, ActUpdate},
		ResWebhook:      {ActRead, ActCreate, ActArchive},
		ResJobQueue:     {ActRead, ActUpdate},
		ResPlanTemplate: {ActRead, ActCreate, ActUpdate},
	},
	RoleDispatcher: {
		ResDirectory:    {ActRead},
		ResDepartment:   {ActRead},
		ResEnterprise:   {ActRead, ActCreate, ActUpdate, ActReveal, ActArchive},
		ResProject:      {ActRead, ActCreate, ActUpdate},
		ResAssignment:   {ActRead, ActCreate},
		ResImport:       {ActRead, ActCreate},
		ResCategory:     {ActRead},
		ResCalendar:     {ActRead},
		ResTicket:       {ActRead, ActCreate},
		ResAttachment:   {ActRead, ActCreate},
		ResVisit:        {ActRead},
		ResStats:        {ActRead},
		ResPlanTemplate: {ActRead},
		ResPlan:         {ActRead, ActCreate, ActUpdate},
	},
	RoleLeader: {
		ResDirectory:    {ActRead},
		ResDepartment:   {ActRead},
		ResCategory:     {ActRead},
		ResCalendar:     {ActRead},
		ResEnterprise:   {ActRead, ActReveal},
		ResProject:      {ActRead},
		ResAssignment:   {ActRead},
		ResTicket:       {ActRead},
		ResAttachment:   {ActRead, ActCreate},
		ResVisit:        {ActRead, ActCreate},
		ResStats:        {ActRead},
		ResPlanTemplate: {ActRead},
		ResPlan:         {ActRead},
	},
	RoleSteward: {
		ResDirectory:    {ActRead},
		ResDepartment:   {ActRead},
		ResCategory:     {ActRead},
		ResCalendar:     {ActRead},
		ResEnterprise:   {ActRead, ActUpdate, ActReveal},
		ResProject:      {ActRead, ActCreate, ActUpdate},
		ResAssignment:   {ActRead},
		ResTicket:       {ActRead, ActCreate},
		ResAttachment:   {ActRead, ActCreate},
		ResVisit:        {ActRead, ActCreate},
		ResStats:        {ActRead},
		ResPlanTemplate: {ActRead},
		ResPlan:         {ActRead, ActCreate, ActUpdate},
	},
	RoleOfficer: {
		ResDirectory:    {ActRead},
		ResDepartment:   {ActRead},
		ResCategory:     {ActRead},
		ResCalendar:     {ActRead},
		ResEnterprise:   {ActRead, ActReveal},
		ResTicket:       {ActRead},
		ResAttachment:   {ActRead, ActCreate},
		ResStats:        {ActRead},
		ResPlanTemplate: {ActRead},
		ResPlan:         {ActRead, ActUpdate},
	},
	RoleAuditor: {
		ResDirectory: {ActRead},
		ResAudit:     {ActRead},
		ResCalendar:  {ActRead},
	},
	RoleEnterprise: {
		ResEnterprise: {ActRead},
		ResCategory:   {ActRead},
		ResCalendar:   {ActRead},
		ResProject:    {ActRead},
		ResTicket:     {ActRead, ActCreate},
		ResAttachment: {ActRead, ActCreate},
		ResPlan:       {ActRead},
	},
	RoleIntegration: {
		ResDepartment: {ActRead},
		ResCategory:   {ActRead},
		ResCalendar:   {ActRead},
		// Never the register: only a lookup by exact credit code (DESIGN.md §5).
		ResEnterprise: {ActLookUp},
		ResTicket:     {ActRead, ActCreate},
		ResAttachment: {ActRead, ActCreate},
	},
}

// Can reports whether a may take action on resources of kind res at all. The system may do
// everything; an anonymous caller nothing; an actor who must change their password nothing
// until they have.
func Can(a *Actor, action Action, res Resource) bool {
	if a.IsSystem() {
		return true
	}
	if !a.LoggedIn() || a.MustChangePassword {
		return false
	}
	return oneOf(action, grants[a.Role][res])
}

// Scope says which rows of a kind an actor may see. The zero Scope sees nothing, and every scope
// function fails closed: a role it does not name gets the zero Scope.
type Scope struct {
	All bool
	// Named: any row, but only as the actor names it — by its exact key in a lookup (id and name
	// only) or by the id such a lookup gave (an integration's ticket for an enterprise). Its
	// record is never read.
	Named bool
	// EnterpriseID: only this enterprise (an enterprise user's own).
	EnterpriseID string
	// AssignedTo: the enterprises this user answers for or serves now (包保: leaders, stewards).
	AssignedTo string
	// Department: the enterprises with tickets routed to this department (officers).
	Department string
}

// None reports whether the scope sees nothing.
func (s Scope) None() bool {
	return !s.All && !s.Named && s.EnterpriseID == "" && s.AssignedTo == "" && s.Department == ""
}

// EnterpriseScope is the set of enterprises a may see (DESIGN.md §5): all for dispatchers (and
// the system), the portfolio of leaders and stewards, the enterprises of an officer's
// department's tickets, an enterprise user's own; integrations only name enterprises (Named).
func EnterpriseScope(a *Actor) Scope {
	switch {
	case a.IsSystem():
		return Scope{All: true}
	case Can(a, ActRead, ResEnterprise):
	case Can(a, ActLookUp, ResEnterprise):
		return Scope{Named: true}
	default:
		return Scope{}
	}
	switch a.Role {
	case RoleDispatcher:
		return Scope{All: true}
	case RoleEnterprise:
		return Scope{EnterpriseID: a.EnterpriseID}
	case RoleLeader, RoleSteward:
		return Scope{AssignedTo: a.UserID}
	case RoleOfficer:
		return Scope{Department: a.DepartmentID}
	}
	return Scope{}
}

// AssignmentScope is the set of assignments a may see: everyone's for dispatchers, their own
// (current and past) for leaders and stewards.
func AssignmentScope(a *Actor) Scope {
	switch {
	case a.IsSystem():
		return Scope{All: true}
	case !Can(a, ActRead, ResAssignment):
		return Scope{}
	}
	switch a.Role {
	case RoleDispatcher:
		return Scope{All: true}
	case RoleLeader, RoleSteward:
		return Scope{AssignedTo: a.UserID}
	}
	return Scope{}
}

// ProjectScope is the set of projects a may see: all for dispatchers; for leaders and stewards
// those assigned to them and the projects of enterprises assigned to them; an enterprise's own.
func ProjectScope(a *Actor) Scope {
	switch {
	case a.IsSystem():
		return Scope{All: true}
	case !Can(a, ActRead, ResProject):
		return Scope{}
	}
	switch a.Role {
	case RoleDispatcher:
		return Scope{All: true}
	case RoleEnterprise:
		return Scope{EnterpriseID: a.EnterpriseID}
	case RoleLeader, RoleSteward:
		return Scope{AssignedTo: a.UserID}
	}
	return Scope{}
}

// SeesFullContacts reports whether a sees an enterprise's contact phone numbers unmasked: those
// who serve it (dispatchers, its steward and leader) and the enterprise itself. Others see them
// masked and may reveal them, which is audited.
func SeesFullContacts(a *Actor) bool {
	if a.IsSystem() {
		return true
	}
	switch a.Role {
	case RoleDispatcher, RoleSteward, RoleLeader, RoleEnterprise:
		return true
	}
	return false
}

// Forbidden returns the error for an actor who may not do something: EFORBIDDEN, or
// EUNAUTHORIZED for an anonymous caller.
func Forbidden(a *Actor, what string) error {
	if !a.LoggedIn() && !a.IsSystem() {
		return Errorf(EUNAUTHORIZED, "log in first")
	}
	if a.MustChangePassword {
		return Errorf(EFORBIDDEN, "change your password first")
	}
	return Errorf(EFORBIDDEN, "your role (%s) may not %s", a.Role, what)
}

// MaskPhone hides the middle of a phone number: 13812341234 → 138****1234. Numbers of fewer
// than 7 digits keep only their last two.
func MaskPhone(s string) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	n := len(r)
	if n < 7 {
		return strings.Repeat("*", max(n-2, 0)) + string(r[max(n-2, 0):])
	}
	return string(r[:3]) + strings.Repeat("*", n-7) + string(r[n-4:])
}

// Masked returns a copy of e with its contacts' phone numbers masked.
func (e *Enterprise) Masked() *Enterprise {
	c := *e
	c.Contacts = make([]Contact, len(e.Contacts))
	for i, ct := range e.Contacts {
		ct.Phone = MaskPhone(ct.Phone)
		c.Contacts[i] = ct
	}
	return &c
}

// Masked returns a copy of u with the phone number masked.
func (u *User) Masked() *User {
	c := *u
	c.Phone = MaskPhone(u.Phone)
	return &c
}
