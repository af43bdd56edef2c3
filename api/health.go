package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type statusOutput struct {
	Body struct {
		Status string `json:"status" example:"ok"`
		// Details are warnings about the deployment; the service works, but an operator should act.
		Details []string `json:"details,omitempty" doc:"Warnings about the deployment (e.g. a single-role database setup, in which the audit log is not insert-only for the server's own role)"`
	}
}

func registerHealth(api huma.API, ready func(context.Context) error, warnings []string) {
	register(api, huma.Operation{
		OperationID: "get-health", Method: http.MethodGet, Path: "/healthz", Tags: []string{"Operations"},
		Summary: "The process is alive",
	}, func(ctx context.Context, _ *struct{}) (*statusOutput, error) {
		out := &statusOutput{}
		out.Body.Status = "ok"
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "get-readiness", Method: http.MethodGet, Path: "/readyz", Tags: []string{"Operations"},
		Summary: "The database is reachable and its schema current",
		Errors:  []int{http.StatusServiceUnavailable},
	}, func(ctx context.Context, _ *struct{}) (*statusOutput, error) {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			infoFrom(ctx).log.Warn("not ready", "err", err)
			return nil, domain.Errorf(domain.EUNAVAILABLE, "not ready: the database is unreachable or its schema is not current")
		}
		out := &statusOutput{}
		out.Body.Status = "ok"
		out.Body.Details = warnings
		return out, nil
	})
}
