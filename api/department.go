package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type departmentBody struct {
	ID        string    `json:"id" format:"uuid"`
	Name      string    `json:"name" example:"自然资源局"`
	Kind      string    `json:"kind" enum:"bureau,government,utility"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toDepartmentBody(d *domain.Department) departmentBody {
	return departmentBody{ID: d.ID, Name: d.Name, Kind: string(d.Kind), Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

type departmentOutput struct {
	ETag string `header:"ETag"`
	Body departmentBody
}

func departmentOut(d *domain.Department) *departmentOutput {
	return &departmentOutput{ETag: etag(d.Version), Body: toDepartmentBody(d)}
}

type departmentInput struct {
	Name string `json:"name" minLength:"1" maxLength:"100" example:"自然资源局"`
	Kind string `json:"kind" enum:"bureau,government,utility" doc:"bureau 营商局, government 政府部门, utility 公用事业单位"`
}

type departmentPatch struct {
	Name *string `json:"name,omitempty" minLength:"1" maxLength:"100"`
	Kind *string `json:"kind,omitempty" enum:"bureau,government,utility"`
}

func registerDepartments(api huma.API, svc domain.DepartmentService) {
	tags := []string{"Departments"}
	register(api, huma.Operation{
		OperationID: "list-departments", Method: http.MethodGet, Path: Prefix + "/departments", Tags: tags,
		Summary: "List departments by name",
	}, func(ctx context.Context, in *struct {
		ListParams
		Kind string `query:"kind" enum:"bureau,government,utility"`
		Q    string `query:"q" maxLength:"100" doc:"A fragment of the name"`
	}) (*struct{ Body listBody[departmentBody] }, error) {
		l, err := svc.Departments(ctx, domain.DepartmentFilter{Kind: domain.DepartmentKind(in.Kind), Q: in.Q}, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[departmentBody] }{toListBody(l, toDepartmentBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-department", Method: http.MethodPost, Path: Prefix + "/departments", Tags: tags,
		Summary: "Create a department", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct{ Body departmentInput }) (*departmentOutput, error) {
		d := &domain.Department{Name: in.Body.Name, Kind: domain.DepartmentKind(in.Body.Kind)}
		if err := svc.CreateDepartment(ctx, d); err != nil {
			return nil, err
		}
		return departmentOut(d), nil
	})

	register(api, huma.Operation{
		OperationID: "get-department", Method: http.MethodGet, Path: Prefix + "/departments/{id}", Tags: tags,
		Summary: "Get a department", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*departmentOutput, error) {
		d, err := svc.Department(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return departmentOut(d), nil
	})

	register(api, huma.Operation{
		OperationID: "update-department", Method: http.MethodPatch, Path: Prefix + "/departments/{id}", Tags: tags,
		Summary: "Change a department",
		Errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body departmentPatch
	}) (*departmentOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		d, err := svc.UpdateDepartment(ctx, in.ID, version, domain.DepartmentPatch{
			Name: in.Body.Name, Kind: (*domain.DepartmentKind)(in.Body.Kind),
		})
		if err != nil {
			return nil, err
		}
		return departmentOut(d), nil
	})
}
