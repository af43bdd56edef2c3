package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"steward/domain"
)

type auditBody struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   *string         `json:"actor_id" format:"uuid"`
	ActorName string          `json:"actor_name"`
	ActorRole string          `json:"actor_role"`
	Action    string          `json:"action" example:"update"`
	Entity    string          `json:"entity" example:"enterprise"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before,omitempty" doc:"The entity before the change"`
	After     json.RawMessage `json:"after,omitempty" doc:"The entity after the change"`
	RequestID string          `json:"request_id"`
	IP        string          `json:"ip"`
	Hash      string          `json:"hash" doc:"sha256(previous hash ‖ this record)"`
}

func toAuditBody(r *domain.AuditRecord) auditBody {
	return auditBody{ID: r.ID, At: r.At, ActorID: optional(r.ActorID), ActorName: r.ActorName,
		ActorRole: r.ActorRole, Action: r.Action, Entity: r.Entity, EntityID: r.EntityID,
		Before: r.Before, After: r.After, RequestID: r.RequestID, IP: r.IP, Hash: r.Hash}
}

func registerAudit(api huma.API, svc domain.AuditService) {
	tags := []string{"Audit"}
	register(api, huma.Operation{
		OperationID: "list-audit", Method: http.MethodGet, Path: Prefix + "/audit", Tags: tags,
		Summary: "The audit log, newest first (auditors only)", Errors: []int{http.StatusForbidden},
		Description: "Phone numbers inside `before` and `after` are masked (138****1234); `POST /audit/{id}/reveal` shows one record in full and is itself audited.",
	}, func(ctx context.Context, in *struct {
		ListParams
		Entity   string `query:"entity" maxLength:"50"`
		EntityID string `query:"entity_id" maxLength:"100"`
		ActorID  string `query:"actor_id" format:"uuid"`
		Action   string `query:"action" maxLength:"50"`
		timeRange
	}) (*struct{ Body listBody[auditBody] }, error) {
		from, to, err := in.bounds()
		if err != nil {
			return nil, err
		}
		l, err := svc.Audit(ctx, domain.AuditFilter{Entity: in.Entity, EntityID: in.EntityID, ActorID: in.ActorID,
			Action: in.Action, From: from, To: to}, in.page())
		if err != nil {
			return nil, err
		}
		return &struct{ Body listBody[auditBody] }{toListBody(l, toAuditBody)}, nil
	})

	register(api, huma.Operation{
		OperationID: "verify-audit", Method: http.MethodGet, Path: Prefix + "/audit/verify", Tags: tags,
		Summary: "Check the audit log's hash chain (auditors only)", Errors: []int{http.StatusForbidden},
	}, func(ctx context.Context, _ *struct{}) (*struct {
		Body struct {
			OK         bool   `json:"ok"`
			Checked    int64  `json:"checked"`
			FirstBadID *int64 `json:"first_bad_id" doc:"The first record that does not follow from its predecessor; null when intact"`
		}
	}, error) {
		v, err := svc.VerifyAudit(ctx)
		if err != nil {
			return nil, err
		}
		out := &struct {
			Body struct {
				OK         bool   `json:"ok"`
				Checked    int64  `json:"checked"`
				FirstBadID *int64 `json:"first_bad_id" doc:"The first record that does not follow from its predecessor; null when intact"`
			}
		}{}
		out.Body.OK, out.Body.Checked = v.OK, v.Checked
		if v.FirstBadID != 0 {
			out.Body.FirstBadID = &v.FirstBadID
		}
		return out, nil
	})

	register(api, huma.Operation{
		OperationID: "reveal-audit", Method: http.MethodPost, Path: Prefix + "/audit/{id}/reveal", Tags: tags,
		Summary: "Show one audit record with its phone numbers unmasked (auditors only; audited)",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *struct {
		ID int64 `path:"id" minimum:"1"`
	}) (*struct{ Body auditBody }, error) {
		r, err := svc.RevealAudit(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &struct{ Body auditBody }{toAuditBody(r)}, nil
	})
}
