package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type locationBody struct {
	Lat     float64 `json:"lat" minimum:"-90" maximum:"90"`
	Lng     float64 `json:"lng" minimum:"-180" maximum:"180"`
	Address string  `json:"address,omitempty" maxLength:"200"`
}

type visitBody struct {
	ID             string        `json:"id" format:"uuid"`
	StewardID      string        `json:"steward_id" format:"uuid"`
	StewardName    string        `json:"steward_name"`
	EnterpriseID   string        `json:"enterprise_id" format:"uuid"`
	EnterpriseName string        `json:"enterprise_name"`
	ProjectID      *string       `json:"project_id"`
	ProjectName    string        `json:"project_name,omitempty"`
	VisitedAt      time.Time     `json:"visited_at"`
	Kind           string        `json:"kind" enum:"onsite,phone,online,meeting"`
	Attendees      []string      `json:"attendees"`
	Summary        string        `json:"summary"`
	Findings       string        `json:"findings"`
	Satisfaction   string        `json:"satisfaction"`
	Location       *locationBody `json:"location,omitempty"`
	TicketIDs      []string      `json:"ticket_ids" doc:"Tickets raised from the findings"`
	PhotoCount     int           `json:"photo_count" doc:"Photos attached (optional, never required); GET /visits/{id}/photos lists them"`
	Editable       bool          `json:"editable" doc:"The author may still correct it and add photos (within 24 hours)"`
	Version        int           `json:"version"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

func toVisitBody(v *domain.Visit, a *domain.Actor, now time.Time) visitBody {
	b := visitBody{ID: v.ID, StewardID: v.StewardID, StewardName: v.StewardName, EnterpriseID: v.EnterpriseID,
		EnterpriseName: v.EnterpriseName, ProjectID: optional(v.ProjectID), ProjectName: v.ProjectName, VisitedAt: v.VisitedAt,
		Kind: string(v.Kind), Attendees: v.Attendees, Summary: v.Summary, Findings: v.Findings, Satisfaction: v.Satisfaction,
		TicketIDs: v.TicketIDs, PhotoCount: v.PhotoCount, Editable: a != nil && a.UserID == v.StewardID && now.Sub(v.CreatedAt) <= domain.VisitEditWindow,
		Version: v.Version, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	if b.Attendees == nil {
		b.Attendees = []string{}
	}
	if b.TicketIDs == nil {
		b.TicketIDs = []string{}
	}
	if v.Location != nil {
		b.Location = &locationBody{Lat: v.Location.Lat, Lng: v.Location.Lng, Address: v.Location.Address}
	}
	return b
}

type visitOutput struct {
	ETag     string `header:"ETag"`
	Replayed string `header:"Idempotent-Replayed"`
	Body     visitBody
}

func visitOut(ctx context.Context, v *domain.Visit) *visitOutput {
	return &visitOutput{ETag: etag(v.Version), Body: toVisitBody(v, domain.ActorFrom(ctx), time.Now())}
}

type findingTicket struct {
	CategoryID  string `json:"category_id" format:"uuid"`
	Title       string `json:"title" maxLength:"100"`
	Description string `json:"description" maxLength:"5000"`
	Priority    string `json:"priority,omitempty" enum:"normal,urgent"`
	ProjectID   string `json:"project_id,omitempty" format:"uuid" doc:"Default: the visit's project"`
}

type dueVisitBody struct {
	AssignmentID string     `json:"assignment_id" format:"uuid"`
	SubjectType  string     `json:"subject_type" enum:"enterprise,project"`
	SubjectID    string     `json:"subject_id" format:"uuid"`
	SubjectName  string     `json:"subject_name"`
	EnterpriseID string     `json:"enterprise_id" format:"uuid"`
	StewardID    string     `json:"steward_id" format:"uuid"`
	StewardName  string     `json:"steward_name"`
	LastVisitAt  *time.Time `json:"last_visit_at"`
	DueOn        string     `json:"due_on" format:"date"`
	State        string     `json:"state" enum:"due,overdue"`
}

func registerVisits(api huma.API, svc domain.VisitService) {
	tags := []string{"Visits"}
	register(api, huma.Operation{
		OperationID: "list-visits", Method: http.MethodGet, Path: Prefix + "/visits", Tags: tags,
		Summary: "List visits, latest first",
	}, func(ctx context.Context, in *struct {
		ListParams
		EnterpriseID string `query:"enterprise_id" format:"uuid"`
		ProjectID    string `query:"project_id" format:"uuid"`
		StewardID    string `query:"steward_id" format:"uuid"`
		timeRange
	}) (*struct{ Body listBody[visitBody] }, error) {
		from, to, err := in.bounds()
		if err != nil {
			return nil, err
		}
		l, err := svc.Visits(ctx, domain.VisitFilter{EnterpriseID: in.EnterpriseID, ProjectID: in.ProjectID, StewardID: in.StewardID,
			From: from, To: to}, in.page())
		if err != nil {
			return nil, err
		}
		a, now := domain.ActorFrom(ctx), time.Now()
		return &struct{ Body listBody[visitBody] }{toListBody(l, func(v *domain.Visit) visitBody { return toVisitBody(v, a, now) })}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-visit", Method: http.MethodPost, Path: Prefix + "/visits", Tags: tags,
		Summary: "Record a visit, with the tickets its findings raise (all or nothing)", DefaultStatus: http.StatusCreated,
		Description: "Send a client-generated Idempotency-Key: a retried or offline-queued submission then lands exactly once.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		IdempotencyKey string `header:"Idempotency-Key" maxLength:"200"`
		Body           struct {
			EnterpriseID string          `json:"enterprise_id" format:"uuid"`
			ProjectID    string          `json:"project_id,omitempty" format:"uuid"`
			VisitedAt    time.Time       `json:"visited_at"`
			Kind         string          `json:"kind" enum:"onsite,phone,online,meeting"`
			Attendees    []string        `json:"attendees,omitempty" maxItems:"30"`
			Summary      string          `json:"summary" maxLength:"5000" example:"走访了解企业二期项目建设进度"`
			Findings     string          `json:"findings,omitempty" maxLength:"5000"`
			Satisfaction string          `json:"satisfaction,omitempty" maxLength:"1000"`
			Location     *locationBody   `json:"location,omitempty" doc:"Optional; never required"`
			Tickets      []findingTicket `json:"tickets,omitempty" maxItems:"10" doc:"Tickets to raise from the findings"`
		}
	}) (*visitOutput, error) {
		b := in.Body
		v := &domain.Visit{EnterpriseID: b.EnterpriseID, ProjectID: b.ProjectID, VisitedAt: b.VisitedAt, Kind: domain.VisitKind(b.Kind),
			Attendees: b.Attendees, Summary: b.Summary, Findings: b.Findings, Satisfaction: b.Satisfaction}
		if b.Location != nil {
			v.Location = &domain.Location{Lat: b.Location.Lat, Lng: b.Location.Lng, Address: b.Location.Address}
		}
		var tickets []*domain.Ticket
		for _, t := range b.Tickets {
			tickets = append(tickets, &domain.Ticket{CategoryID: t.CategoryID, Title: t.Title, Description: t.Description,
				Priority: domain.Priority(t.Priority), ProjectID: t.ProjectID})
		}
		replayed, err := svc.CreateVisit(ctx, v, tickets, in.IdempotencyKey, requestHash(b))
		if err != nil {
			return nil, err
		}
		out := visitOut(ctx, v)
		if replayed {
			out.Replayed = "true"
		}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "list-due-visits", Method: http.MethodGet, Path: Prefix + "/visits/due", Tags: tags,
		Summary:     "Assignments due or overdue for a visit by their cadence (走访频次), overdue first",
		Description: "A JSON array, as shared/API.md fixes it: a steward's working list is short; a dispatcher asking for everyone's gets the whole district's.",
	}, func(ctx context.Context, in *struct {
		StewardID string `query:"steward_id" format:"uuid" doc:"Dispatchers: whose; default everyone's. Stewards: their own."`
	}) (*struct{ Body []dueVisitBody }, error) {
		due, err := svc.DueVisits(ctx, in.StewardID)
		if err != nil {
			return nil, err
		}
		out := &struct{ Body []dueVisitBody }{Body: make([]dueVisitBody, len(due))}
		for i, d := range due {
			out.Body[i] = dueVisitBody{AssignmentID: d.AssignmentID, SubjectType: string(d.SubjectType), SubjectID: d.SubjectID,
				SubjectName: d.SubjectName, EnterpriseID: d.EnterpriseID, StewardID: d.StewardID, StewardName: d.StewardName,
				LastVisitAt: d.LastVisitAt, DueOn: date(d.DueOn), State: string(d.State)}
		}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "get-visit", Method: http.MethodGet, Path: Prefix + "/visits/{id}", Tags: tags,
		Summary: "Get a visit", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*visitOutput, error) {
		v, err := svc.Visit(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return visitOut(ctx, v), nil
	})

	register(api, huma.Operation{
		OperationID: "correct-visit", Method: http.MethodPatch, Path: Prefix + "/visits/{id}", Tags: tags,
		Summary: "Correct a visit: its author, within 24 hours of recording it",
		Errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body struct {
			VisitedAt    *time.Time `json:"visited_at,omitempty"`
			Kind         *string    `json:"kind,omitempty" enum:"onsite,phone,online,meeting"`
			Attendees    *[]string  `json:"attendees,omitempty" maxItems:"30"`
			Summary      *string    `json:"summary,omitempty" maxLength:"5000"`
			Findings     *string    `json:"findings,omitempty" maxLength:"5000"`
			Satisfaction *string    `json:"satisfaction,omitempty" maxLength:"1000"`
		}
	}) (*visitOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		b := in.Body
		v, err := svc.CorrectVisit(ctx, in.ID, version, domain.VisitPatch{VisitedAt: b.VisitedAt, Kind: (*domain.VisitKind)(b.Kind),
			Attendees: b.Attendees, Summary: b.Summary, Findings: b.Findings, Satisfaction: b.Satisfaction})
		if err != nil {
			return nil, err
		}
		return visitOut(ctx, v), nil
	})
}
