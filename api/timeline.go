package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type timelineBody struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind" enum:"stage_move,assignment_start,assignment_end,visit,ticket,plan_node"`
	At           time.Time `json:"at" doc:"When it was recorded"`
	Date         string    `json:"date" format:"date" doc:"The business date it happened on"`
	SubjectType  string    `json:"subject_type" enum:"enterprise,project"`
	SubjectID    string    `json:"subject_id" format:"uuid"`
	SubjectName  string    `json:"subject_name"`
	ActorName    string    `json:"actor_name,omitempty"`
	FromStage    string    `json:"from_stage,omitempty"`
	ToStage      string    `json:"to_stage,omitempty"`
	Note         string    `json:"note,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	LeaderName   string    `json:"leader_name,omitempty"`
	StewardName  string    `json:"steward_name,omitempty"`
	VisitKind    string    `json:"visit_kind,omitempty"`
	TicketNumber string    `json:"ticket_number,omitempty"`
	TicketStatus string    `json:"ticket_status,omitempty"`
	NodeName     string    `json:"node_name,omitempty" doc:"plan_node: the approval-plan node (empty for the plan's creation)"`
	PlanAction   string    `json:"plan_action,omitempty" enum:"create,start,finish,block,unblock,waive,ready" doc:"plan_node: the move; note holds its note or reason (never for the enterprise)"`
	NodeStatus   string    `json:"node_status,omitempty" doc:"plan_node: the node's status after the move"`
}

func toTimelineBody(e *domain.TimelineEntry) timelineBody {
	return timelineBody{ID: e.ID, Kind: string(e.Kind), At: e.At, Date: date(e.Date), SubjectType: string(e.SubjectType),
		SubjectID: e.SubjectID, SubjectName: e.SubjectName, ActorName: e.ActorName, FromStage: string(e.FromStage),
		ToStage: string(e.ToStage), Note: e.Note, Reason: e.Reason, LeaderName: e.LeaderName, StewardName: e.StewardName,
		VisitKind: string(e.VisitKind), TicketNumber: e.TicketNumber, TicketStatus: e.TicketStatus,
		NodeName: e.NodeName, PlanAction: e.PlanAction, NodeStatus: string(e.NodeStatus)}
}

func registerTimeline(api huma.API, svc domain.TimelineService) {
	register(api, huma.Operation{
		OperationID: "get-enterprise-timeline", Method: http.MethodGet, Path: Prefix + "/enterprises/{id}/timeline",
		Tags: []string{"Enterprises"}, Summary: "The enterprise's file (一企一档): visits, tickets, stage moves and assignment changes of it and its projects, newest first",
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		ListParams
	}) (*struct{ Body listBody[timelineBody] }, error) {
		l, err := svc.EnterpriseTimeline(ctx, in.ID, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[timelineBody] }{toListBody(l, toTimelineBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "get-project-timeline", Method: http.MethodGet, Path: Prefix + "/projects/{id}/timeline",
		Tags: []string{"Projects"}, Summary: "The project's timeline: its stage moves, assignments, visits, tickets and approval plan, newest first",
		Description: "The entries of the enterprise's file that concern the project, as get-enterprise-timeline shows them to the caller.",
		Errors:      []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		ListParams
	}) (*struct{ Body listBody[timelineBody] }, error) {
		l, err := svc.ProjectTimeline(ctx, in.ID, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[timelineBody] }{toListBody(l, toTimelineBody)}, nil
	})
}
