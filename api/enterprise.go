package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type contactBody struct {
	Name  string `json:"name" maxLength:"50" example:"王经理"`
	Title string `json:"title,omitempty" maxLength:"50" example:"办公室主任"`
	Phone string `json:"phone,omitempty" maxLength:"30" example:"13812341234"`
	Email string `json:"email,omitempty" maxLength:"200"`
}

type enterpriseBody struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name" example:"苏州示例精密制造有限公司"`
	EnterpriseDetails
}

// EnterpriseDetails are the fields of an enterprise beyond its id and name (exported because
// huma and encoding/json only flatten exported embedded types).
type EnterpriseDetails struct {
	CreditCode          string        `json:"credit_code" example:"91350100M000100Y43" doc:"统一社会信用代码 (GB 32100)"`
	LegalRepresentative string        `json:"legal_representative"`
	Industry            string        `json:"industry" doc:"GB/T 4754 section letter A–T"`
	Scale               string        `json:"scale" enum:"large,medium,small,micro"`
	KeyLevel            string        `json:"key_level" enum:"provincial,municipal,district"`
	Address             string        `json:"address"`
	Street              string        `json:"street" doc:"街道"`
	Tags                []string      `json:"tags"`
	Contacts            []contactBody `json:"contacts"`
	Status              string        `json:"status" enum:"active,archived"`
	Version             int           `json:"version"`
	CreatedAt           time.Time     `json:"created_at"`
	UpdatedAt           time.Time     `json:"updated_at"`
}

// enterpriseListItem is an enterprise in a list: every field for staff and enterprise users,
// only id and name in an integration's lookup by credit code (DESIGN.md §5).
type enterpriseListItem struct {
	ID   string `json:"id" format:"uuid"`
	Name string `json:"name" example:"苏州示例精密制造有限公司"`
	*EnterpriseDetails
}

// TransformSchema documents that only id and name are always there.
func (enterpriseListItem) TransformSchema(_ huma.Registry, s *huma.Schema) *huma.Schema {
	s.Required = []string{"id", "name"}
	s.Description = "An enterprise: every field for staff and enterprise users; only id and name in an integration's lookup by credit_code"
	return s
}

func toEnterpriseBody(e *domain.Enterprise) enterpriseBody {
	return enterpriseBody{ID: e.ID, Name: e.Name, EnterpriseDetails: EnterpriseDetails{
		CreditCode: e.CreditCode, LegalRepresentative: e.LegalRepresentative,
		Industry: e.Industry, Scale: string(e.Scale), KeyLevel: string(e.KeyLevel), Address: e.Address,
		Street: e.Street, Tags: e.Tags, Contacts: toContactBodies(e.Contacts), Status: string(e.Status),
		Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
	}}
}

func toContactBodies(cs []domain.Contact) []contactBody {
	out := make([]contactBody, len(cs))
	for i, c := range cs {
		out[i] = contactBody(c)
	}
	return out
}

func toContacts(cs []contactBody) []domain.Contact {
	out := make([]domain.Contact, len(cs))
	for i, c := range cs {
		out[i] = domain.Contact(c)
	}
	return out
}

type enterpriseOutput struct {
	ETag string `header:"ETag"`
	Body enterpriseBody
}

func enterpriseOut(e *domain.Enterprise) *enterpriseOutput {
	return &enterpriseOutput{ETag: etag(e.Version), Body: toEnterpriseBody(e)}
}

// enterpriseInput is the body of a create. The rules (credit code check character, industry
// letters …) live in domain.Enterprise.Validate; the tags here document the shape.
type enterpriseInput struct {
	Name                string        `json:"name" maxLength:"200" example:"苏州示例精密制造有限公司"`
	CreditCode          string        `json:"credit_code" maxLength:"30" example:"91350100M000100Y43" doc:"统一社会信用代码 (GB 32100)"`
	LegalRepresentative string        `json:"legal_representative,omitempty" maxLength:"50"`
	Industry            string        `json:"industry" maxLength:"1" example:"C" doc:"GB/T 4754 section letter A–T"`
	Scale               string        `json:"scale" enum:"large,medium,small,micro"`
	KeyLevel            string        `json:"key_level" enum:"provincial,municipal,district"`
	Address             string        `json:"address,omitempty" maxLength:"200"`
	Street              string        `json:"street,omitempty" maxLength:"50" doc:"街道"`
	Tags                []string      `json:"tags,omitempty" maxItems:"20"`
	Contacts            []contactBody `json:"contacts,omitempty" maxItems:"20"`
}

type enterprisePatch struct {
	Name                *string        `json:"name,omitempty" maxLength:"200"`
	CreditCode          *string        `json:"credit_code,omitempty" maxLength:"30"`
	LegalRepresentative *string        `json:"legal_representative,omitempty" maxLength:"50"`
	Industry            *string        `json:"industry,omitempty" maxLength:"1"`
	Scale               *string        `json:"scale,omitempty" enum:"large,medium,small,micro"`
	KeyLevel            *string        `json:"key_level,omitempty" enum:"provincial,municipal,district"`
	Address             *string        `json:"address,omitempty" maxLength:"200"`
	Street              *string        `json:"street,omitempty" maxLength:"50"`
	Tags                *[]string      `json:"tags,omitempty" maxItems:"20"`
	Contacts            *[]contactBody `json:"contacts,omitempty" maxItems:"20"`
}

func (p *enterprisePatch) toDomain() domain.EnterprisePatch {
	d := domain.EnterprisePatch{
		Name: p.Name, CreditCode: p.CreditCode, LegalRepresentative: p.LegalRepresentative,
		Industry: p.Industry, Scale: (*domain.Scale)(p.Scale), KeyLevel: (*domain.KeyLevel)(p.KeyLevel),
		Address: p.Address, Street: p.Street, Tags: p.Tags,
	}
	if p.Contacts != nil {
		cs := toContacts(*p.Contacts)
		d.Contacts = &cs
	}
	return d
}

// EnterpriseFilterParams are the filters of list-enterprises, which export-enterprises takes too
// (exported: huma reads the parameters of exported embedded structs only).
type EnterpriseFilterParams struct {
	Q          string `query:"q" maxLength:"100" doc:"A fragment of the name, its pinyin or initials (zgdl), or a prefix of the credit code"`
	KeyLevel   string `query:"key_level" enum:"provincial,municipal,district"`
	Industry   string `query:"industry" maxLength:"1"`
	Street     string `query:"street" maxLength:"50"`
	Status     string `query:"status" enum:"active,archived" default:"active" doc:"Archived enterprises are included only when asked for"`
	StewardID  string `query:"steward_id" format:"uuid" doc:"Enterprises this steward serves now"`
	LeaderID   string `query:"leader_id" format:"uuid" doc:"Enterprises this leader answers for now"`
	CreditCode string `query:"credit_code" maxLength:"30" doc:"The enterprise of exactly this credit code; the one lookup an integration may make (its answer: id and name only)"`
	Sort       string `query:"sort" enum:"newest,name" default:"newest" doc:"newest first, or by name in pinyin order"`
}

func (p *EnterpriseFilterParams) filter() domain.EnterpriseFilter {
	f := domain.EnterpriseFilter{
		Q: p.Q, KeyLevel: domain.KeyLevel(p.KeyLevel), Industry: p.Industry, Street: p.Street,
		Status: domain.EnterpriseStatus(p.Status), StewardID: p.StewardID, LeaderID: p.LeaderID,
		CreditCode: p.CreditCode,
	}
	if p.Sort == "name" {
		f.Sort = domain.SortByName
	}
	return f
}

func registerEnterprises(api huma.API, svc domain.EnterpriseService) {
	tags := []string{"Enterprises"}
	register(api, huma.Operation{
		OperationID: "list-enterprises", Method: http.MethodGet, Path: Prefix + "/enterprises", Tags: tags,
		Summary: "List enterprises, newest first",
		Description: "Integrations may only look one enterprise up by its exact credit_code (id and name); " +
			"without credit_code they get 403.",
		Errors: []int{http.StatusForbidden},
	}, func(ctx context.Context, in *struct {
		ListParams
		EnterpriseFilterParams
	}) (*struct{ Body listBody[enterpriseListItem] }, error) {
		f := in.filter()
		l, err := svc.Enterprises(ctx, f, in.page())
		if err != nil {
			return nil, err
		}
		full := domain.Can(domain.ActorFrom(ctx), domain.ActRead, domain.ResEnterprise)
		return &struct{ Body listBody[enterpriseListItem] }{toListBody(l, func(e *domain.Enterprise) enterpriseListItem {
			item := enterpriseListItem{ID: e.ID, Name: e.Name}
			if full {
				body := toEnterpriseBody(e)
				item.EnterpriseDetails = &body.EnterpriseDetails
			}
			return item
		})}, nil
	})

	register(api, huma.Operation{
		OperationID: "create-enterprise", Method: http.MethodPost, Path: Prefix + "/enterprises", Tags: tags,
		Summary: "Register an enterprise", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct{ Body enterpriseInput }) (*enterpriseOutput, error) {
		b := in.Body
		e := &domain.Enterprise{
			Name: b.Name, CreditCode: b.CreditCode, LegalRepresentative: b.LegalRepresentative,
			Industry: b.Industry, Scale: domain.Scale(b.Scale), KeyLevel: domain.KeyLevel(b.KeyLevel),
			Address: b.Address, Street: b.Street, Tags: b.Tags, Contacts: toContacts(b.Contacts),
		}
		if err := svc.CreateEnterprise(ctx, e); err != nil {
			return nil, err
		}
		return enterpriseOut(e), nil
	})

	register(api, huma.Operation{
		OperationID: "get-enterprise", Method: http.MethodGet, Path: Prefix + "/enterprises/{id}", Tags: tags,
		Summary: "Get an enterprise", Errors: []int{http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*enterpriseOutput, error) {
		e, err := svc.Enterprise(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return enterpriseOut(e), nil
	})

	register(api, huma.Operation{
		OperationID: "update-enterprise", Method: http.MethodPatch, Path: Prefix + "/enterprises/{id}", Tags: tags,
		Summary: "Change an enterprise",
		Description: "Dispatchers and stewards change any field. An enterprise user keeps only the `contacts` of their own " +
			"enterprise up to date (any other field → 403); the change is audited like every other.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
		IfMatchHeader
		Body enterprisePatch
	}) (*enterpriseOutput, error) {
		version, err := in.version()
		if err != nil {
			return nil, err
		}
		e, err := svc.UpdateEnterprise(ctx, in.ID, version, in.Body.toDomain())
		if err != nil {
			return nil, err
		}
		return enterpriseOut(e), nil
	})

	register(api, huma.Operation{
		OperationID: "reveal-enterprise", Method: http.MethodPost, Path: Prefix + "/enterprises/{id}/reveal",
		Tags: []string{"Enterprises"}, Summary: "Show an enterprise's contact phone numbers unmasked (audited)",
		Errors: []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*enterpriseOutput, error) {
		e, err := svc.RevealEnterprise(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return enterpriseOut(e), nil
	})

	statusChange := func(op, path, summary string, status domain.EnterpriseStatus) {
		register(api, huma.Operation{
			OperationID: op, Method: http.MethodPost, Path: Prefix + "/enterprises/{id}/" + path,
			Tags: []string{"Enterprises"}, Summary: summary,
			Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity},
		}, func(ctx context.Context, in *struct {
			ID      string `path:"id"`
			IfMatch string `header:"If-Match" doc:"Optional: the ETag of the version you saw"`
			Body    *struct {
				Reason string `json:"reason,omitempty" maxLength:"500" doc:"Why; required to archive"`
			}
		}) (*enterpriseOutput, error) {
			version := 0
			if in.IfMatch != "" {
				v, err := IfMatchHeader{IfMatch: in.IfMatch}.version()
				if err != nil {
					return nil, err
				}
				version = v
			}
			reason := ""
			if in.Body != nil {
				reason = in.Body.Reason
			}
			e, err := svc.SetEnterpriseStatus(ctx, in.ID, version, status, reason)
			if err != nil {
				return nil, err
			}
			return enterpriseOut(e), nil
		})
	}
	statusChange("archive-enterprise", "archive", "Archive an enterprise (归档); it is never deleted", domain.EnterpriseArchived)
	statusChange("restore-enterprise", "restore", "Restore an archived enterprise", domain.EnterpriseActive)
}
