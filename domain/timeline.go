package domain

import (
	"context"
	"time"
)

// TimelineKind says what a timeline entry records.
type TimelineKind string

// Timeline kinds; visits and tickets join as they arrive.
const (
	TimelineStageMove       TimelineKind = "stage_move"       // a project moved stage
	TimelineAssignmentStart TimelineKind = "assignment_start" // a leader and steward took over
	TimelineAssignmentEnd   TimelineKind = "assignment_end"   // they handed over
	TimelineVisit           TimelineKind = "visit"            // a steward visited
	TimelineTicket          TimelineKind = "ticket"           // a ticket was submitted
)

// TimelineEntry is one event in an enterprise's file (一企一档), newest first.
type TimelineEntry struct {
	ID   string
	Kind TimelineKind
	// At is when it was recorded; Date the business date it happened on.
	At          time.Time
	Date        time.Time
	SubjectType SubjectType
	SubjectID   string
	SubjectName string
	ActorName   string
	// Stage moves.
	FromStage, ToStage Stage
	Note, Reason       string
	// Assignments.
	LeaderName, StewardName string
	// Visits: the kind; the summary is in Note. Tickets: number and status; the title is in Note.
	VisitKind                  VisitKind
	TicketNumber, TicketStatus string
}

// TimelineService assembles an enterprise's timeline.
type TimelineService interface {
	// EnterpriseTimeline merges the enterprise's and its projects' stage moves, assignment
	// changes, visits and tickets, newest first. Returns ENOTFOUND outside
	// the actor's scope.
	EnterpriseTimeline(ctx context.Context, enterpriseID string, p Page) (*List[TimelineEntry], error)
}
