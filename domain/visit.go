package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// VisitKind is how a steward met the enterprise.
type VisitKind string

// Visit kinds.
const (
	VisitOnsite  VisitKind = "onsite"  // 实地走访
	VisitPhone   VisitKind = "phone"   // 电话
	VisitOnline  VisitKind = "online"  // 线上
	VisitMeeting VisitKind = "meeting" // 座谈
)

// VisitKinds lists every kind.
var VisitKinds = []VisitKind{VisitOnsite, VisitPhone, VisitOnline, VisitMeeting}

// VisitEditWindow is how long the author may correct a visit; after that it is read-only.
const VisitEditWindow = 24 * time.Hour

// Location is where a visit took place. It is optional and never required: the 2026 rules on
// government apps forbid mandatory check-in, and Steward measures outcomes, not clicks.
type Location struct {
	Lat, Lng float64
	Address  string
}

// Visit (走访) is a steward's (or leader's) contact with an enterprise, optionally about one of
// its projects.
type Visit struct {
	ID             string
	StewardID      string // the author
	StewardName    string
	EnterpriseID   string
	EnterpriseName string
	ProjectID      string
	ProjectName    string
	VisitedAt      time.Time
	Kind           VisitKind
	Attendees      []string
	Summary        string
	Findings       string
	// Satisfaction is the enterprise's remarks on the bureau's service (满意度).
	Satisfaction string
	Location     *Location
	// TicketIDs are the tickets raised from the visit's findings (filled when read).
	TicketIDs []string
	// PhotoCount is how many photos are attached (filled when read); photos are optional.
	PhotoCount int
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// VisitPatch carries what the author corrects; nil means unchanged.
type VisitPatch struct {
	VisitedAt    *time.Time
	Kind         *VisitKind
	Attendees    *[]string
	Summary      *string
	Findings     *string
	Satisfaction *string
	Location     **Location
}

// Validate normalizes the visit's fields and reports every invalid one.
func (v *Visit) Validate(now time.Time) error {
	var val Validation
	val.Check(v.EnterpriseID != "", "enterprise_id", "is required")
	val.Check(oneOf(v.Kind, VisitKinds), "kind", "must be one of onsite, phone, online, meeting")
	switch {
	case v.VisitedAt.IsZero():
		val.Add("visited_at", "is required")
	case v.VisitedAt.After(now.Add(10 * time.Minute)):
		val.Add("visited_at", "must not be in the future")
	case v.VisitedAt.Before(now.AddDate(-1, 0, 0)):
		val.Add("visited_at", "must be within the past year")
	}
	v.Summary, v.Findings, v.Satisfaction = strings.TrimSpace(v.Summary), strings.TrimSpace(v.Findings), strings.TrimSpace(v.Satisfaction)
	n := utf8.RuneCountInString(v.Summary)
	val.Check(n >= 5 && n <= 5000, "summary", "must be 5 to 5000 characters")
	val.Check(utf8.RuneCountInString(v.Findings) <= 5000, "findings", "must be at most 5000 characters")
	val.Check(utf8.RuneCountInString(v.Satisfaction) <= 1000, "satisfaction", "must be at most 1000 characters")
	attendees := make([]string, 0, len(v.Attendees))
	for _, a := range v.Attendees {
		if a = strings.TrimSpace(a); a != "" {
			val.Check(utf8.RuneCountInString(a) <= 50, "attendees", "each attendee must be at most 50 characters")
			attendees = append(attendees, a)
		}
	}
	val.Check(len(attendees) <= 30, "attendees", "at most 30 attendees")
	v.Attendees = attendees
	if l := v.Location; l != nil {
		val.Check(l.Lat >= -90 && l.Lat <= 90 && l.Lng >= -180 && l.Lng <= 180, "location", "latitude or longitude out of range")
		l.Address = strings.TrimSpace(l.Address)
		val.Check(utf8.RuneCountInString(l.Address) <= 200, "location.address", "must be at most 200 characters")
	}
	return val.Err()
}

// Correct applies the author's correction within VisitEditWindow of recording it.
func (v *Visit) Correct(a *Actor, p VisitPatch, now time.Time) error {
	if a.UserID != v.StewardID && !a.IsSystem() {
		return Forbidden(a, "correct another person's visit")
	}
	if now.Sub(v.CreatedAt) > VisitEditWindow {
		return Errorf(ETRANSITION, "a visit can be corrected only within 24 hours of recording it; add a new visit instead")
	}
	set(&v.VisitedAt, p.VisitedAt)
	set(&v.Kind, p.Kind)
	set(&v.Attendees, p.Attendees)
	set(&v.Summary, p.Summary)
	set(&v.Findings, p.Findings)
	set(&v.Satisfaction, p.Satisfaction)
	set(&v.Location, p.Location)
	return v.Validate(now)
}

// AttachPhoto checks that a may add a photo to the visit. A photo is part of the record, so the
// rule is a correction's: only the author, within VisitEditWindow of recording it. Photos stay
// optional: a visit is complete without any. It returns EFORBIDDEN for anyone but the author and
// ETRANSITION after the window.
func (v *Visit) AttachPhoto(a *Actor, now time.Time) error {
	if !Can(a, ActCreate, ResAttachment) || (a.UserID != v.StewardID && !a.IsSystem()) {
		return Forbidden(a, "add photos to another person's visit")
	}
	if now.Sub(v.CreatedAt) > VisitEditWindow {
		return Errorf(ETRANSITION, "photos can be added to a visit only within 24 hours of recording it; add a new visit instead")
	}
	return nil
}

// Cadence (走访频次) says how often an assignment's subject must be visited, in days: by key
// level for enterprises, by stage for projects. 0 means no visits are due (a cancelled project).
type Cadence struct {
	ByKeyLevel map[KeyLevel]int
	ByStage    map[Stage]int
	// DueAhead is how many days before the cadence runs out a visit becomes due.
	DueAhead int
}

// DefaultCadence is DESIGN.md §3's example: provincial key enterprises every 14 days, municipal
// 21, district 30; projects under construction every 14 days.
var DefaultCadence = Cadence{
	ByKeyLevel: map[KeyLevel]int{KeyProvincial: 14, KeyMunicipal: 21, KeyDistrict: 30},
	ByStage: map[Stage]int{StageNegotiating: 30, StageSigned: 30, StagePermitting: 21, StageUnderConstruction: 14,
		StageCompleted: 30, StageOperating: 60, StageAtCapacity: 60, StageSuspended: 30, StageCancelled: 0},
	DueAhead: 3,
}

// Days is the cadence for a subject.
func (c Cadence) Days(subject SubjectType, level KeyLevel, stage Stage) int {
	if subject == SubjectProject {
		return c.ByStage[stage]
	}
	return c.ByKeyLevel[level]
}

// VisitState is whether a visit is due.
type VisitState string

// Visit states.
const (
	VisitNotDue  VisitState = ""
	VisitDue     VisitState = "due"
	VisitOverdue VisitState = "overdue"
)

// DueOn says when the next visit is due and whether it is due today: the cadence counts from the
// last visit (or, never visited, from the assignment's start); a visit is due from DueAhead days
// before that day and overdue after it. Dates are civil dates (midnight UTC).
func (c Cadence) DueOn(lastVisit *time.Time, assignedFrom time.Time, days int, today time.Time) (time.Time, VisitState) {
	if days <= 0 {
		return time.Time{}, VisitNotDue
	}
	base := assignedFrom
	if lastVisit != nil {
		base = Today(*lastVisit)
	}
	due := base.AddDate(0, 0, days)
	switch {
	case today.After(due):
		return due, VisitOverdue
	case !today.Before(due.AddDate(0, 0, -c.DueAhead)):
		return due, VisitDue
	}
	return due, VisitNotDue
}

// DueVisit is an assignment whose subject is due or overdue for a visit.
type DueVisit struct {
	AssignmentID string
	SubjectType  SubjectType
	SubjectID    string
	SubjectName  string
	EnterpriseID string
	StewardID    string
	StewardName  string
	LeaderID     string
	LastVisitAt  *time.Time
	DueOn        time.Time
	State        VisitState
}

// VisitFilter narrows a visit list.
type VisitFilter struct {
	EnterpriseID string
	ProjectID    string
	StewardID    string
	From, To     time.Time
}

// VisitService stores visits. A steward sees their own visits and the visits to the
// enterprises in their portfolio, never another steward's visit to an enterprise not theirs.
type VisitService interface {
	// CreateVisit records a visit and, in the same transaction, the tickets raised from its
	// findings (source visit, linked both ways): all or nothing. With an idempotency key a
	// repeated submission (a retry, an offline queue) returns the first visit and replayed true.
	CreateVisit(ctx context.Context, v *Visit, tickets []*Ticket, idempotencyKey, bodyHash string) (replayed bool, err error)
	Visit(ctx context.Context, id string) (*Visit, error)
	Visits(ctx context.Context, f VisitFilter, p Page) (*List[Visit], error)
	// CorrectVisit applies the author's correction within the edit window (ETRANSITION after).
	CorrectVisit(ctx context.Context, id string, version int, p VisitPatch) (*Visit, error)
	// DueVisits lists the due and overdue visits of a steward's assignments (a dispatcher may
	// ask for anyone's, or everyone's with stewardID empty), overdue first.
	DueVisits(ctx context.Context, stewardID string) ([]DueVisit, error)
}
