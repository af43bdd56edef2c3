package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type categoryBody struct {
	ID                  string    `json:"id" format:"uuid"`
	Name                string    `json:"name" example:"用电"`
	Description         string    `json:"description"`
	DefaultDepartmentID *string   `json:"default_department_id" format:"uuid" doc:"The department a dispatcher is offered first; null for none"`
	SignDays            int       `json:"sign_days" doc:"签收时限: working days to sign for an assigned ticket"`
	ResolveDays         int       `json:"resolve_days" doc:"办结时限: working days to resolve an accepted ticket; urgent tickets get half, rounded up"`
	Active              bool      `json:"active" doc:"Inactive categories take no new tickets"`
	Version             int       `json:"version"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

func toCategoryBody(c *domain.Category) categoryBody {
	return categoryBody{ID: c.ID, Name: c.Name, Description: c.Description,
		DefaultDepartmentID: optional(c.DefaultDepartmentID), SignDays: c.SignDays, ResolveDays: c.ResolveDays,
		Active: c.Active, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

type categoryOutput struct {
	ETag string `header:"ETag"`
	Body categoryBody
}

func categoryOut(c *domain.Category) *categoryOutput {
	return &categoryOutput{ETag: etag(c.Version), Body: toCategoryBody(c)}
}

type categoryInput struct {
	Name                string `json:"name" minLength:"1" maxLength:"50" example:"用电"`
	Description         string `json:"description,omitempty" maxLength:"500"`
	DefaultDepartmentID string `json:"default_department_id,omitempty" format:"uuid"`
	SignDays            int    `json:"sign_days,omitempty" minimum:"1" maximum:"30" default:"1" doc:"签收时限 in working days"`
	ResolveDays         int    `json:"resolve_days" minimum:"1" maximum:"120" doc:"办结时限 in working days"`
	Active              *bool  `json:"active,omitempty" doc:"Default true"`
}

type categoryPatch struct {
	Name                *string `json:"name,omitempty" minLength:"1" maxLength:"50"`
	Description         *string `json:"description,omitempty" maxLength:"500"`
	DefaultDepartmentID *string `json:"default_department_id,omitempty" doc:"A department id, or \"\" for none"`
	SignDays            *int    `json:"sign_days,omitempty" minimum:"1" maximum:"30"`
	ResolveDays         *int    `json:"resolve_days,omitempty" minimum:"1" maximum:"120"`
	Active              *bool   `json:"active,omitempty"`
}

func registerCategories(api huma.API, svc domain.CategoryService) {
	tags := []string{"Categories"}
	register(api, huma.Operation{
		OperationID: "list-categories", Method: http.MethodGet, Path: Prefix + "/categories", Tags: tags,
		Summary: "List request categories (诉求类别) with their time limits, oldest first",
	}, func(ctx context.Context, in *struct {
		ListParams
		Active string `query:"active" enum:"true,false" doc:"true: only those taking new tickets; false: only retired ones"`
	}) (*struct{ Body listBody[categoryBody] }, error) {
		var f domain.CategoryFilter
		if in.Active != "" {
			active := in.Active == "true"
			f.Active = &active
		}
		l, err := svc.Categories(ctx, f, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[categoryBody] }{toListBody(l, toCategoryBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-category", Method: http.MethodPost, Path: Prefix + "/categories", Tags: tags,
		Summary: "Create a category", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct{ Body categoryInput }) (*categoryOutput, error) {
		b := in.Body
		c := &domain.Category{Name: b.Name, Description: b.Description, DefaultDepartmentID: b.DefaultDepartmentID,
			SignDays: b.SignDays, ResolveDays: b.ResolveDays, Active: b.Active == nil || *b.Active}
		if err := svc.CreateCategory(ctx, c); err != nil {
			return nil, err
		}
		return categoryOut(c), nil
	})

	register(api, huma.Operation{
		OperationID: "get-category", Method: http.MethodGet, Path: Prefix + "/categories/{id}", Tags: tags,
		Summary: "Get a category", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*categoryOutput, error) {
		c, err := svc.Category(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return categoryOut(c), nil
	})

	register(api, huma.Operation{
		OperationID: "update-category", Method: http.MethodPatch, Path: Prefix + "/categories/{id}", Tags: tags,
		Summary: "Change a category; tickets already running keep their limits",
		Errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body categoryPatch
	}) (*categoryOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		b := in.Body
		c, err := svc.UpdateCategory(ctx, in.ID, version, domain.CategoryPatch{
			Name: b.Name, Description: b.Description, DefaultDepartmentID: b.DefaultDepartmentID,
			SignDays: b.SignDays, ResolveDays: b.ResolveDays, Active: b.Active,
		})
		if err != nil {
			return nil, err
		}
		return categoryOut(c), nil
	})
}
