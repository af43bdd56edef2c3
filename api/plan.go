package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

const (
	nodeStatusEnum = "waiting,ready,in_progress,blocked,done,waived"
	planMoveEnum   = "start,finish,block,unblock,waive"
)

type planTemplateNodeBody struct {
	Key            string   `json:"key" maxLength:"32" example:"eia" doc:"Unique in the template; letters, digits, - or _"`
	Name           string   `json:"name" maxLength:"100" example:"环境影响评价审批"`
	DepartmentID   string   `json:"department_id" format:"uuid" doc:"The department that answers for the node"`
	DepartmentName string   `json:"department_name,omitempty" readOnly:"true"`
	Days           int      `json:"days" minimum:"1" maximum:"250" doc:"Committed limit in working days (承诺时限)"`
	After          []string `json:"after" maxItems:"60" doc:"Keys of the nodes this one waits for; [] for none"`
}

type planTemplateBody struct {
	ID          string                 `json:"id" format:"uuid"`
	Name        string                 `json:"name"`
	ProjectKind string                 `json:"project_kind" enum:"new,expansion,renovation"`
	Nodes       []planTemplateNodeBody `json:"nodes"`
	Version     int                    `json:"version"`
	CreatedAt   time.Time              `json:"created_at"`
	UpdatedAt   time.Time              `json:"updated_at"`
}

func toPlanTemplateBody(t *domain.PlanTemplate) planTemplateBody {
	b := planTemplateBody{ID: t.ID, Name: t.Name, ProjectKind: string(t.ProjectKind), Version: t.Version, CreatedAt: t.CreatedAt,
		UpdatedAt: t.UpdatedAt, Nodes: make([]planTemplateNodeBody, len(t.Nodes))}
	for i, n := range t.Nodes {
		after := n.After
		if after == nil {
			after = []string{}
		}
		b.Nodes[i] = planTemplateNodeBody{Key: n.Key, Name: n.Name, DepartmentID: n.DepartmentID, DepartmentName: n.DepartmentName,
			Days: n.Days, After: after}
	}
	return b
}

func toTemplateNodes(in []planTemplateNodeBody) []domain.PlanTemplateNode {
	out := make([]domain.PlanTemplateNode, len(in))
	for i, n := range in {
		out[i] = domain.PlanTemplateNode{Key: n.Key, Name: n.Name, DepartmentID: n.DepartmentID, Days: n.Days, After: n.After}
	}
	return out
}

type planTemplateOutput struct {
	ETag string `header:"ETag"`
	Body planTemplateBody
}

func planTemplateOut(t *domain.PlanTemplate) *planTemplateOutput {
	return &planTemplateOutput{ETag: etag(t.Version), Body: toPlanTemplateBody(t)}
}

type planNodeBody struct {
	ID             string   `json:"id" format:"uuid"`
	Key            string   `json:"key"`
	Name           string   `json:"name"`
	DepartmentID   string   `json:"department_id" format:"uuid"`
	DepartmentName string   `json:"department_name"`
	Days           int      `json:"days" doc:"Committed limit in working days (承诺时限)"`
	After          []string `json:"after" doc:"Keys of the predecessors"`
	PlannedStart   string   `json:"planned_start" format:"date" doc:"Baseline start (Beijing date)"`
	PlannedFinish  string   `json:"planned_finish" format:"date" doc:"Baseline finish: planned start + days working days"`
	ForecastStart  *string  `json:"forecast_start" format:"date" doc:"null in GET /plan-nodes"`
	ForecastFinish *string  `json:"forecast_finish" format:"date" doc:"Actual finish when done or waived; otherwise forecast from actual dates; null in GET /plan-nodes"`
	ReadyOn        *string  `json:"ready_on" format:"date" doc:"When every predecessor was done or waived; the clock starts then"`
	DueOn          *string  `json:"due_on" format:"date" doc:"The clock's last day: ready_on + days working days"`
	DueAt          *string  `json:"due_at" format:"date-time" doc:"The clock runs out at 18:00 Beijing time on due_on"`
	StartedOn      *string  `json:"started_on" format:"date"`
	FinishedOn     *string  `json:"finished_on" format:"date" doc:"The date done, or the date waived"`
	Status         string   `json:"status" enum:"waiting,ready,in_progress,blocked,done,waived"`
	Light          string   `json:"light" enum:"green,yellow,red,none" doc:"The clock's light while it runs (ready, in progress, blocked): yellow with a working day or less left, red overdue"`
	TicketID       *string  `json:"ticket_id" format:"uuid" doc:"The ticket the last block raised (卡点); null for enterprise users"`
	Note           string   `json:"note" doc:"The finish note (internal: empty for enterprise users)"`
	Reason         string   `json:"reason" doc:"The block or waive reason (internal: empty for enterprise users)"`
	Actions        []string `json:"actions" doc:"The moves the caller may make on the node now (start, finish, block, unblock, waive)"`
}

func optionalDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := date(*t)
	return &s
}

func toPlanNodeBody(p *domain.Plan, n *domain.PlanNode, a *domain.Actor) planNodeBody {
	b := planNodeBody{ID: n.ID, Key: n.Key, Name: n.Name, DepartmentID: n.DepartmentID, DepartmentName: n.DepartmentName,
		Days: n.Days, After: n.After, PlannedStart: date(n.PlannedStart), PlannedFinish: date(n.PlannedFinish),
		ReadyOn:   optionalDate(n.ReadyOn),
		StartedOn: optionalDate(n.StartedOn), FinishedOn: optionalDate(n.FinishedOn), Status: string(n.Status),
		Light: string(n.LightNow), Actions: []string{}}
	if b.After == nil {
		b.After = []string{}
	}
	if !n.ForecastFinish.IsZero() {
		b.ForecastStart, b.ForecastFinish = optionalDate(&n.ForecastStart), optionalDate(&n.ForecastFinish)
	}
	if b.Light == "" {
		b.Light = string(domain.LightNone)
	}
	if n.Clock != nil {
		on := date(domain.Today(n.Clock.Due))
		at := n.Clock.Due.UTC().Format(time.RFC3339)
		b.DueOn, b.DueAt = &on, &at
	}
	if domain.SeesPlanNotes(a) {
		b.TicketID, b.Note, b.Reason = optional(n.TicketID), n.Note, n.Reason
	}
	if p != nil {
		for _, m := range p.AllowedMoves(a, n) {
			b.Actions = append(b.Actions, string(m))
		}
	}
	return b
}

type planBody struct {
	ID             string         `json:"id" format:"uuid"`
	ProjectID      string         `json:"project_id" format:"uuid"`
	ProjectName    string         `json:"project_name"`
	EnterpriseID   string         `json:"enterprise_id" format:"uuid"`
	EnterpriseName string         `json:"enterprise_name"`
	TemplateID     string         `json:"template_id" format:"uuid"`
	TemplateName   string         `json:"template_name"`
	Start          string         `json:"start" format:"date"`
	Status         string         `json:"status" enum:"active,done" doc:"done once every node is done or waived"`
	Light          string         `json:"light" enum:"green,yellow,red" doc:"Forecast against baseline finish: green on or before it, yellow up to 10 working days late, red beyond"`
	BaselineFinish string         `json:"baseline_finish" format:"date"`
	ForecastFinish string         `json:"forecast_finish" format:"date"`
	LateDays       int            `json:"late_days" doc:"Working days the forecast finish is past the baseline finish (0 when on time)"`
	CriticalPath   []string       `json:"critical_path" doc:"Keys of the chain that sets the forecast finish, first to last"`
	Version        int            `json:"version"`
	Nodes          []planNodeBody `json:"nodes" doc:"In template order"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

func toPlanBody(p *domain.Plan, a *domain.Actor) planBody {
	b := planBody{ID: p.ID, ProjectID: p.ProjectID, ProjectName: p.ProjectName, EnterpriseID: p.EnterpriseID,
		EnterpriseName: p.EnterpriseName, TemplateID: p.TemplateID, TemplateName: p.TemplateName, Start: date(p.Start),
		Status: string(p.Status), Light: string(p.LightNow), BaselineFinish: date(p.BaselineFinish),
		ForecastFinish: date(p.ForecastFinish), LateDays: p.LateDays, CriticalPath: p.CriticalPath, Version: p.Version,
		Nodes: make([]planNodeBody, len(p.Nodes)), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if b.CriticalPath == nil {
		b.CriticalPath = []string{}
	}
	for i := range p.Nodes {
		b.Nodes[i] = toPlanNodeBody(p, &p.Nodes[i], a)
	}
	return b
}

type planOutput struct {
	ETag     string `header:"ETag"`
	Replayed string `header:"Idempotent-Replayed" doc:"true when an Idempotency-Key repeated an earlier request"`
	Body     planBody
}

func planOut(ctx context.Context, p *domain.Plan) *planOutput {
	return &planOutput{ETag: etag(p.Version), Body: toPlanBody(p, domain.ActorFrom(ctx))}
}

// PlanNodeFields is a node's fields, embedded in a list row (exported: huma reads only exported
// embedded fields).
type PlanNodeFields = planNodeBody

type planNodeListBody struct {
	PlanNodeFields
	PlanID         string `json:"plan_id" format:"uuid"`
	ProjectID      string `json:"project_id" format:"uuid"`
	ProjectName    string `json:"project_name"`
	EnterpriseID   string `json:"enterprise_id" format:"uuid"`
	EnterpriseName string `json:"enterprise_name"`
}

type planEventBody struct {
	ID         string         `json:"id" format:"uuid"`
	NodeID     *string        `json:"node_id" format:"uuid" doc:"null for the plan's own events (create)"`
	NodeKey    string         `json:"node_key"`
	NodeName   string         `json:"node_name"`
	Action     string         `json:"action" enum:"create,start,finish,block,unblock,waive,ready"`
	FromStatus string         `json:"from_status"`
	ToStatus   string         `json:"to_status"`
	ActorName  string         `json:"actor_name"`
	ActorRole  string         `json:"actor_role"`
	Body       string         `json:"body" doc:"The note or reason (internal: empty for enterprise users)"`
	Data       map[string]any `json:"data,omitempty"`
	At         time.Time      `json:"at"`
}

func toPlanEventBody(e *domain.PlanEvent) planEventBody {
	return planEventBody{ID: e.ID, NodeID: optional(e.NodeID), NodeKey: e.NodeKey, NodeName: e.NodeName, Action: e.Action,
		FromStatus: string(e.FromStatus), ToStatus: string(e.ToStatus), ActorName: e.ActorName, ActorRole: string(e.ActorRole),
		Body: e.Body, Data: e.Data, At: e.At}
}

// PlanMoveParams (exported: huma reads only exported embedded fields) are what every node move
// takes: the project, the node and the plan version the caller saw.
type PlanMoveParams struct {
	ID     string `path:"id" format:"uuid" doc:"The project"`
	NodeID string `path:"node_id" format:"uuid"`
	IfMatchHeader
}

func (p *PlanMoveParams) params() *PlanMoveParams { return p }

type planMove interface {
	params() *PlanMoveParams
	action() (domain.PlanAction, error)
}

type startNodeInput struct{ PlanMoveParams }

func (in *startNodeInput) action() (domain.PlanAction, error) {
	return domain.PlanAction{Move: domain.PlanMoveStart}, nil
}

type finishNodeInput struct {
	PlanMoveParams
	Body struct {
		Date string `json:"date" format:"date" doc:"The date the approval was granted (Beijing); not in the future, not before the node became ready"`
		Note string `json:"note,omitempty" maxLength:"1000" doc:"E.g. the approval's document number (internal)"`
	}
}

func (in *finishNodeInput) action() (domain.PlanAction, error) {
	d, err := parseDate("date", in.Body.Date)
	if err != nil {
		return domain.PlanAction{}, err
	}
	act := domain.PlanAction{Move: domain.PlanMoveFinish, Note: in.Body.Note}
	if d != nil {
		act.Date = *d
	}
	return act, nil
}

type blockNodeInput struct {
	PlanMoveParams
	Body struct {
		Reason       string `json:"reason" maxLength:"1000" doc:"What holds the node up (卡点); becomes the ticket's description"`
		DepartmentID string `json:"department_id,omitempty" format:"uuid" doc:"The department that must clear it; the node's own by default"`
		CategoryID   string `json:"category_id,omitempty" format:"uuid" doc:"The ticket's category; by default one whose default department it is, else 审批许可"`
	}
}

func (in *blockNodeInput) action() (domain.PlanAction, error) {
	return domain.PlanAction{Move: domain.PlanMoveBlock, Reason: in.Body.Reason, DepartmentID: in.Body.DepartmentID, CategoryID: in.Body.CategoryID}, nil
}

type unblockNodeInput struct {
	PlanMoveParams
	Body *struct {
		Note string `json:"note,omitempty" maxLength:"1000" doc:"How it was cleared (internal)"`
	}
}

func (in *unblockNodeInput) action() (domain.PlanAction, error) {
	act := domain.PlanAction{Move: domain.PlanMoveUnblock}
	if in.Body != nil {
		act.Note = in.Body.Note
	}
	return act, nil
}

type waiveNodeInput struct {
	PlanMoveParams
	Body struct {
		Reason string `json:"reason" maxLength:"1000" doc:"Why the node is not needed (e.g. 告知承诺制, merged into another approval)"`
	}
}

func (in *waiveNodeInput) action() (domain.PlanAction, error) {
	return domain.PlanAction{Move: domain.PlanMoveWaive, Reason: in.Body.Reason}, nil
}

// registerNodeMove declares one node move: POST /projects/{id}/plan/nodes/{node_id}/actions/{name}
// with the plan's If-Match, answering the plan.
func registerNodeMove[I any, P interface {
	*I
	planMove
}](api huma.API, svc domain.PlanService, name, opID, summary, description string) {
	register(api, huma.Operation{
		OperationID: opID, Method: http.MethodPost, Path: Prefix + "/projects/{id}/plan/nodes/{node_id}/actions/" + name, Tags: []string{"Approval plans"},
		Summary: summary, Description: description,
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *I) (*planOutput, error) {
		m := P(in)
		version, err := m.params().version()
		if err != nil {
			return nil, err
		}
		act, err := m.action()
		if err != nil {
			return nil, err
		}
		p, err := svc.ActOnNode(ctx, m.params().ID, m.params().NodeID, version, act)
		if err != nil {
			return nil, err
		}
		return planOut(ctx, p), nil
	})
}

func registerPlans(api huma.API, svc domain.PlanService) {
	tags := []string{"Approval plans"}
	register(api, huma.Operation{
		OperationID: "list-plan-templates", Method: http.MethodGet, Path: Prefix + "/plan-templates", Tags: tags,
		Summary:     "List approval-plan templates by project kind and name",
		Description: "Administrators edit them; other staff read them to pick one for a plan. Not paginated (next_cursor is always null).",
	}, func(ctx context.Context, in *struct {
		ProjectKind string `query:"project_kind" enum:"new,expansion,renovation"`
	}) (*struct{ Body listBody[planTemplateBody] }, error) {
		list, err := svc.PlanTemplates(ctx, domain.ProjectKind(in.ProjectKind))
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[planTemplateBody] }{toListBody(&domain.List[domain.PlanTemplate]{Items: list}, toPlanTemplateBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-plan-template", Method: http.MethodPost, Path: Prefix + "/plan-templates", Tags: tags,
		Summary: "Create an approval-plan template (admin)", DefaultStatus: http.StatusCreated,
		Description: "Keys unique; `after` names other keys of the template; no cycles. A problem is 422 on the node's path, " +
			"e.g. `nodes[3].after` or `nodes[2].department_id`.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Body struct {
			Name        string                 `json:"name" maxLength:"100" example:"工业类新建项目审批计划"`
			ProjectKind string                 `json:"project_kind" enum:"new,expansion,renovation"`
			Nodes       []planTemplateNodeBody `json:"nodes" maxItems:"60"`
		}
	}) (*planTemplateOutput, error) {
		t := &domain.PlanTemplate{Name: in.Body.Name, ProjectKind: domain.ProjectKind(in.Body.ProjectKind), Nodes: toTemplateNodes(in.Body.Nodes)}
		if err := svc.CreatePlanTemplate(ctx, t); err != nil {
			return nil, err
		}
		return planTemplateOut(t), nil
	})

	register(api, huma.Operation{
		OperationID: "get-plan-template", Method: http.MethodGet, Path: Prefix + "/plan-templates/{id}", Tags: tags,
		Summary: "Get an approval-plan template", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*planTemplateOutput, error) {
		t, err := svc.PlanTemplate(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return planTemplateOut(t), nil
	})

	register(api, huma.Operation{
		OperationID: "update-plan-template", Method: http.MethodPatch, Path: Prefix + "/plan-templates/{id}", Tags: tags,
		Summary:     "Change an approval-plan template (admin), with If-Match",
		Description: "`nodes` replaces every node at once. Plans made from the template before keep their own nodes.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusPreconditionFailed, http.StatusPreconditionRequired},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body struct {
			Name        *string                 `json:"name,omitempty" maxLength:"100"`
			ProjectKind *string                 `json:"project_kind,omitempty" enum:"new,expansion,renovation"`
			Nodes       *[]planTemplateNodeBody `json:"nodes,omitempty" maxItems:"60"`
		}
	}) (*planTemplateOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		var patch domain.PlanTemplatePatch
		patch.Name = in.Body.Name
		if in.Body.ProjectKind != nil {
			k := domain.ProjectKind(*in.Body.ProjectKind)
			patch.ProjectKind = &k
		}
		if in.Body.Nodes != nil {
			nodes := toTemplateNodes(*in.Body.Nodes)
			patch.Nodes = &nodes
		}
		t, err := svc.UpdatePlanTemplate(ctx, in.ID, version, patch)
		if err != nil {
			return nil, err
		}
		return planTemplateOut(t), nil
	})

	register(api, huma.Operation{
		OperationID: "create-project-plan", Method: http.MethodPost, Path: Prefix + "/projects/{id}/plan", Tags: tags,
		Summary: "Make the project's approval plan from a template and a start date", DefaultStatus: http.StatusCreated,
		Description: "The project's steward or a dispatcher. The baseline is computed on the working-day calendar; the nodes " +
			"without predecessors are ready on the start date and their departments are told. A second plan for the project " +
			"is 409. With an Idempotency-Key, the same request repeated by the same caller answers the plan it made.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID             string `path:"id" format:"uuid"`
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"200"`
		Body           struct {
			TemplateID string `json:"template_id" format:"uuid"`
			Start      string `json:"start" format:"date" example:"2026-09-28"`
		}
	}) (*planOutput, error) {
		start, err := parseDate("start", in.Body.Start)
		if err != nil {
			return nil, err
		}
		var s time.Time
		if start != nil {
			s = *start
		}
		p, err := svc.CreatePlan(ctx, in.ID, in.Body.TemplateID, s)
		if domain.ErrorCode(err) == domain.ECONFLICT && in.IdempotencyKey != "" {
			// A retry of the same creation: answer the plan, when this caller made it from this
			// template and start.
			if got, gerr := svc.ProjectPlan(ctx, in.ID); gerr == nil && got.TemplateID == in.Body.TemplateID && date(got.Start) == in.Body.Start &&
				got.CreatedBy == domain.ActorFrom(ctx).UserID {
				out := planOut(ctx, got)
				out.Replayed = "true"
				return out, nil
			}
		}
		if err != nil {
			return nil, err
		}
		return planOut(ctx, p), nil
	})

	register(api, huma.Operation{
		OperationID: "get-project-plan", Method: http.MethodGet, Path: Prefix + "/projects/{id}/plan", Tags: tags,
		Summary: "The project's approval plan: baseline, forecast, critical path, lights",
		Description: "Dispatchers, the project's steward and leader, officers of a department with a node in it, and the " +
			"enterprise itself (without internal notes: note, reason and ticket_id are blank). 404 when the project has no plan.",
		Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id" format:"uuid"`
	}) (*planOutput, error) {
		p, err := svc.ProjectPlan(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return planOut(ctx, p), nil
	})

	register(api, huma.Operation{
		OperationID: "list-project-plan-events", Method: http.MethodGet, Path: Prefix + "/projects/{id}/plan/events", Tags: tags,
		Summary: "The plan's timeline, oldest first (enterprise users: without notes and reasons)", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id" format:"uuid"`
	}) (*struct{ Body itemsBody[planEventBody] }, error) {
		evs, err := svc.PlanEvents(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return items(evs, toPlanEventBody), nil
	})

	registerNodeMove[startNodeInput](api, svc, "start", "start-plan-node", "Start work on a ready node (开始办理)",
		"An officer of the node's department, or a dispatcher. 409 unless the node is ready.")
	registerNodeMove[finishNodeInput](api, svc, "finish", "finish-plan-node", "Record a node done (办结) with its date and a note",
		"An officer of the node's department, the project's steward (on the enterprise's behalf: the approval often reaches "+
			"the enterprise first), or a dispatcher. From ready or in progress. The nodes waiting only on it become ready on "+
			"that date and their clocks start.")
	registerNodeMove[blockNodeInput](api, svc, "block", "block-plan-node", "Report a hold-up (卡点): raises a ticket to a department",
		"An officer of the node's department, the project's steward, or a dispatcher. From ready or in progress. The ticket is "+
			"routed at once (status assigned) to department_id or the node's department, linked both ways (node ticket_id, "+
			"ticket plan_node_id). The node's clock keeps running.")
	registerNodeMove[unblockNodeInput](api, svc, "unblock", "unblock-plan-node", "Clear a hold-up: the node goes back to ready or in progress",
		"Whoever may block. The ticket stays as it is (it is resolved on its own).")
	registerNodeMove[waiveNodeInput](api, svc, "waive", "waive-plan-node", "Waive a node (豁免) with a reason",
		"A dispatcher only. From any open status; the nodes waiting only on it become ready today.")

	register(api, huma.Operation{
		OperationID: "list-plan-nodes", Method: http.MethodGet, Path: Prefix + "/plan-nodes", Tags: tags,
		Summary: "The approval-plan nodes departments owe, the nearest due first",
		Description: "Officers: their own department's (another department_id is 403); dispatchers: every department's; " +
			"stewards and leaders: those of their portfolio's projects. Without status, the open nodes (ready, in progress, blocked).",
	}, func(ctx context.Context, in *struct {
		ListParams
		DepartmentID string `query:"department_id" format:"uuid"`
		Status       string `query:"status" enum:"waiting,ready,in_progress,blocked,done,waived"`
		Light        string `query:"light" enum:"green,yellow,red,none"`
	}) (*struct{ Body listBody[planNodeListBody] }, error) {
		l, err := svc.PlanNodes(ctx, domain.PlanNodeFilter{DepartmentID: in.DepartmentID, Status: domain.PlanNodeStatus(in.Status),
			Light: domain.Light(in.Light)}, in.page())
		if err != nil {
			return nil, err
		}
		a := domain.ActorFrom(ctx)
		return &struct{ Body listBody[planNodeListBody] }{toListBody(l, func(r *domain.PlanNodeRow) planNodeListBody {
			return planNodeListBody{PlanNodeFields: toPlanNodeBody(nil, &r.PlanNode, a), PlanID: r.PlanID, ProjectID: r.ProjectID,
				ProjectName: r.ProjectName, EnterpriseID: r.EnterpriseID, EnterpriseName: r.EnterpriseName}
		})}, nil
	})
}
