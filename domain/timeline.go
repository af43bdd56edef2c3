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
	TimelinePlanNode        TimelineKind = "plan_node"        // an approval plan was made or one of its nodes moved
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
	// Approval plans: the node, the move (create, start, finish, block, unblock, waive, ready)
	// and the node's status after it; the note or reason is in Note (internal: blank for the
	// enterprise).
	NodeName, PlanAction string
	NodeStatus           PlanNodeStatus
}

// TimelineService assembles an enterprise's timeline.
type TimelineService interface {
	// EnterpriseTimeline merges the enterprise's and its projects' stage moves, assignment
	// changes, visits and tickets, newest first. Returns ENOTFOUND outside
	// the actor's scope.
	EnterpriseTimeline(ctx context.Context, enterpriseID string, p Page) (*List[TimelineEntry], error)
	// ProjectTimeline is the entries of one project (its stage moves, assignments, visits,
	// tickets and approval plan), newest first, as EnterpriseTimeline shows them to the actor.
	// Returns ENOTFOUND outside the actor's scope.
	ProjectTimeline(ctx context.Context, projectID string, p Page) (*List[TimelineEntry], error)
}
