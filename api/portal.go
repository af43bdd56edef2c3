package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

// stewardContact is the steward an enterprise may call: name and phone, nothing more.
type stewardContact struct {
	_           struct{} `nullable:"true"` // null while nobody is assigned
	DisplayName string   `json:"display_name" example:"张伟"`
	Phone       string   `json:"phone" example:"13800001111" doc:"In full: the enterprise calls its steward"`
}

// leaderName is the leader who answers for the enterprise (包保县级领导), by name only.
type leaderName struct {
	_           struct{} `nullable:"true"`
	DisplayName string   `json:"display_name" example:"李强（副区长）"`
}

type myEnterpriseBody struct {
	Enterprise enterpriseBody  `json:"enterprise"`
	Steward    *stewardContact `json:"steward" doc:"null while no steward is assigned"`
	Leader     *leaderName     `json:"leader" doc:"null while no leader is assigned"`
}

// registerPortal declares what only the portal (enterprise users) asks for.
func registerPortal(api huma.API, svc domain.EnterpriseService) {
	register(api, huma.Operation{
		OperationID: "get-my-enterprise", Method: http.MethodGet, Path: Prefix + "/me/enterprise", Tags: []string{"Enterprises"},
		Summary: "My enterprise and who serves it (enterprise users)",
		Description: "The enterprise user's own enterprise, its steward (项目管家: name and phone) and its leader (包保县级领导: name). " +
			"The ETag is the enterprise's, for PATCH /enterprises/{id}, where an enterprise user may change only `contacts`. " +
			"Other roles get 403.",
	}, func(ctx context.Context, _ *struct{}) (*struct {
		ETag string `header:"ETag"`
		Body myEnterpriseBody
	}, error) {
		m, err := svc.MyEnterprise(ctx)
		if err != nil {
			return nil, err
		}
		out := &struct {
			ETag string `header:"ETag"`
			Body myEnterpriseBody
		}{ETag: etag(m.Enterprise.Version), Body: myEnterpriseBody{Enterprise: toEnterpriseBody(m.Enterprise)}}
		if m.Steward != nil {
			out.Body.Steward = &stewardContact{DisplayName: m.Steward.DisplayName, Phone: m.Steward.Phone}
		}
		if m.Leader != nil {
			out.Body.Leader = &leaderName{DisplayName: m.Leader.DisplayName}
		}
		return out, nil
	})
}
