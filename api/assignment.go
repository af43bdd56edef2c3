package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type assignmentBody struct {
	ID          string    `json:"id" format:"uuid"`
	SubjectType string    `json:"subject_type" enum:"enterprise,project"`
	SubjectID   string    `json:"subject_id" format:"uuid"`
	SubjectName string    `json:"subject_name"`
	LeaderID    string    `json:"leader_id" format:"uuid"`
	LeaderName  string    `json:"leader_name"`
	StewardID   string    `json:"steward_id" format:"uuid"`
	StewardName string    `json:"steward_name"`
	From        string    `json:"from" format:"date"`
	To          *string   `json:"to" format:"date" doc:"The day the next assignment began; null while current"`
	Active      bool      `json:"active"`
	Reason      string    `json:"reason"`
	CreatedAt   time.Time `json:"created_at"`
}

func toAssignmentBody(a *domain.Assignment) assignmentBody {
	b := assignmentBody{ID: a.ID, SubjectType: string(a.SubjectType), SubjectID: a.SubjectID, SubjectName: a.SubjectName,
		LeaderID: a.LeaderID, LeaderName: a.LeaderName, StewardID: a.StewardID, StewardName: a.StewardName,
		Active: a.Active(), Reason: a.Reason, CreatedAt: a.CreatedAt}
	if a.From != nil {
		b.From = a.From.Format(time.DateOnly)
	}
	if a.To != nil {
		to := a.To.Format(time.DateOnly)
		b.To = &to
	}
	return b
}

// parseDate reads an optional YYYY-MM-DD field as midnight UTC, the domain's dates.
func parseDate(field, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, &domain.Error{Code: domain.EINVALID, Message: "some fields are invalid",
			Fields: []domain.FieldError{{Field: field, Message: "must be a date YYYY-MM-DD"}}}
	}
	return &d, nil
}

func registerAssignments(api huma.API, svc domain.AssignmentService) {
	tags := []string{"Assignments"}
	register(api, huma.Operation{
		OperationID: "list-assignments", Method: http.MethodGet, Path: Prefix + "/assignments", Tags: tags,
		Summary: "Who answers for and serves what (包保), current and past, newest first",
	}, func(ctx context.Context, in *struct {
		ListParams
		SubjectType string `query:"subject_type" enum:"enterprise,project"`
		SubjectID   string `query:"subject_id" format:"uuid"`
		LeaderID    string `query:"leader_id" format:"uuid"`
		StewardID   string `query:"steward_id" format:"uuid"`
		Active      string `query:"active" enum:"true,false" doc:"true: current only; false: ended only"`
		On          string `query:"on" format:"date" doc:"Only the assignments in force on this day: who was responsible then"`
	}) (*struct{ Body listBody[assignmentBody] }, error) {
		f := domain.AssignmentFilter{SubjectType: domain.SubjectType(in.SubjectType), SubjectID: in.SubjectID,
			LeaderID: in.LeaderID, StewardID: in.StewardID}
		if in.Active != "" {
			active := in.Active == "true"
			f.Active = &active
		}
		on, err := parseDate("on", in.On)
		if err != nil {
			return nil, err
		}
		f.On = on
		l, err := svc.Assignments(ctx, f, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[assignmentBody] }{toListBody(l, toAssignmentBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-assignment", Method: http.MethodPost, Path: Prefix + "/assignments", Tags: tags,
		Summary: "Assign a leader and a steward; the current assignment ends the day this one begins", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		Body struct {
			SubjectType string `json:"subject_type" enum:"enterprise,project"`
			SubjectID   string `json:"subject_id" format:"uuid"`
			LeaderID    string `json:"leader_id" format:"uuid"`
			StewardID   string `json:"steward_id" format:"uuid"`
			From        string `json:"from,omitempty" format:"date" doc:"First day; default today"`
			Reason      string `json:"reason,omitempty" maxLength:"500"`
		}
	}) (*struct{ Body assignmentBody }, error) {
		b := in.Body
		from, err := parseDate("from", b.From)
		if err != nil {
			return nil, err
		}
		a := &domain.Assignment{SubjectType: domain.SubjectType(b.SubjectType), SubjectID: b.SubjectID,
			LeaderID: b.LeaderID, StewardID: b.StewardID, From: from, Reason: b.Reason}
		if err := svc.Assign(ctx, a); err != nil {
			return nil, err
		}
		return &struct{ Body assignmentBody }{toAssignmentBody(a)}, nil
	})
}
