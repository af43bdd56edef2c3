package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

const stageEnum = "negotiating,signed,permitting,under_construction,completed,operating,at_capacity,suspended,cancelled"

type progressBody struct {
	Expected float64 `json:"expected" doc:"Planned share of the period elapsed, percent"`
	Actual   float64 `json:"actual" doc:"Completed investment against the plan, percent"`
	Behind   float64 `json:"behind" doc:"Percentage points behind the straight-line plan"`
	Light    string  `json:"light" enum:"green,yellow,red,none"`
	Reason   string  `json:"reason"`
}

type projectBody struct {
	ID                  string       `json:"id" format:"uuid"`
	EnterpriseID        string       `json:"enterprise_id" format:"uuid"`
	EnterpriseName      string       `json:"enterprise_name"`
	Name                string       `json:"name"`
	Kind                string       `json:"kind" enum:"new,expansion,renovation"`
	Industry            string       `json:"industry"`
	PlannedInvestment   float64      `json:"planned_investment" doc:"万元"`
	PlannedStart        string       `json:"planned_start" format:"date"`
	PlannedCompletion   string       `json:"planned_completion" format:"date"`
	KeyLevel            string       `json:"key_level" enum:"provincial,municipal,district"`
	Location            string       `json:"location"`
	Stage               string       `json:"stage" enum:"negotiating,signed,permitting,under_construction,completed,operating,at_capacity,suspended,cancelled"`
	StageSince          string       `json:"stage_since" format:"date"`
	CompletedInvestment float64      `json:"completed_investment" doc:"万元, the sum of the monthly reports"`
	Progress            progressBody `json:"progress" doc:"序时进度"`
	Version             int          `json:"version"`
	CreatedAt           time.Time    `json:"created_at"`
	UpdatedAt           time.Time    `json:"updated_at"`
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func toProjectBody(p *domain.Project) projectBody {
	return projectBody{
		ID: p.ID, EnterpriseID: p.EnterpriseID, EnterpriseName: p.EnterpriseName, Name: p.Name, Kind: string(p.Kind),
		Industry: p.Industry, PlannedInvestment: p.PlannedInvestment, PlannedStart: date(p.PlannedStart),
		PlannedCompletion: date(p.PlannedCompletion), KeyLevel: string(p.KeyLevel), Location: p.Location,
		Stage: string(p.Stage), StageSince: date(p.StageSince), CompletedInvestment: p.CompletedInvestment,
		Progress: progressBody{Expected: p.Progress.Expected, Actual: p.Progress.Actual, Behind: p.Progress.Behind,
			Light: string(p.Progress.Light), Reason: p.Progress.Reason},
		Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
}

type projectOutput struct {
	ETag string `header:"ETag"`
	Body projectBody
}

func projectOut(p *domain.Project) *projectOutput {
	return &projectOutput{ETag: etag(p.Version), Body: toProjectBody(p)}
}

type stageRecordBody struct {
	ID     string    `json:"id" format:"uuid"`
	From   string    `json:"from" doc:"empty for the stage the project was registered in"`
	To     string    `json:"to"`
	On     string    `json:"on" format:"date"`
	Note   string    `json:"note"`
	Reason string    `json:"reason"`
	ByName string    `json:"by_name"`
	At     time.Time `json:"at"`
}

type investmentBody struct {
	Month  string  `json:"month" example:"2026-10"`
	Amount float64 `json:"amount" doc:"万元 completed that month"`
}

func registerProjects(api huma.API, svc domain.ProjectService) {
	tags := []string{"Projects"}
	register(api, huma.Operation{
		OperationID: "list-projects", Method: http.MethodGet, Path: Prefix + "/projects", Tags: tags,
		Summary: "List projects, newest first",
	}, func(ctx context.Context, in *struct {
		ListParams
		EnterpriseID string `query:"enterprise_id" format:"uuid"`
		Stage        string `query:"stage" enum:"negotiating,signed,permitting,under_construction,completed,operating,at_capacity,suspended,cancelled"`
		KeyLevel     string `query:"key_level" enum:"provincial,municipal,district"`
		Light        string `query:"light" enum:"green,yellow,red,none"`
		StewardID    string `query:"steward_id" format:"uuid"`
		LeaderID     string `query:"leader_id" format:"uuid"`
		Q            string `query:"q" maxLength:"100" doc:"A fragment of the name, its pinyin or initials"`
	}) (*struct{ Body listBody[projectBody] }, error) {
		l, err := svc.Projects(ctx, domain.ProjectFilter{EnterpriseID: in.EnterpriseID, Stage: domain.Stage(in.Stage),
			KeyLevel: domain.KeyLevel(in.KeyLevel), Light: domain.Light(in.Light), StewardID: in.StewardID,
			LeaderID: in.LeaderID, Q: in.Q}, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[projectBody] }{toListBody(l, toProjectBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-project", Method: http.MethodPost, Path: Prefix + "/projects", Tags: tags,
		Summary: "Register a project", DefaultStatus: http.StatusCreated, Errors: []int{http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Body struct {
			EnterpriseID      string  `json:"enterprise_id" format:"uuid"`
			Name              string  `json:"name" maxLength:"200" example:"年产50万套新能源汽车零部件扩建项目"`
			Kind              string  `json:"kind" enum:"new,expansion,renovation"`
			Industry          string  `json:"industry" maxLength:"1"`
			PlannedInvestment float64 `json:"planned_investment" doc:"万元"`
			PlannedStart      string  `json:"planned_start" format:"date"`
			PlannedCompletion string  `json:"planned_completion" format:"date"`
			KeyLevel          string  `json:"key_level" enum:"provincial,municipal,district"`
			Location          string  `json:"location,omitempty" maxLength:"200"`
			Stage             string  `json:"stage,omitempty" enum:"negotiating,signed,permitting,under_construction,completed,operating,at_capacity" doc:"Default negotiating"`
			StageSince        string  `json:"stage_since,omitempty" format:"date" doc:"Default today"`
		}
	}) (*projectOutput, error) {
		b := in.Body
		p := &domain.Project{EnterpriseID: b.EnterpriseID, Name: b.Name, Kind: domain.ProjectKind(b.Kind), Industry: b.Industry,
			PlannedInvestment: b.PlannedInvestment, KeyLevel: domain.KeyLevel(b.KeyLevel), Location: b.Location, Stage: domain.Stage(b.Stage)}
		for _, d := range []struct {
			field, value string
			dst          *time.Time
		}{{"planned_start", b.PlannedStart, &p.PlannedStart}, {"planned_completion", b.PlannedCompletion, &p.PlannedCompletion}, {"stage_since", b.StageSince, &p.StageSince}} {
			t, err := parseDate(d.field, d.value)
			if err != nil {
				return nil, err
			}
			if t != nil {
				*d.dst = *t
			}
		}
		if err := svc.CreateProject(ctx, p); err != nil {
			return nil, err
		}
		return projectOut(p), nil
	})

	register(api, huma.Operation{
		OperationID: "get-project", Method: http.MethodGet, Path: Prefix + "/projects/{id}", Tags: tags,
		Summary: "Get a project with its progress light", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*projectOutput, error) {
		p, err := svc.Project(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return projectOut(p), nil
	})

	register(api, huma.Operation{
		OperationID: "update-project", Method: http.MethodPatch, Path: Prefix + "/projects/{id}", Tags: tags,
		Summary: "Change a project (its stage moves through POST …/stage)",
		Errors:  []int{http.StatusNotFound, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body struct {
			Name              *string  `json:"name,omitempty" maxLength:"200"`
			Kind              *string  `json:"kind,omitempty" enum:"new,expansion,renovation"`
			Industry          *string  `json:"industry,omitempty" maxLength:"1"`
			PlannedInvestment *float64 `json:"planned_investment,omitempty"`
			PlannedStart      *string  `json:"planned_start,omitempty" format:"date"`
			PlannedCompletion *string  `json:"planned_completion,omitempty" format:"date"`
			KeyLevel          *string  `json:"key_level,omitempty" enum:"provincial,municipal,district"`
			Location          *string  `json:"location,omitempty" maxLength:"200"`
		}
	}) (*projectOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		b := in.Body
		patch := domain.ProjectPatch{Name: b.Name, Kind: (*domain.ProjectKind)(b.Kind), Industry: b.Industry,
			PlannedInvestment: b.PlannedInvestment, KeyLevel: (*domain.KeyLevel)(b.KeyLevel), Location: b.Location}
		for _, d := range []struct {
			field string
			value *string
			dst   **time.Time
		}{{"planned_start", b.PlannedStart, &patch.PlannedStart}, {"planned_completion", b.PlannedCompletion, &patch.PlannedCompletion}} {
			if d.value != nil {
				t, err := parseDate(d.field, *d.value)
				if err != nil {
					return nil, err
				}
				*d.dst = t
			}
		}
		p, err := svc.UpdateProject(ctx, in.ID, version, patch)
		if err != nil {
			return nil, err
		}
		return projectOut(p), nil
	})

	register(api, huma.Operation{
		OperationID: "move-project-stage", Method: http.MethodPost, Path: Prefix + "/projects/{id}/stage", Tags: tags,
		Summary: "Move a project to another stage: forward with a date and note, back or aside (suspended, cancelled) with a reason",
		Errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body struct {
			Stage  string `json:"stage" enum:"negotiating,signed,permitting,under_construction,completed,operating,at_capacity,suspended,cancelled"`
			Date   string `json:"date" format:"date" doc:"The day the project reached the stage"`
			Note   string `json:"note,omitempty" maxLength:"500"`
			Reason string `json:"reason,omitempty" maxLength:"500" doc:"Required to move back, to suspend or to cancel"`
		}
	}) (*projectOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		on, err := parseDate("date", in.Body.Date)
		if err != nil {
			return nil, err
		}
		var day time.Time
		if on != nil {
			day = *on
		}
		p, err := svc.MoveProjectStage(ctx, in.ID, version, domain.Stage(in.Body.Stage), day, in.Body.Note, in.Body.Reason)
		if err != nil {
			return nil, err
		}
		return projectOut(p), nil
	})

	register(api, huma.Operation{
		OperationID: "list-project-stages", Method: http.MethodGet, Path: Prefix + "/projects/{id}/stages", Tags: tags,
		Summary: "A project's stage history, oldest first", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct {
		Body struct {
			Items []stageRecordBody `json:"items"`
		}
	}, error) {
		recs, err := svc.ProjectStages(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Body struct {
				Items []stageRecordBody `json:"items"`
			}
		}{}
		out.Body.Items = make([]stageRecordBody, len(recs))
		for i, r := range recs {
			out.Body.Items[i] = stageRecordBody{ID: r.ID, From: string(r.From), To: string(r.To), On: date(r.On),
				Note: r.Note, Reason: r.Reason, ByName: r.ByName, At: r.At}
		}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "put-project-investment", Method: http.MethodPut, Path: Prefix + "/projects/{id}/investments/{month}", Tags: tags,
		Summary: "Report (or correct) the investment completed in a month", Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID    string `path:"id"`
		Month string `path:"month" pattern:"^[0-9]{4}-[0-9]{2}$" example:"2026-10"`
		Body  struct {
			Amount float64 `json:"amount" minimum:"0" doc:"万元"`
		}
	}) (*projectOutput, error) {
		p, err := svc.SetInvestment(ctx, in.ID, domain.Investment{Month: in.Month, Amount: in.Body.Amount})
		if err != nil {
			return nil, err
		}
		return projectOut(p), nil
	})

	register(api, huma.Operation{
		OperationID: "list-project-investments", Method: http.MethodGet, Path: Prefix + "/projects/{id}/investments", Tags: tags,
		Summary: "A project's monthly investment reports, oldest first", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*struct {
		Body struct {
			Items []investmentBody `json:"items"`
		}
	}, error) {
		invs, err := svc.Investments(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Body struct {
				Items []investmentBody `json:"items"`
			}
		}{}
		out.Body.Items = make([]investmentBody, len(invs))
		for i, v := range invs {
			out.Body.Items[i] = investmentBody(v)
		}
		return out, nil
	})
}
