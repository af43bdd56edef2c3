package domain

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// SubjectType is what an assignment is for.
type SubjectType string

// Subject types.
const (
	SubjectEnterprise SubjectType = "enterprise"
	SubjectProject    SubjectType = "project"
)

// Assignment (包保关系) says who answers for an enterprise or project (a county-level leader) and
// who serves it (a steward) from a date until the next assignment replaces it. History is never
// overwritten, so "who was responsible on that day" always has an answer.
type Assignment struct {
	ID          string
	SubjectType SubjectType
	SubjectID   string
	SubjectName string // filled in when read
	LeaderID    string
	StewardID   string
	LeaderName  string // filled in when read
	StewardName string // filled in when read
	// From is the first day of the assignment; To the day the next one began (nil while current).
	From, To  *time.Time
	Reason    string
	CreatedBy string
	CreatedAt time.Time
}

// Active reports whether the assignment is current.
func (a *Assignment) Active() bool { return a.To == nil }

// Covers reports whether the assignment was in force on day d (a date at midnight UTC).
func (a *Assignment) Covers(d time.Time) bool {
	return !a.From.After(d) && (a.To == nil || a.To.After(d))
}

// Validate checks a new assignment's own fields; whether the people have the right roles and the
// dates follow the current assignment is checked where they are known.
func (a *Assignment) Validate(now time.Time) error {
	var v Validation
	v.Check(a.SubjectType == SubjectEnterprise || a.SubjectType == SubjectProject, "subject_type", "must be enterprise or project")
	v.Check(a.SubjectID != "", "subject_id", "is required")
	v.Check(a.LeaderID != "", "leader_id", "is required: every enterprise and project has a leader who answers for it")
	v.Check(a.StewardID != "", "steward_id", "is required: every enterprise and project has a steward")
	a.Reason = strings.TrimSpace(a.Reason)
	v.Check(utf8.RuneCountInString(a.Reason) <= 500, "reason", "must be at most 500 characters")
	if a.From == nil {
		today := Today(now)
		a.From = &today
	} else if a.From.After(Today(now)) {
		v.Add("from", "must not be in the future")
	}
	return v.Err()
}

// Today is the current civil date in Asia/Shanghai, as midnight UTC of that date (how dates are
// kept in the domain).
func Today(now time.Time) time.Time {
	y, m, d := now.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Shanghai is where business dates are reckoned.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600) // China has had no daylight saving since 1991
	}
	return loc
}()

// AssignmentFilter narrows an assignment list.
type AssignmentFilter struct {
	SubjectType SubjectType
	SubjectID   string
	LeaderID    string
	StewardID   string
	// Active: nil all, true current only, false ended only.
	Active *bool
	// On, when set, keeps the assignments in force on that day.
	On *time.Time
}

// AssignmentService keeps the responsibility chain.
type AssignmentService interface {
	// Assign starts a new assignment for a subject and ends the current one on the new one's
	// first day. Returns EINVALID (wrong roles, a date before the current one's start),
	// ENOTFOUND for a subject outside the actor's scope, EFORBIDDEN.
	Assign(ctx context.Context, a *Assignment) error
	// Assignments lists assignments the actor may see, newest first.
	Assignments(ctx context.Context, f AssignmentFilter, p Page) (*List[Assignment], error)
}
