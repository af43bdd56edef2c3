package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type extensionBody struct {
	Days   int       `json:"days"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

type ratingBody struct {
	Solved   int       `json:"solved,omitempty" doc:"1 非常不满意 … 5 非常满意"`
	Attitude int       `json:"attitude,omitempty"`
	Tags     []string  `json:"tags,omitempty"`
	Comment  string    `json:"comment,omitempty"`
	None     bool      `json:"none" doc:"Closed by the system without a rating"`
	At       time.Time `json:"at"`
}

type ticketBody struct {
	ID             string  `json:"id" format:"uuid"`
	Number         string  `json:"number" example:"SQ-2026-000123"`
	EnterpriseID   string  `json:"enterprise_id" format:"uuid"`
	EnterpriseName string  `json:"enterprise_name"`
	ProjectID      *string `json:"project_id"`
	VisitID        *string `json:"visit_id"`
	Source         string  `json:"source" enum:"portal,visit,steward,hotline,leader,api"`
	CategoryID     string  `json:"category_id" format:"uuid"`
	CategoryName   string  `json:"category_name"`
	Title          string  `json:"title"`
	Description    string  `json:"description"`
	Priority       string  `json:"priority" enum:"normal,urgent"`
	// UrgencyRequested is the enterprise's request for urgency, which the bureau confirms at accept.
	UrgencyRequested bool           `json:"urgency_requested" doc:"The enterprise asked for urgency; the resolve limit halves only when the dispatcher accepts with urgent"`
	Status           string         `json:"status" enum:"submitted,accepted,rejected,assigned,in_progress,returned,resolved,closed"`
	Light            string         `json:"light" enum:"green,yellow,red,none" doc:"SLA light of the running clock: yellow with a working day or less left, red overdue"`
	DepartmentID     *string        `json:"department_id"`
	DepartmentName   string         `json:"department_name"`
	HandlerName      string         `json:"handler_name,omitempty"`
	StewardID        *string        `json:"steward_id"`
	LeaderID         *string        `json:"leader_id"`
	SignDays         int            `json:"sign_days" doc:"Sign-for limit in working days"`
	ResolveDays      int            `json:"resolve_days" doc:"Resolve limit in working days (urgent: halved)"`
	DueSignAt        *time.Time     `json:"due_sign_at"`
	DueResolveAt     *time.Time     `json:"due_resolve_at"`
	Extension        *extensionBody `json:"extension,omitempty" doc:"A pending extension request"`
	CoDepartmentIDs  []string       `json:"co_department_ids" doc:"The co-handling departments (协办), each owing the lead an internal opinion (list-ticket-opinions); empty for enterprise users"`
	OpinionsOwed     []owedOpinion  `json:"opinions_owed,omitempty" doc:"The co-handling departments whose opinion is still owed, with its deadline and light (staff only; the opinions themselves: list-ticket-opinions)"`
	Resolution       string         `json:"resolution,omitempty"`
	ResolvedAt       *time.Time     `json:"resolved_at"`
	Rating           *ratingBody    `json:"rating,omitempty"`
	ReopenCount      int            `json:"reopen_count"`
	ClosedAt         *time.Time     `json:"closed_at"`
	PlanNodeID       *string        `json:"plan_node_id" format:"uuid" doc:"The approval-plan node whose hold-up (卡点) raised the ticket (GET /projects/{project_id}/plan shows it)"`
	Version          int            `json:"version"`
	CreatedAt        time.Time      `json:"created_at"`
	UpdatedAt        time.Time      `json:"updated_at"`
}

func toTicketBody(t *domain.Ticket, a *domain.Actor) ticketBody {
	b := ticketBody{ID: t.ID, Number: t.Number, EnterpriseID: t.EnterpriseID, EnterpriseName: t.EnterpriseName,
		ProjectID: optional(t.ProjectID), VisitID: optional(t.VisitID), Source: string(t.Source), CategoryID: t.CategoryID,
		CategoryName: t.CategoryName, Title: t.Title, Description: t.Description, Priority: string(t.Priority),
		UrgencyRequested: t.UrgencyRequested, Status: string(t.Status), Light: string(t.LightNow), DepartmentID: optional(t.DepartmentID), DepartmentName: t.DepartmentName,
		HandlerName: t.HandlerName, StewardID: optional(t.StewardID), LeaderID: optional(t.LeaderID), SignDays: t.SignDays,
		ResolveDays: t.ResolveDays, Resolution: t.Resolution, ResolvedAt: t.ResolvedAt, ReopenCount: t.ReopenCount,
		ClosedAt: t.ClosedAt, PlanNodeID: optional(t.PlanNodeID), Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	if t.SignClock != nil {
		b.DueSignAt = &t.SignClock.Due
	}
	if t.ResolveClock != nil {
		b.DueResolveAt = &t.ResolveClock.Due
	}
	internal := a == nil || (a.Role != domain.RoleEnterprise && a.Role != domain.RoleIntegration)
	b.CoDepartmentIDs = []string{}
	if internal {
		b.CoDepartmentIDs = t.CoDepartmentIDs()
	}
	if internal {
		for _, o := range t.Opinions {
			if o.Status == domain.OpinionOwed {
				b.OpinionsOwed = append(b.OpinionsOwed, owedOpinion{DepartmentID: o.DepartmentID, DepartmentName: o.DepartmentName,
					DueAt: o.Clock.Due, Light: string(o.LightNow)})
			}
		}
	}
	if t.Extension != nil && internal {
		b.Extension = &extensionBody{Days: t.Extension.Days, Reason: t.Extension.Reason, At: t.Extension.At}
	}
	if !internal {
		b.HandlerName = "" // enterprises see which body works on it, not which official
	}
	if t.Rating != nil {
		b.Rating = &ratingBody{Solved: t.Rating.Solved, Attitude: t.Rating.Attitude, Tags: t.Rating.Tags,
			Comment: t.Rating.Comment, None: t.Rating.Auto, At: t.Rating.At}
	}
	return b
}

type ticketOutput struct {
	ETag     string `header:"ETag"`
	Replayed string `header:"Idempotent-Replayed" doc:"true when an Idempotency-Key repeated an earlier request"`
	Body     ticketBody
}

func ticketOut(ctx context.Context, t *domain.Ticket) *ticketOutput {
	return &ticketOutput{ETag: etag(t.Version), Body: toTicketBody(t, domain.ActorFrom(ctx))}
}

type ticketEventBody struct {
	ID         string         `json:"id" format:"uuid"`
	Action     string         `json:"action"`
	FromStatus string         `json:"from_status,omitempty"`
	ToStatus   string         `json:"to_status,omitempty"`
	ActorName  string         `json:"actor_name"`
	ActorRole  string         `json:"actor_role"`
	Body       string         `json:"body,omitempty"`
	Public     bool           `json:"public"`
	Data       map[string]any `json:"data,omitempty"`
	At         time.Time      `json:"at"`
}

func toTicketEventBody(e *domain.TicketEvent) ticketEventBody {
	return ticketEventBody{ID: e.ID, Action: e.Action, FromStatus: string(e.FromStatus), ToStatus: string(e.ToStatus),
		ActorName: e.ActorName, ActorRole: string(e.ActorRole), Body: e.Body, Public: e.Public, Data: e.Data, At: e.At}
}

type instructionBody struct {
	ID         string     `json:"id" format:"uuid"`
	LeaderName string     `json:"leader_name"`
	Body       string     `json:"body"`
	At         time.Time  `json:"at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt *time.Time `json:"answered_at"`
}

func toInstructionBody(i *domain.Instruction) instructionBody {
	return instructionBody{ID: i.ID, LeaderName: i.LeaderName, Body: i.Body, At: i.At, Answer: i.Answer, AnsweredAt: i.AnsweredAt}
}

type itemsBody[T any] struct {
	Items []T `json:"items"`
}

func items[D any, T any](list []D, conv func(*D) T) *struct{ Body itemsBody[T] } {
	out := &struct{ Body itemsBody[T] }{Body: itemsBody[T]{Items: make([]T, len(list))}}
	for i := range list {
		out.Body.Items[i] = conv(&list[i])
	}
	return out
}

type ticketInput struct {
	EnterpriseID string `json:"enterprise_id,omitempty" format:"uuid" doc:"Ignored for enterprise users: always their own"`
	ProjectID    string `json:"project_id,omitempty" format:"uuid"`
	VisitID      string `json:"visit_id,omitempty" format:"uuid"`
	CategoryID   string `json:"category_id" format:"uuid"`
	Title        string `json:"title" maxLength:"100" example:"二期厂房施工许可办理进度咨询"`
	Description  string `json:"description" maxLength:"5000"`
	Priority     string `json:"priority,omitempty" enum:"normal,urgent" doc:"urgent from an enterprise user or an integration is a request (urgency_requested) that the dispatcher confirms at accept; staff set it directly"`
	Source       string `json:"source,omitempty" enum:"hotline,leader,steward,api" doc:"Set by the server from who calls; dispatchers (hotline, leader, steward) and integrations (api, hotline) may choose"`
}

// MoveParams (exported: huma reads only exported embedded fields) are what every ticket action takes: the ticket and the version the caller saw.
type MoveParams struct {
	ID string `path:"id" format:"uuid"`
	IfMatchHeader
}

// ticketMove is the input of one ticket action: its params and what its body asks for.
type ticketMove interface {
	params() *MoveParams
	action() domain.TicketAction
}

func (p *MoveParams) params() *MoveParams { return p }

type acceptInput struct {
	MoveParams
	Body *struct {
		Urgent bool `json:"urgent,omitempty" doc:"Confirm urgency (an enterprise's request, or the bureau's own call): the resolve limit is halved and reminders ignore quiet hours"`
	}
}

func (in *acceptInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveAccept, Urgent: in.Body != nil && in.Body.Urgent}
}

type reasonBody struct {
	Reason string `json:"reason" maxLength:"1000"`
}

type rejectInput struct {
	MoveParams
	Body reasonBody
}

func (in *rejectInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveReject, Reason: in.Body.Reason}
}

type assignInput struct {
	MoveParams
	Body struct {
		DepartmentID    string   `json:"department_id" format:"uuid" doc:"The department that will handle the ticket (主办)"`
		CoDepartmentIDs []string `json:"co_department_ids,omitempty" maxItems:"20" doc:"Co-handling departments (协办), each owing the lead an opinion within the sign-for limit plus half the resolve limit; they replace those of an earlier assignment (one named again keeps its opinion). Never the lead itself."`
	}
}

func (in *assignInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveAssign, Department: in.Body.DepartmentID, CoDepartments: in.Body.CoDepartmentIDs}
}

type waiveOpinionInput struct {
	MoveParams
	Body struct {
		DepartmentID string `json:"department_id" format:"uuid" doc:"The co-handling department whose owed opinion is released"`
		Reason       string `json:"reason" maxLength:"1000"`
	}
}

func (in *waiveOpinionInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveWaiveOpinion, Department: in.Body.DepartmentID, Reason: in.Body.Reason}
}

// owedOpinion is an opinion still owed, as a ticket in a list shows it.
type owedOpinion struct {
	DepartmentID   string    `json:"department_id" format:"uuid"`
	DepartmentName string    `json:"department_name"`
	DueAt          time.Time `json:"due_at"`
	Light          string    `json:"light" enum:"green,yellow,red,none"`
}

type opinionBody struct {
	DepartmentID   string     `json:"department_id" format:"uuid"`
	DepartmentName string     `json:"department_name"`
	Status         string     `json:"status" enum:"owed,given,waived"`
	DueAt          time.Time  `json:"due_at" doc:"The opinion's deadline: assignment + sign-for limit + half the resolve limit, in working days"`
	Light          string     `json:"light" enum:"green,yellow,red,none" doc:"The light of the opinion's clock while it is owed on a ticket being worked; none otherwise"`
	Body           string     `json:"body,omitempty" doc:"The opinion given, or the reason it was waived"`
	At             *time.Time `json:"at,omitempty" doc:"When it was given or waived"`
}

func toOpinionBody(o *domain.Opinion) opinionBody {
	return opinionBody{DepartmentID: o.DepartmentID, DepartmentName: o.DepartmentName, Status: string(o.Status),
		DueAt: o.Clock.Due, Light: string(o.LightNow), Body: o.Body, At: o.At}
}

type signInput struct{ MoveParams }

func (in *signInput) action() domain.TicketAction { return domain.TicketAction{Name: domain.MoveSign} }

type returnInput struct {
	MoveParams
	Body struct {
		Reason string `json:"reason" maxLength:"1000" doc:"The basis for sending it back (not our remit, wrong department …)"`
	}
}

func (in *returnInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveReturn, Reason: in.Body.Reason}
}

type requestExtensionInput struct {
	MoveParams
	Body struct {
		Days   int    `json:"days" doc:"Working days asked for, 1–30"`
		Reason string `json:"reason" maxLength:"1000"`
	}
}

func (in *requestExtensionInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveRequestExtension, Days: in.Body.Days, Reason: in.Body.Reason}
}

type approveExtensionInput struct{ MoveParams }

func (in *approveExtensionInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveApproveExtension}
}

type denyExtensionInput struct {
	MoveParams
	Body reasonBody
}

func (in *denyExtensionInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveDenyExtension, Reason: in.Body.Reason}
}

type resolveInput struct {
	MoveParams
	Body struct {
		Resolution string `json:"resolution" maxLength:"5000" doc:"What was done (办结意见)"`
	}
}

func (in *resolveInput) action() domain.TicketAction {
	return domain.TicketAction{Name: domain.MoveResolve, Resolution: in.Body.Resolution}
}

type rateInput struct {
	MoveParams
	Body struct {
		Solved   int      `json:"solved" doc:"Was the problem solved: 1 非常不满意 … 5 非常满意; below 3 sends it back to work (重办)"`
		Attitude int      `json:"attitude" doc:"How were you treated, 1–5"`
		Tags     []string `json:"tags,omitempty" maxItems:"9" doc:"办事高效, 态度热情, 解释清楚, 主动服务, 推诿扯皮, 办理拖延, 问题未解决, 态度冷漠, 多头跑"`
		Comment  string   `json:"comment,omitempty" maxLength:"1000"`
	}
}

func (in *rateInput) action() domain.TicketAction {
	b := in.Body
	return domain.TicketAction{Name: domain.MoveRate, Rating: domain.Rating{Solved: b.Solved, Attitude: b.Attitude, Tags: b.Tags, Comment: b.Comment}}
}

// registerMove declares one ticket action: POST /tickets/{id}/actions/{name} with If-Match,
// answering the updated ticket.
func registerMove[I any, P interface {
	*I
	ticketMove
}](api huma.API, svc domain.TicketService, name, opID, summary, description string, errs ...int) {
	register(api, huma.Operation{
		OperationID: opID, Method: http.MethodPost, Path: Prefix + "/tickets/{id}/actions/" + name, Tags: []string{"Tickets"},
		Summary: summary, Description: description,
		Errors: append([]int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}, errs...),
	}, func(ctx context.Context, in *I) (*ticketOutput, error) {
		m := P(in)
		version, err := m.params().version()
		if err != nil {
			return nil, err
		}
		t, err := svc.Act(ctx, m.params().ID, version, m.action())
		if err != nil {
			return nil, err
		}
		return ticketOut(ctx, t), nil
	})
}

// registerMoves declares the ticket actions of DESIGN.md §3, one operation each. A move not
// allowed from the status is 409 invalid_transition; an actor who may not make it 403.
func registerMoves(api huma.API, svc domain.TicketService) {
	const invalid = http.StatusUnprocessableEntity
	registerMove[acceptInput](api, svc, "accept", "accept-ticket", "Accept a submitted ticket (受理) and start its resolve clock",
		"The dispatcher, or the enterprise's own steward. `urgent: true` confirms urgency: the resolve limit is halved. "+
			"An enterprise's `priority: urgent` is only a request (`urgency_requested`) until confirmed here.", invalid)
	registerMove[rejectInput](api, svc, "reject", "reject-ticket", "Refuse a submitted ticket (不予受理) with a reason; final",
		"The dispatcher.", invalid)
	registerMove[assignInput](api, svc, "assign", "assign-ticket", "Route an accepted or returned ticket to a department (分派)",
		"The dispatcher. Starts the sign-for clock and tells the department's officers. `co_department_ids` names co-handling "+
			"departments (协办): each is told and owes the lead an internal opinion; a department no longer named stops owing. "+
			"The lead named among them is 422 on `co_department_ids`.", invalid)
	registerMove[signInput](api, svc, "sign", "sign-ticket", "Sign for an assigned ticket (签收); its work starts",
		"An officer of the assigned department.")
	registerMove[returnInput](api, svc, "return", "return-ticket", "Send a ticket back to the bureau (退回) with the basis for it",
		"An officer of the assigned department. The resolve clock keeps running.", invalid)
	registerMove[requestExtensionInput](api, svc, "request-extension", "request-ticket-extension", "Ask for more working days (延期)",
		"An officer of the handling department; the dispatcher rules on it.", invalid)
	registerMove[approveExtensionInput](api, svc, "approve-extension", "approve-ticket-extension", "Approve the pending extension: the resolve deadline moves",
		"The dispatcher.")
	registerMove[denyExtensionInput](api, svc, "deny-extension", "deny-ticket-extension", "Deny the pending extension with a reason; the deadline stands",
		"The dispatcher.", invalid)
	registerMove[resolveInput](api, svc, "resolve", "resolve-ticket", "Resolve a ticket in progress (办结)",
		"An officer of the handling department. The enterprise rates it next. 409 `opinions_pending` while a co-handling "+
			"department still owes its opinion.", invalid)
	registerMove[waiveOpinionInput](api, svc, "waive-opinion", "waive-ticket-opinion", "Release a co-handling department from its owed opinion",
		"The dispatcher, with a reason (an internal event). 422 on `department_id` when it does not co-handle the ticket; "+
			"409 when its opinion is no longer owed.", invalid)
	registerMove[rateInput](api, svc, "rate", "rate-ticket", "Rate the result (评价): satisfied closes, unsatisfied sends it back to work (重办)",
		"The enterprise itself, through the portal; nobody rates for it.", invalid)
}

func registerTickets(api huma.API, svc domain.TicketService) {
	tags := []string{"Tickets"}
	register(api, huma.Operation{
		OperationID: "list-tickets", Method: http.MethodGet, Path: Prefix + "/tickets", Tags: tags,
		Summary: "List tickets: newest first, or the nearest deadline first",
	}, func(ctx context.Context, in *struct {
		ListParams
		Status       string `query:"status" enum:"submitted,accepted,rejected,assigned,in_progress,returned,resolved,closed"`
		Light        string `query:"light" enum:"green,yellow,red,none"`
		DepartmentID string `query:"department_id" format:"uuid"`
		EnterpriseID string `query:"enterprise_id" format:"uuid"`
		CategoryID   string `query:"category_id" format:"uuid"`
		Mine         bool   `query:"mine" doc:"What waits on me: the intake queue, my department's inbox, my portfolio's open tickets"`
		Q            string `query:"q" maxLength:"100" doc:"A fragment of the title, number or enterprise name"`
		Sort         string `query:"sort" enum:"newest,due" default:"newest" doc:"due: the nearest resolve deadline first"`
		Opinion      string `query:"opinion" enum:"owed" doc:"owed: the open tickets on which a co-handling opinion is owed — for an officer, by their own department (the opinions we owe)"`
	}) (*struct{ Body listBody[ticketBody] }, error) {
		l, err := svc.Tickets(ctx, domain.TicketFilter{Status: domain.TicketStatus(in.Status), Light: domain.Light(in.Light),
			DepartmentID: in.DepartmentID, EnterpriseID: in.EnterpriseID, CategoryID: in.CategoryID, Mine: in.Mine, Q: in.Q,
			OpinionOwed: in.Opinion == "owed", Urgent: in.Sort == "due"}, in.page())
		if err != nil {
			return nil, err
		}
		a := domain.ActorFrom(ctx)
		return &struct{ Body listBody[ticketBody] }{toListBody(l, func(t *domain.Ticket) ticketBody { return toTicketBody(t, a) })}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-ticket", Method: http.MethodPost, Path: Prefix + "/tickets", Tags: tags,
		Summary: "Submit a ticket (诉求)", DefaultStatus: http.StatusCreated,
		Description: "With an Idempotency-Key, a repeated request (a retry, an offline queue) within 24 hours returns the first ticket; the same key with another body is refused.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"200"`
		Body           ticketInput
	}) (*ticketOutput, error) {
		b := in.Body
		t := &domain.Ticket{EnterpriseID: b.EnterpriseID, ProjectID: b.ProjectID, VisitID: b.VisitID, CategoryID: b.CategoryID,
			Title: b.Title, Description: b.Description, Priority: domain.Priority(b.Priority), Source: domain.TicketSource(b.Source)}
		replayed, err := svc.CreateTicket(ctx, t, in.IdempotencyKey, requestHash(b))
		if err != nil {
			return nil, err
		}
		out := ticketOut(ctx, t)
		if replayed {
			out.Replayed = "true"
		}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "get-ticket", Method: http.MethodGet, Path: Prefix + "/tickets/{id}", Tags: tags,
		Summary: "Get a ticket", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*ticketOutput, error) {
		t, err := svc.Ticket(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return ticketOut(ctx, t), nil
	})

	register(api, huma.Operation{
		OperationID: "list-ticket-events", Method: http.MethodGet, Path: Prefix + "/tickets/{id}/events", Tags: tags,
		Summary: "The ticket's timeline, oldest first (enterprise users see public events only)", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body itemsBody[ticketEventBody] }, error) {
		evs, err := svc.Events(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return items(evs, toTicketEventBody), nil
	})

	registerMoves(api, svc)

	register(api, huma.Operation{
		OperationID: "give-ticket-opinion", Method: http.MethodPost, Path: Prefix + "/tickets/{id}/opinions", Tags: tags,
		Summary: "A co-handling department's opinion to the lead (协办意见), internal", DefaultStatus: http.StatusCreated,
		Description: "An officer of a co-handling department, once, while the ticket is worked. The lead's handler hears of it.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id"`
		Body struct {
			Body string `json:"body" maxLength:"5000"`
		}
	}) (*struct{ Body opinionBody }, error) {
		o, err := svc.GiveOpinion(ctx, in.ID, in.Body.Body)
		if err != nil {
			return nil, err
		}
		return &struct{ Body opinionBody }{toOpinionBody(o)}, nil
	})

	register(api, huma.Operation{
		OperationID: "list-ticket-opinions", Method: http.MethodGet, Path: Prefix + "/tickets/{id}/opinions", Tags: tags,
		Summary: "The co-handling departments' opinions: owed, given or waived (internal)", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body itemsBody[opinionBody] }, error) {
		list, err := svc.Opinions(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return items(list, toOpinionBody), nil
	})

	register(api, huma.Operation{
		OperationID: "comment-on-ticket", Method: http.MethodPost, Path: Prefix + "/tickets/{id}/comments", Tags: tags,
		Summary: "Comment on a ticket; internal comments are never shown to the enterprise", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id"`
		Body struct {
			Body     string `json:"body" maxLength:"5000"`
			Internal bool   `json:"internal,omitempty"`
		}
	}) (*struct{ Body ticketEventBody }, error) {
		e, err := svc.AddComment(ctx, in.ID, in.Body.Body, in.Body.Internal)
		if err != nil {
			return nil, err
		}
		return &struct{ Body ticketEventBody }{toTicketEventBody(e)}, nil
	})

	register(api, huma.Operation{
		OperationID: "instruct-on-ticket", Method: http.MethodPost, Path: Prefix + "/tickets/{id}/instructions", Tags: tags,
		Summary: "A leader's instruction (批示), which the department must answer", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID   string `path:"id"`
		Body struct {
			Body string `json:"body" maxLength:"2000"`
		}
	}) (*struct{ Body instructionBody }, error) {
		ins, err := svc.Instruct(ctx, in.ID, in.Body.Body)
		if err != nil {
			return nil, err
		}
		return &struct{ Body instructionBody }{toInstructionBody(ins)}, nil
	})

	register(api, huma.Operation{
		OperationID: "list-ticket-instructions", Method: http.MethodGet, Path: Prefix + "/tickets/{id}/instructions", Tags: tags,
		Summary: "Leaders' instructions on a ticket and the department's answers", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct{ Body itemsBody[instructionBody] }, error) {
		list, err := svc.Instructions(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return items(list, toInstructionBody), nil
	})

	register(api, huma.Operation{
		OperationID: "answer-ticket-instruction", Method: http.MethodPost, Path: Prefix + "/tickets/{id}/instructions/{instruction_id}/answer", Tags: tags,
		Summary: "The department's answer to a leader's instruction",
		Errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID            string `path:"id"`
		InstructionID string `path:"instruction_id"`
		Body          struct {
			Answer string `json:"answer" maxLength:"5000"`
		}
	}) (*struct{ Body instructionBody }, error) {
		ins, err := svc.AnswerInstruction(ctx, in.ID, in.InstructionID, in.Body.Answer)
		if err != nil {
			return nil, err
		}
		return &struct{ Body instructionBody }{toInstructionBody(ins)}, nil
	})
}
